//! The legal side of a controlled delivery: every state the consignment crosses authorises the
//! run under its own law — the authority that decided, the legal basis, its reference and date,
//! whether consent stands or was withdrawn, and an officer on duty to call. A delivery is not
//! authorised, nor let run, while a state on its route has not given consent. Pure.

use std::{collections::BTreeSet, fmt, str::FromStr};

use chrono::NaiveDate;
use serde_json::Value;

use crate::{
    access::Subject,
    country::CountryCode,
    error::{Reason, ValidationErrors},
    identity::str_enum,
    operation::{self, Standing},
};

str_enum! {
    /// Where a state's consent stands.
    Consent ("consent") {
        Given = "given",
        Withdrawn = "withdrawn",
    }
}

impl Consent {
    pub fn label_key(self) -> String {
        format!("consent-{}", self.as_str())
    }
}

/// One state's authorisation, as its officers (or the coordinator) record it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorisationDraft {
    /// The authorising authority (a prosecutor's office, a court, a ministry).
    pub authority: String,
    /// The law and article the run rests on.
    pub legal_basis: String,
    pub reference: String,
    pub date: NaiveDate,
    pub consent: Consent,
    /// An officer on duty to call while the consignment is in that state: name and phone.
    pub duty_contact: String,
}

const SHORT_MAX: usize = 200;

impl AuthorisationDraft {
    /// Parses `{"authority", "legal_basis", "reference", "date": "YYYY-MM-DD", "consent":
    /// "given|withdrawn", "duty_contact"}`, naming each bad field. All are required: an
    /// authorisation nobody can trace back is none.
    pub fn parse(v: &Value) -> Result<AuthorisationDraft, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let Some(obj) = v.as_object() else {
            return Err(ValidationErrors::single(
                "",
                Reason::coded("entity-not-object", &[]),
            ));
        };
        const FIELDS: &[&str] = &[
            "authority",
            "legal_basis",
            "reference",
            "date",
            "consent",
            "duty_contact",
        ];
        for key in obj.keys().filter(|k| !FIELDS.contains(&k.as_str())) {
            errors.push(key.clone(), Reason::coded("field-unknown", &[]));
        }
        let mut required = |field: &str| {
            let s = operation::text_field(obj, field, true, &mut errors).unwrap_or_default();
            if let Err(r) = operation::one_line(&s, SHORT_MAX) {
                errors.push(field, r);
            }
            s
        };
        let authority = required("authority");
        let legal_basis = required("legal_basis");
        let reference = required("reference");
        let date_text = required("date");
        let consent_text = required("consent");
        let duty_contact = required("duty_contact");
        let date = (!date_text.is_empty())
            .then(|| {
                operation::full_date(&date_text)
                    .map_err(|r| errors.push("date", r))
                    .ok()
            })
            .flatten();
        let consent = (!consent_text.is_empty())
            .then(|| {
                consent_text
                    .parse::<Consent>()
                    .map_err(|r| errors.push("consent", r))
                    .ok()
            })
            .flatten();
        match (date, consent) {
            (Some(date), Some(consent)) if errors.is_empty() => Ok(AuthorisationDraft {
                authority,
                legal_basis,
                reference,
                date,
                consent,
                duty_contact,
            }),
            _ => Err(errors),
        }
    }
}

/// Whether `subject` may record `country`'s authorisation: a coordinator, or a user taking
/// part who works with records in that country.
pub fn may_record(subject: &Subject, standing: Standing, country: CountryCode) -> bool {
    standing == Standing::Coordinator
        || (standing.takes_part()
            && subject.country == country
            && subject.roles.iter().any(|r| r.writes_records()))
}

/// The states on the route (`route`, every leg's end countries) without consent given.
pub fn missing_consent(
    route: &BTreeSet<CountryCode>,
    given: &BTreeSet<CountryCode>,
) -> Vec<CountryCode> {
    route.difference(given).copied().collect()
}

/// Why the delivery may not become `authorised` or `in transit` yet: the route's states that
/// have not given consent, named.
pub fn consent_missing(missing: &[CountryCode]) -> Option<Reason> {
    (!missing.is_empty()).then(|| {
        let names: Vec<&str> = missing.iter().map(|c| c.as_str()).collect();
        Reason::coded(
            "delivery-consent-missing",
            &[("countries", &names.join(", "))],
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_field_is_required_and_named() {
        let ok = json!({"authority": "Prosecutor General's Office", "legal_basis": "CPC art. 182",
                        "reference": "PGO-2026/114", "date": "2026-12-01", "consent": "given",
                        "duty_contact": "Maj. Rahimov +992 37 221 0000"});
        let d = AuthorisationDraft::parse(&ok).unwrap();
        assert_eq!(
            (d.consent, d.date.to_string()),
            (Consent::Given, "2026-12-01".into())
        );
        let e = AuthorisationDraft::parse(
            &json!({"authority": "x", "date": "1 Dec", "consent": "maybe", "colour": 1}),
        )
        .unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        for f in [
            "colour",
            "legal_basis",
            "reference",
            "duty_contact",
            "date",
            "consent",
        ] {
            assert!(fields.contains(&f), "{f} in {fields:?}");
        }
    }

    #[test]
    fn the_route_needs_every_state_s_consent() {
        let c = |s: &str| CountryCode::parse(s).unwrap();
        let route: BTreeSet<_> = [c("TJ"), c("UZ"), c("KZ")].into();
        let given: BTreeSet<_> = [c("TJ"), c("KZ"), c("RU")].into();
        assert_eq!(missing_consent(&route, &given), [c("UZ")]);
        assert!(consent_missing(&[]).is_none());
        assert!(consent_missing(&[c("UZ")]).unwrap().as_str().contains("UZ"));
    }
}
