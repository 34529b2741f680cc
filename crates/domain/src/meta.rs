//! The protective metadata every record carries (DESIGN.md, "Protection of information").

use std::collections::BTreeSet;

use serde_json::Value;

use crate::{
    classification::Classification,
    country::CountryCode,
    error::{Reason, ValidationErrors},
    handling::HandlingCode,
    identity::AgencyCode,
};

/// Who may read an item besides its owner: every member country (and the centre), named
/// countries (members or observers), named agencies, the parties taking part in named operations
/// — or any union of these. An empty scope means the owner agency alone.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Dissemination {
    #[serde(default)]
    pub all_members: bool,
    #[serde(default)]
    pub countries: BTreeSet<CountryCode>,
    #[serde(default)]
    pub agencies: BTreeSet<AgencyCode>,
    /// Operation ids (`op-…`): the coordinating agency and every accepted party of each.
    #[serde(default)]
    pub operations: BTreeSet<String>,
}

/// The 4x4 evaluation of an intelligence item: source reliability and information validity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Evaluation {
    pub source: char,
    pub information: u8,
}

impl Evaluation {
    pub const SOURCES: &'static str = "ABCDX";

    pub fn parse(source: &str, information: &str) -> Result<Self, Reason> {
        let s = source.trim().to_ascii_uppercase();
        let source = match s.chars().collect::<Vec<_>>().as_slice() {
            [c] if Self::SOURCES.contains(*c) => *c,
            _ => {
                return Err(Reason::coded(
                    "evaluation-source-invalid",
                    &[("value", &format!("{source:?}"))],
                ))
            }
        };
        let information = match information.trim() {
            "1" => 1,
            "2" => 2,
            "3" => 3,
            "4" => 4,
            other => {
                return Err(Reason::coded(
                    "evaluation-information-invalid",
                    &[("value", &format!("{other:?}"))],
                ))
            }
        };
        Ok(Self {
            source,
            information,
        })
    }

    /// The usual short form, e.g. `B2`.
    pub fn code(&self) -> String {
        format!("{}{}", self.source, self.information)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RecordMeta {
    pub owner: AgencyCode,
    pub classification: Classification,
    pub dissemination: Dissemination,
    pub handling_codes: BTreeSet<HandlingCode>,
    pub evaluation: Option<Evaluation>,
}

/// The part of the metadata a submitter chooses; the owner is always the submitter's agency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetaInput {
    pub classification: Classification,
    pub dissemination: Dissemination,
    pub handling_codes: BTreeSet<HandlingCode>,
    pub evaluation: Option<Evaluation>,
}

impl MetaInput {
    pub fn into_meta(self, owner: AgencyCode) -> RecordMeta {
        RecordMeta {
            owner,
            classification: self.classification,
            dissemination: self.dissemination,
            handling_codes: self.handling_codes,
            evaluation: self.evaluation,
        }
    }

    /// Parses `{"classification", "dissemination": {"all_members", "countries", "agencies"},
    /// "handling_codes", "evaluation": {"source", "information"}}`, naming each bad field under
    /// `prefix` (e.g. `meta.dissemination.countries[1]`).
    pub fn parse(value: &Value, prefix: &str) -> Result<MetaInput, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let Some(obj) = value.as_object() else {
            return Err(ValidationErrors::single(
                prefix,
                Reason::coded("field-must-be-object", &[]),
            ));
        };
        for key in obj.keys() {
            if ![
                "classification",
                "dissemination",
                "handling_codes",
                "evaluation",
            ]
            .contains(&key.as_str())
            {
                errors.push(
                    format!("{prefix}.{key}"),
                    Reason::coded("field-unknown", &[]),
                );
            }
        }
        let classification = match obj.get("classification") {
            None | Some(Value::Null) => {
                errors.push(
                    format!("{prefix}.classification"),
                    Reason::coded("field-required", &[]),
                );
                Classification::Unclassified
            }
            Some(Value::String(s)) => s.parse().unwrap_or_else(|e: Reason| {
                errors.push(format!("{prefix}.classification"), e);
                Classification::Unclassified
            }),
            Some(_) => {
                errors.push(
                    format!("{prefix}.classification"),
                    Reason::coded("field-must-be-string", &[]),
                );
                Classification::Unclassified
            }
        };
        let dissemination = match obj.get("dissemination") {
            None | Some(Value::Null) => Dissemination::default(),
            Some(v) => parse_dissemination(v, &format!("{prefix}.dissemination"), &mut errors),
        };
        let mut handling_codes = BTreeSet::new();
        match obj.get("handling_codes") {
            None | Some(Value::Null) => {}
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    let field = format!("{prefix}.handling_codes[{i}]");
                    match item.as_str().map(|s| s.parse::<HandlingCode>()) {
                        Some(Ok(code)) => {
                            handling_codes.insert(code);
                        }
                        Some(Err(e)) => errors.push(field, e),
                        None => errors.push(field, Reason::coded("field-must-be-string", &[])),
                    }
                }
            }
            Some(_) => errors.push(
                format!("{prefix}.handling_codes"),
                Reason::coded("field-must-be-code-list", &[]),
            ),
        }
        let evaluation = match obj.get("evaluation") {
            None | Some(Value::Null) => None,
            Some(Value::Object(e)) => {
                let text = |k: &str| match e.get(k) {
                    Some(Value::String(s)) => s.clone(),
                    Some(Value::Number(n)) => n.to_string(),
                    _ => String::new(),
                };
                match Evaluation::parse(&text("source"), &text("information")) {
                    Ok(ev) => Some(ev),
                    Err(err) => {
                        errors.push(format!("{prefix}.evaluation"), err);
                        None
                    }
                }
            }
            Some(_) => {
                errors.push(
                    format!("{prefix}.evaluation"),
                    Reason::coded("evaluation-not-object", &[]),
                );
                None
            }
        };
        errors.into_result(MetaInput {
            classification,
            dissemination,
            handling_codes,
            evaluation,
        })
    }
}

fn parse_dissemination(
    value: &Value,
    prefix: &str,
    errors: &mut ValidationErrors,
) -> Dissemination {
    let mut d = Dissemination::default();
    let Some(obj) = value.as_object() else {
        errors.push(prefix, Reason::coded("dissemination-not-object", &[]));
        return d;
    };
    for (key, v) in obj {
        let field = format!("{prefix}.{key}");
        match key.as_str() {
            "all_members" => match v {
                Value::Bool(b) => d.all_members = *b,
                _ => errors.push(field, Reason::coded("field-must-be-bool", &[])),
            },
            "countries" | "agencies" => {
                let Some(items) = v.as_array() else {
                    errors.push(field, Reason::coded("field-must-be-code-list", &[]));
                    continue;
                };
                for (i, item) in items.iter().enumerate() {
                    let f = format!("{field}[{i}]");
                    let Some(s) = item.as_str() else {
                        errors.push(f, Reason::coded("field-must-be-string", &[]));
                        continue;
                    };
                    if key == "countries" {
                        match CountryCode::parse(s) {
                            Ok(c) => {
                                d.countries.insert(c);
                            }
                            Err(e) => errors.push(f, e),
                        }
                    } else {
                        match AgencyCode::parse(s) {
                            Ok(a) => {
                                d.agencies.insert(a);
                            }
                            Err(e) => errors.push(f, e),
                        }
                    }
                }
            }
            "operations" => {
                let Some(items) = v.as_array() else {
                    errors.push(field, Reason::coded("field-must-be-code-list", &[]));
                    continue;
                };
                for (i, item) in items.iter().enumerate() {
                    let f = format!("{field}[{i}]");
                    match item.as_str().map(crate::operation::parse_id) {
                        Some(Ok(id)) => {
                            d.operations.insert(id);
                        }
                        Some(Err(e)) => errors.push(f, e),
                        None => errors.push(f, Reason::coded("field-must-be-string", &[])),
                    }
                }
            }
            _ => errors.push(field, Reason::coded("field-unknown", &[])),
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_the_contract_example() {
        let m = MetaInput::parse(
            &json!({"classification": "CONFIDENTIAL", "dissemination": {"countries": ["KZ"]}, "handling_codes": ["NO_ONWARD"]}),
            "meta",
        )
        .unwrap();
        assert_eq!(m.classification, Classification::Confidential);
        assert!(!m.dissemination.all_members);
        assert_eq!(m.dissemination.countries.len(), 1);
    }

    #[test]
    fn names_every_bad_field() {
        let e = MetaInput::parse(
            &json!({"classification": "TOP", "dissemination": {"countries": ["KZ", "QQ"], "agencies": [3]}, "handling_codes": ["X"], "colour": 1}),
            "meta",
        )
        .unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "meta.colour",
                "meta.classification",
                "meta.dissemination.agencies[0]",
                "meta.dissemination.countries[1]",
                "meta.handling_codes[0]"
            ]
        );
    }
}
