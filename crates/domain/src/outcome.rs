//! Results of an operation: what each participating agency reports (seizures it made, linked
//! as its own Seizure records; arrests; cases opened; assets seized) and the report that adds
//! them up per country and substance. Pure.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::{
    country::CountryCode,
    entity::Entity,
    error::{Reason, ValidationErrors},
};

/// A participant's report of results.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultDraft {
    /// Ids of the reporting agency's own Seizure records.
    pub seizures: Vec<String>,
    pub arrests: u32,
    pub cases_opened: u32,
    pub assets_value: Option<f64>,
    /// ISO 4217 code, e.g. `USD`, `KZT`.
    pub assets_currency: String,
    pub note: String,
}

const NOTE_MAX: usize = 4_000;
const SEIZURES_MAX: usize = 500;

fn count(obj: &serde_json::Map<String, Value>, field: &str, errors: &mut ValidationErrors) -> u32 {
    match obj.get(field) {
        None | Some(Value::Null) => 0,
        Some(v) => match v
            .as_u64()
            .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
        {
            Some(n) if n <= 1_000_000 => n as u32,
            _ => {
                errors.push(
                    field,
                    Reason::coded("result-count-invalid", &[("value", &v.to_string())]),
                );
                0
            }
        },
    }
}

impl ResultDraft {
    /// Parses `{"seizures": [ids] | "id, id", "arrests"?, "cases_opened"?, "assets_value"?,
    /// "assets_currency"?, "note"?}`, naming each bad field.
    pub fn parse(v: &Value) -> Result<ResultDraft, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let Some(obj) = v.as_object() else {
            return Err(ValidationErrors::single(
                "",
                Reason::coded("entity-not-object", &[]),
            ));
        };
        const FIELDS: &[&str] = &[
            "seizures",
            "arrests",
            "cases_opened",
            "assets_value",
            "assets_currency",
            "note",
        ];
        for key in obj.keys().filter(|k| !FIELDS.contains(&k.as_str())) {
            errors.push(key.clone(), Reason::coded("field-unknown", &[]));
        }
        let seizures: Vec<String> = match obj.get("seizures") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::String(s)) => s
                .split([',', ' ', '\n'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|i| match i.as_str() {
                    Some(s) => Some(s.trim().to_string()),
                    None => {
                        errors.push("seizures", Reason::coded("field-must-be-string", &[]));
                        None
                    }
                })
                .collect(),
            Some(_) => {
                errors.push("seizures", Reason::coded("field-must-be-string", &[]));
                Vec::new()
            }
        };
        if seizures.len() > SEIZURES_MAX {
            errors.push(
                "seizures",
                Reason::coded(
                    "value-too-long",
                    &[("length", &seizures.len()), ("limit", &SEIZURES_MAX)],
                ),
            );
        }
        let arrests = count(obj, "arrests", &mut errors);
        let cases_opened = count(obj, "cases_opened", &mut errors);
        let assets_value = match obj.get("assets_value") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.trim().is_empty() => None,
            Some(v) => match v.as_f64().or_else(|| {
                v.as_str()
                    .and_then(|s| s.trim().replace(',', ".").parse().ok())
            }) {
                Some(x) if x.is_finite() && x >= 0.0 => Some(x),
                _ => {
                    errors.push(
                        "assets_value",
                        Reason::coded("number-invalid", &[("value", &v.to_string())]),
                    );
                    None
                }
            },
        };
        let assets_currency = match obj.get("assets_currency") {
            Some(Value::String(s)) => s.trim().to_ascii_uppercase(),
            _ => String::new(),
        };
        if assets_value.is_some()
            && !(assets_currency.len() == 3
                && assets_currency.bytes().all(|b| b.is_ascii_uppercase()))
        {
            errors.push(
                "assets_currency",
                Reason::coded(
                    "result-currency-invalid",
                    &[("value", &format!("{assets_currency:?}"))],
                ),
            );
        }
        let note = match obj.get("note") {
            Some(Value::String(s)) => s.trim().to_string(),
            _ => String::new(),
        };
        if note.chars().count() > NOTE_MAX {
            errors.push(
                "note",
                Reason::coded(
                    "value-too-long",
                    &[("length", &note.chars().count()), ("limit", &NOTE_MAX)],
                ),
            );
        }
        if seizures.is_empty() && arrests == 0 && cases_opened == 0 && assets_value.is_none() {
            errors.push("seizures", Reason::coded("result-empty", &[]));
        }
        errors.into_result(ResultDraft {
            seizures,
            arrests,
            cases_opened,
            assets_value,
            assets_currency,
            note,
        })
    }
}

/// One seizure as the report counts it, read from its Seizure record.
#[derive(Debug, Clone, PartialEq)]
pub struct SeizureLine {
    pub country: String,
    pub substance: String,
    pub unit: String,
    pub quantity: f64,
}

impl SeizureLine {
    /// The line a Seizure record adds to a report; `None` for any other record.
    pub fn of(entity: &Entity) -> Option<SeizureLine> {
        if entity.schema.name != "Seizure" {
            return None;
        }
        Some(SeizureLine {
            country: entity
                .first("country")
                .unwrap_or_default()
                .to_ascii_uppercase(),
            substance: entity
                .first("substance")
                .unwrap_or_default()
                .trim()
                .to_lowercase(),
            unit: entity.first("unit").unwrap_or_default().to_string(),
            quantity: entity.first("quantity")?.parse().ok()?,
        })
    }
}

/// A total of the report: one country, substance and unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Total {
    pub country: Option<CountryCode>,
    pub substance: String,
    pub unit: String,
    pub quantity: f64,
    pub seizures: usize,
}

/// Adds the lines up per country, substance and unit (quantities in different units are
/// never added together).
pub fn totals(lines: &[SeizureLine]) -> Vec<Total> {
    let mut sums: BTreeMap<(String, String, String), (f64, usize)> = BTreeMap::new();
    for l in lines {
        let e = sums
            .entry((l.country.clone(), l.substance.clone(), l.unit.clone()))
            .or_default();
        e.0 += l.quantity;
        e.1 += 1;
    }
    sums.into_iter()
        .map(|((country, substance, unit), (quantity, seizures))| Total {
            country: CountryCode::parse(&country).ok(),
            substance,
            unit,
            quantity,
            seizures,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn results_name_each_bad_field() {
        let ok = ResultDraft::parse(&json!({"seizures": "tj-akn:s1, tj-akn:s2", "arrests": "3"}))
            .unwrap();
        assert_eq!((ok.seizures.len(), ok.arrests), (2, 3));
        let bad = ResultDraft::parse(
            &json!({"arrests": -1, "assets_value": 10, "assets_currency": "dollars", "x": 1}),
        )
        .unwrap_err();
        let fields: Vec<&str> = bad.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["x", "arrests", "assets_currency"]);
        assert_eq!(
            ResultDraft::parse(&json!({})).unwrap_err().0[0]
                .reason
                .key(),
            Some("result-empty")
        );
    }

    #[test]
    fn totals_add_up_per_country_substance_and_unit() {
        let line = |c: &str, s: &str, u: &str, q: f64| SeizureLine {
            country: c.into(),
            substance: s.into(),
            unit: u.into(),
            quantity: q,
        };
        let t = totals(&[
            line("TJ", "heroin", "kg", 12.5),
            line("TJ", "heroin", "kg", 2.5),
            line("TJ", "heroin", "g", 300.0),
            line("UZ", "heroin", "kg", 1.0),
        ]);
        assert_eq!(t.len(), 3);
        assert_eq!((t[1].quantity, t[1].seizures), (15.0, 2));
    }
}
