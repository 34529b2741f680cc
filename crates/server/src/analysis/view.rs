//! What the API, the CSV and the page share: filters read from a query string, labels of keys
//! in each language, numbers and the CSV itself.

use pamir_app::analysis::{Routes, Statistic};
use pamir_domain::{
    analysis::{Dimension, RawFilters, StatRow, Tally},
    schema::Lang,
};
use pamir_domain::{error::Reason, ValidationErrors};

use crate::web::{
    i18n::{t, M},
    layout::country_name,
    FormData,
};

/// Every value of a query parameter that may repeat or be comma-separated
/// (`country=KZ&country=KG` or `country=KZ,KG`).
pub fn list(form: &FormData, name: &str) -> Vec<String> {
    form.all(name)
        .iter()
        .flat_map(|v| v.split(','))
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect()
}

/// The language of labels in an answer (`lang`, English by default); an unknown one is an
/// error in `errors`.
pub fn lang_param(form: &FormData, errors: &mut ValidationErrors) -> Lang {
    match form.get("lang") {
        None => Lang::EN,
        Some(l) => Lang::parse(l).unwrap_or_else(|| {
            errors.push(
                "lang",
                Reason::coded("language-unknown", &[("languages", &"en, ru")]),
            );
            Lang::EN
        }),
    }
}

pub(crate) use crate::web::download;

/// Filters and dimension from a query string (countries and groups as [`list`]s).
pub fn read_query(query: Option<&str>) -> (FormData, RawFilters, Option<String>) {
    let form = FormData::parse(query.unwrap_or("").as_bytes());
    let list = |name: &str| list(&form, name);
    let raw = RawFilters {
        from: form.get("from").map(str::to_string),
        to: form.get("to").map(str::to_string),
        countries: list("country"),
        groups: list("group"),
        operation: form.get("operation").map(str::to_string),
    };
    let by = form.get("by").map(str::to_string);
    (form, raw, by)
}

/// The label of a key of `by` in `lang`.
pub fn key_label(lang: Lang, by: Dimension, key: &str) -> String {
    if key.is_empty() {
        return t(lang, M::AnNotStated).to_string();
    }
    match by {
        Dimension::Country => country_name(lang, key),
        Dimension::Route => {
            let (from, to) = key.split_once('>').unwrap_or((key, ""));
            let end = |c: &str| {
                if c.is_empty() {
                    "?".to_string()
                } else {
                    country_name(lang, c)
                }
            };
            format!("{} → {}", end(from), end(to))
        }
        Dimension::Path => {
            let mut parts = key.split('|');
            let (origin, transit, destination) = (
                parts.next().unwrap_or(""),
                parts.next().unwrap_or(""),
                parts.next().unwrap_or(""),
            );
            let mut names = vec![country_short(lang, origin)];
            names.extend(
                transit
                    .split(' ')
                    .filter(|c| !c.is_empty())
                    .map(|c| country_short(lang, c)),
            );
            names.push(country_short(lang, destination));
            names.join(" → ")
        }
        _ => match by.vocabulary().and_then(|v| v.label(key, lang)) {
            Some(label) => label.to_string(),
            None => key.to_string(),
        },
    }
}

/// A country's name alone (its code where it has none; `?` when not stated).
pub fn country_short(lang: Lang, code: &str) -> String {
    if code.is_empty() {
        return "?".to_string();
    }
    match pamir_domain::CountryCode::parse(code) {
        Ok(c) => c
            .name(lang)
            .map(str::to_string)
            .unwrap_or_else(|| c.to_string()),
        Err(_) => code.to_string(),
    }
}

/// A quantity with at most three decimals and grouped thousands, as each language writes it.
pub fn number(lang: Lang, q: f64) -> String {
    let s = format!("{:.3}", q.abs());
    let s = s.trim_end_matches('0').trim_end_matches('.');
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let (sep, point) = if lang == Lang::RU {
        ('\u{a0}', ',')
    } else {
        (',', '.')
    };
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(sep);
        }
        grouped.push(c);
    }
    let sign = if q < 0.0 && s != "0" { "-" } else { "" };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}{point}{frac}")
    }
}

/// A change in per cent with its sign, or a dash when there is nothing to compare with.
pub fn change(lang: Lang, now: &Tally, base: &Tally) -> String {
    match now.change_pct(base) {
        Some(p) => {
            let sign = if p > 0.0 {
                "+"
            } else if p < 0.0 {
                "−"
            } else {
                "±"
            };
            format!("{sign}{} %", number(lang, (p.abs() * 10.0).round() / 10.0))
        }
        None => "—".to_string(),
    }
}

/// A CSV field, quoted when needed; a value a spreadsheet would run as a formula is prefixed
/// with an apostrophe (record text is data, never a formula).
fn field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn tally_fields(t: &Tally) -> [String; 4] {
    [
        t.count.to_string(),
        format!("{}", t.kg),
        format!("{}", t.litres),
        format!("{}", t.units),
    ]
}

/// The statistic as CSV: one line per row and a last line of totals; numbers unformatted (a
/// point for decimals) so that any spreadsheet reads them.
pub fn csv(lang: Lang, s: &Statistic) -> String {
    let mut out = String::from(
        "key,label,count,kg,litres,units,previous_count,previous_kg,previous_litres,previous_units,\
         year_before_count,year_before_kg,year_before_litres,year_before_units\r\n",
    );
    let mut line = |key: &str, label: &str, r: &StatRow| {
        let mut cells = vec![field(key), field(label)];
        for t in [&r.current, &r.previous, &r.year_before] {
            cells.extend(tally_fields(t));
        }
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    };
    for r in &s.rows {
        line(&r.key, &key_label(lang, s.by, &r.key), r);
    }
    line("", t(lang, M::AnTotal), &s.total);
    out
}

/// The legs of the routes as CSV: one line per leg, strongest first.
pub fn legs_csv(lang: Lang, r: &Routes) -> String {
    let mut out = String::from(
        "from,to,from_label,to_label,count,kg,litres,units,previous_count,previous_kg,previous_litres,previous_units\r\n",
    );
    for f in &r.flows {
        let mut cells = vec![
            field(&f.from),
            field(&f.to),
            field(&country_short(lang, &f.from)),
            field(&country_short(lang, &f.to)),
        ];
        cells.extend(tally_fields(&f.current));
        cells.extend(tally_fields(&f.previous));
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_fields() {
        assert_eq!(number(Lang::EN, 1234567.5), "1,234,567.5");
        assert_eq!(number(Lang::RU, 1234.25), "1\u{a0}234,25");
        assert_eq!(number(Lang::EN, 0.0004), "0");
        assert_eq!(number(Lang::EN, 12.0), "12");
        assert_eq!(field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(field("a,\"b\""), "\"a,\"\"b\"\"\"");
    }
}
