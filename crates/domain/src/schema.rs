//! The record schemata: a FollowTheMoney-compatible subset (property names, types and inheritance
//! as FtM defines them) plus Pamir's own `Seizure` and `Case`. Labels are bilingual because the
//! interface shows them in English and Russian.

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
    /// One of a fixed vocabulary: (value, English label, Russian label).
    Enum(&'static [(&'static str, &'static str, &'static str)]),
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
    pub en: &'static str,
    pub ru: &'static str,
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

const fn p(name: &'static str, ty: PropType, en: &'static str, ru: &'static str) -> PropDef {
    PropDef {
        name,
        ty,
        en,
        ru,
        min: f64::NEG_INFINITY,
        max: f64::INFINITY,
        past_only: false,
        single: false,
        positive: false,
    }
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
        match lang {
            Lang::En => self.en,
            Lang::Ru => self.ru,
        }
    }
}

/// The interface languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    En,
    Ru,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
        }
    }
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().get(..2).map(|p| p.to_ascii_lowercase()).as_deref() {
            Some("en") => Some(Lang::En),
            Some("ru") => Some(Lang::Ru),
            _ => None,
        }
    }
}

#[derive(Debug)]
pub struct Schema {
    pub name: &'static str,
    pub en: &'static str,
    pub ru: &'static str,
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
        match lang {
            Lang::En => self.en,
            Lang::Ru => self.ru,
        }
    }
}

impl PartialEq for Schema {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

use PropType as T;

const THING: &[PropDef] = &[
    p("name", T::Name, "Name", "Имя / наименование"),
    p("alias", T::Name, "Other name", "Другое имя"),
    p("previousName", T::Name, "Previous name", "Прежнее имя"),
    p(
        "weakAlias",
        T::Name,
        "Weak alias",
        "Кличка / слабый псевдоним",
    ),
    p("summary", T::Text, "Summary", "Краткое описание"),
    p("description", T::Text, "Description", "Описание"),
    p("country", T::Country, "Country", "Страна"),
    p("address", T::Address, "Address", "Адрес"),
    p(
        "addressEntity",
        T::Entity,
        "Address (record)",
        "Адрес (запись)",
    ),
    p("sourceUrl", T::Url, "Source link", "Ссылка на источник"),
    p("keywords", T::String, "Keywords", "Ключевые слова"),
    p("notes", T::Text, "Notes", "Примечания"),
];

const LEGAL_ENTITY: &[PropDef] = &[
    p("email", T::Email, "E-mail", "Эл. почта"),
    p("phone", T::Phone, "Phone", "Телефон"),
    p("website", T::Url, "Website", "Веб-сайт"),
    p(
        "legalForm",
        T::String,
        "Legal form",
        "Организационно-правовая форма",
    ),
    p(
        "incorporationDate",
        T::Date,
        "Incorporation date",
        "Дата регистрации",
    )
    .past(),
    p(
        "dissolutionDate",
        T::Date,
        "Dissolution date",
        "Дата ликвидации",
    )
    .past(),
    p(
        "taxNumber",
        T::Identifier,
        "Tax number",
        "ИНН / налоговый номер",
    ),
    p(
        "registrationNumber",
        T::Identifier,
        "Registration number",
        "Регистрационный номер",
    ),
    p(
        "idNumber",
        T::Identifier,
        "ID number",
        "Идентификационный номер",
    ),
    p("status", T::String, "Status", "Статус"),
    p("sector", T::String, "Sector", "Отрасль"),
    p("jurisdiction", T::Country, "Jurisdiction", "Юрисдикция"),
    p(
        "mainCountry",
        T::Country,
        "Country of origin",
        "Основная страна",
    ),
    p("innCode", T::Identifier, "INN", "ИНН"),
    p("ogrnCode", T::Identifier, "OGRN", "ОГРН"),
];

const GENDERS: &[(&str, &str, &str)] = &[
    ("male", "male", "мужской"),
    ("female", "female", "женский"),
    ("other", "other", "иной"),
];

const PERSON: &[PropDef] = &[
    p("title", T::String, "Title", "Обращение / звание"),
    p("firstName", T::String, "First name", "Имя"),
    p("secondName", T::String, "Second name", "Второе имя"),
    p("middleName", T::String, "Middle name", "Среднее имя"),
    p("fatherName", T::String, "Patronymic", "Отчество"),
    p("motherName", T::String, "Matronymic", "Имя матери"),
    p("lastName", T::String, "Last name", "Фамилия"),
    p("nameSuffix", T::String, "Name suffix", "Суффикс имени"),
    p("birthDate", T::Date, "Birth date", "Дата рождения").past(),
    p("birthPlace", T::String, "Place of birth", "Место рождения"),
    p(
        "birthCountry",
        T::Country,
        "Country of birth",
        "Страна рождения",
    ),
    p("deathDate", T::Date, "Death date", "Дата смерти").past(),
    p("position", T::String, "Position", "Должность"),
    p(
        "nationality",
        T::Country,
        "Nationality",
        "Гражданство (национальность)",
    ),
    p("citizenship", T::Country, "Citizenship", "Гражданство"),
    p(
        "passportNumber",
        T::Identifier,
        "Passport number",
        "Номер паспорта",
    ),
    p("gender", T::Enum(GENDERS), "Gender", "Пол"),
    p("ethnicity", T::String, "Ethnicity", "Национальность"),
    p("height", T::Number, "Height (cm)", "Рост (см)").range(30.0, 260.0),
    p("weight", T::Number, "Weight (kg)", "Вес (кг)").range(1.0, 400.0),
    p("eyeColor", T::String, "Eye colour", "Цвет глаз"),
    p("hairColor", T::String, "Hair colour", "Цвет волос"),
    p(
        "appearance",
        T::Text,
        "Physical appearance",
        "Особые приметы",
    ),
];

const COMPANY: &[PropDef] = &[
    p("capital", T::Number, "Capital", "Уставный капитал").range(0.0, f64::INFINITY),
    p("currency", T::String, "Currency", "Валюта"),
];

const ASSET: &[PropDef] = &[
    p("amount", T::Number, "Amount", "Сумма").range(0.0, f64::INFINITY),
    p("currency", T::String, "Currency", "Валюта"),
];

const VEHICLE: &[PropDef] = &[
    p(
        "registrationNumber",
        T::Identifier,
        "Registration number",
        "Регистрационный номер",
    ),
    p("type", T::String, "Type", "Тип"),
    p("model", T::String, "Model", "Модель"),
    p("owner", T::Entity, "Owner", "Владелец"),
    p("operator", T::Entity, "Operator", "Эксплуатант"),
    p("buildDate", T::Date, "Build date", "Дата выпуска").past(),
    p(
        "registrationDate",
        T::Date,
        "Registration date",
        "Дата регистрации",
    )
    .past(),
];

/// Pamir extension: FtM has no VIN property, and customs and border agencies record it.
const VEHICLE_PAMIR: &[PropDef] = &[p(
    "vin",
    T::Identifier,
    "VIN",
    "VIN (идентификационный номер)",
)];

const VESSEL: &[PropDef] = &[
    p("imoNumber", T::Identifier, "IMO number", "Номер ИМО"),
    p("mmsi", T::Identifier, "MMSI", "MMSI"),
    p("flag", T::Country, "Flag", "Флаг"),
    p("pastFlags", T::Country, "Past flags", "Прежние флаги"),
    p("callSign", T::Identifier, "Call sign", "Позывной"),
    p("tonnage", T::Number, "Tonnage", "Тоннаж").range(0.0, f64::INFINITY),
    p(
        "navigationArea",
        T::String,
        "Navigation area",
        "Район плавания",
    ),
];

const INTERVAL: &[PropDef] = &[
    p("startDate", T::Date, "Start date", "Дата начала"),
    p("endDate", T::Date, "End date", "Дата окончания"),
    p("date", T::Date, "Date", "Дата"),
    p("summary", T::Text, "Summary", "Краткое описание"),
    p("description", T::Text, "Description", "Описание"),
    p("sourceUrl", T::Url, "Source link", "Ссылка на источник"),
];

const IDENTIFICATION: &[PropDef] = &[
    p("holder", T::Entity, "Holder", "Владелец документа"),
    p("type", T::String, "Type", "Тип"),
    p("country", T::Country, "Country", "Страна"),
    p(
        "number",
        T::Identifier,
        "Document number",
        "Номер документа",
    ),
    p("authority", T::String, "Authority", "Орган выдачи"),
];

const PASSPORT: &[PropDef] = &[
    p("surname", T::String, "Surname", "Фамилия"),
    p("givenName", T::String, "Given name", "Имя"),
    p("birthDate", T::Date, "Birth date", "Дата рождения").past(),
    p("birthPlace", T::String, "Place of birth", "Место рождения"),
    p("gender", T::Enum(GENDERS), "Gender", "Пол"),
    p(
        "personalNumber",
        T::Identifier,
        "Personal number",
        "Личный номер",
    ),
];

const ADDRESS: &[PropDef] = &[
    p("full", T::Address, "Full address", "Полный адрес"),
    p("remarks", T::Text, "Remarks", "Примечания"),
    p("postOfficeBox", T::String, "PO box", "Абонентский ящик"),
    p("street", T::String, "Street", "Улица"),
    p("street2", T::String, "Street (2)", "Улица (2)"),
    p("city", T::String, "City", "Город / населённый пункт"),
    p("postalCode", T::String, "Postal code", "Почтовый индекс"),
    p("region", T::String, "Region", "Область / регион"),
    p("state", T::String, "State", "Штат / провинция"),
    p("latitude", T::Number, "Latitude", "Широта").range(-90.0, 90.0),
    p("longitude", T::Number, "Longitude", "Долгота").range(-180.0, 180.0),
    p("country", T::Country, "Country", "Страна"),
];

const BANK_ACCOUNT: &[PropDef] = &[
    p("bankName", T::String, "Bank name", "Банк"),
    p("bank", T::Entity, "Bank (record)", "Банк (запись)"),
    p(
        "accountNumber",
        T::Identifier,
        "Account number",
        "Номер счёта",
    ),
    p("iban", T::Identifier, "IBAN", "IBAN"),
    p("bic", T::Identifier, "BIC", "БИК / SWIFT"),
    p("accountType", T::String, "Account type", "Тип счёта"),
    p("balance", T::Number, "Balance", "Остаток"),
    p("openingDate", T::Date, "Opening date", "Дата открытия").past(),
    p("closingDate", T::Date, "Closing date", "Дата закрытия").past(),
];

const CRYPTO_WALLET: &[PropDef] = &[
    p("publicKey", T::Identifier, "Address", "Адрес кошелька"),
    p("currencySymbol", T::String, "Currency code", "Код валюты"),
    p("managingExchange", T::String, "Managing exchange", "Биржа"),
    p("holder", T::Entity, "Wallet holder", "Владелец кошелька"),
    p("balance", T::Number, "Balance", "Остаток"),
    p("creationDate", T::Date, "Creation date", "Дата создания").past(),
];

const USER_ACCOUNT: &[PropDef] = &[
    p("owner", T::Entity, "Owner", "Владелец"),
    p("service", T::String, "Service", "Сервис"),
    p("email", T::Email, "E-mail", "Эл. почта"),
    p("number", T::Phone, "Phone number", "Номер телефона"),
    p("username", T::String, "Username", "Имя пользователя"),
];

const PAYMENT: &[PropDef] = &[
    p("amount", T::Number, "Amount", "Сумма").range(0.0, f64::INFINITY),
    p("currency", T::String, "Currency", "Валюта"),
    p("amountUsd", T::Number, "Amount (USD)", "Сумма (USD)").range(0.0, f64::INFINITY),
    p(
        "sequenceNumber",
        T::String,
        "Sequence number",
        "Порядковый номер",
    ),
    p(
        "transactionNumber",
        T::Identifier,
        "Transaction number",
        "Номер транзакции",
    ),
    p("purpose", T::Text, "Purpose", "Назначение платежа"),
    p("payer", T::Entity, "Payer", "Плательщик"),
    p(
        "payerAccount",
        T::Entity,
        "Payer account",
        "Счёт плательщика",
    ),
    p("beneficiary", T::Entity, "Beneficiary", "Получатель"),
    p(
        "beneficiaryAccount",
        T::Entity,
        "Beneficiary account",
        "Счёт получателя",
    ),
];

const OWNERSHIP: &[PropDef] = &[
    p("owner", T::Entity, "Owner", "Владелец"),
    p("asset", T::Entity, "Asset", "Объект собственности"),
    p("percentage", T::Number, "Share (%)", "Доля (%)").range(0.0, 100.0),
    p(
        "sharesCount",
        T::Number,
        "Number of shares",
        "Количество акций",
    )
    .range(0.0, f64::INFINITY),
    p(
        "ownershipType",
        T::String,
        "Type of ownership",
        "Вид собственности",
    ),
    p("role", T::String, "Role", "Роль"),
    p("status", T::String, "Status", "Статус"),
    p("legalBasis", T::String, "Legal basis", "Правовое основание"),
];

/// Drug groups of the UNODC Individual Drug Seizures questionnaire.
pub const SUBSTANCE_GROUPS: &[(&str, &str, &str)] = &[
    (
        "opiates",
        "Opiates (opium, heroin, morphine)",
        "Опиаты (опий, героин, морфин)",
    ),
    (
        "cannabis",
        "Cannabis (herb, resin, oil)",
        "Каннабис (марихуана, гашиш, масло)",
    ),
    ("cocaine", "Cocaine", "Кокаин"),
    (
        "ats",
        "Amphetamine-type stimulants",
        "Стимуляторы амфетаминового ряда",
    ),
    (
        "nps",
        "New psychoactive substances",
        "Новые психоактивные вещества",
    ),
    ("precursors", "Precursors", "Прекурсоры"),
    (
        "sedatives",
        "Sedatives and tranquillisers",
        "Седативные вещества и транквилизаторы",
    ),
    ("hallucinogens", "Hallucinogens", "Галлюциногены"),
    ("other", "Other", "Прочие"),
];

pub const UNITS: &[(&str, &str, &str)] = &[
    ("kg", "kg", "кг"),
    ("g", "g", "г"),
    ("l", "l", "л"),
    ("ml", "ml", "мл"),
    ("tablets", "tablets", "таблеток"),
    ("units", "units (doses, blotters)", "единиц (доз, марок)"),
];

pub const TRANSPORT_MODES: &[(&str, &str, &str)] = &[
    ("road", "Road", "Автомобильный"),
    ("rail", "Rail", "Железнодорожный"),
    ("air", "Air", "Воздушный"),
    ("sea", "Sea", "Морской"),
    ("river", "River", "Речной"),
    ("postal", "Postal / courier", "Почтовый / курьерский"),
    ("pedestrian", "On foot", "Пешком"),
    ("pack_animal", "Pack animal", "Вьючные животные"),
    ("other", "Other", "Иной"),
];

pub const DETECTION_METHODS: &[(&str, &str, &str)] = &[
    ("intelligence", "Intelligence-led", "Оперативная информация"),
    ("risk_profiling", "Risk profiling", "Профиль риска"),
    ("random_check", "Random check", "Выборочный досмотр"),
    ("canine", "Detector dog", "Служебная собака"),
    ("xray", "X-ray / scanner", "Рентген / сканер"),
    (
        "controlled_delivery",
        "Controlled delivery",
        "Контролируемая поставка",
    ),
    ("other", "Other", "Иной"),
];

const SEIZURE: &[PropDef] = &[
    p("date", T::Date, "Date of seizure", "Дата изъятия")
        .past()
        .single(),
    p(
        "country",
        T::Country,
        "Country of seizure",
        "Страна изъятия",
    )
    .single(),
    p("place", T::String, "Place", "Место изъятия"),
    p("latitude", T::Number, "Latitude", "Широта")
        .range(-90.0, 90.0)
        .single(),
    p("longitude", T::Number, "Longitude", "Долгота")
        .range(-180.0, 180.0)
        .single(),
    p("substance", T::String, "Substance", "Вещество"),
    p(
        "substanceGroup",
        T::Enum(SUBSTANCE_GROUPS),
        "Drug group",
        "Группа наркотиков",
    )
    .single(),
    p("quantity", T::Number, "Quantity", "Количество")
        .range(0.0, 1.0e9)
        .positive()
        .single(),
    p("unit", T::Enum(UNITS), "Unit", "Единица измерения").single(),
    p("purity", T::Number, "Purity (%)", "Чистота (%)")
        .range(0.0, 100.0)
        .single(),
    p("packaging", T::String, "Packaging", "Упаковка"),
    p("concealment", T::String, "Concealment", "Способ сокрытия"),
    p(
        "transportMode",
        T::Enum(TRANSPORT_MODES),
        "Mode of transport",
        "Вид транспорта",
    )
    .single(),
    p(
        "originCountry",
        T::Country,
        "Country of origin",
        "Страна происхождения",
    )
    .single(),
    p(
        "transitCountries",
        T::Country,
        "Transit countries",
        "Страны транзита",
    ),
    p(
        "destinationCountry",
        T::Country,
        "Country of destination",
        "Страна назначения",
    )
    .single(),
    p(
        "detectionMethod",
        T::Enum(DETECTION_METHODS),
        "Detection method",
        "Способ обнаружения",
    ),
    p(
        "seizingAgency",
        T::String,
        "Seizing agency",
        "Изъявшее ведомство",
    ),
    p(
        "traffickerNationalities",
        T::Country,
        "Traffickers' nationalities",
        "Гражданство наркокурьеров",
    ),
    p(
        "caseReference",
        T::Identifier,
        "Case reference",
        "Номер дела",
    ),
    p("description", T::Text, "Description", "Описание"),
    p("notes", T::Text, "Notes", "Примечания"),
];

pub const CASE_STATUSES: &[(&str, &str, &str)] = &[
    ("open", "Open", "Открыто"),
    ("suspended", "Suspended", "Приостановлено"),
    ("transferred", "Transferred", "Передано"),
    ("closed", "Closed", "Закрыто"),
];

const CASE: &[PropDef] = &[
    p(
        "nationalReference",
        T::Identifier,
        "National reference",
        "Национальный номер дела",
    )
    .single(),
    p("status", T::Enum(CASE_STATUSES), "Status", "Статус").single(),
    p("title", T::String, "Title", "Название"),
    p("country", T::Country, "Country", "Страна"),
    p("openedDate", T::Date, "Opened", "Дата возбуждения")
        .past()
        .single(),
    p("closedDate", T::Date, "Closed", "Дата закрытия")
        .past()
        .single(),
    p(
        "article",
        T::String,
        "Article of the criminal code",
        "Статья УК",
    ),
    p("description", T::Text, "Description", "Описание"),
    p("notes", T::Text, "Notes", "Примечания"),
];

macro_rules! schema {
    ($name:literal, $en:literal, $ru:literal, [$($g:ident),*], required [$([$($r:literal),*]),*], caption [$($c:literal),*], pamir $pamir:literal) => {
        Schema {
            name: $name,
            en: $en,
            ru: $ru,
            groups: &[$($g),*],
            required: &[$(&[$($r),*]),*],
            caption: &[$($c),*],
            pamir_extension: $pamir,
        }
    };
}

pub static SCHEMATA: &[Schema] = &[
    schema!("Person", "Person", "Лицо", [THING, LEGAL_ENTITY, PERSON], required [["name"]], caption ["name", "lastName"], pamir false),
    schema!("Organization", "Organization", "Организация", [THING, LEGAL_ENTITY], required [["name"]], caption ["name"], pamir false),
    schema!("Company", "Company", "Компания", [THING, LEGAL_ENTITY, COMPANY], required [["name"]], caption ["name"], pamir false),
    schema!("Vehicle", "Vehicle", "Транспортное средство", [THING, ASSET, VEHICLE, VEHICLE_PAMIR], required [["name", "registrationNumber", "vin"]], caption ["registrationNumber", "name", "vin", "model"], pamir false),
    schema!("Vessel", "Vessel", "Судно", [THING, ASSET, VEHICLE, VESSEL], required [["name", "imoNumber", "registrationNumber"]], caption ["name", "imoNumber", "registrationNumber"], pamir false),
    schema!("Identification", "Identification", "Удостоверение личности", [INTERVAL, IDENTIFICATION], required [["number"]], caption ["number"], pamir false),
    schema!("Passport", "Passport", "Паспорт", [INTERVAL, IDENTIFICATION, PASSPORT], required [["number"]], caption ["number"], pamir false),
    schema!("Address", "Address", "Адрес", [THING, ADDRESS], required [["full", "street", "city"]], caption ["full", "street", "city"], pamir false),
    schema!("BankAccount", "Bank account", "Банковский счёт", [THING, ASSET, BANK_ACCOUNT], required [["iban", "accountNumber"]], caption ["iban", "accountNumber", "name"], pamir false),
    schema!("CryptoWallet", "Cryptocurrency wallet", "Криптокошелёк", [THING, CRYPTO_WALLET], required [["publicKey"]], caption ["publicKey", "name"], pamir false),
    schema!("UserAccount", "User account", "Учётная запись", [THING, USER_ACCOUNT], required [["username"]], caption ["username", "email", "number"], pamir false),
    schema!("Payment", "Payment", "Платёж", [INTERVAL, PAYMENT], required [["payer"], ["beneficiary"]], caption ["transactionNumber", "amount"], pamir false),
    schema!("Ownership", "Ownership", "Собственность", [INTERVAL, OWNERSHIP], required [["owner"], ["asset"]], caption ["role", "ownershipType"], pamir false),
    schema!("Seizure", "Seizure", "Изъятие", [SEIZURE], required [["date"], ["country"], ["substance"], ["quantity"], ["unit"]], caption ["substance"], pamir true),
    schema!("Case", "Case", "Дело", [CASE], required [["nationalReference"], ["status"]], caption ["nationalReference", "title"], pamir true),
];

pub fn schema(name: &str) -> Option<&'static Schema> {
    SCHEMATA.iter().find(|s| s.name == name)
}

/// The English and Russian label of an enum value, for display.
pub fn enum_label(prop: &PropDef, value: &str, lang: Lang) -> Option<&'static str> {
    match prop.ty {
        PropType::Enum(values) => values
            .iter()
            .find(|(v, _, _)| *v == value)
            .map(|(_, en, ru)| match lang {
                Lang::En => *en,
                Lang::Ru => *ru,
            }),
        _ => None,
    }
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
