//! Seizure statistics: the facts a statistic counts, drawn from a Seizure record, and the
//! question an analyst asks (a period, filters shared by every view, a dimension), checked.
//!
//! Quantities are added within their kind only: mass in kilograms, volume in litres, and
//! counted items (tablets, units) as a count; a seizure in grams adds a thousandth of a
//! kilogram, never a gram to a litre.

use std::collections::BTreeSet;

use chrono::{Datelike, Months, NaiveDate};

use crate::{
    entity::{PartialDate, Properties},
    error::{Reason, ValidationErrors},
    operation,
    schema::{DETECTION_METHODS, SUBSTANCE_GROUPS, TRANSPORT_MODES},
    CountryCode,
};

/// What one Seizure contributes to statistics. Text values are trimmed and lower-cased so that
/// "Heroin" and "heroin " count together; an absent value is the empty string ("not stated").
#[derive(Debug, Clone, PartialEq)]
pub struct SeizureFacts {
    /// `YYYY-MM-DD`; a date given as a month or a year counts on its first day.
    pub day: String,
    pub country: String,
    pub substance: String,
    pub substance_group: String,
    pub kg: f64,
    pub litres: f64,
    pub units: f64,
    pub transport: String,
    pub concealment: String,
    /// The first detection method given.
    pub detection: String,
    pub origin: String,
    pub destination: String,
    /// Transit countries in the order given, space-separated.
    pub transit: String,
}

fn first<'a>(props: &'a Properties, name: &str) -> &'a str {
    props
        .get(name)
        .and_then(|v| v.first())
        .map(|s| s.trim())
        .unwrap_or("")
}

fn folded(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl SeizureFacts {
    /// The facts of a Seizure's properties, or `None` when it lacks a usable date, country or
    /// quantity (records stored before validation was strict, or imported without them).
    pub fn of(props: &Properties) -> Option<SeizureFacts> {
        let day = PartialDate::parse(first(props, "date")).ok()?.earliest()?;
        let country = CountryCode::parse(first(props, "country")).ok()?;
        let quantity: f64 = first(props, "quantity").parse().ok()?;
        if !quantity.is_finite() || quantity < 0.0 {
            return None;
        }
        let (kg, litres, units) = match first(props, "unit") {
            "kg" => (quantity, 0.0, 0.0),
            "g" => (quantity / 1000.0, 0.0, 0.0),
            "l" => (0.0, quantity, 0.0),
            "ml" => (0.0, quantity / 1000.0, 0.0),
            "tablets" | "units" => (0.0, 0.0, quantity),
            _ => return None,
        };
        let code = |name: &str| {
            CountryCode::parse(first(props, name))
                .map(|c| c.as_str().to_string())
                .unwrap_or_default()
        };
        let transit = props
            .get("transitCountries")
            .map(|v| {
                v.iter()
                    .filter_map(|c| CountryCode::parse(c).ok())
                    .map(|c| c.as_str().to_string())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default();
        Some(SeizureFacts {
            day: day.format("%Y-%m-%d").to_string(),
            country: country.as_str().to_string(),
            substance: folded(first(props, "substance")),
            substance_group: first(props, "substanceGroup").to_string(),
            kg,
            litres,
            units,
            transport: first(props, "transportMode").to_string(),
            concealment: folded(first(props, "concealment")),
            detection: first(props, "detectionMethod").to_string(),
            origin: code("originCountry"),
            destination: code("destinationCountry"),
            transit,
        })
    }
}

/// What a statistic groups by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dimension {
    SubstanceGroup,
    Substance,
    Country,
    Month,
    Transport,
    Concealment,
    Detection,
    /// Origin → destination.
    Route,
    /// Origin → each transit country → destination, as reported.
    Path,
}

impl Dimension {
    pub const ALL: [Dimension; 9] = [
        Dimension::SubstanceGroup,
        Dimension::Substance,
        Dimension::Country,
        Dimension::Month,
        Dimension::Transport,
        Dimension::Concealment,
        Dimension::Detection,
        Dimension::Route,
        Dimension::Path,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::SubstanceGroup => "substance_group",
            Dimension::Substance => "substance",
            Dimension::Country => "country",
            Dimension::Month => "month",
            Dimension::Transport => "transport",
            Dimension::Concealment => "concealment",
            Dimension::Detection => "detection",
            Dimension::Route => "route",
            Dimension::Path => "path",
        }
    }
    pub fn parse(s: &str) -> Option<Dimension> {
        Dimension::ALL.into_iter().find(|d| d.as_str() == s)
    }
    /// The catalogue key of its label.
    pub fn label_key(self) -> &'static str {
        match self {
            Dimension::SubstanceGroup => "analysis-by-substance_group",
            Dimension::Substance => "analysis-by-substance",
            Dimension::Country => "analysis-by-country",
            Dimension::Month => "analysis-by-month",
            Dimension::Transport => "analysis-by-transport",
            Dimension::Concealment => "analysis-by-concealment",
            Dimension::Detection => "analysis-by-detection",
            Dimension::Route => "analysis-by-route",
            Dimension::Path => "analysis-by-path",
        }
    }
    /// The key of `facts` under this dimension (route: `ORIGIN>DESTINATION`; path:
    /// `ORIGIN|TRANSIT TRANSIT|DESTINATION`; any part may be empty).
    pub fn key_of(self, f: &SeizureFacts) -> String {
        match self {
            Dimension::SubstanceGroup => f.substance_group.clone(),
            Dimension::Substance => f.substance.clone(),
            Dimension::Country => f.country.clone(),
            Dimension::Month => f.day[..7].to_string(),
            Dimension::Transport => f.transport.clone(),
            Dimension::Concealment => f.concealment.clone(),
            Dimension::Detection => f.detection.clone(),
            Dimension::Route => format!("{}>{}", f.origin, f.destination),
            Dimension::Path => format!("{}|{}|{}", f.origin, f.transit, f.destination),
        }
    }
    /// Whether the values come from a fixed vocabulary (labelled from the catalogue).
    pub fn vocabulary(self) -> Option<&'static crate::schema::Vocabulary> {
        match self {
            Dimension::SubstanceGroup => Some(SUBSTANCE_GROUPS),
            Dimension::Transport => Some(TRANSPORT_MODES),
            Dimension::Detection => Some(DETECTION_METHODS),
            _ => None,
        }
    }
}

/// An inclusive range of days (`YYYY-MM-DD`) or months (`YYYY-MM`), first and last.
pub type DayRange = (String, String);

/// Inclusive days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }
    /// The period of the same length that ends the day before this one starts.
    pub fn previous(&self) -> Period {
        let to = self.from - chrono::Duration::days(1);
        Period {
            from: to - chrono::Duration::days(self.days() - 1),
            to,
        }
    }
    /// The same days a year earlier (29 February falls back to the 28th).
    pub fn year_before(&self) -> Period {
        let back = |d: NaiveDate| d.checked_sub_months(Months::new(12)).unwrap_or(d);
        Period {
            from: back(self.from),
            to: back(self.to),
        }
    }
    /// The first and last day as `YYYY-MM-DD` (how facts store days).
    pub fn bounds(&self) -> (String, String) {
        (
            self.from.format("%Y-%m-%d").to_string(),
            self.to.format("%Y-%m-%d").to_string(),
        )
    }
    pub fn contains(&self, day: &str) -> bool {
        let (f, t) = self.bounds();
        day >= f.as_str() && day <= t.as_str()
    }
    /// The whole calendar months inside the period (first and last `YYYY-MM`, if there is one)
    /// and the days outside them (at most two inclusive day ranges, `YYYY-MM-DD`): what a monthly
    /// aggregate answers, and what is left for the daily facts.
    pub fn split_months(&self) -> (Option<DayRange>, Vec<DayRange>) {
        let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
        let month = |d: NaiveDate| d.format("%Y-%m").to_string();
        let first_of = |d: NaiveDate| NaiveDate::from_ymd_opt(d.year(), d.month(), 1).unwrap_or(d);
        let start = if self.from.day() == 1 {
            Some(self.from)
        } else {
            first_of(self.from).checked_add_months(Months::new(1))
        };
        // The first day after the last whole month.
        let next_of_to = self.to + chrono::Duration::days(1);
        let end = if next_of_to.day() == 1 {
            Some(next_of_to)
        } else {
            Some(first_of(self.to))
        };
        match (start, end) {
            (Some(s), Some(e)) if s < e => {
                let mut edges = Vec::new();
                if self.from < s {
                    edges.push((day(self.from), day(s - chrono::Duration::days(1))));
                }
                if e <= self.to {
                    edges.push((day(e), day(self.to)));
                }
                let last = e - chrono::Duration::days(1);
                (Some((month(s), month(last))), edges)
            }
            _ => (None, vec![self.bounds()]),
        }
    }

    /// The months the period touches, `YYYY-MM`, in order.
    pub fn months(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut m = NaiveDate::from_ymd_opt(self.from.year(), self.from.month(), 1);
        while let Some(d) = m.filter(|d| *d <= self.to) {
            out.push(d.format("%Y-%m").to_string());
            m = d.checked_add_months(Months::new(1));
        }
        out
    }
}

/// The longest period a statistic may cover, in days (twenty years).
pub const MAX_PERIOD_DAYS: i64 = 20 * 366;
/// The most countries or substance groups a filter may name.
pub const MAX_FILTER_VALUES: usize = 60;

/// The filters every analysis view shares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filters {
    pub period: Period,
    /// Seizing countries; empty for all.
    pub countries: BTreeSet<CountryCode>,
    /// Substance groups; empty for all.
    pub groups: BTreeSet<String>,
    /// Only records tagged with this operation.
    pub operation: Option<String>,
}

impl Filters {
    /// Whether `f` falls inside the filters and `period` (the current, previous or year-before one).
    pub fn admits(&self, f: &SeizureFacts, period: &Period) -> bool {
        period.contains(&f.day)
            && (self.countries.is_empty() || self.countries.iter().any(|c| c.as_str() == f.country))
            && (self.groups.is_empty() || self.groups.contains(&f.substance_group))
    }
}

/// Filters as given (query string or form), before checking.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawFilters {
    pub from: Option<String>,
    pub to: Option<String>,
    pub countries: Vec<String>,
    pub groups: Vec<String>,
    pub operation: Option<String>,
}

fn non_empty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// A calendar date written in full, `YYYY-MM-DD`, and nothing else.
pub(crate) fn calendar_day(v: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .ok()
        .filter(|_| v.len() == 10)
}

fn full_date(field: &str, v: &str, errors: &mut ValidationErrors) -> Option<NaiveDate> {
    match calendar_day(v) {
        Some(d) => Some(d),
        None => {
            errors.push(
                field,
                Reason::coded("analysis-date-invalid", &[("value", &format!("{v:?}"))]),
            );
            None
        }
    }
}

impl RawFilters {
    /// Checks the filters; the period defaults to the year up to `today`. Every fault names its
    /// field.
    pub fn check(&self, today: NaiveDate) -> Result<Filters, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let to = match non_empty(&self.to) {
            Some(v) => full_date("to", v, &mut errors),
            None => Some(today),
        };
        let from = match non_empty(&self.from) {
            Some(v) => full_date("from", v, &mut errors),
            None => to.and_then(|t| {
                t.checked_sub_months(Months::new(12))
                    .map(|d| d.succ_opt().unwrap_or(d))
            }),
        };
        let period = match (from, to) {
            (Some(from), Some(to)) if to < from => {
                errors.push(
                    "to",
                    Reason::coded("date-end-before-start", &[("start", &from)]),
                );
                None
            }
            (Some(from), Some(to)) if (to - from).num_days() + 1 > MAX_PERIOD_DAYS => {
                errors.push(
                    "from",
                    Reason::coded("analysis-period-too-long", &[("years", &20)]),
                );
                None
            }
            (Some(from), Some(to)) => Some(Period { from, to }),
            _ => None,
        };
        let mut countries = BTreeSet::new();
        for c in self
            .countries
            .iter()
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
        {
            match CountryCode::parse(c) {
                Ok(code) => {
                    countries.insert(code);
                }
                Err(e) => errors.push("country", e),
            }
        }
        let mut groups = BTreeSet::new();
        for g in self
            .groups
            .iter()
            .map(|g| g.trim())
            .filter(|g| !g.is_empty())
        {
            if SUBSTANCE_GROUPS.contains(g) {
                groups.insert(g.to_string());
            } else {
                errors.push(
                    "group",
                    Reason::coded(
                        "value-not-one-of",
                        &[
                            ("value", &format!("{g:?}")),
                            (
                                "allowed",
                                &SUBSTANCE_GROUPS.codes().collect::<Vec<_>>().join(", "),
                            ),
                        ],
                    ),
                );
            }
        }
        if countries.len() > MAX_FILTER_VALUES {
            errors.push(
                "country",
                Reason::coded("analysis-too-many-values", &[("max", &MAX_FILTER_VALUES)]),
            );
        }
        let operation = match non_empty(&self.operation) {
            Some(o) => operation::parse_id(o)
                .map_err(|e| errors.push("operation", e))
                .ok(),
            None => None,
        };
        match period {
            Some(period) if errors.is_empty() => Ok(Filters {
                period,
                countries,
                groups,
                operation,
            }),
            _ => Err(errors),
        }
    }
}

/// Parses a dimension named in a request.
pub fn parse_dimension(s: Option<&str>) -> Result<Dimension, ValidationErrors> {
    let s = s
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or("substance_group");
    Dimension::parse(s).ok_or_else(|| {
        ValidationErrors::single(
            "by",
            Reason::coded(
                "value-not-one-of",
                &[
                    ("value", &format!("{s:?}")),
                    ("allowed", &Dimension::ALL.map(Dimension::as_str).join(", ")),
                ],
            ),
        )
    })
}

/// Count and quantities of a set of seizures.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct Tally {
    pub count: i64,
    pub kg: f64,
    pub litres: f64,
    pub units: f64,
}

impl Tally {
    pub fn add(&mut self, f: &SeizureFacts) {
        self.count += 1;
        self.kg += f.kg;
        self.litres += f.litres;
        self.units += f.units;
    }
    pub fn merge(&mut self, o: &Tally) {
        self.count += o.count;
        self.kg += o.kg;
        self.litres += o.litres;
        self.units += o.units;
    }
    /// Change of the count against `base`, in per cent (`None` when the base is zero).
    pub fn change_pct(&self, base: &Tally) -> Option<f64> {
        (base.count != 0).then(|| (self.count - base.count) as f64 * 100.0 / base.count as f64)
    }
}

/// One group of a statistic: its key and its tallies in the period, the previous period and the
/// same period a year before. For the month dimension, `previous` is empty and `year_before`
/// is the same month a year earlier.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StatRow {
    pub key: String,
    pub current: Tally,
    pub previous: Tally,
    pub year_before: Tally,
}

/// The countries of a path key in order (origin, transits, destination), the unstated left out
/// and a country repeated at once kept once.
pub fn path_stops(key: &str) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for c in key.split(['|', ' ']).filter(|c| !c.is_empty()) {
        if out.last() != Some(&c) {
            out.push(c);
        }
    }
    out
}

/// Seizures along one leg of the reported routes (from one country to the next), in the period
/// and the period before: a seizure counts once on every leg of its route.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Flow {
    pub from: String,
    pub to: String,
    pub current: Tally,
    pub previous: Tally,
}

/// The legs of the paths in `rows` (a statistic by [`Dimension::Path`]), strongest first.
pub fn flows(rows: &[StatRow]) -> Vec<Flow> {
    use std::collections::BTreeMap;
    let mut legs: BTreeMap<(String, String), (Tally, Tally)> = BTreeMap::new();
    for r in rows {
        let stops = path_stops(&r.key);
        // A route that comes back through a country still counts once per distinct leg.
        let mut seen = BTreeSet::new();
        for w in stops.windows(2) {
            if seen.insert((w[0], w[1])) {
                let e = legs
                    .entry((w[0].to_string(), w[1].to_string()))
                    .or_default();
                e.0.merge(&r.current);
                e.1.merge(&r.previous);
            }
        }
    }
    let mut out: Vec<Flow> = legs
        .into_iter()
        .filter(|(_, (c, p))| c.count > 0 || p.count > 0)
        .map(|((from, to), (current, previous))| Flow {
            from,
            to,
            current,
            previous,
        })
        .collect();
    out.sort_by(|a, b| {
        b.current
            .count
            .cmp(&a.current.count)
            .then(b.current.kg.total_cmp(&a.current.kg))
            .then(b.previous.count.cmp(&a.previous.count))
            .then((&a.from, &a.to).cmp(&(&b.from, &b.to)))
    });
    out
}

/// The month twelve months before `YYYY-MM`.
pub fn month_a_year_before(month: &str) -> Option<String> {
    let d = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").ok()?;
    Some(
        d.checked_sub_months(Months::new(12))?
            .format("%Y-%m")
            .to_string(),
    )
}

/// The statistic computed directly from facts: the reference every faster path must equal.
/// Rows with a zero current count are kept when an earlier period has seizures under the key
/// (their change shows as a fall), except for months, which list the period's months only.
pub fn tally(facts: &[&SeizureFacts], filters: &Filters, by: Dimension) -> Vec<StatRow> {
    use std::collections::BTreeMap;
    let periods = [
        filters.period,
        filters.period.previous(),
        filters.period.year_before(),
    ];
    let mut rows: BTreeMap<String, [Tally; 3]> = BTreeMap::new();
    for f in facts {
        for (i, p) in periods.iter().enumerate() {
            if filters.admits(f, p) {
                rows.entry(by.key_of(f)).or_default()[i].add(f);
            }
        }
    }
    finish(rows, filters, by).rows
}

/// A statistic's rows and its totals over every seizure counted in each period (for months,
/// the whole periods compared, not only the months listed).
#[derive(Debug, Clone, PartialEq)]
pub struct Tallied {
    pub rows: Vec<StatRow>,
    pub total: StatRow,
}

/// Shapes per-key tallies of the three periods into rows and totals (shared by [`tally`] and
/// the store's query, so that both order and complete rows alike).
pub fn finish(
    rows: std::collections::BTreeMap<String, [Tally; 3]>,
    filters: &Filters,
    by: Dimension,
) -> Tallied {
    let mut total = StatRow {
        key: String::new(),
        current: Tally::default(),
        previous: Tally::default(),
        year_before: Tally::default(),
    };
    for [current, previous, year_before] in rows.values() {
        total.current.merge(current);
        total.previous.merge(previous);
        total.year_before.merge(year_before);
    }
    let mut out: Vec<StatRow> = if by == Dimension::Month {
        filters
            .period
            .months()
            .into_iter()
            .map(|m| {
                let current = rows.get(&m).map(|t| t[0]).unwrap_or_default();
                let year_before = month_a_year_before(&m)
                    .and_then(|y| rows.get(&y))
                    .map(|t| t[2])
                    .unwrap_or_default();
                StatRow {
                    key: m,
                    current,
                    previous: Tally::default(),
                    year_before,
                }
            })
            .collect()
    } else {
        rows.into_iter()
            .map(|(key, [current, previous, year_before])| StatRow {
                key,
                current,
                previous,
                year_before,
            })
            .collect()
    };
    if by != Dimension::Month {
        // Largest first by count, then by mass; ties by key so that the order is stable.
        out.sort_by(|a, b| {
            b.current
                .count
                .cmp(&a.current.count)
                .then(b.current.kg.total_cmp(&a.current.kg))
                .then(b.previous.count.cmp(&a.previous.count))
                .then(a.key.cmp(&b.key))
        });
    }
    Tallied { rows: out, total }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn props(pairs: &[(&str, &str)]) -> Properties {
        let mut p = Properties::new();
        for (k, v) in pairs {
            p.entry(k.to_string()).or_default().push(v.to_string());
        }
        p
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn facts_normalise_units_text_and_dates() {
        let f = SeizureFacts::of(&props(&[
            ("date", "2026-03"),
            ("country", "kz"),
            ("substance", "  Героин  Afghan "),
            ("quantity", "2500"),
            ("unit", "g"),
            ("originCountry", "AF"),
            ("transitCountries", "TJ"),
            ("transitCountries", "UZ"),
            ("destinationCountry", "RU"),
        ]))
        .unwrap();
        assert_eq!(f.day, "2026-03-01");
        assert_eq!(f.country, "KZ");
        assert_eq!(f.substance, "героин afghan");
        assert_eq!((f.kg, f.litres, f.units), (2.5, 0.0, 0.0));
        assert_eq!(f.transit, "TJ UZ");
        assert_eq!(Dimension::Route.key_of(&f), "AF>RU");
        let ml = SeizureFacts::of(&props(&[
            ("date", "2026-03-02"),
            ("country", "KG"),
            ("quantity", "500"),
            ("unit", "ml"),
        ]))
        .unwrap();
        assert_eq!((ml.kg, ml.litres), (0.0, 0.5));
        assert!(SeizureFacts::of(&props(&[
            ("date", "2026"),
            ("country", "KG"),
            ("quantity", "1")
        ]))
        .is_none());
    }

    #[test]
    fn periods_compare_with_the_one_before_and_a_year_before() {
        let p = Period {
            from: d("2026-03-01"),
            to: d("2026-03-31"),
        };
        assert_eq!(
            p.previous(),
            Period {
                from: d("2026-01-29"),
                to: d("2026-02-28")
            }
        );
        assert_eq!(
            p.year_before(),
            Period {
                from: d("2025-03-01"),
                to: d("2025-03-31")
            }
        );
        let leap = Period {
            from: d("2028-02-29"),
            to: d("2028-02-29"),
        };
        assert_eq!(leap.year_before().from, d("2027-02-28"));
        assert_eq!(p.months(), vec!["2026-03"]);
        let y = Period {
            from: d("2025-12-15"),
            to: d("2026-02-01"),
        };
        assert_eq!(y.months(), vec!["2025-12", "2026-01", "2026-02"]);
    }

    #[test]
    fn filters_name_the_field_at_fault() {
        let today = d("2026-12-07");
        let ok = RawFilters::default().check(today).unwrap();
        assert_eq!(
            ok.period,
            Period {
                from: d("2025-12-08"),
                to: today
            }
        );
        let bad = RawFilters {
            from: Some("2026-05-01".into()),
            to: Some("2026-04-01".into()),
            countries: vec!["XX".into()],
            groups: vec!["chocolate".into()],
            operation: Some("Reflex".into()),
        }
        .check(today)
        .unwrap_err();
        let fields: Vec<&str> = bad.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["to", "country", "group", "operation"]);
        let e = RawFilters {
            from: Some("2026-13-01".into()),
            ..Default::default()
        }
        .check(today)
        .unwrap_err();
        assert_eq!(e.0[0].field, "from");
        let long = RawFilters {
            from: Some("1990-01-01".into()),
            ..Default::default()
        }
        .check(today)
        .unwrap_err();
        assert_eq!(long.0[0].reason.key(), Some("analysis-period-too-long"));
        assert!(parse_dimension(Some("colour")).is_err());
        assert_eq!(parse_dimension(None).unwrap(), Dimension::SubstanceGroup);
    }

    #[test]
    fn periods_split_into_whole_months_and_edge_days() {
        let p = |a: &str, b: &str| Period {
            from: d(a),
            to: d(b),
        };
        let s = |v: &[(&str, &str)]| {
            v.iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            p("2025-12-08", "2026-12-07").split_months(),
            (
                Some(("2026-01".into(), "2026-11".into())),
                s(&[("2025-12-08", "2025-12-31"), ("2026-12-01", "2026-12-07")])
            )
        );
        assert_eq!(
            p("2026-01-01", "2026-03-31").split_months(),
            (Some(("2026-01".into(), "2026-03".into())), vec![])
        );
        assert_eq!(
            p("2026-03-05", "2026-03-20").split_months(),
            (None, s(&[("2026-03-05", "2026-03-20")]))
        );
        assert_eq!(
            p("2026-02-10", "2026-03-05").split_months(),
            (None, s(&[("2026-02-10", "2026-03-05")]))
        );
        assert_eq!(
            p("2026-02-01", "2026-03-05").split_months(),
            (
                Some(("2026-02".into(), "2026-02".into())),
                s(&[("2026-03-01", "2026-03-05")])
            )
        );
        assert_eq!(
            p("2028-02-10", "2028-02-29").split_months(),
            (None, s(&[("2028-02-10", "2028-02-29")]))
        );
    }

    #[test]
    fn flows_count_each_leg_of_each_route_once() {
        let row = |key: &str, now: i64, before: i64| StatRow {
            key: key.into(),
            current: Tally {
                count: now,
                kg: now as f64,
                ..Default::default()
            },
            previous: Tally {
                count: before,
                ..Default::default()
            },
            year_before: Tally::default(),
        };
        assert_eq!(path_stops("AF|TJ UZ|RU"), ["AF", "TJ", "UZ", "RU"]);
        assert_eq!(path_stops("|TJ|TJ"), ["TJ"]);
        let f = flows(&[
            row("AF|TJ UZ|RU", 3, 1),
            row("AF|TJ|KZ", 2, 0),
            row("AF|TJ AF TJ|KZ", 1, 0),
            row("|KZ|", 5, 5),
            row("IR||AZ", 0, 4),
        ]);
        let legs: Vec<(&str, &str, i64, i64)> = f
            .iter()
            .map(|f| {
                (
                    f.from.as_str(),
                    f.to.as_str(),
                    f.current.count,
                    f.previous.count,
                )
            })
            .collect();
        assert_eq!(
            legs,
            [
                ("AF", "TJ", 6, 1),
                ("TJ", "UZ", 3, 1),
                ("UZ", "RU", 3, 1),
                ("TJ", "KZ", 3, 0),
                ("TJ", "AF", 1, 0),
                ("IR", "AZ", 0, 4),
            ]
        );
    }

    #[test]
    fn tally_counts_each_period_and_lists_every_month() {
        let mk = |day: &str, c: &str, q: &str| {
            SeizureFacts::of(&props(&[
                ("date", day),
                ("country", c),
                ("quantity", q),
                ("unit", "kg"),
            ]))
            .unwrap()
        };
        let facts = [
            mk("2026-03-05", "KZ", "1"),
            mk("2026-03-20", "KG", "2"),
            mk("2025-03-07", "KZ", "4"),
            mk("2026-02-10", "KZ", "8"),
        ];
        let refs: Vec<&SeizureFacts> = facts.iter().collect();
        let filters = Filters {
            period: Period {
                from: d("2026-03-01"),
                to: d("2026-03-31"),
            },
            countries: BTreeSet::new(),
            groups: BTreeSet::new(),
            operation: None,
        };
        let rows = tally(&refs, &filters, Dimension::Country);
        // Equal counts: the larger mass first.
        assert_eq!(rows[0].key, "KG");
        let kz = &rows[1];
        assert_eq!(kz.key, "KZ");
        assert_eq!(
            (kz.current.count, kz.previous.count, kz.year_before.count),
            (1, 1, 1)
        );
        assert_eq!(kz.year_before.kg, 4.0);
        let months = tally(&refs, &filters, Dimension::Month);
        assert_eq!(months.len(), 1);
        assert_eq!(
            (months[0].current.count, months[0].year_before.count),
            (2, 1)
        );
    }
}
