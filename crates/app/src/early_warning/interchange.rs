//! The registry as CSV, for spreadsheets: one row per substance, a cell per field; a field of
//! several values (names, controls, national statuses, sources) holds one per line of its cell,
//! so nothing is lost between export and import. JSON (`Substance::to_json`) is the same entry as
//! the API takes it.
//!
//! `names`: `en: Mephedrone`, `ru: Мефедрон`, `local: мяу`; `international`: `1971/II`;
//! `countries`: `KZ controlled 2012-03-01 List I of the Government decree` (note optional).

use pamir_domain::error::Reason;
use serde_json::{json, Value};

use crate::LineError;

pub const COLUMNS: &[&str] = &[
    "id",
    "names",
    "class",
    "cas",
    "inchikey",
    "formula",
    "international",
    "countries",
    "sources",
    "notes",
];

/// A JSON string's text, or nothing.
fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

/// A list's items, one per line.
fn lines_of(v: &Value, f: &dyn Fn(&Value) -> String) -> String {
    v.as_array()
        .map(|a| a.iter().map(f).collect::<Vec<_>>().join("\n"))
        .unwrap_or_default()
}

/// An entry's `names` one per line: `en: Mephedrone`.
pub fn names_to_lines(names: &Value) -> String {
    lines_of(names, &|n| {
        format!("{}: {}", text(&n["lang"]), text(&n["text"]))
    })
}

/// An entry's `countries` one per line: `KZ controlled 2012-03-01 note`.
pub fn countries_to_lines(countries: &Value) -> String {
    lines_of(countries, &|c| {
        let note = text(&c["note"]);
        let head = format!(
            "{} {} {}",
            text(&c["country"]),
            text(&c["status"]),
            text(&c["effective"])
        );
        if note.is_empty() {
            head
        } else {
            format!("{head} {note}")
        }
    })
}

/// A list of strings one per line.
pub fn strings_to_lines(v: &Value) -> String {
    lines_of(v, &text)
}

fn cell_lines(cell: &str) -> impl Iterator<Item = &str> {
    cell.lines().map(str::trim).filter(|l| !l.is_empty())
}

/// Names written one per line (`en: Mephedrone`), with what is wrong in a line (its field
/// `names[i]`).
pub fn names_from_lines(cell: &str) -> (Value, Vec<(String, Reason)>) {
    let mut names = Vec::new();
    let mut bad = Vec::new();
    for (i, l) in cell_lines(cell).enumerate() {
        match l.split_once(':') {
            Some((lang, text)) => names.push(json!({"lang": lang.trim(), "text": text.trim()})),
            None => bad.push((
                format!("names[{i}]"),
                Reason::coded("substance-name-line", &[("value", &l)]),
            )),
        }
    }
    (Value::from(names), bad)
}

/// National statuses written one per line (`KZ controlled 2012-03-01 note`), with what is
/// wrong in a line (its field `countries[i]`).
pub fn countries_from_lines(cell: &str) -> (Value, Vec<(String, Reason)>) {
    let mut countries = Vec::new();
    let mut bad = Vec::new();
    for (i, l) in cell_lines(cell).enumerate() {
        let mut parts = l.splitn(4, char::is_whitespace);
        match (parts.next(), parts.next(), parts.next()) {
            (Some(country), Some(status), Some(effective)) => countries.push(json!({
                "country": country,
                "status": status,
                "effective": effective,
                "note": parts.next().unwrap_or("").trim(),
            })),
            _ => bad.push((
                format!("countries[{i}]"),
                Reason::coded("substance-country-line", &[("value", &l)]),
            )),
        }
    }
    (Value::from(countries), bad)
}

/// Strings written one per line.
pub fn strings_from_lines(cell: &str) -> Value {
    Value::from(cell_lines(cell).map(str::to_string).collect::<Vec<_>>())
}

/// Entries (as `Substances::export` gives them) as CSV with a header row.
pub fn to_csv(entries: &[Value]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(COLUMNS);
    for e in entries {
        let row = [
            text(&e["id"]),
            names_to_lines(&e["names"]),
            text(&e["class"]),
            text(&e["cas"]),
            text(&e["inchikey"]),
            text(&e["formula"]),
            strings_to_lines(&e["international"]),
            countries_to_lines(&e["countries"]),
            strings_to_lines(&e["sources"]),
            text(&e["notes"]),
        ];
        let _ = w.write_record(&row);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// CSV (with the header row; columns in any order, `id` and the optional ones may be left
/// out) read into entries, each with its line in the file; a bad header or row is named by line.
pub fn from_csv(bytes: &[u8]) -> Result<Vec<(u64, Value)>, Vec<LineError>> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let mut r = csv::ReaderBuilder::new().flexible(false).from_reader(bytes);
    let line_error = |line: u64, field: &str, reason: Reason| LineError {
        line,
        field: field.to_string(),
        reason,
    };
    let header: Vec<String> = match r.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_string()).collect(),
        Err(_) => {
            return Err(vec![line_error(
                1,
                "",
                Reason::coded("csv-header-unreadable", &[]),
            )])
        }
    };
    let mut bad = Vec::new();
    for name in &header {
        if !COLUMNS.contains(&name.as_str()) {
            bad.push(line_error(
                1,
                name,
                Reason::coded("csv-no-such-column", &[("column", name)]),
            ));
        }
    }
    if !bad.is_empty() {
        return Err(bad);
    }
    let mut out = Vec::new();
    for record in r.records() {
        let record = match record {
            Ok(rec) => rec,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                bad.push(line_error(
                    line,
                    "",
                    Reason::coded("csv-row-unreadable", &[]),
                ));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let mut entry = json!({});
        for (name, cell) in header.iter().zip(record.iter()) {
            let cell = cell.trim();
            if cell.is_empty() {
                continue;
            }
            entry[name.as_str()] = match name.as_str() {
                "names" | "countries" => {
                    let (v, errors) = if name == "names" {
                        names_from_lines(cell)
                    } else {
                        countries_from_lines(cell)
                    };
                    bad.extend(errors.into_iter().map(|(f, r)| line_error(line, &f, r)));
                    v
                }
                "international" | "sources" => strings_from_lines(cell),
                _ => Value::String(cell.to_string()),
            };
        }
        out.push((line, entry));
    }
    if bad.is_empty() {
        Ok(out)
    } else {
        Err(bad)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_gives_back_what_it_was_given() {
        let entries = vec![json!({
            "id": "sub-1",
            "names": [{"text": "Mephedrone", "lang": "en"}, {"text": "Мефедрон, \"мяу\"", "lang": "ru"}],
            "class": "synthetic_cathinone",
            "cas": "1189805-46-6",
            "international": ["1971/II"],
            "countries": [
                {"country": "KZ", "status": "controlled", "effective": "2012-03-01", "note": "List I, part 2"},
                {"country": "UZ", "status": "analogue", "effective": "2015-06-01", "note": ""}
            ],
            "sources": ["CND 58/1"],
            "notes": "first line\nsecond line"
        })];
        let text = to_csv(&entries);
        let back = from_csv(text.as_bytes()).unwrap();
        assert_eq!(back.len(), 1);
        assert_eq!(back[0].0, 2);
        let b = &back[0].1;
        assert_eq!(b["names"], entries[0]["names"]);
        assert_eq!(b["countries"], entries[0]["countries"]);
        assert_eq!(b["notes"], entries[0]["notes"]);
        assert_eq!(b["international"], entries[0]["international"]);
        assert!(b.get("inchikey").is_none());
    }

    #[test]
    fn a_bad_header_or_cell_is_named_by_line() {
        let e = from_csv(b"names,colour\nen: x,red\n").unwrap_err();
        assert_eq!((e[0].line, e[0].field.as_str()), (1, "colour"));
        let e = from_csv(b"names,countries\n\"en: x\nru\",KZ controlled\n").unwrap_err();
        let got: Vec<(u64, &str)> = e.iter().map(|l| (l.line, l.field.as_str())).collect();
        assert_eq!(got, vec![(2, "names[1]"), (2, "countries[0]")]);
    }
}
