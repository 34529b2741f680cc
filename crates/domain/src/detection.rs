//! Early warning's detections: a laboratory's report that a substance was found — a registry
//! substance, or one not yet identified with its analytical data — where and when, with the
//! seizures it came from. Who reads a detection (`may_read`): its reporting agency, and the
//! analysts, focal points and coordinators of member countries and of the centre (observer
//! countries' only where the report names them), each cleared for its classification. **First
//! detection is computed, not typed** (`firsts`): the earliest confirmed detection of a
//! substance in a country, and in the region. Pure.

use std::{
    collections::{BTreeMap, BTreeSet},
    fmt,
    str::FromStr,
};

use chrono::{Datelike, NaiveDate};
use serde_json::Value;

use crate::{
    access::Subject,
    country::{CountryCode, CountryStatus},
    error::{Reason, ValidationErrors},
    identity::{str_enum, AgencyCode, Role},
    operation::{many_lines, one_line, text_field},
    substance::parsed_list,
    Classification,
};

str_enum! {
    /// An analytical method.
    Method ("analytical method") {
        GcMs = "gc_ms",
        LcMs = "lc_ms",
        Hrms = "hrms",
        Ftir = "ftir",
        Nmr = "nmr",
        Raman = "raman",
        Immunoassay = "immunoassay",
        ColourTest = "colour_test",
        Other = "other",
    }
}

str_enum! {
    /// How sure the laboratory is: only a confirmed detection counts towards a first detection.
    Confidence ("confidence") {
        Confirmed = "confirmed",
        Provisional = "provisional",
    }
}

/// Who may read a detection, as its events carry it (codes only).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DetectionScope {
    pub reporter: AgencyCode,
    pub classification: Classification,
    /// Observer countries the report is disseminated to.
    #[serde(default)]
    pub observers: BTreeSet<CountryCode>,
}

/// Whether `subject` may read a detection of `scope`.
pub fn may_read(subject: &Subject, scope: &DetectionScope) -> bool {
    if !subject.active || subject.clearance < scope.classification {
        return false;
    }
    if subject.agency == scope.reporter && subject.reads_records() {
        return true;
    }
    let role = subject.has(Role::Analyst)
        || subject.has(Role::NationalFocalPoint)
        || subject.has(Role::Coordinator);
    let place = match subject.country_status {
        CountryStatus::Member | CountryStatus::Centre => true,
        CountryStatus::Observer => scope.observers.contains(&subject.country),
    };
    role && place
}

/// Whether `subject` may report a detection in `country`: an active user who writes records, of
/// a member country reporting its own detections, or of the centre.
pub fn may_report(subject: &Subject, country: CountryCode) -> Result<(), Reason> {
    let writes = subject.active && subject.roles.iter().any(|r| r.writes_records());
    let place = match subject.country_status {
        CountryStatus::Centre => true,
        CountryStatus::Member => subject.country == country,
        CountryStatus::Observer => false,
    };
    if !writes {
        return Err(Reason::coded("detection-not-reporter", &[]));
    }
    if !place {
        return Err(Reason::coded(
            "detection-other-country",
            &[("country", &country)],
        ));
    }
    Ok(())
}

/// Whether `subject` may add an assessment note to a detection it reads: an active analyst.
pub fn may_assess(subject: &Subject) -> Result<(), Reason> {
    if subject.active && subject.has(Role::Analyst) {
        Ok(())
    } else {
        Err(Reason::coded("detection-not-analyst", &[]))
    }
}

/// An assessment note as submitted: `{"text"}`, at most 4,000 characters.
pub fn parse_note(v: &Value) -> Result<String, ValidationErrors> {
    let mut errors = ValidationErrors::default();
    let Some(obj) = v.as_object() else {
        return Err(ValidationErrors::single(
            "",
            Reason::coded("entity-not-object", &[]),
        ));
    };
    for key in obj.keys().filter(|k| k.as_str() != "text") {
        errors.push(key.clone(), Reason::coded("field-unknown", &[]));
    }
    let text = text_field(obj, "text", true, &mut errors).unwrap_or_default();
    if let Err(r) = many_lines(&text, 4000) {
        errors.push("text", r);
    }
    errors.into_result(text)
}

/// A detection as reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetectionDraft {
    /// The registry substance, when identified.
    pub substance: Option<String>,
    /// What was found, when not identified (a description of the unknown).
    pub unidentified: String,
    pub methods: BTreeSet<Method>,
    pub laboratory: String,
    pub confidence: Confidence,
    pub country: CountryCode,
    pub place: String,
    pub detected_on: NaiveDate,
    /// Seizure records the samples came from.
    pub seizures: Vec<String>,
    /// Serious adverse events (deaths, intoxications) where known.
    pub adverse_events: String,
    /// The reporting country's notes.
    pub notes: String,
    pub classification: Classification,
    pub observers: BTreeSet<CountryCode>,
}

const FIELDS: &[&str] = &[
    "substance",
    "unidentified",
    "methods",
    "laboratory",
    "confidence",
    "country",
    "place",
    "detected_on",
    "seizures",
    "adverse_events",
    "notes",
    "classification",
    "observers",
];

impl DetectionDraft {
    /// Parses a report, naming each bad field: a registry `substance` id or an `unidentified`
    /// description (one of the two); `methods` (at least one for a confirmed detection);
    /// `detected_on` not after `today`.
    pub fn parse(v: &Value, today: NaiveDate) -> Result<DetectionDraft, ValidationErrors> {
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
        let substance = text_field(obj, "substance", false, &mut errors);
        let unidentified = text_field(obj, "unidentified", false, &mut errors).unwrap_or_default();
        match (&substance, unidentified.is_empty()) {
            (Some(_), false) => errors.push(
                "unidentified",
                Reason::coded("detection-substance-or-unidentified", &[]),
            ),
            (None, true) => errors.push(
                "substance",
                Reason::coded("detection-substance-or-unidentified", &[]),
            ),
            _ => {}
        }
        if let Err(r) = many_lines(&unidentified, 2000) {
            errors.push("unidentified", r);
        }
        let methods: BTreeSet<Method> =
            parsed_list(obj.get("methods"), "methods", &mut errors, str::parse)
                .into_iter()
                .collect();
        let laboratory = text_field(obj, "laboratory", false, &mut errors).unwrap_or_default();
        if let Err(r) = one_line(&laboratory, 200) {
            errors.push("laboratory", r);
        }
        let confidence = text_field(obj, "confidence", true, &mut errors).and_then(|s| {
            s.parse::<Confidence>()
                .map_err(|r| errors.push("confidence", r))
                .ok()
        });
        if confidence == Some(Confidence::Confirmed) && methods.is_empty() {
            errors.push("methods", Reason::coded("detection-method-required", &[]));
        }
        let country = text_field(obj, "country", true, &mut errors).and_then(|s| {
            CountryCode::parse(&s)
                .map_err(|r| errors.push("country", r))
                .ok()
        });
        let place = text_field(obj, "place", false, &mut errors).unwrap_or_default();
        if let Err(r) = one_line(&place, 200) {
            errors.push("place", r);
        }
        let detected_on = text_field(obj, "detected_on", true, &mut errors).and_then(|s| {
            let reason = match crate::analysis::calendar_day(&s) {
                None => Reason::coded("analysis-date-invalid", &[("value", &s)]),
                Some(d) if d > today => Reason::coded("date-in-future", &[("value", &s)]),
                Some(d) if d.year() < 1990 => {
                    Reason::coded("detection-too-early", &[("value", &s)])
                }
                Some(d) => return Some(d),
            };
            errors.push("detected_on", reason);
            None
        });
        let seizures = parsed_list(obj.get("seizures"), "seizures", &mut errors, |s| {
            crate::EntityId::parse(s).map(|id| id.to_string())
        });
        let adverse_events =
            text_field(obj, "adverse_events", false, &mut errors).unwrap_or_default();
        if let Err(r) = many_lines(&adverse_events, 4000) {
            errors.push("adverse_events", r);
        }
        let notes = text_field(obj, "notes", false, &mut errors).unwrap_or_default();
        if let Err(r) = many_lines(&notes, 10_000) {
            errors.push("notes", r);
        }
        let classification = match text_field(obj, "classification", false, &mut errors) {
            None => Some(Classification::Restricted),
            Some(s) => s
                .parse::<Classification>()
                .map_err(|r| errors.push("classification", r))
                .ok(),
        };
        let observers: BTreeSet<CountryCode> = parsed_list(
            obj.get("observers"),
            "observers",
            &mut errors,
            CountryCode::parse,
        )
        .into_iter()
        .collect();
        match (
            confidence,
            country,
            detected_on,
            classification,
            errors.is_empty(),
        ) {
            (Some(confidence), Some(country), Some(detected_on), Some(classification), true) => {
                Ok(DetectionDraft {
                    substance,
                    unidentified,
                    methods,
                    laboratory,
                    confidence,
                    country,
                    place,
                    detected_on,
                    seizures,
                    adverse_events,
                    notes,
                    classification,
                    observers,
                })
            }
            _ => Err(errors),
        }
    }
}

impl DetectionDraft {
    /// The report as `parse` reads it: parsing this gives the same draft back.
    pub fn to_json(&self) -> Value {
        let mut v = serde_json::json!({
            "methods": self.methods.iter().map(|m| m.as_str()).collect::<Vec<_>>(),
            "laboratory": self.laboratory,
            "confidence": self.confidence.as_str(),
            "country": self.country.as_str(),
            "place": self.place,
            "detected_on": self.detected_on.format("%Y-%m-%d").to_string(),
            "seizures": self.seizures,
            "adverse_events": self.adverse_events,
            "notes": self.notes,
            "classification": self.classification.as_str(),
            "observers": self.observers.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
        });
        match &self.substance {
            Some(s) => v["substance"] = Value::String(s.clone()),
            None => v["unidentified"] = Value::String(self.unidentified.clone()),
        }
        v
    }

    pub fn scope(&self, reporter: AgencyCode) -> DetectionScope {
        DetectionScope {
            reporter,
            classification: self.classification,
            observers: self.observers.clone(),
        }
    }
}

/// One detection as `firsts` weighs it: its id, country, date, and whether it is confirmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dated {
    pub id: String,
    pub country: CountryCode,
    pub detected_on: NaiveDate,
    /// When it was reported (breaks a tie of dates: the earlier report counts).
    pub reported_at: i64,
    pub confirmed: bool,
}

/// The first detections among those of one substance: the earliest confirmed one in each
/// country, and the earliest in the region (`None` when none is confirmed).
pub fn firsts(detections: &[Dated]) -> (BTreeSet<String>, Option<String>) {
    let mut by_country: BTreeMap<CountryCode, &Dated> = BTreeMap::new();
    let key = |d: &Dated| (d.detected_on, d.reported_at, d.id.clone());
    let mut region: Option<&Dated> = None;
    for d in detections.iter().filter(|d| d.confirmed) {
        let e = by_country.entry(d.country).or_insert(d);
        if key(d) < key(e) {
            *e = d;
        }
        if region.is_none_or(|r| key(d) < key(r)) {
            region = Some(d);
        }
    }
    (
        by_country.values().map(|d| d.id.clone()).collect(),
        region.map(|d| d.id.clone()),
    )
}

/// How a substance spread: confirmed detections counted by country and month, each country's
/// first detection, and the months from the first detection to the last.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Spread {
    /// `YYYY-MM`, every month from the first to the last detection.
    pub months: Vec<String>,
    /// Countries in the order they first detected it.
    pub countries: Vec<(CountryCode, NaiveDate)>,
    pub counts: BTreeMap<(CountryCode, String), u32>,
}

impl Spread {
    pub fn count(&self, country: CountryCode, month: &str) -> u32 {
        self.counts
            .get(&(country, month.to_string()))
            .copied()
            .unwrap_or(0)
    }
}

/// The spread of one substance over its confirmed detections.
pub fn spread(detections: &[Dated]) -> Spread {
    let confirmed: Vec<&Dated> = detections.iter().filter(|d| d.confirmed).collect();
    let (Some(first), Some(last)) = (
        confirmed.iter().map(|d| d.detected_on).min(),
        confirmed.iter().map(|d| d.detected_on).max(),
    ) else {
        return Spread::default();
    };
    let month = |d: NaiveDate| d.format("%Y-%m").to_string();
    let mut months = Vec::new();
    let mut m = first.with_day(1).unwrap_or(first);
    while m <= last {
        months.push(month(m));
        m = m
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(NaiveDate::MAX);
    }
    let mut firsts: BTreeMap<CountryCode, NaiveDate> = BTreeMap::new();
    let mut counts = BTreeMap::new();
    for d in &confirmed {
        let f = firsts.entry(d.country).or_insert(d.detected_on);
        *f = (*f).min(d.detected_on);
        *counts.entry((d.country, month(d.detected_on))).or_insert(0) += 1;
    }
    let mut countries: Vec<(CountryCode, NaiveDate)> = firsts.into_iter().collect();
    countries.sort_by_key(|(c, d)| (*d, *c));
    Spread {
        months,
        countries,
        counts,
    }
}

/// The catalogue keys of the labels of methods and confidences.
pub fn label_keys() -> impl Iterator<Item = String> {
    Method::ALL
        .iter()
        .map(|m| format!("method-{}", m.as_str()))
        .chain(
            Confidence::ALL
                .iter()
                .map(|c| format!("confidence-{}", c.as_str())),
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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

    #[test]
    fn a_report_names_every_field_at_fault() {
        let today = day("2026-12-07");
        let good = json!({"substance": "sub-1", "methods": ["gc_ms"], "laboratory": "Central forensic lab",
            "confidence": "confirmed", "country": "KG", "detected_on": "2026-11-30"});
        let d = DetectionDraft::parse(&good, today).unwrap();
        assert_eq!(d.classification, Classification::Restricted);
        assert_eq!(DetectionDraft::parse(&d.to_json(), today).unwrap(), d);
        let bad = json!({"substance": "sub-1", "unidentified": "white powder", "methods": ["smell"],
            "confidence": "sure", "country": "QQ", "detected_on": "2026-12-08", "seizures": ["../x"],
            "observers": ["ZZ"], "colour": "white"});
        let e = DetectionDraft::parse(&bad, today).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        for f in [
            "colour",
            "unidentified",
            "methods[0]",
            "confidence",
            "country",
            "detected_on",
            "seizures[0]",
            "observers[0]",
        ] {
            assert!(fields.contains(&f), "{f} not in {e}");
        }
        let e = DetectionDraft::parse(
            &json!({"confidence": "confirmed", "country": "KG", "detected_on": "2026-01-01"}),
            today,
        )
        .unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, vec!["substance", "methods"]);
    }

    #[test]
    fn members_analysts_read_observers_only_where_named() {
        use CountryStatus as S;
        let scope = DetectionScope {
            reporter: AgencyCode::parse("KG-SBNON").unwrap(),
            classification: Classification::Restricted,
            observers: BTreeSet::new(),
        };
        let c = Classification::Confidential;
        assert!(may_read(
            &subject("RU-MVD", Role::Analyst, S::Member, c),
            &scope
        ));
        assert!(may_read(
            &subject("TJ-AKN", Role::NationalFocalPoint, S::Member, c),
            &scope
        ));
        assert!(may_read(
            &subject("KG-SBNON", Role::Officer, S::Member, c),
            &scope
        ));
        assert!(may_read(
            &subject("XC-CARICC", Role::Analyst, S::Centre, c),
            &scope
        ));
        assert!(!may_read(
            &subject("TJ-AKN", Role::Officer, S::Member, c),
            &scope
        ));
        assert!(!may_read(
            &subject("FR-OFAST", Role::Analyst, S::Observer, c),
            &scope
        ));
        assert!(!may_read(
            &subject("XC-CARICC", Role::Auditor, S::Centre, c),
            &scope
        ));
        assert!(!may_read(
            &subject(
                "RU-MVD",
                Role::Analyst,
                S::Member,
                Classification::Unclassified
            ),
            &scope
        ));
        let mut disabled = subject("RU-MVD", Role::Analyst, S::Member, c);
        disabled.active = false;
        assert!(!may_read(&disabled, &scope));
        let named = DetectionScope {
            observers: [CountryCode::parse("FR").unwrap()].into(),
            ..scope
        };
        assert!(may_read(
            &subject("FR-OFAST", Role::Analyst, S::Observer, c),
            &named
        ));
    }

    #[test]
    fn a_country_reports_its_own_detections() {
        use CountryStatus as S;
        let kg = CountryCode::parse("KG").unwrap();
        let c = Classification::Confidential;
        may_report(&subject("KG-SBNON", Role::Officer, S::Member, c), kg).unwrap();
        may_report(&subject("XC-CARICC", Role::Analyst, S::Centre, c), kg).unwrap();
        assert!(may_report(&subject("KZ-MVD", Role::Officer, S::Member, c), kg).is_err());
        assert!(may_report(&subject("FR-OFAST", Role::Analyst, S::Observer, c), kg).is_err());
        assert!(may_report(&subject("KG-SBNON", Role::Auditor, S::Member, c), kg).is_err());
    }

    #[test]
    fn first_detections_are_the_earliest_confirmed() {
        let d = |id: &str, c: &str, on: &str, at: i64, confirmed: bool| Dated {
            id: id.into(),
            country: CountryCode::parse(c).unwrap(),
            detected_on: day(on),
            reported_at: at,
            confirmed,
        };
        let all = [
            d("a", "KG", "2026-03-01", 5, true),
            d("b", "KG", "2026-02-01", 9, false),
            d("c", "KZ", "2026-04-01", 1, true),
            d("d", "KG", "2026-03-01", 2, true),
            d("e", "RU", "2025-12-01", 3, false),
        ];
        let (countries, region) = firsts(&all);
        assert_eq!(
            countries,
            ["c", "d"].iter().map(|s| s.to_string()).collect()
        );
        assert_eq!(region.as_deref(), Some("d"));
        assert_eq!(firsts(&all[4..]), (BTreeSet::new(), None));
    }

    #[test]
    fn a_spread_counts_confirmed_detections_by_country_and_month() {
        let d = |id: &str, c: &str, on: &str, confirmed: bool| Dated {
            id: id.into(),
            country: CountryCode::parse(c).unwrap(),
            detected_on: day(on),
            reported_at: 0,
            confirmed,
        };
        let s = spread(&[
            d("a", "KZ", "2026-01-20", true),
            d("b", "KG", "2026-03-02", true),
            d("c", "KZ", "2026-03-15", true),
            d("d", "UZ", "2025-11-01", false),
        ]);
        assert_eq!(s.months, vec!["2026-01", "2026-02", "2026-03"]);
        let order: Vec<&str> = s.countries.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(order, vec!["KZ", "KG"]);
        assert_eq!(s.count(CountryCode::parse("KZ").unwrap(), "2026-03"), 1);
        assert_eq!(s.count(CountryCode::parse("UZ").unwrap(), "2025-11"), 0);
        assert_eq!(spread(&[]), Spread::default());
    }
}
