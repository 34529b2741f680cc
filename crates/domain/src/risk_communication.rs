//! Risk communications (early warning): an analyst's warning about a substance to the network —
//! what the risk is and what to do — issued, updated as more is known, and retracted when it no
//! longer holds (the retraction is itself pushed). It is read as a detection is (the domain's
//! `detection::may_read` over its `DetectionScope`: the analysts, focal points and coordinators of
//! member countries and the centre, observers where named, each cleared for it). Analysts of
//! member countries and of the centre issue one; the issuing agency's analysts update and
//! retract it. Pure.

use std::{collections::BTreeSet, fmt, str::FromStr};

use serde_json::Value;

use crate::{
    access::Subject,
    country::{CountryCode, CountryStatus},
    detection::DetectionScope,
    error::{Reason, ValidationErrors},
    identity::{str_enum, AgencyCode, Role},
    operation::{many_lines, one_line, take, text_field},
    substance::parsed_list,
    Classification,
};

str_enum! {
    /// How urgent the warning is.
    Severity ("severity") {
        Information = "information",
        Warning = "warning",
        Alert = "alert",
    }
}

impl Severity {
    pub fn label_key(self) -> String {
        format!("risk-severity-{}", self.as_str())
    }
}

/// Whether `subject` may issue a risk communication: an active analyst of a member country or
/// of the centre.
pub fn may_issue(subject: &Subject) -> Result<(), Reason> {
    let place = matches!(
        subject.country_status,
        CountryStatus::Member | CountryStatus::Centre
    );
    if subject.active && subject.has(Role::Analyst) && place {
        Ok(())
    } else {
        Err(Reason::coded("risk-not-analyst", &[]))
    }
}

/// Whether `subject` may update or retract a communication its agency `issuer` issued.
pub fn may_change(subject: &Subject, issuer: &AgencyCode) -> Result<(), Reason> {
    may_issue(subject)?;
    if &subject.agency == issuer {
        Ok(())
    } else {
        Err(Reason::coded("risk-not-issuer", &[("agency", issuer)]))
    }
}

/// A risk communication as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskDraft {
    /// The registry substance it is about.
    pub substance: String,
    pub title: String,
    pub severity: Severity,
    /// The risk: what is known (harms, purity, adulteration, deaths).
    pub risk: String,
    /// What to do: advice to laboratories, services, the public.
    pub advice: String,
    /// Detections it rests on.
    pub detections: Vec<String>,
    pub classification: Classification,
    pub observers: BTreeSet<CountryCode>,
}

const FIELDS: &[&str] = &[
    "substance",
    "title",
    "severity",
    "risk",
    "advice",
    "detections",
    "classification",
    "observers",
];

impl RiskDraft {
    /// Parses a communication, naming each bad field.
    pub fn parse(v: &Value) -> Result<RiskDraft, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let Some(obj) = v.as_object() else {
            return Err(ValidationErrors::single(
                "",
                Reason::coded("entity-not-object", &[]),
            ));
        };
        for key in obj.keys().filter(|k| !FIELDS.contains(&k.as_str())) {
            errors.push(key.clone(), Reason::coded("field-unknown", &[]));
        }
        let substance = text_field(obj, "substance", true, &mut errors).unwrap_or_default();
        if let Err(r) = one_line(&substance, 100) {
            errors.push("substance", r);
        }
        let title = text_field(obj, "title", true, &mut errors).unwrap_or_default();
        if let Err(r) = one_line(&title, 200) {
            errors.push("title", r);
        }
        let severity = text_field(obj, "severity", true, &mut errors)
            .and_then(|s| take(&mut errors, "severity", s.parse::<Severity>()));
        let risk = text_field(obj, "risk", true, &mut errors).unwrap_or_default();
        if let Err(r) = many_lines(&risk, 10_000) {
            errors.push("risk", r);
        }
        let advice = text_field(obj, "advice", false, &mut errors).unwrap_or_default();
        if let Err(r) = many_lines(&advice, 10_000) {
            errors.push("advice", r);
        }
        let detections = parsed_list(obj.get("detections"), "detections", &mut errors, |s| {
            one_line(s, 100).map(|_| s.to_string())
        });
        let classification = match text_field(obj, "classification", false, &mut errors) {
            None => Some(Classification::Restricted),
            Some(s) => take(&mut errors, "classification", s.parse::<Classification>()),
        };
        let observers: BTreeSet<CountryCode> = parsed_list(
            obj.get("observers"),
            "observers",
            &mut errors,
            CountryCode::parse,
        )
        .into_iter()
        .collect();
        match (severity, classification, errors.is_empty()) {
            (Some(severity), Some(classification), true) => Ok(RiskDraft {
                substance,
                title,
                severity,
                risk,
                advice,
                detections,
                classification,
                observers,
            }),
            _ => Err(errors),
        }
    }

    /// The communication as `parse` reads it.
    pub fn to_json(&self) -> Value {
        serde_json::json!({
            "substance": self.substance,
            "title": self.title,
            "severity": self.severity.as_str(),
            "risk": self.risk,
            "advice": self.advice,
            "detections": self.detections,
            "classification": self.classification.as_str(),
            "observers": self.observers.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
        })
    }

    /// Who reads it: as a detection of the issuing agency would be read.
    pub fn scope(&self, issuer: AgencyCode) -> DetectionScope {
        DetectionScope {
            reporter: issuer,
            classification: self.classification,
            observers: self.observers.clone(),
        }
    }
}

/// Checks a retraction's reason: required, at most 4,000 characters.
pub fn retraction_reason(v: &Value) -> Result<String, ValidationErrors> {
    let mut errors = ValidationErrors::default();
    let Some(obj) = v.as_object() else {
        return Err(ValidationErrors::single(
            "",
            Reason::coded("entity-not-object", &[]),
        ));
    };
    for key in obj.keys().filter(|k| k.as_str() != "reason") {
        errors.push(key.clone(), Reason::coded("field-unknown", &[]));
    }
    let reason = text_field(obj, "reason", true, &mut errors).unwrap_or_default();
    if let Err(r) = many_lines(&reason, 4000) {
        errors.push("reason", r);
    }
    errors.into_result(reason)
}

/// The catalogue keys of the labels of severities.
pub fn label_keys() -> impl Iterator<Item = String> {
    Severity::ALL.iter().map(|s| s.label_key())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn subject(agency: &str, role: Role, standing: CountryStatus) -> Subject {
        let agency = AgencyCode::parse(agency).unwrap();
        Subject {
            username: crate::Username::parse("someone").unwrap(),
            country: agency.country(),
            agency,
            country_status: standing,
            roles: [role].into_iter().collect(),
            clearance: Classification::Confidential,
            active: true,
            operations: Default::default(),
        }
    }

    #[test]
    fn a_communication_names_every_field_at_fault() {
        let good = json!({"substance": "sub-1", "title": "Nitazene sold as oxycodone", "severity": "alert",
            "risk": "Two deaths; tablets look like 80 mg oxycodone.", "detections": ["det-1"]});
        let d = RiskDraft::parse(&good).unwrap();
        assert_eq!(RiskDraft::parse(&d.to_json()).unwrap(), d);
        let e = RiskDraft::parse(
            &json!({"title": "a\u{7}b", "severity": "panic", "observers": ["ZZ"], "x": 1}),
        )
        .unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        for f in [
            "x",
            "substance",
            "title",
            "severity",
            "risk",
            "observers[0]",
        ] {
            assert!(fields.contains(&f), "{f} not in {e}");
        }
        assert!(retraction_reason(&json!({})).is_err());
        assert_eq!(
            retraction_reason(&json!({"reason": " wrong lab "})).unwrap(),
            "wrong lab"
        );
    }

    #[test]
    fn member_and_centre_analysts_issue_their_agency_changes() {
        use CountryStatus as S;
        may_issue(&subject("KG-SBNON", Role::Analyst, S::Member)).unwrap();
        may_issue(&subject("XC-CARICC", Role::Analyst, S::Centre)).unwrap();
        assert!(may_issue(&subject("KG-SBNON", Role::Officer, S::Member)).is_err());
        assert!(may_issue(&subject("FR-OFAST", Role::Analyst, S::Observer)).is_err());
        let issuer = AgencyCode::parse("XC-CARICC").unwrap();
        may_change(&subject("XC-CARICC", Role::Analyst, S::Centre), &issuer).unwrap();
        assert!(may_change(&subject("RU-MVD", Role::Analyst, S::Member), &issuer).is_err());
    }
}
