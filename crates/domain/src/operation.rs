//! Joint operations, standing programmes and controlled deliveries: what an operation is, who
//! takes part, and who may see it (DESIGN.md: the participants of an operation are a
//! dissemination scope). Pure: no clock, no storage.
//!
//! An operation is run by its **coordinating agency** (its users with the coordinator role
//! coordinate; its other users are members). It invites **parties** — an agency, or a whole
//! country through its national focal point — which accept or decline; a coordinator may remove
//! a party, which then sees nothing of the operation again. Nobody else learns it exists.

use std::{collections::BTreeSet, fmt, str::FromStr};

use chrono::NaiveDate;
use serde_json::Value;

use crate::{
    access::Subject,
    classification::Classification,
    country::{CountryCode, CountryStatus},
    error::{Reason, ValidationErrors},
    identity::{str_enum, AgencyCode, Role},
};

str_enum! {
    /// What kind of operation it is.
    OperationKind ("operation kind") {
        JointOperation = "joint_operation",
        ControlledDelivery = "controlled_delivery",
        StandingProgramme = "standing_programme",
    }
}

str_enum! {
    /// Which UNODC seizure fields the participants report under the operation.
    SeizureForm ("seizure form") {
        Short = "short",
        Full = "full",
    }
}

str_enum! {
    /// Where a party stands in an operation.
    ParticipantState ("participant state") {
        Invited = "invited",
        Accepted = "accepted",
        Declined = "declined",
        Removed = "removed",
    }
}

impl ParticipantState {
    /// Whether a party in this state may be invited (again).
    pub fn may_be_invited(self) -> bool {
        matches!(self, ParticipantState::Declined | ParticipantState::Removed)
    }
}

impl OperationKind {
    pub fn label_key(self) -> String {
        format!("operation-kind-{}", self.as_str())
    }
}

impl SeizureForm {
    pub fn label_key(self) -> String {
        format!("seizure-form-{}", self.as_str())
    }
}

impl ParticipantState {
    pub fn label_key(self) -> String {
        format!("participant-state-{}", self.as_str())
    }
}

/// The catalogue keys of the operations' vocabularies.
pub fn label_keys() -> impl Iterator<Item = String> {
    let kinds = OperationKind::ALL.iter().map(|k| k.label_key());
    let forms = SeizureForm::ALL.iter().map(|f| f.label_key());
    let states = ParticipantState::ALL.iter().map(|s| s.label_key());
    kinds.chain(forms).chain(states)
}

/// An invited party: one agency, or a whole member country (every agency of it) answered for by
/// its national focal point.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Party {
    Agency(AgencyCode),
    Country(CountryCode),
}

impl Party {
    /// `KZ-MVD` is an agency, `KZ` a country.
    pub fn parse(s: &str) -> Result<Party, Reason> {
        let t = s.trim();
        if t.contains('-') {
            AgencyCode::parse(t).map(Party::Agency)
        } else {
            CountryCode::parse(t).map(Party::Country).map_err(|_| {
                Reason::coded("operation-party-invalid", &[("value", &format!("{s:?}"))])
            })
        }
    }

    pub fn code(&self) -> &str {
        match self {
            Party::Agency(a) => a.as_str(),
            Party::Country(c) => c.as_str(),
        }
    }

    pub fn country(&self) -> CountryCode {
        match self {
            Party::Agency(a) => a.country(),
            Party::Country(c) => *c,
        }
    }

    /// Whether the party includes the subject's agency.
    pub fn includes(&self, subject: &Subject) -> bool {
        match self {
            Party::Agency(a) => *a == subject.agency,
            Party::Country(c) => *c == subject.country,
        }
    }

    /// Whether the subject may accept or decline an invitation of this party: for an agency one
    /// of its users who works with records, for a country its national focal point.
    pub fn answered_by(&self, subject: &Subject) -> bool {
        subject.active
            && match self {
                Party::Agency(a) => {
                    *a == subject.agency && subject.roles.iter().any(|r| r.writes_records())
                }
                Party::Country(c) => *c == subject.country && subject.has(Role::NationalFocalPoint),
            }
    }
}

impl std::fmt::Display for Party {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.code())
    }
}

impl serde::Serialize for Party {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> serde::Deserialize<'de> for Party {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Party::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// Who stands where in one operation: what decides who sees it. Events carry it (codes only),
/// so a consumer decides without reading the operation again.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OperationScope {
    pub coordinator: Option<AgencyCode>,
    /// The classification of the workspace itself (name, description, objectives).
    pub classification: Classification,
    /// Parties that accepted.
    #[serde(default)]
    pub members: BTreeSet<Party>,
    /// Parties invited and not yet answering.
    #[serde(default)]
    pub invited: BTreeSet<Party>,
}

/// How a user stands to an operation they may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// A coordinator of the coordinating agency: invites, removes, assigns.
    Coordinator,
    /// A user of the coordinating agency or of an accepted party.
    Member,
    /// A user who may answer an open invitation; sees the operation's name and period only.
    Invited,
}

impl Standing {
    pub fn takes_part(self) -> bool {
        matches!(self, Standing::Coordinator | Standing::Member)
    }
}

/// How `subject` stands to the operation, or `None`: then it learns nothing of it, not even
/// that it exists. Disabled users, auditors and users cleared below the workspace see nothing.
pub fn standing(subject: &Subject, scope: &OperationScope) -> Option<Standing> {
    if !subject.active || !subject.reads_records() || subject.clearance < scope.classification {
        return None;
    }
    if scope.coordinator.as_ref() == Some(&subject.agency) {
        return Some(if subject.has(Role::Coordinator) {
            Standing::Coordinator
        } else {
            Standing::Member
        });
    }
    if scope.members.iter().any(|p| p.includes(subject)) {
        return Some(Standing::Member);
    }
    if scope.invited.iter().any(|p| p.answered_by(subject)) {
        return Some(Standing::Invited);
    }
    None
}

/// Why a party cannot be invited. The coordinating agency is not a party of its own operation;
/// an observer takes part only agency by agency, never as a whole country.
pub fn check_invitation(
    scope: &OperationScope,
    party: &Party,
    country_status: CountryStatus,
    current: Option<ParticipantState>,
) -> Result<(), Reason> {
    if let Party::Agency(a) = party {
        if scope.coordinator.as_ref() == Some(a) {
            return Err(Reason::coded("operation-party-coordinator", &[]));
        }
    }
    if matches!(party, Party::Country(_)) && country_status == CountryStatus::Observer {
        return Err(Reason::coded(
            "operation-observer-country",
            &[("value", &party.code())],
        ));
    }
    if let Some(state) = current.filter(|s| !s.may_be_invited()) {
        return Err(Reason::coded(
            "operation-party-already",
            &[("value", &party.code()), ("state", &state.as_str())],
        ));
    }
    Ok(())
}

/// A new operation as a coordinator describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationDraft {
    pub code_name: String,
    pub kind: OperationKind,
    pub lead_country: CountryCode,
    pub starts: NaiveDate,
    pub ends: Option<NaiveDate>,
    pub classification: Classification,
    /// The highest classification of anything tagged to the operation.
    pub ceiling: Classification,
    pub description: String,
    pub objectives: String,
    pub seizure_form: SeizureForm,
}

pub const CODE_NAME_MAX: usize = 64;
pub const TEXT_MAX: usize = 10_000;

impl OperationDraft {
    /// Parses `{"code_name", "kind", "lead_country", "starts", "ends", "classification",
    /// "ceiling", "description", "objectives", "seizure_form"}`, naming each bad field. The lead
    /// country defaults to `own_country`, the classification to RESTRICTED, the ceiling to the
    /// classification and the form to the short one.
    pub fn parse(v: &Value, own_country: CountryCode) -> Result<OperationDraft, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let Some(obj) = v.as_object() else {
            return Err(ValidationErrors::single(
                "",
                Reason::coded("entity-not-object", &[]),
            ));
        };
        const FIELDS: &[&str] = &[
            "code_name",
            "kind",
            "lead_country",
            "starts",
            "ends",
            "classification",
            "ceiling",
            "description",
            "objectives",
            "seizure_form",
        ];
        for key in obj.keys().filter(|k| !FIELDS.contains(&k.as_str())) {
            errors.push(key.clone(), Reason::coded("field-unknown", &[]));
        }
        let mut text = |field: &str, required: bool| text_field(obj, field, required, &mut errors);
        let code_name = text("code_name", true);
        let kind = text("kind", true);
        let lead = text("lead_country", false);
        let starts = text("starts", true);
        let ends = text("ends", false);
        let classification = text("classification", false);
        let ceiling = text("ceiling", false);
        let description = text("description", false).unwrap_or_default();
        let objectives = text("objectives", false).unwrap_or_default();
        let form = text("seizure_form", false);

        let mut check = |field: &str, r: Result<(), Reason>| {
            if let Err(r) = r {
                errors.push(field, r);
            }
        };
        if let Some(name) = &code_name {
            check("code_name", one_line(name, CODE_NAME_MAX));
        }
        check("description", many_lines(&description, TEXT_MAX));
        check("objectives", many_lines(&objectives, TEXT_MAX));
        let kind = kind.and_then(|k| take(&mut errors, "kind", k.parse::<OperationKind>()));
        let lead_country = match lead {
            Some(c) => take(&mut errors, "lead_country", CountryCode::parse(&c)),
            None => Some(own_country),
        };
        let starts = starts.and_then(|s| take(&mut errors, "starts", full_date(&s)));
        let ends = match ends {
            Some(e) => take(&mut errors, "ends", full_date(&e)).map(Some),
            None => Some(None),
        };
        let classification = match classification {
            Some(c) => take(&mut errors, "classification", c.parse::<Classification>()),
            None => Some(Classification::Restricted),
        };
        let ceiling = match ceiling {
            Some(c) => take(&mut errors, "ceiling", c.parse::<Classification>()).map(Some),
            None => Some(None),
        };
        let seizure_form = match form {
            Some(f) => take(&mut errors, "seizure_form", f.parse::<SeizureForm>()),
            None => Some(SeizureForm::Short),
        };
        if let (Some(s), Some(Some(e))) = (starts, ends) {
            if e < s {
                errors.push(
                    "ends",
                    Reason::coded("date-end-before-start", &[("start", &s)]),
                );
            }
        }
        if let (Some(c), Some(Some(ceil))) = (classification, ceiling) {
            if ceil < c {
                errors.push(
                    "ceiling",
                    Reason::coded("operation-ceiling-below", &[("classification", &c)]),
                );
            }
        }
        match (
            code_name,
            kind,
            lead_country,
            starts,
            ends,
            classification,
            ceiling,
            seizure_form,
        ) {
            (
                Some(code_name),
                Some(kind),
                Some(lead_country),
                Some(starts),
                Some(ends),
                Some(classification),
                Some(ceiling),
                Some(seizure_form),
            ) if errors.is_empty() => Ok(OperationDraft {
                code_name,
                kind,
                lead_country,
                starts,
                ends,
                classification,
                ceiling: ceiling.unwrap_or(classification),
                description,
                objectives,
                seizure_form,
            }),
            _ => Err(errors),
        }
    }
}

/// A string field of a JSON object, trimmed; `None` when absent, null or blank (noted as missing
/// when `required`), or when not a string (noted).
pub(crate) fn text_field(
    obj: &serde_json::Map<String, Value>,
    field: &str,
    required: bool,
    errors: &mut ValidationErrors,
) -> Option<String> {
    match obj.get(field) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        None | Some(Value::Null) | Some(Value::String(_)) => {
            if required {
                errors.push(field, Reason::coded("field-required", &[]));
            }
            None
        }
        Some(_) => {
            errors.push(field, Reason::coded("field-must-be-string", &[]));
            None
        }
    }
}

/// The value, or `None` with the reason noted against `field`.
pub(crate) fn take<T>(
    errors: &mut ValidationErrors,
    field: &str,
    r: Result<T, Reason>,
) -> Option<T> {
    r.map_err(|reason| errors.push(field, reason)).ok()
}

/// Whether `subject` may open an operation: an active coordinator cleared for its ceiling.
pub fn may_open(subject: &Subject, draft: &OperationDraft) -> Result<(), Reason> {
    if !(subject.active && subject.has(Role::Coordinator)) {
        return Err(Reason::coded("operation-not-coordinator", &[]));
    }
    if subject.clearance < draft.ceiling {
        return Err(Reason::coded("denied-above-clearance", &[]));
    }
    Ok(())
}

/// Why a coordinator may not change an operation as `draft` says: its kind is fixed once
/// opened (a delivery's legs and authorisations belong to it), and its ceiling may not fall
/// below `tagged`, the highest classification of what is already in its scope.
pub fn check_edit(
    kind: OperationKind,
    draft: &OperationDraft,
    tagged: Option<Classification>,
) -> Result<(), ValidationErrors> {
    let mut errors = ValidationErrors::default();
    if draft.kind != kind {
        errors.push(
            "kind",
            Reason::coded("operation-kind-fixed", &[("kind", &kind.as_str())]),
        );
    }
    if let Some(t) = tagged.filter(|t| *t > draft.ceiling) {
        errors.push(
            "ceiling",
            Reason::coded("operation-ceiling-below-tagged", &[("classification", &t)]),
        );
    }
    errors.into_result(())
}

pub(crate) fn one_line(s: &str, limit: usize) -> Result<(), Reason> {
    let len = s.chars().count();
    if len > limit {
        return Err(Reason::coded(
            "value-too-long",
            &[("length", &len), ("limit", &limit)],
        ));
    }
    if s.chars().any(char::is_control) {
        return Err(Reason::coded("value-control-characters", &[]));
    }
    Ok(())
}

pub(crate) fn many_lines(s: &str, limit: usize) -> Result<(), Reason> {
    let len = s.chars().count();
    if len > limit {
        return Err(Reason::coded(
            "value-too-long",
            &[("length", &len), ("limit", &limit)],
        ));
    }
    if s.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(Reason::coded("value-control-characters", &[]));
    }
    Ok(())
}

/// An operation's id as a dissemination scope names it: `op-` then lower-case letters, digits or
/// dashes (at most 80 characters in all).
pub fn parse_id(s: &str) -> Result<String, Reason> {
    let t = s.trim();
    let ok = t.len() <= 80
        && t.strip_prefix("op-").is_some_and(|rest| {
            !rest.is_empty()
                && rest
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        });
    if ok {
        Ok(t.to_string())
    } else {
        let shown: String = s.chars().take(60).collect();
        Err(Reason::coded(
            "operation-id-invalid",
            &[("value", &format!("{shown:?}"))],
        ))
    }
}

/// Whether `subject` may put items in the operation's dissemination scope: only a party taking
/// part in it.
pub fn may_tag(subject: &Subject, scope: &OperationScope) -> bool {
    standing(subject, scope).is_some_and(Standing::takes_part)
}

/// Whether an item of `classification` may be in the scope of operation `id`, whose ceiling is
/// `ceiling` — `None` when the caller may not tag to it or no operation has the id: refused
/// alike, so the answer tells nothing of operations outside the caller's view. Nothing above the
/// ceiling enters an operation's scope.
pub fn check_tag(
    id: &str,
    ceiling: Option<Classification>,
    classification: Classification,
) -> Result<(), Reason> {
    let Some(ceiling) = ceiling else {
        return Err(Reason::coded("operation-tag-not-party", &[("value", &id)]));
    };
    if classification > ceiling {
        return Err(Reason::coded(
            "operation-tag-above-ceiling",
            &[("classification", &classification), ("ceiling", &ceiling)],
        ));
    }
    Ok(())
}

/// A calendar date written `YYYY-MM-DD`.
pub fn full_date(s: &str) -> Result<NaiveDate, Reason> {
    let t = s.trim();
    match NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        Ok(d) if t.len() == 10 => Ok(d),
        _ => Err(Reason::coded(
            "operation-date-full",
            &[("value", &format!("{s:?}"))],
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn subject(agency: &str, roles: &[Role], clearance: Classification) -> Subject {
        let agency = AgencyCode::parse(agency).unwrap();
        Subject {
            username: crate::Username::parse("someone").unwrap(),
            country: agency.country(),
            agency,
            country_status: CountryStatus::Member,
            roles: roles.iter().copied().collect(),
            clearance,
            active: true,
            operations: Default::default(),
        }
    }

    fn scope() -> OperationScope {
        OperationScope {
            coordinator: Some(AgencyCode::parse("XC-CARICC").unwrap()),
            classification: Classification::Confidential,
            members: [Party::parse("TJ-AKN").unwrap(), Party::parse("UZ").unwrap()].into(),
            invited: [Party::parse("KZ-KNB").unwrap(), Party::parse("RU").unwrap()].into(),
        }
    }

    #[test]
    fn an_edit_keeps_the_kind_and_the_ceiling_above_what_is_tagged() {
        use Classification::*;
        let draft = OperationDraft::parse(
            &json!({"code_name": "Reflex", "kind": "standing_programme", "starts": "2026-01-01",
                    "classification": "RESTRICTED", "ceiling": "CONFIDENTIAL"}),
            CountryCode::parse("KZ").unwrap(),
        )
        .unwrap();
        assert!(check_edit(OperationKind::StandingProgramme, &draft, Some(Confidential)).is_ok());
        let e = check_edit(OperationKind::ControlledDelivery, &draft, Some(Secret)).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["kind", "ceiling"]);
    }

    #[test]
    fn only_a_party_tags_and_never_above_the_ceiling() {
        use Classification::*;
        let s = scope();
        assert!(may_tag(&subject("TJ-AKN", &[Role::Officer], Secret), &s));
        // Invited, not yet taking part; cleared below the workspace.
        assert!(!may_tag(&subject("KZ-KNB", &[Role::Officer], Secret), &s));
        assert!(!may_tag(
            &subject("TJ-AKN", &[Role::Officer], Restricted),
            &s
        ));
        assert!(check_tag("op-1", Some(Confidential), Restricted).is_ok());
        let key = |r: Result<(), Reason>| r.unwrap_err().key();
        assert_eq!(
            key(check_tag("op-1", Some(Confidential), Secret)),
            Some("operation-tag-above-ceiling")
        );
        assert_eq!(
            key(check_tag("op-1", None, Restricted)),
            Some("operation-tag-not-party")
        );
        assert_eq!(parse_id(" op-5f3a "), Ok("op-5f3a".to_string()));
        for bad in ["op-", "OP-1", "op-1 2", "x-1", ""] {
            assert!(parse_id(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn who_stands_where() {
        use Classification::*;
        let s = scope();
        let at = |a: &str, roles: &[Role], c| standing(&subject(a, roles, c), &s);
        assert_eq!(
            at("XC-CARICC", &[Role::Coordinator], Secret),
            Some(Standing::Coordinator)
        );
        assert_eq!(
            at("XC-CARICC", &[Role::Analyst], Secret),
            Some(Standing::Member)
        );
        assert_eq!(
            at("TJ-AKN", &[Role::Officer], Confidential),
            Some(Standing::Member)
        );
        // A whole country takes part: every agency of it.
        assert_eq!(
            at("UZ-MVD", &[Role::Officer], Secret),
            Some(Standing::Member)
        );
        // An invited agency's officer may answer; a country's invitation is its focal point's.
        assert_eq!(
            at("KZ-KNB", &[Role::Officer], Secret),
            Some(Standing::Invited)
        );
        assert_eq!(at("RU-MVD", &[Role::Officer], Secret), None);
        assert_eq!(
            at("RU-MVD", &[Role::NationalFocalPoint], Secret),
            Some(Standing::Invited)
        );
        // Nobody else, nobody under-cleared, no auditor, nobody disabled.
        assert_eq!(
            at("KG-MVD", &[Role::Officer, Role::Coordinator], Secret),
            None
        );
        assert_eq!(at("TJ-AKN", &[Role::Officer], Restricted), None);
        assert_eq!(at("XC-CARICC", &[Role::Auditor], Secret), None);
        let mut off = subject("TJ-AKN", &[Role::Officer], Secret);
        off.active = false;
        assert_eq!(standing(&off, &s), None);
    }

    #[test]
    fn invitations_are_checked() {
        let s = scope();
        let member = CountryStatus::Member;
        let coord = Party::parse("XC-CARICC").unwrap();
        assert_eq!(
            check_invitation(&s, &coord, member, None)
                .unwrap_err()
                .key(),
            Some("operation-party-coordinator")
        );
        let fr = Party::parse("FR").unwrap();
        assert_eq!(
            check_invitation(&s, &fr, CountryStatus::Observer, None)
                .unwrap_err()
                .key(),
            Some("operation-observer-country")
        );
        let fr_agency = Party::parse("FR-OFAST").unwrap();
        assert!(check_invitation(&s, &fr_agency, CountryStatus::Observer, None).is_ok());
        let tj = Party::parse("TJ-AKN").unwrap();
        for (state, ok) in [
            (ParticipantState::Invited, false),
            (ParticipantState::Accepted, false),
            (ParticipantState::Declined, true),
            (ParticipantState::Removed, true),
        ] {
            assert_eq!(
                check_invitation(&s, &tj, member, Some(state)).is_ok(),
                ok,
                "{state}"
            );
        }
        assert_eq!(
            Party::parse("K").unwrap_err().key(),
            Some("operation-party-invalid")
        );
    }

    #[test]
    fn drafts_name_each_bad_field() {
        let kz = CountryCode::parse("KZ").unwrap();
        let ok = OperationDraft::parse(
            &json!({"code_name": " Reflex ", "kind": "standing_programme", "starts": "2026-01-01"}),
            kz,
        )
        .unwrap();
        assert_eq!(ok.code_name, "Reflex");
        assert_eq!(ok.lead_country, kz);
        assert_eq!(
            (ok.classification, ok.ceiling),
            (Classification::Restricted, Classification::Restricted)
        );
        assert_eq!(ok.seizure_form, SeizureForm::Short);

        let bad = OperationDraft::parse(
            &json!({"code_name": "a\u{7}", "kind": "raid", "starts": "2026-13-01", "ends": "2025",
                    "classification": "SECRET", "ceiling": "RESTRICTED", "colour": 1,
                    "lead_country": "QQ", "description": 5}),
            kz,
        )
        .unwrap_err();
        let fields: Vec<&str> = bad.0.iter().map(|e| e.field.as_str()).collect();
        for f in [
            "code_name",
            "kind",
            "starts",
            "ends",
            "ceiling",
            "colour",
            "lead_country",
            "description",
        ] {
            assert!(fields.contains(&f), "{f} not named in {fields:?}");
        }
        let order = OperationDraft::parse(
            &json!({"code_name": "X", "kind": "joint_operation", "starts": "2026-05-02", "ends": "2026-05-01"}),
            kz,
        )
        .unwrap_err();
        assert_eq!(order.0[0].field, "ends");
        assert_eq!(
            OperationDraft::parse(&json!({}), kz).unwrap_err().0.len(),
            3,
            "code_name, kind and starts are required"
        );
    }

    #[test]
    fn only_cleared_coordinators_open_operations() {
        let kz = CountryCode::parse("KZ").unwrap();
        let d = OperationDraft::parse(
            &json!({"code_name": "Channel", "kind": "controlled_delivery", "starts": "2026-12-01",
                    "ceiling": "SECRET"}),
            kz,
        )
        .unwrap();
        use Classification::*;
        assert!(may_open(&subject("KZ-MVD", &[Role::Coordinator], Secret), &d).is_ok());
        assert!(may_open(&subject("KZ-MVD", &[Role::Coordinator], Confidential), &d).is_err());
        assert!(may_open(&subject("KZ-MVD", &[Role::Officer], Secret), &d).is_err());
    }
}
