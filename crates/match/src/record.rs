//! What matching reads from a record: its kind and the properties that identify it, taken
//! from FollowTheMoney properties, read once into comparison form.

use serde_json::Value;

use crate::dates::PartialDate;
use crate::ids::{document_key, is_legal_form, phone_e164, plate_key, vin_key};
use crate::names::{parse_name, Gender, Name, NameParts};
use crate::normalise::words;
use crate::word::{WordRef, WordSource};

/// Kinds of record that are matched; records are compared only with their own kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Person,
    Organization,
    Vehicle,
}

impl Kind {
    /// The kind of an FtM schema, `None` for schemata that are not matched.
    pub fn of_schema(schema: &str) -> Option<Kind> {
        Some(match schema {
            "Person" => Kind::Person,
            "Organization" | "Company" | "LegalEntity" | "PublicBody" => Kind::Organization,
            "Vehicle" | "Vessel" | "Airplane" => Kind::Vehicle,
            _ => return None,
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Person => "person",
            Kind::Organization => "organisation",
            Kind::Vehicle => "vehicle",
        }
    }
}

/// Kinds of identifier; numbers are compared within their kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IdKind {
    Passport,
    IdNumber,
    Tax,
    Registration,
}

impl IdKind {
    /// The kind as a catalogue selector (`match-id-*` messages).
    pub fn code(self) -> &'static str {
        match self {
            IdKind::Passport => "passport",
            IdKind::IdNumber => "id",
            IdKind::Tax => "tax",
            IdKind::Registration => "registration",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            IdKind::Passport => "passport number",
            IdKind::IdNumber => "identity number",
            IdKind::Tax => "tax number",
            IdKind::Registration => "registration number",
        }
    }
}

/// The identifying properties of one record, as written, grouped by what they mean.
#[derive(Clone, Debug, Default)]
pub struct Record {
    pub kind: Option<Kind>,
    pub names: Vec<String>,
    pub given_names: Vec<String>,
    pub surnames: Vec<String>,
    pub patronymics: Vec<String>,
    pub birth_dates: Vec<String>,
    pub genders: Vec<String>,
    pub countries: Vec<String>,
    pub identifiers: Vec<(IdKind, String)>,
    pub phones: Vec<String>,
    pub plates: Vec<String>,
    pub vins: Vec<String>,
}

impl Record {
    /// Reads a record from its schema and a property getter (FtM names). Unknown properties
    /// are ignored; a schema that is not matched gives `None`.
    pub fn from_properties<'a>(schema: &str, get: impl Fn(&str) -> Vec<&'a str>) -> Option<Record> {
        let kind = Kind::of_schema(schema)?;
        let many = |props: &[&str]| -> Vec<String> {
            props
                .iter()
                .flat_map(|p| get(p))
                .map(str::to_string)
                .collect()
        };
        let mut record = Record {
            kind: Some(kind),
            names: many(&["name", "alias", "previousName", "weakAlias"]),
            countries: many(&["nationality", "citizenship", "country", "jurisdiction"]),
            phones: many(&["phone"]),
            ..Default::default()
        };
        match kind {
            Kind::Person => {
                record.given_names = many(&["firstName"]);
                record.surnames = many(&["lastName"]);
                record.patronymics = many(&["fatherName", "middleName", "secondName"]);
                record.birth_dates = many(&["birthDate"]);
                record.genders = many(&["gender"]);
                for v in many(&["passportNumber"]) {
                    record.identifiers.push((IdKind::Passport, v));
                }
                for v in many(&["idNumber"]) {
                    record.identifiers.push((IdKind::IdNumber, v));
                }
                for v in many(&["taxNumber", "innCode"]) {
                    record.identifiers.push((IdKind::Tax, v));
                }
            }
            Kind::Organization => {
                for v in many(&["registrationNumber", "ogrnCode", "okpoCode", "leiCode"]) {
                    record.identifiers.push((IdKind::Registration, v));
                }
                for v in many(&["taxNumber", "innCode", "vatCode"]) {
                    record.identifiers.push((IdKind::Tax, v));
                }
            }
            Kind::Vehicle => {
                record.names.extend(many(&["model"]));
                record.plates = many(&["registrationNumber", "imoNumber", "callSign"]);
                record.vins = many(&["vin", "vinCode"]);
            }
        }
        Some(record)
    }

    /// Reads an FtM entity in JSON (`{"id", "schema", "properties": {…}}`). Returns its id and
    /// the record, or a message saying what is wrong.
    pub fn from_ftm_json(value: &Value) -> Result<(String, Option<Record>), String> {
        let id = match value.get("id") {
            Some(Value::String(s)) if !s.is_empty() => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => return Err("the entity has no \"id\"".into()),
        };
        let schema = value
            .get("schema")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("entity {id}: no \"schema\""))?;
        let props = value.get("properties").and_then(Value::as_object);
        let get = |p: &str| -> Vec<&str> {
            match props.and_then(|m| m.get(p)) {
                Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
                Some(Value::String(s)) => vec![s.as_str()],
                _ => Vec::new(),
            }
        };
        Ok((id, Record::from_properties(schema, get)))
    }
}

/// A number's normalised key and how it is shown.
#[derive(Clone, Debug)]
pub struct Code {
    pub key: Box<str>,
    pub shown: Box<str>,
}

#[derive(Clone, Debug)]
pub struct Phone {
    pub e164: Option<Box<str>>,
    pub tail: Box<str>,
    pub shown: Box<str>,
}

/// A record in comparison form.
#[derive(Clone, Debug)]
pub struct Prepared {
    pub kind: Kind,
    /// Each of the record's names (a person's aliases, a company's former names).
    pub names: Vec<Name>,
    /// An organisation's name words without legal forms, one list per name.
    pub org_names: Vec<Vec<WordRef>>,
    pub birth_dates: Vec<PartialDate>,
    pub gender: Option<Gender>,
    pub identifiers: Vec<(IdKind, Code)>,
    pub phones: Vec<Phone>,
    pub plates: Vec<Code>,
    pub vins: Vec<Code>,
}

impl Prepared {
    /// Reads a record into comparison form, interning words through `lexicon`. `None` when the
    /// record's kind is not matched or it holds nothing to match on.
    pub fn new(record: &Record, source: &mut dyn WordSource) -> Option<Prepared> {
        let kind = record.kind?;
        let mut names: Vec<Name> = Vec::new();
        let mut org_names: Vec<Vec<WordRef>> = Vec::new();
        match kind {
            Kind::Person => {
                let structured = NameParts {
                    full: None,
                    given: record.given_names.iter().map(String::as_str).collect(),
                    surname: record.surnames.iter().map(String::as_str).collect(),
                    patronymic: record.patronymics.iter().map(String::as_str).collect(),
                };
                for full in record.names.iter().take(8) {
                    let name = parse_name(
                        &NameParts {
                            full: Some(full),
                            patronymic: if structured.surname.is_empty() {
                                structured.patronymic.clone()
                            } else {
                                Vec::new()
                            },
                            ..Default::default()
                        },
                        source,
                    );
                    if !name.tokens.is_empty() {
                        names.push(name);
                    }
                }
                if !(structured.given.is_empty() && structured.surname.is_empty()) {
                    let name = parse_name(&structured, source);
                    if !name.tokens.is_empty() {
                        names.push(name);
                    }
                }
            }
            Kind::Organization | Kind::Vehicle => {
                for full in record.names.iter().take(8) {
                    let ws = words(full);
                    let core: Vec<&String> = ws.iter().filter(|w| !is_legal_form(w)).collect();
                    let chosen: Vec<&String> = if core.is_empty() {
                        ws.iter().collect()
                    } else {
                        core
                    };
                    let list: Vec<WordRef> = chosen.into_iter().map(|w| source.word(w)).collect();
                    if !list.is_empty() {
                        org_names.push(list);
                    }
                }
            }
        }
        let gender = record
            .genders
            .iter()
            .find_map(|g| Gender::parse(g))
            .or_else(|| names.iter().find_map(|n| n.gender));
        let code = |v: &String, key: Option<String>| {
            key.map(|k| Code {
                key: k.into(),
                shown: v.trim().into(),
            })
        };
        let identifiers: Vec<(IdKind, Code)> = record
            .identifiers
            .iter()
            .filter_map(|(k, v)| code(v, document_key(v)).map(|c| (*k, c)))
            .collect();
        let phones: Vec<Phone> = record
            .phones
            .iter()
            .filter_map(|v| {
                phone_e164(v, &record.countries).map(|(e164, tail)| Phone {
                    e164: e164.map(String::into_boxed_str),
                    tail: tail.into(),
                    shown: v.trim().into(),
                })
            })
            .collect();
        let plates: Vec<Code> = record
            .plates
            .iter()
            .filter_map(|v| code(v, plate_key(v)))
            .collect();
        let vins: Vec<Code> = record
            .vins
            .iter()
            .filter_map(|v| code(v, vin_key(v)))
            .collect();
        let birth_dates: Vec<PartialDate> = record
            .birth_dates
            .iter()
            .filter_map(|d| PartialDate::parse(d))
            .collect();
        let empty = names.is_empty()
            && org_names.is_empty()
            && identifiers.is_empty()
            && phones.is_empty()
            && plates.is_empty()
            && vins.is_empty();
        if empty {
            return None;
        }
        Some(Prepared {
            kind,
            names,
            org_names,
            birth_dates,
            gender,
            identifiers,
            phones,
            plates,
            vins,
        })
    }
}
