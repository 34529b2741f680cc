//! Records' content: FollowTheMoney entities (`{"id", "schema", "properties": {name: [values]}}`),
//! parsed and validated at the edge so that the database of record never holds what it must not.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde_json::{Map, Value};

use crate::{
    country::CountryCode,
    error::{Reason, ValidationErrors},
    schema::{self, PropDef, PropType, Schema},
    text,
};

/// Property values by property name, as FollowTheMoney stores them.
pub type Properties = BTreeMap<String, Vec<String>>;

const MAX_VALUES: usize = 200;
const MAX_SHORT: usize = 1_000;
const MAX_TEXT: usize = 100_000;

/// A record id: 1–128 of letters, digits, `.`, `_`, `:`, `-`, starting with a letter or digit.
/// FtM ids from other systems are kept; Pamir makes UUIDs for new records.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EntityId(String);

impl EntityId {
    pub fn parse(s: &str) -> Result<Self, Reason> {
        let ok = (1..=128).contains(&s.len())
            && s.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._:-".contains(&b));
        if ok {
            Ok(Self(s.to_string()))
        } else {
            Err(Reason::coded(
                "id-invalid",
                &[("value", &format!("{:?}", truncate(s, 60)))],
            ))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for EntityId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    pub id: EntityId,
    pub schema: &'static Schema,
    pub properties: Properties,
}

impl Entity {
    /// The FtM JSON form.
    pub fn to_json(&self) -> Value {
        serde_json::json!({"id": self.id.as_str(), "schema": self.schema.name, "properties": self.properties})
    }

    pub fn first(&self, prop: &str) -> Option<&str> {
        self.properties
            .get(prop)
            .and_then(|v| v.first())
            .map(String::as_str)
    }

    /// A short human name for the record, e.g. a person's name or `12.5 kg heroin`.
    pub fn caption(&self) -> String {
        caption(self.schema, &self.properties)
    }

    /// Folded search tokens of every textual value, space-separated, Cyrillic also in Latin.
    pub fn search_text(&self) -> String {
        search_text(self.schema, &self.properties)
    }
}

pub fn caption(schema: &Schema, props: &Properties) -> String {
    let first = |p: &str| props.get(p).and_then(|v| v.first()).map(String::as_str);
    if schema.name == "Seizure" {
        let mut parts = Vec::new();
        if let (Some(q), Some(u)) = (first("quantity"), first("unit")) {
            parts.push(format!("{q} {u}"));
        }
        if let Some(s) = first("substance") {
            parts.push(s.to_string());
        }
        if let Some(p) = first("place") {
            parts.push(format!("— {p}"));
        }
        if !parts.is_empty() {
            return parts.join(" ");
        }
    }
    if schema.name == "Person" && first("name").is_none() {
        let parts: Vec<&str> = ["firstName", "fatherName", "lastName"]
            .iter()
            .filter_map(|p| first(p))
            .collect();
        if !parts.is_empty() {
            return parts.join(" ");
        }
    }
    schema
        .caption
        .iter()
        .find_map(|p| first(p))
        .map(str::to_string)
        .unwrap_or_else(|| schema.label(crate::schema::Lang::EN).to_string())
}

/// Bound on the index row: very long descriptions add little to finding a record.
const MAX_SEARCH_TEXT: usize = 8_000;

pub fn search_text(schema: &Schema, props: &Properties) -> String {
    let mut out = String::with_capacity(128);
    // Hashes of the tokens already written; a collision only drops a duplicate-looking token.
    let mut seen: Vec<u64> = Vec::with_capacity(32);
    let mut push = |t: &str, out: &mut String| {
        let h = fnv1a(t);
        if seen.contains(&h) || out.len() + t.len() + 1 > MAX_SEARCH_TEXT {
            return;
        }
        seen.push(h);
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(t);
    };
    for (name, values) in props {
        let Some(def) = schema.prop(name) else {
            continue;
        };
        let compacted = def.ty == PropType::Identifier;
        if !matches!(
            def.ty,
            PropType::Name
                | PropType::String
                | PropType::Text
                | PropType::Identifier
                | PropType::Phone
                | PropType::Email
                | PropType::Address
        ) {
            continue;
        }
        for v in values {
            if def.ty == PropType::Phone {
                for t in text::phone_tokens(v) {
                    push(&t, &mut out);
                }
                continue;
            }
            text::for_each_token(v, |t| push(t, &mut out));
            if compacted {
                if let Some(c) = text::compact(v) {
                    push(&c, &mut out);
                }
            }
        }
    }
    out
}

fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n).collect();
        t.push('…');
        t
    }
}

/// Parses and validates the `properties` object of a record of `schema`. `today` bounds dates of
/// past events. Every problem is reported with its field, e.g. `properties.birthDate[0]`.
pub fn parse_properties(
    schema: &'static Schema,
    value: &Value,
    today: NaiveDate,
) -> Result<Properties, ValidationErrors> {
    let mut errors = ValidationErrors::default();
    let empty = Map::new();
    let obj = match value {
        Value::Object(o) => o,
        Value::Null => &empty,
        _ => {
            return Err(ValidationErrors::single(
                "properties",
                Reason::coded("properties-not-object", &[]),
            ))
        }
    };
    let mut props = Properties::new();
    let mut faulty = std::collections::BTreeSet::new();
    for (name, raw) in obj {
        // Field names are built only when something is wrong: imports validate millions of values.
        let field = || format!("properties.{name}");
        let Some(def) = schema.prop(name) else {
            errors.push(
                field(),
                Reason::coded("property-unknown", &[("schema", &schema.name)]),
            );
            continue;
        };
        let raw_values: Vec<&Value> = match raw {
            Value::Array(items) => items.iter().collect(),
            Value::Null => continue,
            other => vec![other],
        };
        if raw_values.len() > MAX_VALUES {
            errors.push(
                field(),
                Reason::coded(
                    "property-too-many-values",
                    &[("count", &raw_values.len()), ("limit", &MAX_VALUES)],
                ),
            );
            continue;
        }
        let mut values = Vec::with_capacity(raw_values.len());
        for (i, v) in raw_values.into_iter().enumerate() {
            let f = || format!("properties.{name}[{i}]");
            let s = match (v, def.ty) {
                (Value::String(s), _) => s.clone(),
                (Value::Number(n), PropType::Number) => n.to_string(),
                _ => {
                    errors.push(
                        f(),
                        Reason::coded("property-not-string", &[("type", &def.ty.name())]),
                    );
                    faulty.insert(def.name);
                    continue;
                }
            };
            match clean_value(def, &s, today) {
                Ok(Some(clean)) => {
                    if !values.contains(&clean) {
                        values.push(clean)
                    }
                }
                Ok(None) => {}
                Err(reason) => {
                    errors.push(f(), reason);
                    faulty.insert(def.name);
                }
            }
        }
        if def.single && values.len() > 1 {
            errors.push(
                field(),
                Reason::coded("property-single", &[("count", &values.len())]),
            );
            faulty.insert(def.name);
            continue;
        }
        if !values.is_empty() {
            props.insert(name.clone(), values);
        }
    }
    for alternatives in schema.required {
        // A property whose values were refused is already reported; "required" would repeat it.
        if !alternatives
            .iter()
            .any(|p| props.contains_key(*p) || faulty.contains(p))
        {
            let field = format!("properties.{}", alternatives.join("|"));
            let reason = if alternatives.len() == 1 {
                Reason::coded("property-required", &[("schema", &schema.name)])
            } else {
                Reason::coded(
                    "property-one-required",
                    &[
                        ("alternatives", &alternatives.join(", ")),
                        ("schema", &schema.name),
                    ],
                )
            };
            errors.push(field, reason);
        }
    }
    cross_checks(&props, &mut errors);
    errors.into_result(props)
}

/// Checks and normalises one value; `Ok(None)` for a value that is empty after trimming.
fn clean_value(def: &PropDef, raw: &str, today: NaiveDate) -> Result<Option<String>, Reason> {
    let v = raw.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let limit = if matches!(def.ty, PropType::Text) {
        MAX_TEXT
    } else {
        MAX_SHORT
    };
    let len = v.chars().count();
    if len > limit {
        return Err(Reason::coded(
            "value-too-long",
            &[("length", &len), ("limit", &limit)],
        ));
    }
    let allow_newlines = matches!(def.ty, PropType::Text | PropType::Address);
    if v.chars()
        .any(|c| c.is_control() && !(allow_newlines && (c == '\n' || c == '\r' || c == '\t')))
    {
        return Err(Reason::coded("value-control-characters", &[]));
    }
    let clean = match def.ty {
        PropType::Name
        | PropType::String
        | PropType::Text
        | PropType::Address
        | PropType::Identifier => v.to_string(),
        PropType::Country => CountryCode::parse(v)?.lower(),
        PropType::Date => check_date(v, def.past_only, today)?,
        PropType::Number => check_number(v, def)?,
        PropType::Phone => check_phone(v)?,
        PropType::Email => check_email(v)?,
        PropType::Url => check_url(v)?,
        PropType::Entity => EntityId::parse(v)?.0,
        PropType::Gender | PropType::Enum(_) => check_enum(def, v)?,
    };
    Ok(Some(clean))
}

fn check_enum(def: &PropDef, v: &str) -> Result<String, Reason> {
    let values = match def.ty {
        PropType::Enum(vocabulary) => vocabulary.values,
        _ => &[],
    };
    let lower = v.to_lowercase();
    values
        .iter()
        .find(|(value, _)| *value == lower)
        .map(|(value, _)| value.to_string())
        .ok_or_else(|| {
            let names: Vec<&str> = values.iter().map(|(v, _)| *v).collect();
            Reason::coded(
                "value-not-one-of",
                &[("value", &format!("{v:?}")), ("allowed", &names.join(", "))],
            )
        })
}

/// A parsed, possibly partial date: year, then month and day when given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u32>,
    pub day: Option<u32>,
}

impl PartialDate {
    /// Parses `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, optionally followed by `THH:MM[:SS][.fff][Z|±HH:MM]`.
    pub fn parse(v: &str) -> Result<Self, Reason> {
        let quoted = format!("{v:?}");
        let bad = || Reason::coded("date-invalid", &[("value", &quoted)]);
        let (date, time) = match v.split_once(['T', ' ']) {
            Some((d, t)) => (d, Some(t)),
            None => (v, None),
        };
        let parts: Vec<&str> = date.split('-').collect();
        let num = |s: &str, n: usize| -> Result<u32, Reason> {
            if s.len() == n && s.bytes().all(|b| b.is_ascii_digit()) {
                s.parse().map_err(|_| bad())
            } else {
                Err(bad())
            }
        };
        let pd = match parts.as_slice() {
            [y] => PartialDate {
                year: num(y, 4)? as i32,
                month: None,
                day: None,
            },
            [y, m] => PartialDate {
                year: num(y, 4)? as i32,
                month: Some(num(m, 2)?),
                day: None,
            },
            [y, m, d] => PartialDate {
                year: num(y, 4)? as i32,
                month: Some(num(m, 2)?),
                day: Some(num(d, 2)?),
            },
            _ => return Err(bad()),
        };
        if let Some(m) = pd.month {
            if !(1..=12).contains(&m) {
                return Err(Reason::coded(
                    "date-no-such-month",
                    &[("value", &quoted), ("month", &m)],
                ));
            }
        }
        if let (Some(m), Some(d)) = (pd.month, pd.day) {
            if NaiveDate::from_ymd_opt(pd.year, m, d).is_none() {
                return Err(Reason::coded("date-not-calendar", &[("value", &quoted)]));
            }
        }
        if let Some(t) = time {
            if pd.day.is_none() || !valid_time(t) {
                return Err(Reason::coded("date-time-part", &[("value", &quoted)]));
            }
        }
        Ok(pd)
    }

    /// The earliest day the partial date can denote.
    pub fn earliest(&self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }
}

fn valid_time(t: &str) -> bool {
    let t = t.trim_end_matches('Z');
    let t = match t.find(['+', '-']) {
        Some(i) => &t[..i],
        None => t,
    };
    let t = t.split('.').next().unwrap_or("");
    let parts: Vec<&str> = t.split(':').collect();
    let ok = |s: &str, max: u32| s.len() == 2 && s.parse::<u32>().is_ok_and(|n| n <= max);
    match parts.as_slice() {
        [h, m] => ok(h, 23) && ok(m, 59),
        [h, m, s] => ok(h, 23) && ok(m, 59) && ok(s, 60),
        _ => false,
    }
}

/// `31.12.1985` (or `12.1985`), as Russian-language documents write dates, in ISO form.
fn iso_from_dotted(v: &str) -> Option<String> {
    let parts: Vec<&str> = v.split('.').collect();
    let numeric = parts
        .iter()
        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    match parts.as_slice() {
        [d, m, y] if numeric && d.len() <= 2 && m.len() <= 2 && y.len() == 4 => {
            Some(format!("{y}-{m:0>2}-{d:0>2}"))
        }
        [m, y] if numeric && m.len() <= 2 && y.len() == 4 => Some(format!("{y}-{m:0>2}")),
        _ => None,
    }
}

fn check_date(v: &str, past_only: bool, today: NaiveDate) -> Result<String, Reason> {
    let dotted = iso_from_dotted(v);
    let v = dotted.as_deref().unwrap_or(v);
    let pd = PartialDate::parse(v)?;
    let quoted = format!("{v:?}");
    if pd.year < 1800 {
        return Err(Reason::coded("date-before-1800", &[("value", &quoted)]));
    }
    if pd.year > today.year() + 100 {
        return Err(Reason::coded("date-century-ahead", &[("value", &quoted)]));
    }
    if past_only && pd.earliest().is_some_and(|d| d > today) {
        return Err(Reason::coded("date-in-future", &[("value", &quoted)]));
    }
    Ok(v.to_string())
}

/// Parses a number as people write it and stores it in one canonical form (`12.5`, `1000`).
/// A comma is the decimal separator of Russian-language forms (`12,5`), but `1,000` could be a
/// thousand or one: it is refused rather than guessed. Spaces group thousands (`1 000`).
fn check_number(v: &str, def: &PropDef) -> Result<String, Reason> {
    let compact: String = v
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\u{202f}')
        .collect();
    let quoted = format!("{v:?}");
    let commas = compact.matches(',').count();
    let decimal = if commas == 1 && !compact.contains('.') {
        let (whole, frac) = compact.split_once(',').unwrap_or((&compact, ""));
        if frac.len() == 3 && frac.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Reason::coded("number-ambiguous", &[("value", &quoted)]));
        }
        format!("{whole}.{frac}")
    } else if commas > 0 {
        return Err(Reason::coded("number-grouping", &[("value", &quoted)]));
    } else {
        compact
    };
    let digits_and_point = decimal
        .bytes()
        .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b));
    let n: f64 = match decimal.parse() {
        Ok(n) if digits_and_point && decimal.bytes().any(|b| b.is_ascii_digit()) => n,
        _ => return Err(Reason::coded("number-invalid", &[("value", &quoted)])),
    };
    if !n.is_finite() {
        return Err(Reason::coded("number-not-finite", &[("value", &quoted)]));
    }
    if n < def.min {
        return Err(if def.min == 0.0 {
            Reason::coded("number-negative", &[("value", &v)])
        } else {
            Reason::coded("number-below-min", &[("value", &v), ("min", &def.min)])
        });
    }
    if def.positive && n <= 0.0 {
        return Err(Reason::coded("number-not-positive", &[("value", &v)]));
    }
    if n > def.max {
        return Err(Reason::coded(
            "number-above-max",
            &[("value", &v), ("max", &def.max)],
        ));
    }
    // Rust prints the shortest form that reads back as the same number: 5 for "+5.", 0.5 for ".5".
    Ok(format!("{n}"))
}

fn check_phone(v: &str) -> Result<String, Reason> {
    let digits = v.chars().filter(|c| c.is_ascii_digit()).count();
    let allowed = v
        .chars()
        .all(|c| c.is_ascii_digit() || " +-().".contains(c));
    if !allowed || !(5..=20).contains(&digits) || v.chars().skip(1).any(|c| c == '+') {
        return Err(Reason::coded(
            "phone-invalid",
            &[("value", &format!("{v:?}"))],
        ));
    }
    Ok(v.to_string())
}

fn check_email(v: &str) -> Result<String, Reason> {
    let ok = match v.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
                && !v.chars().any(char::is_whitespace)
        }
        None => false,
    };
    if ok {
        Ok(v.to_string())
    } else {
        Err(Reason::coded(
            "email-invalid",
            &[("value", &format!("{v:?}"))],
        ))
    }
}

fn check_url(v: &str) -> Result<String, Reason> {
    let lower = v.to_ascii_lowercase();
    if (lower.starts_with("http://") || lower.starts_with("https://"))
        && !v.chars().any(char::is_whitespace)
    {
        Ok(v.to_string())
    } else {
        Err(Reason::coded(
            "url-invalid",
            &[("value", &format!("{v:?}"))],
        ))
    }
}

/// Checks between properties: an end before its start is impossible.
fn cross_checks(props: &Properties, errors: &mut ValidationErrors) {
    for (start, end) in [
        ("birthDate", "deathDate"),
        ("openedDate", "closedDate"),
        ("startDate", "endDate"),
        ("incorporationDate", "dissolutionDate"),
        ("openingDate", "closingDate"),
    ] {
        let (Some(s), Some(e)) = (props.get(start), props.get(end)) else {
            continue;
        };
        let earliest_start = s.iter().filter_map(|v| PartialDate::parse(v).ok()).min();
        let latest_end = e.iter().filter_map(|v| PartialDate::parse(v).ok()).max();
        if let (Some(s), Some(e)) = (earliest_start, latest_end) {
            // Compare at the precision both have: 1980 is not after 1980-05.
            let a = (
                s.year,
                s.month.filter(|_| e.month.is_some()),
                s.day.filter(|_| e.day.is_some()),
            );
            let b = (
                e.year,
                e.month.filter(|_| s.month.is_some()),
                e.day.filter(|_| s.day.is_some()),
            );
            if b < a {
                errors.push(
                    format!("properties.{end}"),
                    Reason::coded("date-end-before-start", &[("start", &start)]),
                );
            }
        }
    }
}

/// Parses a whole FtM entity `{"id"?, "schema", "properties"}`; a missing id is left to the caller.
pub fn parse_entity(
    value: &Value,
    today: NaiveDate,
) -> Result<(Option<EntityId>, Entity), ValidationErrors> {
    let mut errors = ValidationErrors::default();
    let Some(obj) = value.as_object() else {
        return Err(ValidationErrors::single(
            "entity",
            Reason::coded("entity-not-object", &[]),
        ));
    };
    let id = match obj.get("id") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => match EntityId::parse(s) {
            Ok(id) => Some(id),
            Err(e) => {
                errors.push("id", e);
                None
            }
        },
        Some(_) => {
            errors.push("id", Reason::coded("field-must-be-string", &[]));
            None
        }
    };
    let schema = match obj.get("schema") {
        Some(Value::String(s)) => match schema::schema(s) {
            Some(schema) => Some(schema),
            None => {
                let names: Vec<&str> = schema::SCHEMATA.iter().map(|s| s.name).collect();
                errors.push(
                    "schema",
                    Reason::coded(
                        "schema-unknown",
                        &[
                            ("value", &format!("{:?}", truncate(s, 40))),
                            ("allowed", &names.join(", ")),
                        ],
                    ),
                );
                None
            }
        },
        None | Some(Value::Null) => {
            errors.push("schema", Reason::coded("field-required", &[]));
            None
        }
        Some(_) => {
            errors.push("schema", Reason::coded("field-must-be-string", &[]));
            None
        }
    };
    let mut props = Properties::new();
    if let Some(schema) = schema {
        match parse_properties(schema, obj.get("properties").unwrap_or(&Value::Null), today) {
            Ok(p) => props = p,
            Err(e) => errors.extend(e),
        }
    }
    match (schema, errors.is_empty()) {
        (Some(schema), true) => {
            let placeholder = EntityId(String::from("new"));
            Ok((
                id.clone(),
                Entity {
                    id: id.unwrap_or(placeholder),
                    schema,
                    properties: props,
                },
            ))
        }
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn person(props: Value) -> Result<Properties, ValidationErrors> {
        parse_properties(schema::schema("Person").unwrap(), &props, today())
    }

    #[test]
    fn accepts_a_plain_person_and_normalises_values() {
        let p = person(
            json!({"name": ["Хасанов Шерзод"], "birthDate": "1985-03", "nationality": ["TJ"]}),
        )
        .unwrap();
        assert_eq!(p["nationality"], vec!["tj"]);
        assert_eq!(p["birthDate"], vec!["1985-03"]);
    }

    #[test]
    fn refuses_what_a_database_of_record_must_not_hold() {
        let e = person(json!({
            "name": ["X"], "birthDate": ["2023-02-30", "2030-01-01"], "colour": ["red"],
            "nationality": ["QQ"], "height": ["-3"], "email": ["no-at-sign"], "gender": "m"
        }))
        .unwrap_err();
        let fields: Vec<String> = e.0.iter().map(|f| f.field.clone()).collect();
        assert_eq!(
            fields,
            [
                "properties.birthDate[0]",
                "properties.birthDate[1]",
                "properties.colour",
                "properties.email[0]",
                "properties.gender[0]",
                "properties.height[0]",
                "properties.nationality[0]"
            ]
        );
        assert!(e.to_string().contains("not a calendar date"));
        assert!(e.to_string().contains("in the future"));
    }

    #[test]
    fn seizure_needs_its_core_fields_and_no_negative_quantity() {
        let s = schema::schema("Seizure").unwrap();
        let e = parse_properties(
            s,
            &json!({"date": "2024-05-01", "quantity": [-2], "unit": "kg"}),
            today(),
        )
        .unwrap_err();
        let text = e.to_string();
        assert!(
            text.contains("properties.quantity[0]: -2 is negative"),
            "{text}"
        );
        assert!(text.contains("properties.country: is required"), "{text}");
        assert!(text.contains("properties.substance: is required"), "{text}");
        let ok = parse_properties(
            s,
            &json!({"date": "2024-05-01", "country": "tj", "substance": "heroin", "quantity": "12,5", "unit": "KG", "purity": 61}),
            today(),
        )
        .unwrap();
        assert_eq!(ok["quantity"], vec!["12.5"]);
        assert_eq!(ok["unit"], vec!["kg"]);
        assert_eq!(caption(s, &ok), "12.5 kg heroin");
    }

    #[test]
    fn numbers_are_read_as_people_write_them_and_never_guessed() {
        let s = schema::schema("Seizure").unwrap();
        let seizure = |q: &str| {
            parse_properties(
                s,
                &json!({"date": "2024-05-01", "country": "tj", "substance": "heroin", "quantity": q, "unit": "kg"}),
                today(),
            )
        };
        for (written, stored) in [
            ("12,5", "12.5"),
            ("1 000", "1000"),
            ("+5", "5"),
            (".5", "0.5"),
            ("5.", "5"),
            ("1.000", "1"),
            ("2e3", "2000"),
        ] {
            assert_eq!(
                seizure(written).unwrap()["quantity"],
                vec![stored],
                "{written}"
            );
        }
        for refused in [
            "1,000",
            "1,234,567",
            "0",
            "-1",
            "abc",
            ".",
            "1,5,0",
            "NaN",
            "inf",
        ] {
            assert!(seizure(refused).is_err(), "{refused} accepted");
        }
        assert!(seizure("1,000")
            .unwrap_err()
            .to_string()
            .contains("ambiguous"));
        let two = parse_properties(
            s,
            &json!({"date": "2024-05-01", "country": "tj", "substance": "h", "quantity": ["1", "2"], "unit": "kg"}),
            today(),
        );
        assert_eq!(two.unwrap_err().0[0].field, "properties.quantity");
    }

    #[test]
    fn dotted_dates_become_iso() {
        let p = person(json!({"name": "A", "birthDate": ["31.12.1985", "3.1985"]})).unwrap();
        assert_eq!(p["birthDate"], vec!["1985-12-31", "1985-03"]);
        assert!(person(json!({"name": "A", "birthDate": "31.02.1985"})).is_err());
    }

    #[test]
    fn end_before_start_is_refused_at_common_precision() {
        assert!(
            person(json!({"name": "A", "birthDate": "1980-05-02", "deathDate": "1979"})).is_err()
        );
        assert!(
            person(json!({"name": "A", "birthDate": "1980-05-02", "deathDate": "1980"})).is_ok()
        );
    }

    #[test]
    fn parses_partial_dates_and_times() {
        assert!(PartialDate::parse("2024-02-29").is_ok());
        assert!(PartialDate::parse("2023-02-29").is_err());
        assert!(PartialDate::parse("2024-13").is_err());
        assert!(PartialDate::parse("2024-01-02T10:30:00Z").is_ok());
        assert!(PartialDate::parse("2024-01T10:30").is_err());
        assert!(PartialDate::parse("24-01-02").is_err());
        assert!(PartialDate::parse("2024-1-2").is_err());
    }

    #[test]
    fn parse_entity_reports_unknown_schema_and_bad_id() {
        let e = parse_entity(&json!({"id": "a b", "schema": "Spaceship"}), today()).unwrap_err();
        assert_eq!(e.0.len(), 2);
        let (id, ent) = parse_entity(
            &json!({"schema": "Vehicle", "properties": {"registrationNumber": "01 KG 123 ABC"}}),
            today(),
        )
        .unwrap();
        assert!(id.is_none());
        assert_eq!(ent.caption(), "01 KG 123 ABC");
        assert!(ent.search_text().contains("01kg123abc"));
    }
}
