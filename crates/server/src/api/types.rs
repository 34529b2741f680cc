//! The API's request and response bodies, as types: handlers build responses from them and the
//! OpenAPI document is generated from them, so the two cannot drift apart.

use std::collections::BTreeMap;

use pamir_app::records::{LinkView, RecordAccess};
use pamir_app::Account;
use pamir_domain::{schema::Lang, RecordMeta};
use pamir_store::{Agency, Country, Session, StoredRecord};
use serde::Serialize;
use utoipa::ToSchema;

pub fn iso(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .unwrap_or_default()
}

#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable code: unauthenticated, totp_required, account_locked, rate_limited, forbidden,
    /// not_found, version_conflict, already_exists, invalid, bad_request, payload_too_large,
    /// import_rejected, internal.
    pub code: String,
    pub message: String,
    /// For `invalid`: a list of `{field, reason}`; for `import_rejected`: a list of
    /// `{line, field, reason, message}`; for `version_conflict`: `{current_version}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<serde_json::Value>,
}

#[derive(Serialize, ToSchema)]
#[allow(dead_code)]
pub struct LoginIn {
    pub username: String,
    pub password: String,
    /// The 6-digit code from the authenticator; required for users cleared above RESTRICTED.
    pub totp: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct LoginOut {
    /// Bearer token; also set as the session cookie.
    pub token: String,
    /// Send as `X-CSRF-Token` when changing things with the session cookie instead of the token.
    pub csrf_token: String,
    pub expires_at: String,
    pub user: MeOut,
}

#[derive(Serialize, ToSchema)]
pub struct MeOut {
    pub username: String,
    pub display_name: String,
    pub agency: String,
    pub country: String,
    pub roles: Vec<String>,
    pub clearance: String,
}

impl MeOut {
    pub fn of(u: &Account) -> Self {
        MeOut {
            username: u.username.to_string(),
            display_name: u.display_name.clone(),
            agency: u.agency.to_string(),
            country: u.agency.country().to_string(),
            roles: u.roles.iter().map(|r| r.to_string()).collect(),
            clearance: u.clearance.to_string(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct DisseminationDoc {
    /// Every member country and the centre.
    pub all_members: bool,
    /// ISO 3166-1 alpha-2 codes, members or observers.
    pub countries: Vec<String>,
    /// Agency codes such as KZ-MVD.
    pub agencies: Vec<String>,
    /// Operation ids (`op-…`): the operation's coordinating agency and accepted parties. Only a
    /// party taking part may name one, and only for items up to the operation's ceiling.
    pub operations: Vec<String>,
}

#[derive(Serialize, ToSchema)]
#[allow(dead_code)]
pub struct EvaluationIn {
    /// A, B, C, D or X.
    pub source: String,
    /// 1, 2, 3 or 4.
    pub information: String,
}

#[derive(Serialize, ToSchema)]
#[allow(dead_code)]
pub struct MetaIn {
    /// UNCLASSIFIED, RESTRICTED, CONFIDENTIAL or SECRET; at most your clearance.
    pub classification: String,
    /// Who besides the owner agency may read it; omitted means the owner agency alone.
    pub dissemination: Option<DisseminationDoc>,
    /// LE_ONLY, NO_EVIDENCE, NO_ONWARD, INTEL_ONLY.
    pub handling_codes: Option<Vec<String>>,
    pub evaluation: Option<EvaluationIn>,
}

#[derive(Serialize, ToSchema)]
#[allow(dead_code)]
pub struct RecordIn {
    /// Optional: a UUID is made when absent. A chosen id begins with the submitter's agency code and
    /// a colon (`kz-mvd:case-17`): ids of other agencies answer alike, held or not.
    pub id: Option<String>,
    /// Person, Organization, Company, Vehicle, Vessel, Identification, Passport, Address,
    /// BankAccount, CryptoWallet, UserAccount, Payment, Ownership, Seizure or Case.
    pub schema: String,
    /// FollowTheMoney properties: each a list of strings (a single string is accepted too).
    #[schema(value_type = Object)]
    pub properties: BTreeMap<String, Vec<String>>,
    pub meta: MetaIn,
}

#[derive(Serialize, ToSchema)]
#[allow(dead_code)]
pub struct RecordUpdateIn {
    /// The version you read; a stale one is answered 409.
    pub version: i64,
    pub schema: String,
    #[schema(value_type = Object)]
    pub properties: BTreeMap<String, Vec<String>>,
    pub meta: MetaIn,
}

#[derive(Serialize, ToSchema)]
#[allow(dead_code)]
pub struct BundleIn {
    pub records: Vec<RecordIn>,
    /// Ends are `#N` (the N-th record of this bundle) or ids of existing records.
    pub links: Vec<LinkIn>,
}

#[derive(Serialize, ToSchema)]
pub struct BundleOut {
    pub records: Vec<RecordOut>,
}

#[derive(Serialize, ToSchema)]
pub struct MetaOut {
    pub owner: String,
    pub classification: String,
    pub dissemination: DisseminationDoc,
    pub handling_codes: Vec<String>,
    /// 4x4 evaluation such as B2.
    pub evaluation: Option<String>,
}

impl MetaOut {
    pub fn of(m: &RecordMeta) -> Self {
        MetaOut {
            owner: m.owner.to_string(),
            classification: m.classification.to_string(),
            dissemination: DisseminationDoc {
                all_members: m.dissemination.all_members,
                countries: m
                    .dissemination
                    .countries
                    .iter()
                    .map(|c| c.to_string())
                    .collect(),
                agencies: m
                    .dissemination
                    .agencies
                    .iter()
                    .map(|a| a.to_string())
                    .collect(),
                operations: m.dissemination.operations.iter().cloned().collect(),
            },
            handling_codes: m.handling_codes.iter().map(|c| c.to_string()).collect(),
            evaluation: m.evaluation.map(|e| e.code()),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RecordOut {
    pub id: String,
    pub schema: String,
    pub caption: String,
    pub properties: BTreeMap<String, Vec<String>>,
    pub meta: MetaOut,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
    pub created_by: String,
    pub updated_by: String,
    /// Always `full` here; see HitOut for the other case.
    pub access: String,
    /// Links whose other end you may also read; present when one record is fetched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub links: Option<Vec<LinkOut>>,
}

impl RecordOut {
    pub fn of(r: &StoredRecord) -> Self {
        RecordOut {
            id: r.entity.id.to_string(),
            schema: r.entity.schema.name.to_string(),
            caption: r.caption.clone(),
            properties: r.entity.properties.clone(),
            meta: MetaOut::of(&r.meta),
            version: r.version,
            created_at: iso(r.created_at),
            updated_at: iso(r.updated_at),
            created_by: r.created_by.clone(),
            updated_by: r.updated_by.clone(),
            access: "full".into(),
            links: None,
        }
    }
}

/// A record you may learn exists, but not read: its content stays with the owner.
#[derive(Serialize, ToSchema)]
pub struct HitOut {
    pub id: String,
    pub schema: String,
    pub owner: String,
    /// Always `hit`.
    pub access: String,
}

pub fn record_access_json(a: &RecordAccess) -> serde_json::Value {
    match a {
        RecordAccess::Full { record, links } => {
            let mut out = RecordOut::of(record);
            out.links = Some(links.iter().map(LinkOut::of).collect());
            serde_json::to_value(out).unwrap_or_default()
        }
        RecordAccess::Hit { id, schema, owner } => serde_json::to_value(HitOut {
            id: id.clone(),
            schema: schema.clone(),
            owner: owner.to_string(),
            access: "hit".into(),
        })
        .unwrap_or_default(),
    }
}

#[derive(Serialize, ToSchema)]
pub struct RecordPage {
    pub items: Vec<RecordOut>,
    /// Pass as `before` to get the next page; absent on the last page.
    pub next: Option<i64>,
}

#[derive(Serialize, ToSchema)]
#[allow(dead_code)]
pub struct LinkIn {
    /// seizure_involves, carried_by, owns, uses, member_of, associate_of, relative_of,
    /// holds_document, located_at, part_of_case, linked_to.
    pub kind: String,
    pub source: String,
    pub target: String,
    pub role: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct LinkOut {
    pub id: String,
    pub kind: String,
    pub source: String,
    pub target: String,
    pub role: Option<String>,
    pub owner: String,
    pub created_at: String,
    /// For links listed on a record: the record at the other end.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other: Option<LinkEnd>,
}

#[derive(Serialize, ToSchema)]
pub struct LinkEnd {
    pub id: String,
    pub schema: String,
    pub caption: String,
}

impl LinkOut {
    pub fn plain(l: &pamir_store::Link) -> Self {
        LinkOut {
            id: l.id.clone(),
            kind: l.kind.to_string(),
            source: l.source.clone(),
            target: l.target.clone(),
            role: l.role.clone(),
            owner: l.owner.to_string(),
            created_at: iso(l.created_at),
            other: None,
        }
    }
    pub fn of(v: &LinkView) -> Self {
        let mut out = Self::plain(&v.link);
        out.other = Some(LinkEnd {
            id: v.other_id.clone(),
            schema: v.other_schema.clone(),
            caption: v.other_caption.clone(),
        });
        out
    }
}

#[derive(Serialize, ToSchema)]
pub struct ImportOut {
    /// Non-empty lines (rows) read.
    pub lines: u64,
    pub created: u64,
    pub updated: u64,
}

#[derive(Serialize, ToSchema)]
pub struct AuditEntryOut {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub agency: String,
    pub action: String,
    pub target: String,
    pub outcome: String,
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
    pub hash: String,
}

impl AuditEntryOut {
    pub fn of(e: &pamir_domain::audit::AuditEntry) -> Self {
        AuditEntryOut {
            seq: e.seq,
            at: iso(e.at),
            actor: e.actor.clone(),
            agency: e.agency.clone(),
            action: e.action.clone(),
            target: e.target.clone(),
            outcome: e.outcome.clone(),
            details: serde_json::from_str(&e.details).unwrap_or(serde_json::Value::Null),
            hash: e.hash.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditEntryOut>,
    /// Pass as `before` for older entries.
    pub next: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct VerifyOut {
    pub intact: bool,
    pub entries: Option<u64>,
    /// The first entry where the chain breaks.
    pub broken_at: Option<i64>,
    pub reason: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[allow(dead_code)]
pub struct TokenIn {
    pub label: String,
    /// Lifetime in days (default from configuration).
    #[schema(minimum = 1, maximum = 3650)]
    pub days: Option<u32>,
}

#[derive(Serialize, ToSchema)]
pub struct TokenOut {
    pub id: String,
    pub kind: String,
    pub label: String,
    pub created_at: String,
    pub expires_at: Option<String>,
    pub revoked: bool,
    /// The secret: shown only in the answer that creates it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

impl TokenOut {
    pub fn of(s: &Session, token: Option<String>) -> Self {
        TokenOut {
            id: s.id.clone(),
            kind: s.kind.as_str().into(),
            label: s.label.clone(),
            created_at: iso(s.created_at),
            expires_at: s.expires_at.map(iso),
            revoked: s.revoked_at.is_some(),
            token,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct UserOut {
    pub username: String,
    pub display_name: String,
    pub agency: String,
    pub roles: Vec<String>,
    pub clearance: String,
    pub disabled: bool,
    pub locked: bool,
    pub totp_enrolled: bool,
    pub language: Option<String>,
}

impl UserOut {
    pub fn of(u: &Account, now: i64) -> Self {
        UserOut {
            username: u.username.to_string(),
            display_name: u.display_name.clone(),
            agency: u.agency.to_string(),
            roles: u.roles.iter().map(|r| r.to_string()).collect(),
            clearance: u.clearance.to_string(),
            disabled: u.disabled,
            locked: u.locked_until.is_some_and(|t| t > now),
            totp_enrolled: u.totp_enrolled,
            language: u.language.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[allow(dead_code)]
pub struct UserIn {
    pub username: String,
    pub display_name: String,
    pub agency: String,
    pub roles: Vec<String>,
    pub clearance: String,
    pub password: String,
    pub language: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[allow(dead_code)]
pub struct UserPatch {
    pub display_name: Option<String>,
    pub roles: Option<Vec<String>>,
    pub clearance: Option<String>,
    pub language: Option<String>,
    pub disabled: Option<bool>,
    /// Sets a new password, unlocks the account and ends its sessions.
    pub password: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TotpOut {
    /// Base32 secret for the authenticator app; shown once.
    pub secret: String,
    pub uri: String,
}

#[derive(Serialize, ToSchema)]
pub struct AgencyOut {
    pub code: String,
    pub country: String,
    pub kind: String,
    /// Its name in each language it has one in, by language code; English always.
    pub names: BTreeMap<String, String>,
    /// The English name (`names.en`).
    pub name_en: String,
    /// The Russian name (`names.ru`, else the English one).
    pub name_ru: String,
}

impl AgencyOut {
    pub fn of(a: &Agency) -> Self {
        AgencyOut {
            code: a.code.to_string(),
            country: a.country.to_string(),
            kind: a.kind.to_string(),
            names: a.names.as_map().clone(),
            name_en: a.name(Lang::EN).into(),
            name_ru: a.name(Lang::RU).into(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CountryOut {
    pub code: String,
    /// Its name in each language it has one in, by language code; English always.
    pub names: BTreeMap<String, String>,
    /// The English name (`names.en`).
    pub name_en: String,
    /// The Russian name (`names.ru`, else the English one).
    pub name_ru: String,
    /// member, observer or centre.
    pub status: String,
}

impl CountryOut {
    pub fn of(c: &Country) -> Self {
        CountryOut {
            code: c.code.to_string(),
            names: c.names.as_map().clone(),
            name_en: c.name(Lang::EN).into(),
            name_ru: c.name(Lang::RU).into(),
            status: c.status.as_str().into(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SchemaOut {
    pub name: String,
    /// The label in every language of the catalogue, by language code.
    pub labels: BTreeMap<String, String>,
    /// The English label (`labels.en`), kept for clients written before `labels`.
    pub label_en: String,
    /// The Russian label (`labels.ru`), kept for clients written before `labels`.
    pub label_ru: String,
    /// Each entry lists alternatives of which one is required.
    pub required: Vec<Vec<String>>,
    pub properties: Vec<PropertyOut>,
    pub pamir_extension: bool,
}

#[derive(Serialize, ToSchema)]
pub struct PropertyOut {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    /// The label in every language of the catalogue, by language code.
    pub labels: BTreeMap<String, String>,
    /// The English label (`labels.en`), kept for clients written before `labels`.
    pub label_en: String,
    /// The Russian label (`labels.ru`), kept for clients written before `labels`.
    pub label_ru: String,
    /// For enumerated properties, the allowed values.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<String>>,
}

#[derive(Serialize, ToSchema)]
pub struct Health {
    pub status: String,
    pub database: String,
}
