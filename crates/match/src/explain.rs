//! Why two records match, as messages of the translation catalogue (`match-…` keys of
//! `pamir-i18n`): each reason is a key and its arguments — names, dates and numbers as written —
//! so every language renders it without translating or altering a value. The English rendering
//! is what the API and `pamir match` show.

use std::fmt;

use serde_json::{Map, Value};

/// Every catalogue key a reason may carry (the catalogue test counts them as used).
pub const KEYS: &[&str] = &[
    "match-word-same",
    "match-word-like",
    "match-word-one-side",
    "match-word-order",
    "match-date",
    "match-gender",
    "match-phone-same",
    "match-id-same",
    "match-id-differs",
    "match-org-same-words",
    "match-org-alike",
    "match-vehicle",
    "match-model-alike",
];

/// One reason for a score: a catalogue message.
pub type Reason = pamir_i18n::Message;

/// A reason with the catalogue key `key` (one of [`KEYS`]).
pub fn reason(key: &'static str, args: &[(&'static str, &dyn fmt::Display)]) -> Reason {
    debug_assert!(KEYS.contains(&key), "{key} is not in explain::KEYS");
    Reason::new(key, args)
}

/// Reasons in `lang`, one after another.
pub fn render(reasons: &[Reason], lang: pamir_i18n::Lang) -> String {
    reasons
        .iter()
        .map(|r| r.render(lang))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Reasons as JSON (`[["match-date", {"a": "1985-03-14", …}], …]`), for storing them.
pub fn to_json(reasons: &[Reason]) -> String {
    let list: Vec<Value> = reasons
        .iter()
        .map(|r| {
            let args: Map<String, Value> = r
                .args
                .iter()
                .map(|(n, v)| (n.to_string(), Value::String(v.clone())))
                .collect();
            Value::Array(vec![Value::String(r.key.into()), Value::Object(args)])
        })
        .collect();
    Value::Array(list).to_string()
}

/// Reasons stored with [`to_json`]; `None` for anything else (a key this version does not
/// know, or not JSON), so a caller falls back to the stored English text.
pub fn from_json(text: &str) -> Option<Vec<Reason>> {
    let Value::Array(list) = serde_json::from_str(text).ok()? else {
        return None;
    };
    list.iter()
        .map(|item| {
            let [Value::String(key), Value::Object(args)] = item.as_array()?.as_slice() else {
                return None;
            };
            let key = *KEYS.iter().find(|k| **k == key)?;
            let args = args
                .iter()
                .map(|(n, v)| {
                    let name = ARG_NAMES.iter().find(|a| **a == n)?;
                    Some((*name, v.as_str()?.to_string()))
                })
                .collect::<Option<Vec<_>>>()?;
            Some(Reason { key, args })
        })
        .collect()
}

/// Every argument name a reason uses.
const ARG_NAMES: &[&str] = &[
    "role", "likeness", "word", "other", "what", "a", "b", "phone", "kind", "code", "percent",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_round_trip_and_render_in_each_language() {
        let reasons = vec![
            Reason::new(
                "match-word-same",
                &[("role", &"surname"), ("word", &"Khasanov")],
            ),
            Reason::new(
                "match-date",
                &[("what", &"same"), ("a", &"1985-03-14"), ("b", &"")],
            ),
        ];
        assert_eq!(from_json(&to_json(&reasons)), Some(reasons.clone()));
        assert_eq!(
            render(&reasons, pamir_i18n::Lang::EN),
            "surname: same Khasanov; birth date: same (1985-03-14)"
        );
        assert_eq!(
            render(&reasons, pamir_i18n::Lang::RU),
            "фамилия: совпадает Khasanov; дата рождения: совпадает (1985-03-14)"
        );
        assert_eq!(from_json("surname: same Khasanov"), None);
    }
}
