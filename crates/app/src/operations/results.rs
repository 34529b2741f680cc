//! Results of an operation and its report: each participating agency reports what it achieved
//! under the operation, linking its own Seizure records; the report adds the linked seizures up
//! per country and substance as they stand now, so its totals always equal their sum.

use std::collections::BTreeSet;

use pamir_domain::{
    audit::Action,
    error::Reason,
    event::Event,
    outcome::{self, ResultDraft, SeizureLine, Total},
};
use pamir_store::ResultRow;
use serde_json::{json, Value};

use super::Operations;
use crate::{secrets, AppError, AppResult, UserContext};

/// One agency's reported results.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultEntry {
    pub id: String,
    pub agency: String,
    pub arrests: i64,
    pub cases_opened: i64,
    pub assets_value: Option<f64>,
    pub assets_currency: String,
    pub note: String,
    pub reported_by: String,
    pub reported_at: i64,
    /// The Seizure records linked (their ids).
    pub seizures: Vec<String>,
}

/// The operation report: the results, and the linked seizures added up.
#[derive(Debug, Clone, PartialEq)]
pub struct OperationReport {
    pub results: Vec<ResultEntry>,
    /// Seizures per country, substance and unit; each record counted once.
    pub totals: Vec<Total>,
    pub arrests: i64,
    pub cases_opened: i64,
    /// Assets per currency.
    pub assets: Vec<(String, f64)>,
    /// Linked records that are no longer there (deleted by their owner since).
    pub missing: usize,
}

impl<'a> Operations<'a> {
    /// Reports results for the caller's agency (anyone taking part who submits records). The
    /// seizures must be the agency's own Seizure records.
    pub async fn report_result(
        &self,
        ctx: &UserContext,
        operation: &str,
        body: &Value,
    ) -> AppResult<OperationReport> {
        let (loaded, _) = self.taking_part(ctx, operation, "operation.result").await?;
        if !ctx.subject.roles.iter().any(|r| r.writes_records()) {
            let e = AppError::Forbidden("your roles do not allow reporting results".into());
            return Err(self
                .app
                .refused(ctx, "operation.result", operation, e)
                .await);
        }
        let draft = ResultDraft::parse(body)?;
        let ids: BTreeSet<String> = draft.seizures.iter().cloned().collect();
        let records = self
            .app
            .store
            .get_records(&ids.iter().cloned().collect::<Vec<_>>())
            .await?;
        for id in &ids {
            // Another agency's record and no record at all are told apart by nothing.
            let own = records.iter().any(|r| {
                r.entity.id.as_str() == id
                    && r.entity.schema.name == "Seizure"
                    && r.meta.owner == ctx.user.agency
            });
            if !own {
                return Err(AppError::invalid(
                    "seizures",
                    Reason::coded("result-not-own-seizure", &[("value", id)]),
                ));
            }
        }
        let row = ResultRow {
            id: format!("res-{}", secrets::new_handle()),
            operation_id: operation.to_string(),
            agency: ctx.agency().to_string(),
            arrests: i64::from(draft.arrests),
            cases_opened: i64::from(draft.cases_opened),
            assets_value: draft.assets_value.map(|v| v.to_string()),
            assets_currency: draft.assets_currency,
            note: draft.note,
            reported_by: ctx.username().to_string(),
            reported_at: self.app.clock.now_ms(),
            seizures: ids.into_iter().collect(),
        };
        let mut tx = self.app.store.begin().await?;
        tx.insert_result(&row).await?;
        tx.emit(&Event::ResultReported {
            id: row.id.clone(),
            operation: operation.to_string(),
            agency: ctx.user.agency.clone(),
            scope: loaded.scope.clone(),
        })
        .await?;
        tx.audit(&ctx.draft(Action::OperationResult, &row.id).details(
            json!({"operation": operation, "seizures": row.seizures.len(),
                                "arrests": row.arrests, "cases_opened": row.cases_opened}),
        ))
        .await?;
        tx.commit().await?;
        self.app.live.wake();
        self.report(ctx, operation).await
    }

    /// The operation report (for those taking part).
    pub async fn report(&self, ctx: &UserContext, operation: &str) -> AppResult<OperationReport> {
        self.taking_part(ctx, operation, "operation.report").await?;
        let rows = self.app.store.operation_results(operation).await?;
        let linked: BTreeSet<String> = rows.iter().flat_map(|r| r.seizures.clone()).collect();
        let records = self
            .app
            .store
            .get_records(&linked.iter().cloned().collect::<Vec<_>>())
            .await?;
        let lines: Vec<SeizureLine> = records
            .iter()
            .filter(|r| linked.contains(r.entity.id.as_str()))
            .filter_map(|r| SeizureLine::of(&r.entity))
            .collect();
        let mut assets: Vec<(String, f64)> = Vec::new();
        for r in &rows {
            if let Some(v) = r
                .assets_value
                .as_deref()
                .and_then(|v| v.parse::<f64>().ok())
            {
                match assets.iter_mut().find(|(c, _)| *c == r.assets_currency) {
                    Some((_, sum)) => *sum += v,
                    None => assets.push((r.assets_currency.clone(), v)),
                }
            }
        }
        assets.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(OperationReport {
            totals: outcome::totals(&lines),
            arrests: rows.iter().map(|r| r.arrests).sum(),
            cases_opened: rows.iter().map(|r| r.cases_opened).sum(),
            missing: linked.len() - lines.len(),
            assets,
            results: rows
                .into_iter()
                .map(|r| ResultEntry {
                    assets_value: r.assets_value.as_deref().and_then(|v| v.parse().ok()),
                    id: r.id,
                    agency: r.agency,
                    arrests: r.arrests,
                    cases_opened: r.cases_opened,
                    assets_currency: r.assets_currency,
                    note: r.note,
                    reported_by: r.reported_by,
                    reported_at: r.reported_at,
                    seizures: r.seizures,
                })
                .collect(),
        })
    }
}
