//! Precursor incidents (as PICS): a seizure, a stopped shipment or an attempted diversion of a
//! precursor chemical — what, how much, how it was done, where it came from, went through and
//! was bound for, the companies involved and the seizures made. It concerns the countries on
//! its way (`IncidentScope::countries`: where it happened, origin, transit, destination), whose
//! users are alerted as it is reported. Who reads an incident (`may_read`): its reporting
//! agency, users of the countries concerned, and the centre's analysts and coordinators — each
//! cleared for it. A suspicious pre-export notification becomes an incident in one action
//! (`from_notification`). Pure.

use std::{collections::BTreeSet, fmt, str::FromStr};

use chrono::{Datelike, NaiveDate};
use serde_json::Value;

use crate::{
    access::Subject,
    country::{CountryCode, CountryStatus},
    error::{Reason, ValidationErrors},
    identity::{str_enum, AgencyCode, Role},
    operation::{many_lines, one_line, take, text_field},
    pre_export::{number, NotificationDraft, Unit},
    substance::parsed_list,
    Classification,
};

str_enum! {
    /// What happened.
    IncidentKind ("incident kind") {
        Seizure = "seizure",
        StoppedShipment = "stopped_shipment",
        DiversionAttempt = "diversion_attempt",
    }
}

impl IncidentKind {
    pub fn label_key(self) -> String {
        format!("incident-kind-{}", self.as_str())
    }
}

/// Who may read an incident, as its events carry it (codes only).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct IncidentScope {
    pub reporter: AgencyCode,
    pub classification: Classification,
    /// The countries concerned: where it happened, origin, transit, destination.
    pub countries: BTreeSet<CountryCode>,
}

/// Whether `subject` may read an incident of `scope`.
pub fn may_read(subject: &Subject, scope: &IncidentScope) -> bool {
    if !subject.reads_records() || subject.clearance < scope.classification {
        return false;
    }
    if subject.agency == scope.reporter || scope.countries.contains(&subject.country) {
        return true;
    }
    subject.country_status == CountryStatus::Centre
        && (subject.has(Role::Analyst) || subject.has(Role::Coordinator))
}

/// Whether `subject` may report an incident in `country`: an active user who writes records,
/// of that country or of the centre.
pub fn may_report(subject: &Subject, country: CountryCode) -> Result<(), Reason> {
    let writes = subject.active && subject.roles.iter().any(|r| r.writes_records());
    if !writes {
        return Err(Reason::coded("incident-not-reporter", &[]));
    }
    if subject.country_status != CountryStatus::Centre && subject.country != country {
        return Err(Reason::coded(
            "incident-other-country",
            &[("country", &country)],
        ));
    }
    Ok(())
}

/// An incident as reported.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentDraft {
    pub kind: IncidentKind,
    /// The registry substance (a precursor or chemical).
    pub substance: String,
    pub quantity: f64,
    pub unit: Unit,
    /// Where it happened.
    pub country: CountryCode,
    pub place: String,
    pub occurred_on: NaiveDate,
    pub origin: Option<CountryCode>,
    pub transit: Vec<CountryCode>,
    pub destination: Option<CountryCode>,
    /// How it was done: concealment, false declarations, front companies.
    pub modus_operandi: String,
    /// Company or organisation records involved.
    pub companies: Vec<String>,
    /// Seizure records made.
    pub seizures: Vec<String>,
    /// The pre-export notification it came from, if any.
    pub notification: Option<String>,
    pub notes: String,
    pub classification: Classification,
}

const FIELDS: &[&str] = &[
    "kind",
    "substance",
    "quantity",
    "unit",
    "country",
    "place",
    "occurred_on",
    "origin",
    "transit",
    "destination",
    "modus_operandi",
    "companies",
    "seizures",
    "notification",
    "notes",
    "classification",
];

impl IncidentDraft {
    /// Parses a report, naming each bad field; `occurred_on` not after `today`.
    pub fn parse(v: &Value, today: NaiveDate) -> Result<IncidentDraft, ValidationErrors> {
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
        let kind = text_field(obj, "kind", true, &mut errors)
            .and_then(|s| take(&mut errors, "kind", s.parse::<IncidentKind>()));
        let substance = text_field(obj, "substance", true, &mut errors).unwrap_or_default();
        if let Err(r) = one_line(&substance, 100) {
            errors.push("substance", r);
        }
        let quantity = number(obj, "quantity", &mut errors);
        match quantity {
            None if !errors.0.iter().any(|e| e.field == "quantity") => {
                errors.push("quantity", Reason::coded("field-required", &[]))
            }
            Some(q) if !(q > 0.0 && q < 1e9) => errors.push(
                "quantity",
                Reason::coded("pen-quantity-invalid", &[("value", &q)]),
            ),
            _ => {}
        }
        let unit = text_field(obj, "unit", true, &mut errors)
            .and_then(|s| take(&mut errors, "unit", s.parse::<Unit>()));
        let country_of = |field: &str, required: bool, errors: &mut ValidationErrors| {
            let s = text_field(obj, field, required, errors)?;
            take(errors, field, CountryCode::parse(&s))
        };
        let country = country_of("country", true, &mut errors);
        let origin = country_of("origin", false, &mut errors);
        let destination = country_of("destination", false, &mut errors);
        let transit = parsed_list(
            obj.get("transit"),
            "transit",
            &mut errors,
            CountryCode::parse,
        );
        let place = text_field(obj, "place", false, &mut errors).unwrap_or_default();
        if let Err(r) = one_line(&place, 200) {
            errors.push("place", r);
        }
        let occurred_on = text_field(obj, "occurred_on", true, &mut errors).and_then(|s| {
            let reason = match crate::analysis::calendar_day(&s) {
                None => Reason::coded("analysis-date-invalid", &[("value", &s)]),
                Some(d) if d > today => Reason::coded("date-in-future", &[("value", &s)]),
                Some(d) if d.year() < 1990 => {
                    Reason::coded("detection-too-early", &[("value", &s)])
                }
                Some(d) => return Some(d),
            };
            errors.push("occurred_on", reason);
            None
        });
        let modus_operandi =
            text_field(obj, "modus_operandi", false, &mut errors).unwrap_or_default();
        if let Err(r) = many_lines(&modus_operandi, 4000) {
            errors.push("modus_operandi", r);
        }
        let record = |s: &str| crate::EntityId::parse(s).map(|id| id.to_string());
        let companies = parsed_list(obj.get("companies"), "companies", &mut errors, record);
        let seizures = parsed_list(obj.get("seizures"), "seizures", &mut errors, record);
        let notification = text_field(obj, "notification", false, &mut errors);
        if let Some(n) = &notification {
            if let Err(r) = one_line(n, 100) {
                errors.push("notification", r);
            }
        }
        let notes = text_field(obj, "notes", false, &mut errors).unwrap_or_default();
        if let Err(r) = many_lines(&notes, 10_000) {
            errors.push("notes", r);
        }
        let classification = match text_field(obj, "classification", false, &mut errors) {
            None => Some(Classification::Restricted),
            Some(s) => take(&mut errors, "classification", s.parse::<Classification>()),
        };
        match (
            kind,
            quantity,
            unit,
            country,
            occurred_on,
            classification,
            errors.is_empty(),
        ) {
            (
                Some(kind),
                Some(quantity),
                Some(unit),
                Some(country),
                Some(occurred_on),
                Some(classification),
                true,
            ) => Ok(IncidentDraft {
                kind,
                substance,
                quantity,
                unit,
                country,
                place,
                occurred_on,
                origin,
                transit,
                destination,
                modus_operandi,
                companies,
                seizures,
                notification,
                notes,
                classification,
            }),
            _ => Err(errors),
        }
    }

    /// The report as `parse` reads it: parsing this gives the same draft back.
    pub fn to_json(&self) -> Value {
        serde_json::json!({
            "kind": self.kind.as_str(),
            "substance": self.substance,
            "quantity": self.quantity,
            "unit": self.unit.as_str(),
            "country": self.country.as_str(),
            "place": self.place,
            "occurred_on": self.occurred_on.format("%Y-%m-%d").to_string(),
            "origin": self.origin.map(|c| c.as_str().to_string()),
            "transit": self.transit.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
            "destination": self.destination.map(|c| c.as_str().to_string()),
            "modus_operandi": self.modus_operandi,
            "companies": self.companies,
            "seizures": self.seizures,
            "notification": self.notification,
            "notes": self.notes,
            "classification": self.classification.as_str(),
        })
    }

    /// The countries concerned: where it happened, origin, transit, destination.
    pub fn countries(&self) -> BTreeSet<CountryCode> {
        std::iter::once(self.country)
            .chain(self.origin)
            .chain(self.transit.iter().copied())
            .chain(self.destination)
            .collect()
    }

    pub fn scope(&self, reporter: AgencyCode) -> IncidentScope {
        IncidentScope {
            reporter,
            classification: self.classification,
            countries: self.countries(),
        }
    }
}

/// The report a suspicious notification becomes: its substance, quantity, route and parties,
/// stopped where the reporting country stands (`country`, one of the two), on `today`; `extra`
/// carries what the reporter adds (`kind`, `modus_operandi`, `notes`, `place`). The firms are
/// named in the notes: they are not (yet) records.
pub fn from_notification(
    id: &str,
    n: &NotificationDraft,
    country: CountryCode,
    today: NaiveDate,
    extra: &Value,
) -> Value {
    let text = |k: &str| {
        extra
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or("")
            .trim()
            .to_string()
    };
    let kind = match text("kind") {
        k if k.is_empty() => IncidentKind::StoppedShipment.as_str().to_string(),
        k => k,
    };
    let mut notes = format!(
        "{} → {}; {} / {}; HS {}",
        n.exporter, n.importer, n.reference, n.transport, n.customs_code
    );
    if !text("notes").is_empty() {
        notes = format!("{}\n\n{notes}", text("notes"));
    }
    serde_json::json!({
        "kind": kind,
        "substance": n.substance,
        "quantity": n.quantity,
        "unit": n.unit.as_str(),
        "country": country.as_str(),
        "place": text("place"),
        "occurred_on": today.format("%Y-%m-%d").to_string(),
        "origin": n.exporter_country.as_str(),
        "transit": n.transit.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
        "destination": n.importer_country.as_str(),
        "modus_operandi": text("modus_operandi"),
        "notification": id,
        "notes": notes,
        "classification": n.classification.as_str(),
    })
}

/// The catalogue keys of the labels of incident kinds.
pub fn label_keys() -> impl Iterator<Item = String> {
    IncidentKind::ALL.iter().map(|k| k.label_key())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

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
    fn a_report_names_every_field_at_fault() {
        let today = day("2026-12-07");
        let good = json!({"kind": "stopped_shipment", "substance": "sub-1", "quantity": 4000, "unit": "kg",
            "country": "KZ", "occurred_on": "2026-12-01", "origin": "CN", "transit": ["KZ"], "destination": "AF",
            "modus_operandi": "Declared as a cleaning agent", "companies": ["kz-mvd:1"]});
        let d = IncidentDraft::parse(&good, today).unwrap();
        assert_eq!(IncidentDraft::parse(&d.to_json(), today).unwrap(), d);
        let countries = d.countries();
        let names: Vec<&str> = countries.iter().map(|c| c.as_str()).collect();
        assert_eq!(names, vec!["AF", "CN", "KZ"]);
        let bad = json!({"kind": "theft", "quantity": "a lot", "unit": "barrel", "country": "QQ",
            "occurred_on": "2026-12-09", "origin": "ZZ", "companies": ["../x"], "size": 3});
        let e = IncidentDraft::parse(&bad, today).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        for f in [
            "size",
            "kind",
            "substance",
            "quantity",
            "unit",
            "country",
            "origin",
            "occurred_on",
            "companies[0]",
        ] {
            assert!(fields.contains(&f), "{f} not in {e}");
        }
    }

    #[test]
    fn the_countries_on_its_way_and_the_centre_read_it() {
        use CountryStatus as S;
        let scope = IncidentScope {
            reporter: AgencyCode::parse("KZ-KGD").unwrap(),
            classification: Classification::Restricted,
            countries: ["KZ", "UZ", "AF"]
                .iter()
                .map(|c| CountryCode::parse(c).unwrap())
                .collect(),
        };
        assert!(may_read(
            &subject("KZ-MVD", Role::Officer, S::Member),
            &scope
        ));
        assert!(may_read(
            &subject("UZ-NCDC", Role::Officer, S::Member),
            &scope
        ));
        assert!(may_read(
            &subject("XC-CARICC", Role::Analyst, S::Centre),
            &scope
        ));
        assert!(!may_read(
            &subject("TJ-AKN", Role::Analyst, S::Member),
            &scope
        ));
        assert!(!may_read(
            &subject("KZ-MVD", Role::Auditor, S::Member),
            &scope
        ));
        let mut low = subject("KZ-MVD", Role::Officer, S::Member);
        low.clearance = Classification::Unclassified;
        assert!(!may_read(&low, &scope));
        let kz = CountryCode::parse("KZ").unwrap();
        may_report(&subject("KZ-MVD", Role::Officer, S::Member), kz).unwrap();
        may_report(&subject("XC-CARICC", Role::Analyst, S::Centre), kz).unwrap();
        assert!(may_report(&subject("UZ-NCDC", Role::Officer, S::Member), kz).is_err());
    }

    #[test]
    fn a_notification_becomes_a_report() {
        let n = NotificationDraft::parse(&json!({"exporter_country": "KZ", "importer_country": "UZ",
            "exporter": "A LLP", "importer": "B JSC", "substance": "sub-1", "quantity": 500, "unit": "l",
            "customs_code": "2915.24", "transport": "rail", "transit": ["KG"],
            "departure_on": "2026-12-10", "arrival_on": "2026-12-12"}))
        .unwrap();
        let today = day("2026-12-07");
        let v = from_notification(
            "pen-1",
            &n,
            CountryCode::parse("UZ").unwrap(),
            today,
            &json!({"modus_operandi": "Consignee unknown at its address"}),
        );
        let d = IncidentDraft::parse(&v, today).unwrap();
        assert_eq!(d.kind, IncidentKind::StoppedShipment);
        assert_eq!(d.notification.as_deref(), Some("pen-1"));
        assert_eq!((d.quantity, d.unit), (500.0, Unit::Litre));
        assert_eq!(d.countries().len(), 3);
        assert!(d.notes.contains("A LLP → B JSC"));
    }
}
