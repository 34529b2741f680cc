//! The audit trail's hash chain. Each entry commits to the previous entry's hash, so altering,
//! removing or reordering any stored entry breaks the chain at that point; the chain head
//! (last sequence number and hash) is stored separately so that cutting off the tail shows too.

use sha2::{Digest, Sha256};

/// The hash the first entry commits to.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What happened. Stable strings: auditors filter on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    LoginSuccess,
    LoginFailure,
    Logout,
    RecordRead,
    RecordHit,
    RecordCreate,
    RecordUpdate,
    RecordDelete,
    RecordSearch,
    LinkCreate,
    LinkDelete,
    Import,
    Export,
    UserCreate,
    UserUpdate,
    UserDisable,
    UserEnable,
    UserPasswordReset,
    UserTotp,
    AgencyCreate,
    CountryCreate,
    CountryUpdate,
    TokenCreate,
    TokenRevoke,
    AuditRead,
    AccessDenied,
    MatchFound,
    MatchScreen,
    DisclosureRequest,
    DisclosureApprove,
    DisclosureDecline,
    MessageSend,
    MessageRead,
    MessageAck,
    MessageSearch,
    MessageEscalate,
    AttachmentRead,
    AttachmentUpload,
    AttachmentExpire,
    KeyRotate,
    OperationOpen,
    OperationRead,
    OperationInvite,
    OperationAnswer,
    OperationRemove,
    OperationEdit,
    TaskCreate,
    TaskUpdate,
    TaskComment,
    TaskEscalate,
    TaskRemind,
    DeliveryUpdate,
    DeliveryLeg,
    OperationResult,
    /// A statistic, route table, link chart or report computed over what the reader may see.
    AnalysisQuery,
    SubstanceCreate,
    SubstanceUpdate,
    SubstanceImport,
    DetectionReport,
    /// Detections above UNCLASSIFIED shown to a reader (a list, a page, the board).
    DetectionRead,
    /// An analyst's assessment note added to a detection.
    DetectionNote,
    /// A pre-export notification sent.
    PreExportSend,
    /// A step of a notification: an answer, information given, a withdrawal.
    PreExportStep,
    /// Notifications above UNCLASSIFIED shown to a reader.
    PreExportRead,
    /// An importing country's reply period set.
    PreExportReplyDays,
    /// A notification found unanswered past its deadline, flagged to both sides.
    PreExportOverdue,
    /// A precursor incident reported.
    PrecursorIncidentReport,
    /// Precursor incidents above UNCLASSIFIED shown to a reader.
    PrecursorIncidentRead,
    /// A risk communication issued.
    RiskIssue,
    /// A risk communication updated.
    RiskUpdate,
    /// A risk communication retracted.
    RiskRetract,
    /// Risk communications above UNCLASSIFIED shown to a reader.
    RiskRead,
}

impl Action {
    pub const ALL: &'static [Action] = &[
        Action::LoginSuccess,
        Action::LoginFailure,
        Action::Logout,
        Action::RecordRead,
        Action::RecordHit,
        Action::RecordCreate,
        Action::RecordUpdate,
        Action::RecordDelete,
        Action::RecordSearch,
        Action::LinkCreate,
        Action::LinkDelete,
        Action::Import,
        Action::Export,
        Action::UserCreate,
        Action::UserUpdate,
        Action::UserDisable,
        Action::UserEnable,
        Action::UserPasswordReset,
        Action::UserTotp,
        Action::AgencyCreate,
        Action::CountryCreate,
        Action::CountryUpdate,
        Action::TokenCreate,
        Action::TokenRevoke,
        Action::AuditRead,
        Action::AccessDenied,
        Action::MatchFound,
        Action::MatchScreen,
        Action::DisclosureRequest,
        Action::DisclosureApprove,
        Action::DisclosureDecline,
        Action::MessageSend,
        Action::MessageRead,
        Action::MessageAck,
        Action::MessageSearch,
        Action::MessageEscalate,
        Action::AttachmentRead,
        Action::AttachmentUpload,
        Action::AttachmentExpire,
        Action::KeyRotate,
        Action::OperationOpen,
        Action::OperationRead,
        Action::OperationInvite,
        Action::OperationAnswer,
        Action::OperationRemove,
        Action::OperationEdit,
        Action::TaskCreate,
        Action::TaskUpdate,
        Action::TaskComment,
        Action::TaskEscalate,
        Action::TaskRemind,
        Action::DeliveryUpdate,
        Action::DeliveryLeg,
        Action::OperationResult,
        Action::AnalysisQuery,
        Action::SubstanceCreate,
        Action::SubstanceUpdate,
        Action::SubstanceImport,
        Action::DetectionReport,
        Action::DetectionRead,
        Action::DetectionNote,
        Action::PreExportSend,
        Action::PreExportStep,
        Action::PreExportRead,
        Action::PreExportReplyDays,
        Action::PreExportOverdue,
        Action::PrecursorIncidentReport,
        Action::PrecursorIncidentRead,
        Action::RiskIssue,
        Action::RiskUpdate,
        Action::RiskRetract,
        Action::RiskRead,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::LoginSuccess => "login.success",
            Action::LoginFailure => "login.failure",
            Action::Logout => "logout",
            Action::RecordRead => "record.read",
            Action::RecordHit => "record.hit",
            Action::RecordCreate => "record.create",
            Action::RecordUpdate => "record.update",
            Action::RecordDelete => "record.delete",
            Action::RecordSearch => "record.search",
            Action::LinkCreate => "link.create",
            Action::LinkDelete => "link.delete",
            Action::Import => "import",
            Action::Export => "export",
            Action::UserCreate => "user.create",
            Action::UserUpdate => "user.update",
            Action::UserDisable => "user.disable",
            Action::UserEnable => "user.enable",
            Action::UserPasswordReset => "user.password_reset",
            Action::UserTotp => "user.totp",
            Action::AgencyCreate => "agency.create",
            Action::CountryCreate => "country.create",
            Action::CountryUpdate => "country.update",
            Action::TokenCreate => "token.create",
            Action::TokenRevoke => "token.revoke",
            Action::AuditRead => "audit.read",
            Action::AccessDenied => "access.denied",
            Action::MatchFound => "match.found",
            Action::MatchScreen => "match.screen",
            Action::DisclosureRequest => "disclosure.request",
            Action::DisclosureApprove => "disclosure.approve",
            Action::DisclosureDecline => "disclosure.decline",
            Action::MessageSend => "message.send",
            Action::MessageRead => "message.read",
            Action::MessageAck => "message.ack",
            Action::MessageSearch => "message.search",
            Action::MessageEscalate => "message.escalate",
            Action::AttachmentRead => "attachment.read",
            Action::AttachmentUpload => "attachment.upload",
            Action::AttachmentExpire => "attachment.expire",
            Action::KeyRotate => "attachment.key_rotate",
            Action::OperationOpen => "operation.open",
            Action::OperationRead => "operation.read",
            Action::OperationInvite => "operation.invite",
            Action::OperationAnswer => "operation.answer",
            Action::OperationRemove => "operation.remove",
            Action::OperationEdit => "operation.edit",
            Action::TaskCreate => "task.create",
            Action::TaskUpdate => "task.update",
            Action::TaskComment => "task.comment",
            Action::TaskEscalate => "task.escalate",
            Action::TaskRemind => "task.remind",
            Action::DeliveryUpdate => "delivery.update",
            Action::DeliveryLeg => "delivery.leg",
            Action::OperationResult => "operation.result",
            Action::AnalysisQuery => "analysis.query",
            Action::SubstanceCreate => "substance.create",
            Action::SubstanceUpdate => "substance.update",
            Action::SubstanceImport => "substance.import",
            Action::DetectionReport => "detection.report",
            Action::DetectionRead => "detection.read",
            Action::DetectionNote => "detection.note",
            Action::PreExportSend => "pre_export.send",
            Action::PreExportStep => "pre_export.step",
            Action::PreExportRead => "pre_export.read",
            Action::PreExportReplyDays => "pre_export.reply_days",
            Action::PreExportOverdue => "pre_export.overdue",
            Action::PrecursorIncidentReport => "precursor_incident.report",
            Action::PrecursorIncidentRead => "precursor_incident.read",
            Action::RiskIssue => "risk.issue",
            Action::RiskUpdate => "risk.update",
            Action::RiskRetract => "risk.retract",
            Action::RiskRead => "risk.read",
        }
    }

    pub fn parse(s: &str) -> Option<Action> {
        Self::ALL.iter().copied().find(|a| a.as_str() == s)
    }
}

/// An entry as the caller describes it; the store adds sequence, time and hashes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditDraft {
    /// Username, or `-` for the system and for unknown users.
    pub actor: String,
    /// The actor's agency code, or `-`.
    pub agency: String,
    pub action: Action,
    /// What was acted on: a record id, a username, a query; `-` when nothing.
    pub target: String,
    /// `ok`, `denied` or `failed`.
    pub outcome: &'static str,
    /// A JSON object with what else an auditor needs (never classified content).
    pub details: serde_json::Value,
}

impl AuditDraft {
    pub fn new(
        actor: impl Into<String>,
        agency: impl Into<String>,
        action: Action,
        target: impl Into<String>,
    ) -> Self {
        Self {
            actor: actor.into(),
            agency: agency.into(),
            action,
            target: target.into(),
            outcome: "ok",
            details: serde_json::Value::Object(Default::default()),
        }
    }
    pub fn outcome(mut self, outcome: &'static str) -> Self {
        self.outcome = outcome;
        self
    }
    pub fn details(mut self, details: serde_json::Value) -> Self {
        self.details = details;
        self
    }
}

/// An entry as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuditEntry {
    pub seq: i64,
    /// Unix time in milliseconds.
    pub at: i64,
    pub actor: String,
    pub agency: String,
    pub action: String,
    pub target: String,
    pub outcome: String,
    /// Compact JSON text, hashed as stored.
    pub details: String,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditEntry {
    /// Seals a draft as entry `seq` after the entry whose hash is `prev_hash`.
    pub fn seal(draft: &AuditDraft, seq: i64, at: i64, prev_hash: &str) -> AuditEntry {
        let mut e = AuditEntry {
            seq,
            at,
            actor: draft.actor.clone(),
            agency: draft.agency.clone(),
            action: draft.action.as_str().to_string(),
            target: draft.target.clone(),
            outcome: draft.outcome.to_string(),
            details: draft.details.to_string(),
            prev_hash: prev_hash.to_string(),
            hash: String::new(),
        };
        e.hash = e.compute_hash();
        e
    }

    /// SHA-256 over every field but `hash`, each length-prefixed so no two entries collide.
    pub fn compute_hash(&self) -> String {
        let mut h = Sha256::new();
        h.update(b"pamir-audit-v1");
        let seq = self.seq.to_string();
        let at = self.at.to_string();
        for field in [
            seq.as_str(),
            at.as_str(),
            &self.actor,
            &self.agency,
            &self.action,
            &self.target,
            &self.outcome,
            &self.details,
            &self.prev_hash,
        ] {
            h.update((field.len() as u64).to_be_bytes());
            h.update(field.as_bytes());
        }
        hex(&h.finalize())
    }
}

pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// Where and why the chain is broken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("audit entry {seq}: {reason}")]
pub struct ChainBreak {
    pub seq: i64,
    pub reason: String,
}

/// Walks entries in stored order, one at a time, so a chain of any length verifies in constant memory.
#[derive(Debug)]
pub struct ChainVerifier {
    expected_seq: i64,
    prev_hash: String,
    count: u64,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        Self {
            expected_seq: 1,
            prev_hash: GENESIS_HASH.to_string(),
            count: 0,
        }
    }
}

impl ChainVerifier {
    pub fn feed(&mut self, e: &AuditEntry) -> Result<(), ChainBreak> {
        let fail = |reason: String| Err(ChainBreak { seq: e.seq, reason });
        if e.seq != self.expected_seq {
            return fail(format!(
                "expected entry {} here; entries are missing or out of order",
                self.expected_seq
            ));
        }
        if e.prev_hash != self.prev_hash {
            return fail("does not follow the previous entry (prev_hash differs): an entry before it was removed, reordered or altered".into());
        }
        if e.compute_hash() != e.hash {
            return fail("content does not match its hash: the entry was altered".into());
        }
        self.expected_seq += 1;
        self.prev_hash = e.hash.clone();
        self.count += 1;
        Ok(())
    }

    /// Checks the end of the chain against the stored head; returns how many entries were verified.
    pub fn finish(self, head_seq: i64, head_hash: &str) -> Result<u64, ChainBreak> {
        let last = self.expected_seq - 1;
        if last != head_seq || self.prev_hash != head_hash {
            return Err(ChainBreak {
                seq: last + 1,
                reason: format!(
                    "the chain ends at entry {last} but its head records entry {head_seq}: entries at the end were removed or the head altered"
                ),
            });
        }
        Ok(self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<AuditEntry> {
        let mut prev = GENESIS_HASH.to_string();
        (1..=n)
            .map(|seq| {
                let d = AuditDraft::new(
                    "kz.officer",
                    "KZ-MVD",
                    Action::RecordRead,
                    format!("rec-{seq}"),
                );
                let e = AuditEntry::seal(&d, seq, 1_700_000_000_000 + seq, &prev);
                prev = e.hash.clone();
                e
            })
            .collect()
    }

    fn verify(entries: &[AuditEntry], head: &AuditEntry) -> Result<u64, ChainBreak> {
        let mut v = ChainVerifier::default();
        for e in entries {
            v.feed(e)?;
        }
        v.finish(head.seq, &head.hash)
    }

    #[test]
    fn an_intact_chain_verifies() {
        let c = chain(5);
        assert_eq!(verify(&c, &c[4]), Ok(5));
    }

    #[test]
    fn alteration_removal_reordering_and_truncation_are_caught_at_the_right_entry() {
        let c = chain(5);
        let mut altered = c.clone();
        altered[2].target = "rec-x".into();
        assert_eq!(verify(&altered, &c[4]).unwrap_err().seq, 3);

        let mut removed = c.clone();
        removed.remove(1);
        assert_eq!(verify(&removed, &c[4]).unwrap_err().seq, 3);

        let mut swapped = c.clone();
        swapped.swap(1, 2);
        assert_eq!(verify(&swapped, &c[4]).unwrap_err().seq, 3);

        assert_eq!(verify(&c[..4], &c[4]).unwrap_err().seq, 5);

        // Re-hashing an altered entry does not help: the next one no longer follows it.
        let mut rehashed = c.clone();
        rehashed[2].target = "rec-x".into();
        rehashed[2].hash = rehashed[2].compute_hash();
        assert_eq!(verify(&rehashed, &c[4]).unwrap_err().seq, 4);
    }
}
