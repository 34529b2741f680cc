//! The JSON API through the router, on every engine, one module per capability: records,
//! matching, identity, import and export, administration and the audit trail.

use serde_json::{json, Value};

mod admin;
mod analysis;
mod identity;
mod incidents;
mod matching;
mod operations;
mod pre_exports;
mod records;
mod risks;
mod substances;
mod transfer;

pub fn person(name: &str, classification: &str, dissemination: Value) -> Value {
    json!({"schema": "Person", "properties": {"name": [name], "birthDate": ["1985-03-02"], "nationality": ["tj"]},
           "meta": {"classification": classification, "dissemination": dissemination}})
}

pub fn id_of(v: &Value) -> String {
    v["id"].as_str().expect("id").to_string()
}

pub fn named(name: &str, birth: &str, classification: &str, dissemination: Value) -> Value {
    json!({"schema": "Person", "properties": {"name": [name], "birthDate": [birth]},
           "meta": {"classification": classification, "dissemination": dissemination}})
}
