//! Reading and verifying the audit trail. Only auditors read it; nothing in the system changes it.

use pamir_domain::error::Reason;
use pamir_domain::{
    audit::{Action, AuditEntry, ChainBreak, ChainVerifier},
    Role,
};
use pamir_store::AuditQuery;
use serde_json::json;

use crate::{App, AppError, AppResult, UserContext};

#[derive(Debug)]
pub enum VerifyOutcome {
    Intact { entries: u64 },
    Broken(ChainBreak),
}

/// The audit trail as a service, reached as `app.audit_trail()`: reading it by filter and
/// verifying its hash chain.
#[derive(Clone, Copy)]
pub struct AuditTrail<'a> {
    app: &'a App,
}

impl App {
    pub fn audit_trail(&self) -> AuditTrail<'_> {
        AuditTrail { app: self }
    }
}

impl<'a> AuditTrail<'a> {
    /// Walks the whole chain in sequence order, page by page; `progress` gets entries checked.
    pub async fn verify(&self, progress: &(dyn Fn(u64) + Sync)) -> AppResult<VerifyOutcome> {
        let mut verifier = ChainVerifier::default();
        let mut after = 0;
        let mut checked = 0u64;
        // A trail someone has damaged may not even read: that is a broken chain, not a crash.
        let unreadable = |seq: i64, e: pamir_store::StoreError| {
            VerifyOutcome::Broken(ChainBreak {
                seq,
                reason: format!("the audit trail cannot be read from here: {e}"),
            })
        };
        loop {
            let page = match self.app.store.audit_page(after, 10_000).await {
                Ok(page) => page,
                Err(e) => return Ok(unreadable(after + 1, e)),
            };
            if page.is_empty() {
                break;
            }
            for e in &page {
                if let Err(b) = verifier.feed(e) {
                    return Ok(VerifyOutcome::Broken(b));
                }
                after = e.seq;
            }
            checked += page.len() as u64;
            progress(checked);
        }
        let (seq, hash) = match self.app.store.chain_head().await {
            Ok(head) => head,
            Err(e) => {
                let reason =
                    format!("the chain head (last entry and its hash) cannot be read: {e}");
                return Ok(VerifyOutcome::Broken(ChainBreak {
                    seq: after + 1,
                    reason,
                }));
            }
        };
        Ok(match verifier.finish(seq, &hash) {
            Ok(entries) => VerifyOutcome::Intact { entries },
            Err(b) => VerifyOutcome::Broken(b),
        })
    }

    /// Entries matching `query`, newest first; for auditors only, and itself audited.
    pub async fn read(&self, ctx: &UserContext, query: &AuditQuery) -> AppResult<Vec<AuditEntry>> {
        if !ctx.has(Role::Auditor) {
            let e = AppError::Forbidden("only auditors read the audit trail".into());
            return Err(self.app.refused(ctx, "audit.read", "audit_log", e).await);
        }
        if let Some(a) = &query.action {
            let known = Action::parse(a).is_some()
                || a.strip_suffix(".*").is_some_and(|p| {
                    // `record.*` means the actions under `record.`; a filter that could never
                    // match (`r.*`) is refused rather than answered with nothing.
                    Action::ALL.iter().any(|x| {
                        x.as_str()
                            .strip_prefix(p)
                            .is_some_and(|r| r.starts_with('.'))
                    })
                });
            if !known {
                return Err(AppError::invalid(
                    "action",
                    Reason::coded("audit-action-unknown", &[("value", &format!("{a:?}"))]),
                ));
            }
        }
        let entries = self.app.store.list_audit(query).await?;
        self.app.store
            .audit(&ctx.draft(Action::AuditRead, "audit_log").details(json!({
                "actor": query.actor, "action": query.action, "target": query.target, "agency": query.agency,
                "from": query.from, "to": query.to, "results": entries.len(),
            })))
            .await?;
        Ok(entries)
    }
}
