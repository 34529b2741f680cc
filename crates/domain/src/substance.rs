//! The substance registry's rules (early warning): what a substance is called in each language,
//! its class, its identifiers — each checked on input (a CAS Registry Number's check digit, the
//! shape of an InChIKey, the syntax of a molecular formula) — and its control status, under the
//! UN conventions and in each country from a date. Two entries naming the same substance are
//! found by their name keys (`name_key`): the same letters and digits whatever the spacing,
//! punctuation, case or Greek-letter spelling. Pure.

use std::{collections::BTreeSet, fmt, str::FromStr};

use chrono::NaiveDate;
use serde_json::Value;
use unicode_normalization::UnicodeNormalization;

use crate::{
    country::CountryCode,
    error::{Reason, ValidationErrors},
    identity::str_enum,
    operation::{many_lines, one_line, take, text_field},
};

/// A CAS Registry Number, `NNNNNNN-NN-N`: two to seven digits (no leading zero), two digits, and
/// a check digit — the sum of the other digits, each times its place counted from the right,
/// modulo ten.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CasNumber(String);

impl CasNumber {
    pub fn parse(s: &str) -> Result<CasNumber, Reason> {
        let s = s.trim();
        let bad = || Reason::coded("cas-invalid", &[("value", &s)]);
        let parts: Vec<&str> = s.split('-').collect();
        let [a, b, c] = parts.as_slice() else {
            return Err(bad());
        };
        let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        let shaped = digits(a)
            && digits(b)
            && digits(c)
            && (2..=7).contains(&a.len())
            && b.len() == 2
            && c.len() == 1;
        if !shaped || a.starts_with('0') {
            return Err(bad());
        }
        let body: Vec<u32> = a
            .bytes()
            .chain(b.bytes())
            .map(|d| u32::from(d - b'0'))
            .collect();
        let sum: u32 = body
            .iter()
            .rev()
            .zip(1u32..)
            .map(|(d, place)| d * place)
            .sum();
        let check = u32::from(c.as_bytes()[0] - b'0');
        if sum % 10 != check {
            return Err(Reason::coded(
                "cas-check-digit",
                &[("value", &s), ("expected", &(sum % 10))],
            ));
        }
        Ok(CasNumber(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CasNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A standard or non-standard InChIKey: 14 letters (the skeleton's hash), a hyphen, 8 letters, the
/// flag `S` (standard) or `N`, a version letter, a hyphen and the protonation letter — all upper
/// case (lower case input is raised).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct InchiKey(String);

impl InchiKey {
    pub fn parse(s: &str) -> Result<InchiKey, Reason> {
        let s = s.trim();
        let key = s.to_ascii_uppercase();
        let b = key.as_bytes();
        let letters = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_uppercase);
        let ok = b.len() == 27
            && letters(0..14)
            && b[14] == b'-'
            && letters(15..23)
            && matches!(b[23], b'S' | b'N')
            && b[24].is_ascii_uppercase()
            && b[25] == b'-'
            && b[26].is_ascii_uppercase();
        if ok {
            Ok(InchiKey(key))
        } else {
            Err(Reason::coded("inchikey-invalid", &[("value", &s)]))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for InchiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

const ELEMENTS: &[&str] = &[
    "H", "He", "Li", "Be", "B", "C", "N", "O", "F", "Ne", "Na", "Mg", "Al", "Si", "P", "S", "Cl",
    "Ar", "K", "Ca", "Sc", "Ti", "V", "Cr", "Mn", "Fe", "Co", "Ni", "Cu", "Zn", "Ga", "Ge", "As",
    "Se", "Br", "Kr", "Rb", "Sr", "Y", "Zr", "Nb", "Mo", "Tc", "Ru", "Rh", "Pd", "Ag", "Cd", "In",
    "Sn", "Sb", "Te", "I", "Xe", "Cs", "Ba", "La", "Ce", "Pr", "Nd", "Pm", "Sm", "Eu", "Gd", "Tb",
    "Dy", "Ho", "Er", "Tm", "Yb", "Lu", "Hf", "Ta", "W", "Re", "Os", "Ir", "Pt", "Au", "Hg", "Tl",
    "Pb", "Bi", "Po", "At", "Rn", "Fr", "Ra", "Ac", "Th", "Pa", "U", "Np", "Pu", "Am", "Cm", "Bk",
    "Cf", "Es", "Fm", "Md", "No", "Lr", "Rf", "Db", "Sg", "Bh", "Hs", "Mt", "Ds", "Rg", "Cn", "Nh",
    "Fl", "Mc", "Lv", "Ts", "Og", "D",
];

/// A molecular formula: element symbols with counts, groups in parentheses, and the parts of a
/// salt or hydrate joined by `.` or `·`, each with an optional leading coefficient
/// (`C17H19NO3`, `C21H27NO.HCl`, `C17H21NO4·HCl`, `(C2H5)2O`, `C8H11NO2.2H2O`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Formula(String);

impl Formula {
    pub fn parse(s: &str) -> Result<Formula, Reason> {
        let s = s.trim();
        let normal: String = s.replace(['·', '•', '∙'], ".");
        let bad = || Reason::coded("formula-invalid", &[("value", &s)]);
        if normal.is_empty() || normal.len() > 200 {
            return Err(bad());
        }
        for part in normal.split('.') {
            let b = part.as_bytes();
            let mut i = 0;
            // Leading coefficient of a part (2H2O).
            let coef = count_at(b, &mut i).map_err(|()| bad())?;
            if coef.is_some() && i == b.len() {
                return Err(bad());
            }
            let mut depth = 0u32;
            let mut atoms = 0u32;
            while i < b.len() {
                match b[i] {
                    b'(' | b'[' => {
                        depth += 1;
                        i += 1;
                    }
                    b')' | b']' => {
                        if depth == 0 || atoms == 0 {
                            return Err(bad());
                        }
                        depth -= 1;
                        i += 1;
                        count_at(b, &mut i).map_err(|()| bad())?;
                    }
                    c if c.is_ascii_uppercase() => {
                        let two = b.get(i + 1).filter(|n| n.is_ascii_lowercase());
                        let symbol = match two {
                            Some(_) => &part[i..i + 2],
                            None => &part[i..i + 1],
                        };
                        if !ELEMENTS.contains(&symbol) {
                            return Err(Reason::coded(
                                "formula-element-unknown",
                                &[("value", &s), ("element", &symbol)],
                            ));
                        }
                        i += symbol.len();
                        atoms += 1;
                        count_at(b, &mut i).map_err(|()| bad())?;
                    }
                    _ => return Err(bad()),
                }
            }
            if depth != 0 || atoms == 0 {
                return Err(bad());
            }
        }
        Ok(Formula(normal))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A count at `b[*i..]`, if digits are there: 1–9999 without a leading zero.
fn count_at(b: &[u8], i: &mut usize) -> Result<Option<u32>, ()> {
    let start = *i;
    while *i < b.len() && b[*i].is_ascii_digit() {
        *i += 1;
    }
    if *i == start {
        return Ok(None);
    }
    let digits = &b[start..*i];
    if digits[0] == b'0' || digits.len() > 4 {
        return Err(());
    }
    Ok(Some(
        digits
            .iter()
            .fold(0u32, |n, d| n * 10 + u32::from(d - b'0')),
    ))
}

impl fmt::Display for Formula {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

str_enum! {
    /// What kind of substance it is: the NPS groups early-warning systems monitor, the
    /// traditional controlled drugs, and the chemicals used to make them.
    SubstanceClass ("substance class") {
        SyntheticCathinone = "synthetic_cathinone",
        SyntheticCannabinoid = "synthetic_cannabinoid",
        Opioid = "opioid",
        Phenethylamine = "phenethylamine",
        Tryptamine = "tryptamine",
        Benzodiazepine = "benzodiazepine",
        Arylcyclohexylamine = "arylcyclohexylamine",
        Piperazine = "piperazine",
        Aminoindane = "aminoindane",
        Piperidine = "piperidine",
        Stimulant = "stimulant",
        Sedative = "sedative",
        Hallucinogen = "hallucinogen",
        Cannabis = "cannabis",
        PlantBased = "plant_based",
        Precursor = "precursor",
        PrePrecursor = "pre_precursor",
        EssentialChemical = "essential_chemical",
        Other = "other",
    }
}

impl SubstanceClass {
    pub fn label_key(self) -> String {
        format!("substance-class-{}", self.as_str())
    }

    /// Chemicals used to make drugs, rather than drugs: what precursor incidents and
    /// pre-export notifications are about.
    pub fn is_chemical(self) -> bool {
        matches!(
            self,
            SubstanceClass::Precursor
                | SubstanceClass::PrePrecursor
                | SubstanceClass::EssentialChemical
        )
    }
}

/// A place in the international control system: a schedule of the 1961 Single Convention or
/// of the 1971 Convention, or a table of the 1988 Convention. Written `1961/I`, `1971/IV`,
/// `1988/II`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Control {
    Narcotic1961(u8),
    Psychotropic1971(u8),
    Precursor1988(u8),
}

const ROMAN: [&str; 4] = ["I", "II", "III", "IV"];

impl Control {
    pub const ALL: [Control; 10] = [
        Control::Narcotic1961(1),
        Control::Narcotic1961(2),
        Control::Narcotic1961(3),
        Control::Narcotic1961(4),
        Control::Psychotropic1971(1),
        Control::Psychotropic1971(2),
        Control::Psychotropic1971(3),
        Control::Psychotropic1971(4),
        Control::Precursor1988(1),
        Control::Precursor1988(2),
    ];

    pub fn parse(s: &str) -> Result<Control, Reason> {
        let t = s.trim().to_ascii_uppercase().replace(' ', "");
        Control::ALL
            .into_iter()
            .find(|c| c.code() == t)
            .ok_or_else(|| {
                let all: Vec<String> = Control::ALL.iter().map(|c| c.code()).collect();
                Reason::coded(
                    "control-unknown",
                    &[("value", &s.trim()), ("allowed", &all.join(", "))],
                )
            })
    }

    pub fn code(self) -> String {
        let (year, n) = match self {
            Control::Narcotic1961(n) => (1961, n),
            Control::Psychotropic1971(n) => (1971, n),
            Control::Precursor1988(n) => (1988, n),
        };
        format!("{year}/{}", ROMAN[usize::from(n.clamp(1, 4) - 1)])
    }

    /// The convention's year.
    pub fn convention(self) -> u16 {
        match self {
            Control::Narcotic1961(_) => 1961,
            Control::Psychotropic1971(_) => 1971,
            Control::Precursor1988(_) => 1988,
        }
    }
}

impl fmt::Display for Control {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code())
    }
}

impl FromStr for Control {
    type Err = Reason;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Control::parse(s)
    }
}

str_enum! {
    /// A substance's standing under one country's law: controlled by name, covered by a
    /// generic or analogue provision, under temporary control while it is assessed, monitored
    /// (not a drug, but its trade is licensed or watched), or not controlled.
    NationalStatus ("national status") {
        Controlled = "controlled",
        Analogue = "analogue",
        Temporary = "temporary",
        Monitored = "monitored",
        NotControlled = "not_controlled",
    }
}

impl NationalStatus {
    pub fn label_key(self) -> String {
        format!("national-status-{}", self.as_str())
    }
}

/// The catalogue keys of the registry's labels (classes and national statuses).
pub fn label_keys() -> impl Iterator<Item = String> {
    SubstanceClass::ALL
        .iter()
        .map(|c| c.label_key())
        .chain(NationalStatus::ALL.iter().map(|s| s.label_key()))
}

/// One country's status from a date (a country's history is its entries in date order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryStatus {
    pub country: CountryCode,
    pub status: NationalStatus,
    pub effective: NaiveDate,
    /// The national list or act, as people there cite it.
    pub note: String,
}

str_enum! {
    /// Which names a name is: an English or Russian name (the first of each is the one shown),
    /// or a local or street name — which may name several substances (`spice`, `соль`), so it
    /// is searched but never taken as the same substance.
    NameKind ("name kind") {
        En = "en",
        Ru = "ru",
        Local = "local",
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubstanceName {
    pub text: String,
    pub kind: NameKind,
}

impl SubstanceName {
    /// Whether two substances may not share this name.
    pub fn is_unique(&self) -> bool {
        self.kind != NameKind::Local
    }
}

/// What a name is compared by: its letters and digits, lower case, compatibility-normalised,
/// Greek letters spelt out (`α-PVP` is `alpha-PVP`), `ё` read as `е`. Empty when the name has
/// neither letters nor digits.
pub fn name_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    for c in name.nfkc().flat_map(char::to_lowercase) {
        match c {
            'α' => key.push_str("alpha"),
            'β' => key.push_str("beta"),
            'γ' => key.push_str("gamma"),
            'δ' => key.push_str("delta"),
            'ё' => key.push('е'), // data, not text
            c if c.is_alphanumeric() => key.push(c),
            _ => {}
        }
    }
    key
}

/// A registry entry as submitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubstanceDraft {
    /// At least one English and one Russian name; the first of each is the one shown.
    pub names: Vec<SubstanceName>,
    pub class: SubstanceClass,
    pub cas: Option<CasNumber>,
    pub inchikey: Option<InchiKey>,
    pub formula: Option<Formula>,
    /// Empty: not under international control.
    pub controls: BTreeSet<Control>,
    pub countries: Vec<CountryStatus>,
    /// Where the entry's facts come from (a UN schedule, a CND decision, a public report).
    pub sources: Vec<String>,
    pub notes: String,
}

const NAME_MAX: usize = 200;
const NAMES_MAX: usize = 60;
const NOTE_MAX: usize = 4000;

impl SubstanceDraft {
    /// Parses `{"names": [{"text", "lang": "en|ru|local"}], "class", "cas", "inchikey",
    /// "formula", "international": ["1971/II"], "countries": [{"country", "status",
    /// "effective": "YYYY-MM-DD", "note"}], "sources": [..], "notes"}`, naming each bad field.
    pub fn parse(v: &Value) -> Result<SubstanceDraft, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let Some(obj) = v.as_object() else {
            return Err(ValidationErrors::single(
                "",
                Reason::coded("entity-not-object", &[]),
            ));
        };
        const FIELDS: &[&str] = &[
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
        for key in obj.keys().filter(|k| !FIELDS.contains(&k.as_str())) {
            errors.push(key.clone(), Reason::coded("field-unknown", &[]));
        }
        let names = parse_names(obj.get("names"), &mut errors);
        let class = text_field(obj, "class", true, &mut errors)
            .and_then(|s| take(&mut errors, "class", s.parse()));
        let cas = text_field(obj, "cas", false, &mut errors)
            .and_then(|s| take(&mut errors, "cas", CasNumber::parse(&s)));
        let inchikey = text_field(obj, "inchikey", false, &mut errors)
            .and_then(|s| take(&mut errors, "inchikey", InchiKey::parse(&s)));
        let formula = text_field(obj, "formula", false, &mut errors)
            .and_then(|s| take(&mut errors, "formula", Formula::parse(&s)));
        let controls: BTreeSet<Control> = parsed_list(
            obj.get("international"),
            "international",
            &mut errors,
            Control::parse,
        )
        .into_iter()
        .collect();
        let countries = parse_countries(obj.get("countries"), &mut errors);
        let sources = parsed_list(obj.get("sources"), "sources", &mut errors, |s| {
            one_line(s, 500).map(|()| s.to_string())
        });
        let notes = text_field(obj, "notes", false, &mut errors).unwrap_or_default();
        if let Err(r) = many_lines(&notes, NOTE_MAX) {
            errors.push("notes", r);
        }
        match (class, errors.is_empty()) {
            (Some(class), true) => Ok(SubstanceDraft {
                names,
                class,
                cas,
                inchikey,
                formula,
                controls,
                countries,
                sources,
                notes,
            }),
            _ => Err(errors),
        }
    }

    /// The draft as `parse` reads it: parsing this gives the same draft back.
    pub fn to_json(&self) -> Value {
        let mut v = serde_json::json!({
            "names": self.names.iter()
                .map(|n| serde_json::json!({"text": n.text, "lang": n.kind.as_str()}))
                .collect::<Vec<_>>(),
            "class": self.class.as_str(),
            "international": self.controls.iter().map(|c| c.code()).collect::<Vec<_>>(),
            "countries": self.countries.iter().map(|c| serde_json::json!({
                "country": c.country.as_str(),
                "status": c.status.as_str(),
                "effective": c.effective.format("%Y-%m-%d").to_string(),
                "note": c.note,
            })).collect::<Vec<_>>(),
            "sources": self.sources,
            "notes": self.notes,
        });
        for (field, value) in [
            ("cas", self.cas.as_ref().map(|c| c.as_str().to_string())),
            (
                "inchikey",
                self.inchikey.as_ref().map(|c| c.as_str().to_string()),
            ),
            (
                "formula",
                self.formula.as_ref().map(|c| c.as_str().to_string()),
            ),
        ] {
            if let Some(value) = value {
                v[field] = Value::String(value);
            }
        }
        v
    }

    /// The name shown in `kind` (English or Russian): the first of that kind.
    pub fn name(&self, kind: NameKind) -> &str {
        self.names
            .iter()
            .find(|n| n.kind == kind)
            .map_or("", |n| n.text.as_str())
    }

    /// The keys no other substance may hold, each once, with the field it first came from.
    pub fn unique_keys(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for (i, n) in self.names.iter().enumerate().filter(|(_, n)| n.is_unique()) {
            let key = name_key(&n.text);
            if !out.iter().any(|(_, k)| *k == key) {
                out.push((format!("names[{i}]"), key));
            }
        }
        out
    }

    /// The status in `country` on `day`: the latest entry in force, if any.
    pub fn status_in(&self, country: CountryCode, day: NaiveDate) -> Option<&CountryStatus> {
        self.countries
            .iter()
            .filter(|c| c.country == country && c.effective <= day)
            .max_by_key(|c| c.effective)
    }
}

/// Whether `subject` keeps the registry: an active analyst of a member country or of the
/// centre, or a centre administrator. Everyone who reads records reads it.
pub fn may_edit(subject: &crate::access::Subject) -> Result<(), Reason> {
    use crate::{identity::Role, CountryStatus as Standing};
    let member_analyst = subject.has(Role::Analyst)
        && matches!(subject.country_status, Standing::Member | Standing::Centre);
    if subject.active && (member_analyst || subject.has(Role::CentreAdmin)) {
        Ok(())
    } else {
        Err(Reason::coded("substance-not-editor", &[]))
    }
}

/// Why `subject` may not change the national statuses from `before` to `after`: a country's
/// legal status is set by its own analysts or by the centre's.
pub fn check_country_changes(
    subject: &crate::access::Subject,
    before: &[CountryStatus],
    after: &[CountryStatus],
) -> Result<(), ValidationErrors> {
    use crate::CountryStatus as Standing;
    if subject.country_status == Standing::Centre {
        return Ok(());
    }
    let foreign = |list: &[CountryStatus]| -> BTreeSet<(CountryCode, NaiveDate, String, String)> {
        list.iter()
            .filter(|c| c.country != subject.country)
            .map(|c| {
                (
                    c.country,
                    c.effective,
                    c.status.as_str().to_string(),
                    c.note.clone(),
                )
            })
            .collect()
    };
    let (was, now) = (foreign(before), foreign(after));
    let mut errors = ValidationErrors::default();
    for (country, ..) in was.symmetric_difference(&now) {
        let field = after
            .iter()
            .position(|c| c.country == *country)
            .map_or("countries".to_string(), |i| format!("countries[{i}]"));
        if !errors.0.iter().any(|e| e.field == field) {
            errors.push(
                field,
                Reason::coded("substance-country-not-yours", &[("country", country)]),
            );
        }
    }
    errors.into_result(())
}

/// The strings of an optional list field, with their places; non-strings are noted.
pub(crate) fn string_list(
    v: Option<&Value>,
    field: &str,
    errors: &mut ValidationErrors,
) -> Vec<(usize, String)> {
    match v {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| match item {
                Value::String(s) if !s.trim().is_empty() => Some((i, s.trim().to_string())),
                Value::String(_) => None,
                _ => {
                    errors.push(
                        format!("{field}[{i}]"),
                        Reason::coded("field-must-be-string", &[]),
                    );
                    None
                }
            })
            .collect(),
        Some(_) => {
            errors.push(field, Reason::coded("field-must-be-list", &[]));
            Vec::new()
        }
    }
}

/// The items of an optional list field, each read by `parse`; a bad item is noted as
/// `field[i]`.
pub(crate) fn parsed_list<T>(
    v: Option<&Value>,
    field: &str,
    errors: &mut ValidationErrors,
    parse: impl Fn(&str) -> Result<T, Reason>,
) -> Vec<T> {
    string_list(v, field, errors)
        .into_iter()
        .filter_map(|(i, s)| take(errors, &format!("{field}[{i}]"), parse(&s)))
        .collect()
}

fn parse_names(v: Option<&Value>, errors: &mut ValidationErrors) -> Vec<SubstanceName> {
    let items = match v {
        Some(Value::Array(items)) => items.as_slice(),
        None | Some(Value::Null) => &[],
        Some(_) => {
            errors.push("names", Reason::coded("field-must-be-list", &[]));
            return Vec::new();
        }
    };
    if items.len() > NAMES_MAX {
        errors.push(
            "names",
            Reason::coded("analysis-too-many-values", &[("max", &NAMES_MAX)]),
        );
        return Vec::new();
    }
    let mut names = Vec::new();
    let mut seen: Vec<(String, usize)> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let field = format!("names[{i}]");
        let Some(obj) = item.as_object() else {
            errors.push(field, Reason::coded("substance-name-not-object", &[]));
            continue;
        };
        let mut inner = ValidationErrors::default();
        let text = text_field(obj, "text", true, &mut inner);
        let kind = text_field(obj, "lang", true, &mut inner)
            .and_then(|s| take(&mut inner, "lang", s.parse::<NameKind>()));
        if let Some(unknown) = obj.keys().find(|k| !matches!(k.as_str(), "text" | "lang")) {
            inner.push(unknown.clone(), Reason::coded("field-unknown", &[]));
        }
        for e in inner.0 {
            errors.push(format!("{field}.{}", e.field), e.reason);
        }
        let (Some(text), Some(kind)) = (text, kind) else {
            continue;
        };
        if let Err(r) = one_line(&text, NAME_MAX) {
            errors.push(format!("{field}.text"), r);
            continue;
        }
        let key = name_key(&text);
        if key.is_empty() {
            errors.push(
                format!("{field}.text"),
                Reason::coded("substance-name-no-letters", &[]),
            );
            continue;
        }
        // The same name may stand in English and in Russian (a code such as 5F-MDMB-PICA is
        // written alike in both); twice in one language is a slip.
        if let Some((_, first)) = seen
            .iter()
            .find(|(k, at)| *k == key && names_kind(items, *at) == Some(kind))
        {
            errors.push(
                format!("{field}.text"),
                Reason::coded(
                    "substance-name-twice",
                    &[("name", &text), ("first", &format!("names[{first}]"))],
                ),
            );
            continue;
        }
        seen.push((key, i));
        names.push(SubstanceName { text, kind });
    }
    for (kind, key) in [
        (NameKind::En, "substance-name-en-required"),
        (NameKind::Ru, "substance-name-ru-required"),
    ] {
        if !names.iter().any(|n| n.kind == kind) {
            errors.push("names", Reason::coded(key, &[]));
        }
    }
    names
}

/// The kind of the name at `at` of the raw list, if it has one.
fn names_kind(items: &[Value], at: usize) -> Option<NameKind> {
    items.get(at)?.get("lang")?.as_str()?.parse().ok()
}

fn parse_countries(v: Option<&Value>, errors: &mut ValidationErrors) -> Vec<CountryStatus> {
    let items = match v {
        Some(Value::Array(items)) => items.as_slice(),
        None | Some(Value::Null) => &[],
        Some(_) => {
            errors.push("countries", Reason::coded("field-must-be-list", &[]));
            return Vec::new();
        }
    };
    let mut out: Vec<CountryStatus> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let field = format!("countries[{i}]");
        let Some(obj) = item.as_object() else {
            errors.push(field, Reason::coded("field-must-be-object", &[]));
            continue;
        };
        let mut inner = ValidationErrors::default();
        if let Some(unknown) = obj
            .keys()
            .find(|k| !matches!(k.as_str(), "country" | "status" | "effective" | "note"))
        {
            inner.push(unknown.clone(), Reason::coded("field-unknown", &[]));
        }
        let country = text_field(obj, "country", true, &mut inner)
            .and_then(|s| take(&mut inner, "country", CountryCode::parse(&s)));
        let status = text_field(obj, "status", true, &mut inner)
            .and_then(|s| take(&mut inner, "status", s.parse::<NationalStatus>()));
        let effective = text_field(obj, "effective", true, &mut inner)
            .and_then(|s| take(&mut inner, "effective", effective_date(&s)));
        let note = text_field(obj, "note", false, &mut inner).unwrap_or_default();
        if let Err(r) = one_line(&note, 500) {
            inner.push("note", r);
        }
        let failed = !inner.is_empty();
        for e in inner.0 {
            errors.push(format!("{field}.{}", e.field), e.reason);
        }
        let (Some(country), Some(status), Some(effective), false) =
            (country, status, effective, failed)
        else {
            continue;
        };
        if out
            .iter()
            .any(|c| c.country == country && c.effective == effective)
        {
            errors.push(
                format!("{field}.effective"),
                Reason::coded(
                    "substance-country-status-twice",
                    &[("country", &country), ("date", &effective)],
                ),
            );
            continue;
        }
        out.push(CountryStatus {
            country,
            status,
            effective,
            note,
        });
    }
    out.sort_by_key(|a| (a.country, a.effective));
    out
}

/// A date a status takes effect: a calendar date from 1912 (the first opium convention) on; it
/// may lie ahead, when a law is passed before it comes into force.
fn effective_date(s: &str) -> Result<NaiveDate, Reason> {
    let d = crate::analysis::calendar_day(s.trim())
        .ok_or_else(|| Reason::coded("analysis-date-invalid", &[("value", &s)]))?;
    if d < NaiveDate::from_ymd_opt(1912, 1, 1).unwrap_or(NaiveDate::MIN)
        || d > NaiveDate::from_ymd_opt(2200, 1, 1).unwrap_or(NaiveDate::MAX)
    {
        return Err(Reason::coded("substance-effective-range", &[("value", &s)]));
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn cas_numbers_are_checked_by_their_check_digit() {
        for good in ["7732-18-5", "50-36-2", "537-46-2", "103-79-7", "50-00-0"] {
            assert_eq!(CasNumber::parse(good).unwrap().as_str(), good, "{good}");
        }
        let e = CasNumber::parse("7732-18-4").unwrap_err();
        assert_eq!(e.key(), Some("cas-check-digit"));
        assert!(e.as_str().contains('5'), "{e}");
        for bad in [
            "7732185",
            "7-18-5",
            "07732-18-5",
            "7732-1-5",
            "7732-18-55",
            "a732-18-5",
            "",
        ] {
            assert_eq!(
                CasNumber::parse(bad).unwrap_err().key(),
                Some("cas-invalid"),
                "{bad}"
            );
        }
    }

    #[test]
    fn inchikeys_are_checked_by_their_shape() {
        let k = InchiKey::parse("bsynrymutxbxsq-uhfffaoysa-n").unwrap();
        assert_eq!(k.as_str(), "BSYNRYMUTXBXSQ-UHFFFAOYSA-N");
        for bad in [
            "BSYNRYMUTXBXSQ-UHFFFAOYSA",
            "BSYNRYMUTXBXSQUHFFFAOYSAN",
            "BSYNRYMUTXBXS1-UHFFFAOYSA-N",
            "BSYNRYMUTXBXSQ-UHFFFAOYXA-N",
            "BSYNRYMUTXBXSQ-UHFFFAOYSA-NN",
        ] {
            assert_eq!(
                InchiKey::parse(bad).unwrap_err().key(),
                Some("inchikey-invalid"),
                "{bad}"
            );
        }
    }

    #[test]
    fn formulas_are_checked_by_their_syntax_and_elements() {
        for good in [
            "C17H19NO3",
            "C21H27NO.HCl",
            "C8H11NO2.2H2O",
            "(C2H5)2O",
            "KMnO4",
            "C12H22O11",
            "Ca(OH)2",
        ] {
            Formula::parse(good).unwrap();
        }
        assert_eq!(
            Formula::parse("C17H21NO4·HCl").unwrap().as_str(),
            "C17H21NO4.HCl"
        );
        assert_eq!(
            Formula::parse("C17Xx21").unwrap_err().key(),
            Some("formula-element-unknown")
        );
        for bad in [
            "",
            "c17h19no3",
            "C0H1",
            "C17H19NO3.",
            "(C2H5",
            "C2H5)",
            "2",
            "C17 H19",
            "C-1",
        ] {
            assert!(Formula::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn controls_read_their_codes_and_refuse_unknown_schedules() {
        assert_eq!(
            Control::parse("1971/ii").unwrap(),
            Control::Psychotropic1971(2)
        );
        assert_eq!(Control::parse("1988/I").unwrap().code(), "1988/I");
        for c in Control::ALL {
            assert_eq!(Control::parse(&c.code()).unwrap(), c);
        }
        for bad in ["1988/III", "1961/V", "1972/I", "I"] {
            assert_eq!(
                Control::parse(bad).unwrap_err().key(),
                Some("control-unknown"),
                "{bad}"
            );
        }
    }

    #[test]
    fn name_keys_ignore_spelling_noise() {
        assert_eq!(name_key("α-PVP"), name_key("alpha PVP"));
        assert_eq!(name_key("4-MEC"), name_key("4mec"));
        assert_eq!(name_key("Мефедрон"), name_key("мефедрон"));
        assert_eq!(name_key("Ёлка"), name_key("елка"));
        assert_eq!(name_key("（４－ＭＭＣ）"), name_key("4-MMC"));
        assert_ne!(name_key("4-MMC"), name_key("3-MMC"));
        assert_eq!(name_key("--"), "");
    }

    fn draft() -> serde_json::Value {
        json!({
            "names": [
                {"text": "Mephedrone", "lang": "en"},
                {"text": "4-MMC", "lang": "en"},
                {"text": "Мефедрон", "lang": "ru"},
                {"text": "соль", "lang": "local"}
            ],
            "class": "synthetic_cathinone",
            "formula": "C11H15NO",
            "international": ["1971/II"],
            "countries": [
                {"country": "KZ", "status": "controlled", "effective": "2012-03-01"},
                {"country": "kz", "status": "temporary", "effective": "2011-01-01"}
            ],
            "sources": ["CND decision 58/1 (2015)"]
        })
    }

    #[test]
    fn a_draft_parses_with_its_names_controls_and_history() {
        let d = SubstanceDraft::parse(&draft()).unwrap();
        assert_eq!(d.name(NameKind::En), "Mephedrone");
        assert_eq!(d.name(NameKind::Ru), "Мефедрон");
        assert_eq!(d.class, SubstanceClass::SyntheticCathinone);
        assert!(d.controls.contains(&Control::Psychotropic1971(2)));
        let kz = CountryCode::parse("KZ").unwrap();
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(d.status_in(kz, day("2010-01-01")), None);
        assert_eq!(
            d.status_in(kz, day("2011-06-01")).unwrap().status,
            NationalStatus::Temporary
        );
        assert_eq!(
            d.status_in(kz, day("2020-01-01")).unwrap().status,
            NationalStatus::Controlled
        );
        // The street name is no unique key.
        assert_eq!(d.unique_keys().len(), 3);
        // A code written alike in English and Russian is one key.
        let mut v = draft();
        v["names"] =
            json!([{"text": "5F-MDMB-PICA", "lang": "en"}, {"text": "5F-MDMB-PICA", "lang": "ru"}]);
        assert_eq!(SubstanceDraft::parse(&v).unwrap().unique_keys().len(), 1);
        assert_eq!(SubstanceDraft::parse(&d.to_json()).unwrap(), d);
    }

    fn subject(
        agency: &str,
        role: crate::Role,
        standing: crate::CountryStatus,
    ) -> crate::access::Subject {
        let agency = crate::AgencyCode::parse(agency).unwrap();
        crate::access::Subject {
            username: crate::Username::parse("someone").unwrap(),
            country: agency.country(),
            agency,
            country_status: standing,
            roles: [role].into_iter().collect(),
            clearance: crate::Classification::Secret,
            active: true,
            operations: Default::default(),
        }
    }

    #[test]
    fn analysts_of_members_and_the_centre_keep_the_registry() {
        use crate::{CountryStatus as S, Role};
        may_edit(&subject("KZ-MVD", Role::Analyst, S::Member)).unwrap();
        may_edit(&subject("XC-CARICC", Role::CentreAdmin, S::Centre)).unwrap();
        for s in [
            subject("FR-OFAST", Role::Analyst, S::Observer),
            subject("KZ-MVD", Role::Officer, S::Member),
            subject("XC-CARICC", Role::Auditor, S::Centre),
            crate::access::Subject {
                active: false,
                ..subject("KZ-MVD", Role::Analyst, S::Member)
            },
        ] {
            assert_eq!(
                may_edit(&s).unwrap_err().key(),
                Some("substance-not-editor")
            );
        }
    }

    #[test]
    fn a_country_status_is_set_by_that_country_or_the_centre() {
        use crate::{CountryStatus as S, Role};
        let d = SubstanceDraft::parse(&draft()).unwrap();
        let kz = subject("KZ-MVD", Role::Analyst, S::Member);
        let ru = subject("RU-MVD", Role::Analyst, S::Member);
        let centre = subject("XC-CARICC", Role::Analyst, S::Centre);
        check_country_changes(&kz, &[], &d.countries).unwrap();
        check_country_changes(&centre, &[], &d.countries).unwrap();
        let e = check_country_changes(&ru, &[], &d.countries).unwrap_err();
        assert_eq!(e.0.len(), 1, "{e}");
        assert_eq!(e.0[0].reason.key(), Some("substance-country-not-yours"));
        // Leaving another country's entries as they were is no change.
        check_country_changes(&ru, &d.countries, &d.countries).unwrap();
        // Nor may it remove them.
        assert!(check_country_changes(&ru, &d.countries, &[]).is_err());
    }

    #[test]
    fn a_bad_draft_names_every_field_at_fault() {
        let mut v = draft();
        v["names"] = json!([
            {"text": "Mephedrone", "lang": "en"},
            {"text": "mephedrone", "lang": "en"},
            {"text": "?!", "lang": "local"},
            {"text": "x", "lang": "de"}
        ]);
        v["class"] = json!("dessert");
        v["cas"] = json!("1189805-46-5");
        v["inchikey"] = json!("nope");
        v["formula"] = json!("C11H15Q");
        v["international"] = json!(["1988/III"]);
        v["countries"] = json!([
            {"country": "QQ", "status": "controlled", "effective": "2012-03-01"},
            {"country": "KZ", "status": "banned", "effective": "2012-02-30"},
            {"country": "UZ", "status": "controlled", "effective": "2012-01-01"},
            {"country": "UZ", "status": "analogue", "effective": "2012-01-01"}
        ]);
        v["colour"] = json!("white");
        let e = SubstanceDraft::parse(&v).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        for f in [
            "colour",
            "names[1].text",
            "names[2].text",
            "names[3].lang",
            "names",
            "class",
            "cas",
            "inchikey",
            "formula",
            "international[0]",
            "countries[0].country",
            "countries[1].status",
            "countries[1].effective",
            "countries[3].effective",
        ] {
            assert!(fields.contains(&f), "{f} not named in {e}");
        }
    }
}
