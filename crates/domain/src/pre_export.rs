//! Pre-export notifications (as PEN Online): before a precursor chemical is shipped, the
//! exporting country's authority tells the importing country's, which answers by a deadline —
//! acknowledged, no objection, objection with its reason, or a request for information. Who may
//! read a notification (`may_read`): users of the two countries, and the centre's analysts and
//! coordinators, each cleared for it. Who may act (`side`): the exporting country sends, gives
//! information asked for and withdraws; the importing country answers. The deadline is a number
//! of working days after the day it was sent (`due_on`); an answer after it, or none by then, is
//! late (`timeliness`), shown to both sides. Pure.

use std::{fmt, str::FromStr};

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde_json::Value;

use crate::{
    access::Subject,
    country::{CountryCode, CountryStatus},
    error::{Reason, ValidationErrors},
    identity::{str_enum, Role},
    operation::{many_lines, one_line, take, text_field},
    substance::parsed_list,
    Classification,
};

str_enum! {
    /// How the consignment travels.
    TransportMode ("transport mode") {
        Road = "road",
        Rail = "rail",
        Air = "air",
        Sea = "sea",
        River = "river",
        Postal = "postal",
        Other = "other",
    }
}

str_enum! {
    /// The unit a quantity is given in.
    Unit ("unit") {
        Kg = "kg",
        Litre = "l",
    }
}

str_enum! {
    /// A step in a notification's life after it was sent: the importer's answers, the
    /// exporter's information given on request, the exporter's withdrawal.
    StepKind ("notification step") {
        Acknowledged = "acknowledged",
        NoObjection = "no_objection",
        Objection = "objection",
        InformationRequested = "information_requested",
        InformationGiven = "information_given",
        Withdrawn = "withdrawn",
    }
}

impl StepKind {
    /// The importing country's final answers: nothing is answered after one.
    pub fn is_final(self) -> bool {
        matches!(self, StepKind::NoObjection | StepKind::Objection)
    }

    /// Answers that stop the reply clock (an acknowledgement only says it arrived).
    pub fn is_reply(self) -> bool {
        matches!(
            self,
            StepKind::NoObjection | StepKind::Objection | StepKind::InformationRequested
        )
    }

    /// Which side takes this step.
    pub fn side(self) -> Side {
        match self {
            StepKind::InformationGiven | StepKind::Withdrawn => Side::Exporter,
            _ => Side::Importer,
        }
    }

    /// Steps that must say why or what: an objection's reason, the information asked for or
    /// given, a withdrawal's reason.
    pub fn needs_text(self) -> bool {
        !matches!(self, StepKind::Acknowledged | StepKind::NoObjection)
    }

    pub fn label_key(self) -> String {
        format!("pen-step-{}", self.as_str())
    }
}

/// The side a user stands on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Exporter,
    Importer,
}

/// Who may read a notification, as its events carry it (codes only).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NotificationScope {
    pub exporter: CountryCode,
    pub importer: CountryCode,
    pub classification: Classification,
}

/// Whether `subject` may read a notification of `scope`: an active user who reads records,
/// cleared for it, of the exporting or the importing country, or an analyst or coordinator of
/// the centre.
pub fn may_read(subject: &Subject, scope: &NotificationScope) -> bool {
    if !subject.reads_records() || subject.clearance < scope.classification {
        return false;
    }
    let party = subject.country == scope.exporter || subject.country == scope.importer;
    let centre = subject.country_status == CountryStatus::Centre
        && (subject.has(Role::Analyst) || subject.has(Role::Coordinator));
    party || centre
}

/// The side `subject` may act on for a notification of `scope`: an active user who writes
/// records, cleared for it, of one of the two countries.
pub fn side(subject: &Subject, scope: &NotificationScope) -> Option<Side> {
    let writes = subject.active && subject.roles.iter().any(|r| r.writes_records());
    if !writes || subject.clearance < scope.classification {
        return None;
    }
    if subject.country == scope.exporter {
        Some(Side::Exporter)
    } else if subject.country == scope.importer {
        Some(Side::Importer)
    } else {
        None
    }
}

/// Whether `subject` may send a notification from its own country.
pub fn may_send(subject: &Subject, exporter: CountryCode) -> Result<(), Reason> {
    let writes = subject.active && subject.roles.iter().any(|r| r.writes_records());
    if !writes {
        return Err(Reason::coded("pen-not-sender", &[]));
    }
    if subject.country != exporter {
        return Err(Reason::coded(
            "pen-other-exporter",
            &[("country", &exporter)],
        ));
    }
    Ok(())
}

/// Whether `kind`, taken by `side`, may follow `previous` (the steps so far, oldest first).
pub fn check_step(side: Option<Side>, kind: StepKind, previous: &[StepKind]) -> Result<(), Reason> {
    match (side, kind.side()) {
        (Some(Side::Exporter), Side::Exporter) | (Some(Side::Importer), Side::Importer) => {}
        (_, Side::Importer) => return Err(Reason::coded("pen-not-importer", &[])),
        (_, Side::Exporter) => return Err(Reason::coded("pen-not-exporter", &[])),
    }
    if previous.contains(&StepKind::Withdrawn) {
        return Err(Reason::coded("pen-withdrawn", &[]));
    }
    let answered = previous.iter().any(|k| k.is_final());
    match kind {
        StepKind::Withdrawn => Ok(()),
        _ if answered => Err(Reason::coded("pen-answered", &[])),
        StepKind::Acknowledged if !previous.is_empty() => {
            Err(Reason::coded("pen-acknowledged-late", &[]))
        }
        StepKind::InformationGiven if previous.last() != Some(&StepKind::InformationRequested) => {
            Err(Reason::coded("pen-no-request", &[]))
        }
        StepKind::InformationRequested
            if previous.last() == Some(&StepKind::InformationRequested) =>
        {
            Err(Reason::coded("pen-request-open", &[]))
        }
        _ => Ok(()),
    }
}

/// Where a notification stands: `None` (awaiting an answer) or its last step.
pub fn status(previous: &[StepKind]) -> Option<StepKind> {
    previous.last().copied()
}

/// The last day of a reply period of `working_days` (Monday to Friday) after `sent_on`.
pub fn due_on(sent_on: NaiveDate, working_days: u32) -> NaiveDate {
    let mut day = sent_on;
    let mut left = working_days;
    while left > 0 {
        day = day + Days::new(1);
        if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    day
}

/// The default reply period, in working days, of an importing country that set none.
pub const DEFAULT_REPLY_DAYS: u32 = 5;

/// Whether a reply period of `days` working days is allowed.
pub fn check_reply_days(days: i64) -> Result<u32, Reason> {
    match u32::try_from(days) {
        Ok(d @ 1..=60) => Ok(d),
        _ => Err(Reason::coded("pen-reply-days", &[("value", &days)])),
    }
}

/// Whether the importing country replied in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timeliness {
    /// No reply yet and the deadline not passed.
    Awaiting,
    /// Replied by the deadline.
    OnTime,
    /// No reply and the deadline passed `days` days ago.
    Overdue { days: i64 },
    /// Replied `days` days after the deadline.
    Late { days: i64 },
    /// Withdrawn before any reply.
    Withdrawn,
}

impl Timeliness {
    /// Late or overdue: flagged to both sides.
    pub fn is_late(self) -> bool {
        matches!(self, Timeliness::Overdue { .. } | Timeliness::Late { .. })
    }
}

/// How the reply stands against `due`: `steps` are each step's kind and day, oldest first.
pub fn timeliness(due: NaiveDate, steps: &[(StepKind, NaiveDate)], today: NaiveDate) -> Timeliness {
    for (kind, day) in steps {
        if kind.is_reply() {
            return if *day > due {
                Timeliness::Late {
                    days: (*day - due).num_days(),
                }
            } else {
                Timeliness::OnTime
            };
        }
        if *kind == StepKind::Withdrawn {
            return Timeliness::Withdrawn;
        }
    }
    if today > due {
        Timeliness::Overdue {
            days: (today - due).num_days(),
        }
    } else {
        Timeliness::Awaiting
    }
}

/// A notification as the exporting country sends it.
#[derive(Debug, Clone, PartialEq)]
pub struct NotificationDraft {
    pub exporter_country: CountryCode,
    pub importer_country: CountryCode,
    /// The exporting authority's own reference.
    pub reference: String,
    pub exporter: String,
    pub exporter_address: String,
    pub importer: String,
    pub importer_address: String,
    /// The registry substance.
    pub substance: String,
    pub quantity: f64,
    pub unit: Unit,
    /// The substance's share of a mixture, in percent (absent: the pure substance).
    pub mixture_percent: Option<f64>,
    /// Harmonized System code, digits with optional dots (`2914.11`).
    pub customs_code: String,
    pub transport: TransportMode,
    pub transit: Vec<CountryCode>,
    pub route: String,
    pub port_of_exit: String,
    pub port_of_entry: String,
    pub departure_on: NaiveDate,
    pub arrival_on: NaiveDate,
    pub notes: String,
    pub classification: Classification,
}

const FIELDS: &[&str] = &[
    "exporter_country",
    "importer_country",
    "reference",
    "exporter",
    "exporter_address",
    "importer",
    "importer_address",
    "substance",
    "quantity",
    "unit",
    "mixture_percent",
    "customs_code",
    "transport",
    "transit",
    "route",
    "port_of_exit",
    "port_of_entry",
    "departure_on",
    "arrival_on",
    "notes",
    "classification",
];

/// A Harmonized System code: 6 to 10 digits, dots allowed between them.
pub fn customs_code(s: &str) -> Result<String, Reason> {
    let t = s.trim();
    let digits = t.chars().filter(char::is_ascii_digit).count();
    let shape = t.chars().all(|c| c.is_ascii_digit() || c == '.')
        && !t.starts_with('.')
        && !t.ends_with('.')
        && !t.contains("..");
    if shape && (6..=10).contains(&digits) {
        Ok(t.to_string())
    } else {
        Err(Reason::coded("pen-customs-code", &[("value", &t)]))
    }
}

pub(crate) fn number(
    obj: &serde_json::Map<String, Value>,
    field: &str,
    errors: &mut ValidationErrors,
) -> Option<f64> {
    match obj.get(field) {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) if !s.trim().is_empty() => {
            match s.trim().replace(',', ".").parse::<f64>() {
                Ok(n) if n.is_finite() => Some(n),
                _ => {
                    errors.push(
                        field,
                        Reason::coded("pen-not-number", &[("value", &s.trim())]),
                    );
                    None
                }
            }
        }
        Some(Value::String(_)) => None,
        Some(_) => {
            errors.push(field, Reason::coded("pen-not-number", &[("value", &"?")]));
            None
        }
    }
}

fn day(
    obj: &serde_json::Map<String, Value>,
    field: &str,
    errors: &mut ValidationErrors,
) -> Option<NaiveDate> {
    let s = text_field(obj, field, true, errors)?;
    take(
        errors,
        field,
        crate::analysis::calendar_day(&s)
            .ok_or_else(|| Reason::coded("analysis-date-invalid", &[("value", &s)])),
    )
}

impl NotificationDraft {
    /// Parses a notification, naming each bad field.
    pub fn parse(v: &Value) -> Result<NotificationDraft, ValidationErrors> {
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
        let country = |field: &str, errors: &mut ValidationErrors| {
            let s = text_field(obj, field, true, errors)?;
            take(errors, field, CountryCode::parse(&s))
        };
        let exporter_country = country("exporter_country", &mut errors);
        let importer_country = country("importer_country", &mut errors);
        if exporter_country.is_some() && exporter_country == importer_country {
            errors.push("importer_country", Reason::coded("pen-same-country", &[]));
        }
        let line = |field: &str, required: bool, limit: usize, errors: &mut ValidationErrors| {
            let s = text_field(obj, field, required, errors).unwrap_or_default();
            if let Err(r) = one_line(&s, limit) {
                errors.push(field, r);
            }
            s
        };
        let reference = line("reference", false, 60, &mut errors);
        let exporter = line("exporter", true, 200, &mut errors);
        let exporter_address = line("exporter_address", false, 300, &mut errors);
        let importer = line("importer", true, 200, &mut errors);
        let importer_address = line("importer_address", false, 300, &mut errors);
        let substance = line("substance", true, 100, &mut errors);
        let port_of_exit = line("port_of_exit", false, 200, &mut errors);
        let port_of_entry = line("port_of_entry", false, 200, &mut errors);
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
        let mixture_percent = number(obj, "mixture_percent", &mut errors);
        if let Some(p) = mixture_percent {
            if !(p > 0.0 && p <= 100.0) {
                errors.push(
                    "mixture_percent",
                    Reason::coded("pen-percent", &[("value", &p)]),
                );
            }
        }
        let customs = text_field(obj, "customs_code", true, &mut errors)
            .and_then(|s| take(&mut errors, "customs_code", customs_code(&s)));
        let transport = text_field(obj, "transport", true, &mut errors)
            .and_then(|s| take(&mut errors, "transport", s.parse::<TransportMode>()));
        let transit = parsed_list(
            obj.get("transit"),
            "transit",
            &mut errors,
            CountryCode::parse,
        );
        let route = text_field(obj, "route", false, &mut errors).unwrap_or_default();
        if let Err(r) = many_lines(&route, 2000) {
            errors.push("route", r);
        }
        let notes = text_field(obj, "notes", false, &mut errors).unwrap_or_default();
        if let Err(r) = many_lines(&notes, 10_000) {
            errors.push("notes", r);
        }
        let departure_on = day(obj, "departure_on", &mut errors);
        let arrival_on = day(obj, "arrival_on", &mut errors);
        if let (Some(d), Some(a)) = (departure_on, arrival_on) {
            if a < d {
                errors.push(
                    "arrival_on",
                    Reason::coded("pen-arrival-before-departure", &[]),
                );
            }
        }
        let classification = match text_field(obj, "classification", false, &mut errors) {
            None => Some(Classification::Restricted),
            Some(s) => take(&mut errors, "classification", s.parse::<Classification>()),
        };
        match (
            exporter_country,
            importer_country,
            quantity,
            unit,
            customs,
            transport,
            departure_on,
            arrival_on,
            classification,
            errors.is_empty(),
        ) {
            (
                Some(exporter_country),
                Some(importer_country),
                Some(quantity),
                Some(unit),
                Some(customs_code),
                Some(transport),
                Some(departure_on),
                Some(arrival_on),
                Some(classification),
                true,
            ) => Ok(NotificationDraft {
                exporter_country,
                importer_country,
                reference,
                exporter,
                exporter_address,
                importer,
                importer_address,
                substance,
                quantity,
                unit,
                mixture_percent,
                customs_code,
                transport,
                transit,
                route,
                port_of_exit,
                port_of_entry,
                departure_on,
                arrival_on,
                notes,
                classification,
            }),
            _ => Err(errors),
        }
    }

    /// The notification as `parse` reads it: parsing this gives the same draft back.
    pub fn to_json(&self) -> Value {
        let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
        serde_json::json!({
            "exporter_country": self.exporter_country.as_str(),
            "importer_country": self.importer_country.as_str(),
            "reference": self.reference,
            "exporter": self.exporter,
            "exporter_address": self.exporter_address,
            "importer": self.importer,
            "importer_address": self.importer_address,
            "substance": self.substance,
            "quantity": self.quantity,
            "unit": self.unit.as_str(),
            "mixture_percent": self.mixture_percent,
            "customs_code": self.customs_code,
            "transport": self.transport.as_str(),
            "transit": self.transit.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
            "route": self.route,
            "port_of_exit": self.port_of_exit,
            "port_of_entry": self.port_of_entry,
            "departure_on": day(self.departure_on),
            "arrival_on": day(self.arrival_on),
            "notes": self.notes,
            "classification": self.classification.as_str(),
        })
    }

    pub fn scope(&self) -> NotificationScope {
        NotificationScope {
            exporter: self.exporter_country,
            importer: self.importer_country,
            classification: self.classification,
        }
    }
}

/// A step as submitted: `{"kind", "text"}`, the text required where the step needs it.
pub fn parse_step(v: &Value) -> Result<(StepKind, String), ValidationErrors> {
    let mut errors = ValidationErrors::default();
    let Some(obj) = v.as_object() else {
        return Err(ValidationErrors::single(
            "",
            Reason::coded("entity-not-object", &[]),
        ));
    };
    for key in obj
        .keys()
        .filter(|k| !["kind", "text"].contains(&k.as_str()))
    {
        errors.push(key.clone(), Reason::coded("field-unknown", &[]));
    }
    let kind = text_field(obj, "kind", true, &mut errors)
        .and_then(|s| take(&mut errors, "kind", s.parse::<StepKind>()));
    let text = text_field(
        obj,
        "text",
        kind.is_some_and(StepKind::needs_text),
        &mut errors,
    )
    .unwrap_or_default();
    if let Err(r) = many_lines(&text, 4000) {
        errors.push("text", r);
    }
    match (kind, errors.is_empty()) {
        (Some(kind), true) => Ok((kind, text)),
        _ => Err(errors),
    }
}

/// The catalogue keys of the labels of steps (transport modes and units share the seizure
/// form's `transport-*` and `unit-*`).
pub fn label_keys() -> impl Iterator<Item = String> {
    StepKind::ALL.iter().map(|k| k.label_key())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::AgencyCode;
    use serde_json::json;
    use StepKind as K;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn subject(
        agency: &str,
        role: Role,
        standing: CountryStatus,
        clearance: Classification,
    ) -> Subject {
        let agency = AgencyCode::parse(agency).unwrap();
        Subject {
            username: crate::Username::parse("someone").unwrap(),
            country: agency.country(),
            agency,
            country_status: standing,
            roles: [role].into_iter().collect(),
            clearance,
            active: true,
            operations: Default::default(),
        }
    }

    fn good() -> Value {
        json!({"exporter_country": "KZ", "importer_country": "UZ", "exporter": "Chem Export LLP",
            "importer": "Tashkent Pharma", "substance": "sub-1", "quantity": "1200,5", "unit": "kg",
            "mixture_percent": 40, "customs_code": "2914.11", "transport": "road", "transit": ["KG"],
            "departure_on": "2026-12-10", "arrival_on": "2026-12-14"})
    }

    #[test]
    fn a_notification_names_every_field_at_fault() {
        let d = NotificationDraft::parse(&good()).unwrap();
        assert_eq!(d.quantity, 1200.5);
        assert_eq!(d.classification, Classification::Restricted);
        assert_eq!(NotificationDraft::parse(&d.to_json()).unwrap(), d);
        let bad = json!({"exporter_country": "KZ", "importer_country": "KZ", "exporter": "A\u{7}",
            "quantity": -3, "unit": "barrel", "mixture_percent": 140, "customs_code": "29.14",
            "transport": "camel", "transit": ["ZZ"], "departure_on": "2026-12-10",
            "arrival_on": "2026-12-01", "colour": "blue"});
        let e = NotificationDraft::parse(&bad).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        for f in [
            "colour",
            "importer_country",
            "exporter",
            "importer",
            "substance",
            "quantity",
            "unit",
            "mixture_percent",
            "customs_code",
            "transport",
            "transit[0]",
            "arrival_on",
        ] {
            assert!(fields.contains(&f), "{f} not in {e}");
        }
        let e = NotificationDraft::parse(&json!({"quantity": "lots"})).unwrap_err();
        assert!(
            e.0.iter()
                .any(|f| f.field == "quantity" && f.reason.key() == Some("pen-not-number")),
            "{e}"
        );
    }

    #[test]
    fn customs_codes_are_six_to_ten_digits() {
        assert!(customs_code("2914.11").is_ok());
        assert!(customs_code("2939610000").is_ok());
        for bad in ["29141", "2914..11", ".291411", "2914-11", "29141100001"] {
            assert!(customs_code(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_deadline_counts_working_days() {
        // Monday 2026-12-07 + 5 working days = Monday 2026-12-14.
        assert_eq!(due_on(day("2026-12-07"), 5), day("2026-12-14"));
        // Friday + 1 = Monday; Saturday + 5 = Friday.
        assert_eq!(due_on(day("2026-12-11"), 1), day("2026-12-14"));
        assert_eq!(due_on(day("2026-12-12"), 5), day("2026-12-18"));
        assert!(check_reply_days(0).is_err() && check_reply_days(61).is_err());
        assert_eq!(check_reply_days(10), Ok(10));
    }

    #[test]
    fn a_reply_after_the_deadline_is_late_and_none_by_then_overdue() {
        let due = day("2026-12-14");
        let t = |steps: &[(StepKind, &str)], today: &str| {
            let steps: Vec<(StepKind, NaiveDate)> =
                steps.iter().map(|(k, d)| (*k, day(d))).collect();
            timeliness(due, &steps, day(today))
        };
        assert_eq!(t(&[], "2026-12-14"), Timeliness::Awaiting);
        assert_eq!(t(&[], "2026-12-16"), Timeliness::Overdue { days: 2 });
        // An acknowledgement does not stop the clock; a request for information does.
        assert_eq!(
            t(&[(K::Acknowledged, "2026-12-08")], "2026-12-15"),
            Timeliness::Overdue { days: 1 }
        );
        assert_eq!(
            t(
                &[
                    (K::Acknowledged, "2026-12-08"),
                    (K::InformationRequested, "2026-12-14")
                ],
                "2026-12-30"
            ),
            Timeliness::OnTime
        );
        assert_eq!(
            t(&[(K::NoObjection, "2026-12-17")], "2026-12-30"),
            Timeliness::Late { days: 3 }
        );
        assert!(Timeliness::Late { days: 3 }.is_late());
        assert_eq!(
            t(&[(K::Withdrawn, "2026-12-20")], "2026-12-30"),
            Timeliness::Withdrawn
        );
    }

    #[test]
    fn steps_follow_the_rules() {
        let (e, i) = (Some(Side::Exporter), Some(Side::Importer));
        let code = |r: Result<(), Reason>| r.unwrap_err().key().unwrap_or_default().to_string();
        check_step(i, K::Acknowledged, &[]).unwrap();
        check_step(i, K::NoObjection, &[K::Acknowledged]).unwrap();
        assert_eq!(code(check_step(e, K::NoObjection, &[])), "pen-not-importer");
        assert_eq!(
            code(check_step(None, K::Objection, &[])),
            "pen-not-importer"
        );
        assert_eq!(code(check_step(i, K::Withdrawn, &[])), "pen-not-exporter");
        assert_eq!(
            code(check_step(i, K::Objection, &[K::Withdrawn])),
            "pen-withdrawn"
        );
        assert_eq!(
            code(check_step(i, K::Objection, &[K::NoObjection])),
            "pen-answered"
        );
        assert_eq!(
            code(check_step(i, K::Acknowledged, &[K::InformationRequested])),
            "pen-acknowledged-late"
        );
        assert_eq!(
            code(check_step(e, K::InformationGiven, &[])),
            "pen-no-request"
        );
        assert_eq!(
            code(check_step(
                i,
                K::InformationRequested,
                &[K::InformationRequested]
            )),
            "pen-request-open"
        );
        check_step(e, K::InformationGiven, &[K::InformationRequested]).unwrap();
        check_step(
            i,
            K::Objection,
            &[K::InformationRequested, K::InformationGiven],
        )
        .unwrap();
        // The exporter may still withdraw after a final answer (the shipment is called off).
        check_step(e, K::Withdrawn, &[K::NoObjection]).unwrap();
        assert_eq!(
            code(check_step(e, K::Withdrawn, &[K::Withdrawn])),
            "pen-withdrawn"
        );
        assert_eq!(status(&[K::Acknowledged, K::Objection]), Some(K::Objection));
        assert!(parse_step(&json!({"kind": "objection"})).is_err());
        assert_eq!(
            parse_step(&json!({"kind": "no_objection"})).unwrap(),
            (K::NoObjection, String::new())
        );
    }

    #[test]
    fn the_two_countries_and_the_centre_read_others_nothing() {
        use CountryStatus as S;
        let scope = NotificationScope {
            exporter: CountryCode::parse("KZ").unwrap(),
            importer: CountryCode::parse("UZ").unwrap(),
            classification: Classification::Restricted,
        };
        let c = Classification::Confidential;
        let kz = subject("KZ-MVD", Role::Officer, S::Member, c);
        let uz = subject("UZ-NCDC", Role::Officer, S::Member, c);
        assert!(may_read(&kz, &scope) && may_read(&uz, &scope));
        assert_eq!(side(&kz, &scope), Some(Side::Exporter));
        assert_eq!(side(&uz, &scope), Some(Side::Importer));
        assert!(may_read(
            &subject("XC-CARICC", Role::Analyst, S::Centre, c),
            &scope
        ));
        assert_eq!(
            side(&subject("XC-CARICC", Role::Analyst, S::Centre, c), &scope),
            None
        );
        assert!(!may_read(
            &subject("TJ-AKN", Role::Analyst, S::Member, c),
            &scope
        ));
        assert!(!may_read(
            &subject("UZ-NCDC", Role::Auditor, S::Member, c),
            &scope
        ));
        assert!(!may_read(
            &subject(
                "UZ-NCDC",
                Role::Officer,
                S::Member,
                Classification::Unclassified
            ),
            &scope
        ));
        let mut disabled = uz.clone();
        disabled.active = false;
        assert!(!may_read(&disabled, &scope));
        assert_eq!(side(&disabled, &scope), None);
        may_send(&kz, scope.exporter).unwrap();
        assert!(may_send(&uz, scope.exporter).is_err());
    }
}
