//! The record schemata: a FollowTheMoney-compatible subset (property names, types and inheritance
//! as FtM defines them) plus Pamir's own `Seizure` and `Case`. Labels live in the translation
//! catalogue (`pamir-i18n`), keyed `schema-…`, `prop-…` and `{vocabulary}-{value}`.

pub use pamir_i18n::Lang;

/// How a property's values are checked and normalised.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PropType {
    /// A name of a person or organisation: matched, transliterated, searched.
    Name,
    String,
    Text,
    /// ISO 8601, possibly partial: `1984`, `1984-03`, `1984-03-07`, optionally with a time.
    Date,
    Country,
    Phone,
    Email,
    Url,
    Identifier,
    Number,
    /// The id of another record.
    Entity,
    Address,
    Gender,
    /// One of a fixed vocabulary.
    Enum(&'static Vocabulary),
}

/// A fixed list of values, each with the catalogue key of its label (`unit-kg`).
#[derive(Debug, PartialEq)]
pub struct Vocabulary {
    pub name: &'static str,
    /// (value, label key).
    pub values: &'static [(&'static str, &'static str)],
}

impl Vocabulary {
    /// The label of `value` in `lang`, if the vocabulary has it.
    pub fn label(&self, value: &str, lang: Lang) -> Option<&'static str> {
        self.values
            .iter()
            .find(|(v, _)| *v == value)
            .map(|(_, key)| pamir_i18n::text(lang, key))
    }
    pub fn contains(&self, value: &str) -> bool {
        self.values.iter().any(|(v, _)| *v == value)
    }
    /// The values, in order.
    pub fn codes(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.values.iter().map(|(v, _)| *v)
    }
}

/// A vocabulary whose labels are `{name}-{value}` in the catalogue.
macro_rules! vocab {
    ($name:literal, [$($v:literal),*]) => {
        Vocabulary { name: $name, values: &[$(($v, concat!($name, "-", $v))),*] }
    };
}

impl PropType {
    pub fn name(&self) -> &'static str {
        match self {
            PropType::Name => "name",
            PropType::String => "string",
            PropType::Text => "text",
            PropType::Date => "date",
            PropType::Country => "country",
            PropType::Phone => "phone",
            PropType::Email => "email",
            PropType::Url => "url",
            PropType::Identifier => "identifier",
            PropType::Number => "number",
            PropType::Entity => "entity",
            PropType::Address => "address",
            PropType::Gender => "gender",
            PropType::Enum(_) => "enum",
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct PropDef {
    pub name: &'static str,
    pub ty: PropType,
    /// Its label in the catalogue: `prop-{name}`, or a key of its own where one schema labels
    /// the property differently (a seizure's `date` is its date of seizure).
    pub label_key: &'static str,
    /// Inclusive bounds for numbers.
    pub min: f64,
    pub max: f64,
    /// Dates of events that have happened (birth, seizure): a future value is impossible.
    pub past_only: bool,
    /// At most one value (a seizure has one date, one quantity, one unit).
    pub single: bool,
    /// Numbers that must be above zero, not merely not negative (a seized quantity).
    pub positive: bool,
}

const fn def(name: &'static str, ty: PropType, label_key: &'static str) -> PropDef {
    PropDef {
        name,
        ty,
        label_key,
        min: f64::NEG_INFINITY,
        max: f64::INFINITY,
        past_only: false,
        single: false,
        positive: false,
    }
}

/// A property labelled `prop-{name}` in the catalogue, or by the key given.
macro_rules! p {
    ($name:literal, $ty:expr) => {
        def($name, $ty, concat!("prop-", $name))
    };
    ($name:literal, $ty:expr, $key:literal) => {
        def($name, $ty, $key)
    };
}

impl PropDef {
    const fn past(mut self) -> Self {
        self.past_only = true;
        self
    }
    const fn single(mut self) -> Self {
        self.single = true;
        self
    }
    const fn positive(mut self) -> Self {
        self.positive = true;
        self
    }
    const fn range(mut self, min: f64, max: f64) -> Self {
        self.min = min;
        self.max = max;
        self
    }
    pub fn label(&self, lang: Lang) -> &'static str {
        pamir_i18n::text(lang, self.label_key)
    }
}

#[derive(Debug)]
pub struct Schema {
    pub name: &'static str,
    /// Its label in the catalogue: `schema-{name}`.
    pub label_key: &'static str,
    groups: &'static [&'static [PropDef]],
    /// Each entry is a set of alternatives of which at least one must have a value.
    pub required: &'static [&'static [&'static str]],
    /// Properties whose first value names the record, in order of preference.
    pub caption: &'static [&'static str],
    /// Pamir's own schema rather than a FollowTheMoney one.
    pub pamir_extension: bool,
}

impl Schema {
    /// Every property once, in declaration order (FtM inheritance repeats some, e.g. `country`).
    pub fn props(&self) -> impl Iterator<Item = &'static PropDef> + '_ {
        self.all_defs().filter(|p| {
            self.prop(p.name)
                .is_some_and(|first| std::ptr::eq(first, *p))
        })
    }
    pub fn prop(&self, name: &str) -> Option<&'static PropDef> {
        self.all_defs().find(|p| p.name == name)
    }
    fn all_defs(&self) -> impl Iterator<Item = &'static PropDef> + '_ {
        self.groups.iter().flat_map(|g| g.iter())
    }
    pub fn label(&self, lang: Lang) -> &'static str {
        pamir_i18n::text(lang, self.label_key)
    }
}

impl PartialEq for Schema {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

use PropType as T;

const THING: &[PropDef] = &[
    p!("name", T::Name),
    p!("alias", T::Name),
    p!("previousName", T::Name),
    p!("weakAlias", T::Name),
    p!("summary", T::Text),
    p!("description", T::Text),
    p!("country", T::Country),
    p!("address", T::Address),
    p!("addressEntity", T::Entity),
    p!("sourceUrl", T::Url),
    p!("keywords", T::String),
    p!("notes", T::Text),
];

const LEGAL_ENTITY: &[PropDef] = &[
    p!("email", T::Email),
    p!("phone", T::Phone),
    p!("website", T::Url),
    p!("legalForm", T::String),
    p!("incorporationDate", T::Date).past(),
    p!("dissolutionDate", T::Date).past(),
    p!("taxNumber", T::Identifier),
    p!("registrationNumber", T::Identifier),
    p!("idNumber", T::Identifier),
    p!("status", T::String),
    p!("sector", T::String),
    p!("jurisdiction", T::Country),
    p!("mainCountry", T::Country),
    p!("innCode", T::Identifier),
    p!("ogrnCode", T::Identifier),
];

const GENDERS: &Vocabulary = &vocab!("gender", ["male", "female", "other"]);

const PERSON: &[PropDef] = &[
    p!("title", T::String),
    p!("firstName", T::String),
    p!("secondName", T::String),
    p!("middleName", T::String),
    p!("fatherName", T::String),
    p!("motherName", T::String),
    p!("lastName", T::String),
    p!("nameSuffix", T::String),
    p!("birthDate", T::Date).past(),
    p!("birthPlace", T::String),
    p!("birthCountry", T::Country),
    p!("deathDate", T::Date).past(),
    p!("position", T::String),
    p!("nationality", T::Country),
    p!("citizenship", T::Country),
    p!("passportNumber", T::Identifier),
    p!("gender", T::Enum(GENDERS)),
    p!("ethnicity", T::String),
    p!("height", T::Number).range(30.0, 260.0),
    p!("weight", T::Number).range(1.0, 400.0),
    p!("eyeColor", T::String),
    p!("hairColor", T::String),
    p!("appearance", T::Text),
];

const COMPANY: &[PropDef] = &[
    p!("capital", T::Number).range(0.0, f64::INFINITY),
    p!("currency", T::String),
];

const ASSET: &[PropDef] = &[
    p!("amount", T::Number).range(0.0, f64::INFINITY),
    p!("currency", T::String),
];

const VEHICLE: &[PropDef] = &[
    p!("registrationNumber", T::Identifier),
    p!("type", T::String),
    p!("model", T::String),
    p!("owner", T::Entity),
    p!("operator", T::Entity),
    p!("buildDate", T::Date).past(),
    p!("registrationDate", T::Date).past(),
];

/// Pamir extension: FtM has no VIN property, and customs and border agencies record it.
const VEHICLE_PAMIR: &[PropDef] = &[p!("vin", T::Identifier)];

const VESSEL: &[PropDef] = &[
    p!("imoNumber", T::Identifier),
    p!("mmsi", T::Identifier),
    p!("flag", T::Country),
    p!("pastFlags", T::Country),
    p!("callSign", T::Identifier),
    p!("tonnage", T::Number).range(0.0, f64::INFINITY),
    p!("navigationArea", T::String),
];

const INTERVAL: &[PropDef] = &[
    p!("startDate", T::Date),
    p!("endDate", T::Date),
    p!("date", T::Date),
    p!("summary", T::Text),
    p!("description", T::Text),
    p!("sourceUrl", T::Url),
];

const IDENTIFICATION: &[PropDef] = &[
    p!("holder", T::Entity),
    p!("type", T::String),
    p!("country", T::Country),
    p!("number", T::Identifier),
    p!("authority", T::String),
];

const PASSPORT: &[PropDef] = &[
    p!("surname", T::String),
    p!("givenName", T::String),
    p!("birthDate", T::Date).past(),
    p!("birthPlace", T::String),
    p!("gender", T::Enum(GENDERS)),
    p!("personalNumber", T::Identifier),
];

const ADDRESS: &[PropDef] = &[
    p!("full", T::Address),
    p!("remarks", T::Text),
    p!("postOfficeBox", T::String),
    p!("street", T::String),
    p!("street2", T::String),
    p!("city", T::String),
    p!("postalCode", T::String),
    p!("region", T::String),
    p!("state", T::String),
    p!("latitude", T::Number).range(-90.0, 90.0),
    p!("longitude", T::Number).range(-180.0, 180.0),
    p!("country", T::Country),
];

const BANK_ACCOUNT: &[PropDef] = &[
    p!("bankName", T::String),
    p!("bank", T::Entity),
    p!("accountNumber", T::Identifier),
    p!("iban", T::Identifier),
    p!("bic", T::Identifier),
    p!("accountType", T::String),
    p!("balance", T::Number),
    p!("openingDate", T::Date).past(),
    p!("closingDate", T::Date).past(),
];

const CRYPTO_WALLET: &[PropDef] = &[
    p!("publicKey", T::Identifier),
    p!("currencySymbol", T::String),
    p!("managingExchange", T::String),
    p!("holder", T::Entity, "prop-wallet-holder"),
    p!("balance", T::Number),
    p!("creationDate", T::Date).past(),
];

const USER_ACCOUNT: &[PropDef] = &[
    p!("owner", T::Entity),
    p!("service", T::String),
    p!("email", T::Email),
    p!("number", T::Phone, "prop-account-number"),
    p!("username", T::String),
];

const PAYMENT: &[PropDef] = &[
    p!("amount", T::Number).range(0.0, f64::INFINITY),
    p!("currency", T::String),
    p!("amountUsd", T::Number).range(0.0, f64::INFINITY),
    p!("sequenceNumber", T::String),
    p!("transactionNumber", T::Identifier),
    p!("purpose", T::Text),
    p!("payer", T::Entity),
    p!("payerAccount", T::Entity),
    p!("beneficiary", T::Entity),
    p!("beneficiaryAccount", T::Entity),
];

const OWNERSHIP: &[PropDef] = &[
    p!("owner", T::Entity),
    p!("asset", T::Entity),
    p!("percentage", T::Number).range(0.0, 100.0),
    p!("sharesCount", T::Number).range(0.0, f64::INFINITY),
    p!("ownershipType", T::String),
    p!("role", T::String),
    p!("status", T::String),
    p!("legalBasis", T::String),
];

/// Drug groups of the UNODC Individual Drug Seizures questionnaire.
pub const SUBSTANCE_GROUPS: &Vocabulary = &vocab!(
    "substance-group",
    [
        "opiates",
        "cannabis",
        "cocaine",
        "ats",
        "nps",
        "precursors",
        "sedatives",
        "hallucinogens",
        "other"
    ]
);

pub const UNITS: &Vocabulary = &vocab!("unit", ["kg", "g", "l", "ml", "tablets", "units"]);

pub const TRANSPORT_MODES: &Vocabulary = &vocab!(
    "transport",
    [
        "road",
        "rail",
        "air",
        "sea",
        "river",
        "postal",
        "pedestrian",
        "pack_animal",
        "other"
    ]
);

pub const DETECTION_METHODS: &Vocabulary = &vocab!(
    "detection",
    [
        "intelligence",
        "risk_profiling",
        "random_check",
        "canine",
        "xray",
        "controlled_delivery",
        "other"
    ]
);

const SEIZURE: &[PropDef] = &[
    p!("date", T::Date, "prop-seizure-date").past().single(),
    p!("country", T::Country, "prop-seizure-country").single(),
    p!("place", T::String),
    p!("latitude", T::Number).range(-90.0, 90.0).single(),
    p!("longitude", T::Number).range(-180.0, 180.0).single(),
    p!("substance", T::String),
    p!("substanceGroup", T::Enum(SUBSTANCE_GROUPS)).single(),
    p!("quantity", T::Number)
        .range(0.0, 1.0e9)
        .positive()
        .single(),
    p!("unit", T::Enum(UNITS)).single(),
    p!("purity", T::Number).range(0.0, 100.0).single(),
    p!("packaging", T::String),
    p!("concealment", T::String),
    p!("transportMode", T::Enum(TRANSPORT_MODES)).single(),
    p!("originCountry", T::Country).single(),
    p!("transitCountries", T::Country),
    p!("destinationCountry", T::Country).single(),
    p!("detectionMethod", T::Enum(DETECTION_METHODS)),
    p!("seizingAgency", T::String),
    p!("traffickerNationalities", T::Country),
    p!("caseReference", T::Identifier),
    p!("description", T::Text),
    p!("notes", T::Text),
];

pub const CASE_STATUSES: &Vocabulary = &vocab!(
    "case-status",
    ["open", "suspended", "transferred", "closed"]
);

const CASE: &[PropDef] = &[
    p!("nationalReference", T::Identifier).single(),
    p!("status", T::Enum(CASE_STATUSES)).single(),
    p!("title", T::String, "prop-case-title"),
    p!("country", T::Country),
    p!("openedDate", T::Date).past().single(),
    p!("closedDate", T::Date).past().single(),
    p!("article", T::String),
    p!("description", T::Text),
    p!("notes", T::Text),
];

macro_rules! schema {
    ($name:literal, [$($g:ident),*], required [$([$($r:literal),*]),*], caption [$($c:literal),*], pamir $pamir:literal) => {
        Schema {
            name: $name,
            label_key: concat!("schema-", $name),
            groups: &[$($g),*],
            required: &[$(&[$($r),*]),*],
            caption: &[$($c),*],
            pamir_extension: $pamir,
        }
    };
}

pub static SCHEMATA: &[Schema] = &[
    schema!("Person", [THING, LEGAL_ENTITY, PERSON], required [["name"]], caption ["name", "lastName"], pamir false),
    schema!("Organization", [THING, LEGAL_ENTITY], required [["name"]], caption ["name"], pamir false),
    schema!("Company", [THING, LEGAL_ENTITY, COMPANY], required [["name"]], caption ["name"], pamir false),
    schema!("Vehicle", [THING, ASSET, VEHICLE, VEHICLE_PAMIR], required [["name", "registrationNumber", "vin"]], caption ["registrationNumber", "name", "vin", "model"], pamir false),
    schema!("Vessel", [THING, ASSET, VEHICLE, VESSEL], required [["name", "imoNumber", "registrationNumber"]], caption ["name", "imoNumber", "registrationNumber"], pamir false),
    schema!("Identification", [INTERVAL, IDENTIFICATION], required [["number"]], caption ["number"], pamir false),
    schema!("Passport", [INTERVAL, IDENTIFICATION, PASSPORT], required [["number"]], caption ["number"], pamir false),
    schema!("Address", [THING, ADDRESS], required [["full", "street", "city"]], caption ["full", "street", "city"], pamir false),
    schema!("BankAccount", [THING, ASSET, BANK_ACCOUNT], required [["iban", "accountNumber"]], caption ["iban", "accountNumber", "name"], pamir false),
    schema!("CryptoWallet", [THING, CRYPTO_WALLET], required [["publicKey"]], caption ["publicKey", "name"], pamir false),
    schema!("UserAccount", [THING, USER_ACCOUNT], required [["username"]], caption ["username", "email", "number"], pamir false),
    schema!("Payment", [INTERVAL, PAYMENT], required [["payer"], ["beneficiary"]], caption ["transactionNumber", "amount"], pamir false),
    schema!("Ownership", [INTERVAL, OWNERSHIP], required [["owner"], ["asset"]], caption ["role", "ownershipType"], pamir false),
    schema!("Seizure", [SEIZURE], required [["date"], ["country"], ["substance"], ["quantity"], ["unit"]], caption ["substance"], pamir true),
    schema!("Case", [CASE], required [["nationalReference"], ["status"]], caption ["nationalReference", "title"], pamir true),
];

pub fn schema(name: &str) -> Option<&'static Schema> {
    SCHEMATA.iter().find(|s| s.name == name)
}

/// The label of an enum value in `lang`, for display.
pub fn enum_label(prop: &PropDef, value: &str, lang: Lang) -> Option<&'static str> {
    match prop.ty {
        PropType::Enum(vocabulary) => vocabulary.label(value, lang),
        _ => None,
    }
}

/// Every catalogue key the schemata use: schema, property and vocabulary labels.
pub fn label_keys() -> impl Iterator<Item = &'static str> {
    SCHEMATA.iter().flat_map(|s| {
        std::iter::once(s.label_key).chain(s.all_defs().flat_map(|p| {
            let values = match p.ty {
                PropType::Enum(v) => v.values,
                _ => &[],
            };
            std::iter::once(p.label_key).chain(values.iter().map(|(_, key)| *key))
        }))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_schema_names_real_required_and_caption_properties_without_clashes() {
        for s in SCHEMATA {
            for alternatives in s.required {
                for r in *alternatives {
                    assert!(s.prop(r).is_some(), "{}: required {r} unknown", s.name);
                }
            }
            for c in s.caption {
                assert!(s.prop(c).is_some(), "{}: caption {c} unknown", s.name);
            }
            // A property inherited twice (e.g. `country`) must be declared with one type.
            for first in s.props() {
                for other in s.all_defs().filter(|p| p.name == first.name) {
                    assert_eq!(
                        other.ty.name(),
                        first.ty.name(),
                        "{}: {} declared twice",
                        s.name,
                        first.name
                    );
                }
            }
        }
    }
}
