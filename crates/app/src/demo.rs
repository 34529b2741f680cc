//! The demo: reference data of the centre (members, observers, their agencies), users for every
//! role with the documented password `demo`, and a deterministic synthetic data set of seizures
//! along the real routes (the northern route through Tajikistan, Kyrgyzstan, Uzbekistan and
//! Kazakhstan to Russia; the Caspian and Caucasus routes; synthetic drugs and precursors), with
//! persons, vehicles and organisations written in each country's script and habits.

use std::collections::BTreeSet;

use pamir_domain::{
    audit::{Action, AuditDraft},
    entity::{Entity, EntityId, Properties},
    handling::HandlingCode,
    link::LinkKind,
    meta::{Dissemination, Evaluation},
    schema, text, AgencyCode, AgencyKind, Classification, CountryCode, CountryStatus, RecordMeta,
    Role, Username,
};
use pamir_store::{Agency, Country, Link, NewRecord, User};
use rand::{rngs::StdRng, seq::SliceRandom, Rng, SeedableRng};
use serde_json::json;

use crate::{secrets, App, AppError, AppResult};

pub const DEMO_PASSWORD: &str = "demo";

const MEMBERS: &[&str] = &["AZ", "KZ", "KG", "RU", "TJ", "TM", "UZ"];
const OBSERVERS: &[&str] = &[
    "AF", "AT", "CA", "DE", "FI", "FR", "GB", "IT", "PK", "TR", "US",
];

/// (code, kind, English name, Russian name)
const AGENCIES: &[(&str, AgencyKind, &str, &str)] = &[
    ("XC-CARICC", AgencyKind::Centre, "CARICC", "ЦАРИКЦ"),
    (
        "KZ-MVD",
        AgencyKind::Police,
        "Ministry of Internal Affairs of Kazakhstan",
        "Министерство внутренних дел Республики Казахстан",
    ),
    (
        "KZ-KNB",
        AgencyKind::Security,
        "National Security Committee of Kazakhstan",
        "Комитет национальной безопасности Республики Казахстан",
    ),
    (
        "KZ-KGD",
        AgencyKind::Customs,
        "State Revenue Committee (Customs) of Kazakhstan",
        "Комитет государственных доходов Министерства финансов РК",
    ),
    (
        "KZ-PS",
        AgencyKind::Border,
        "Border Service of the NSC of Kazakhstan",
        "Пограничная служба КНБ Республики Казахстан",
    ),
    (
        "KZ-AFM",
        AgencyKind::Fiu,
        "Financial Monitoring Agency of Kazakhstan",
        "Агентство по финансовому мониторингу Республики Казахстан",
    ),
    (
        "KG-SBNON",
        AgencyKind::DrugControl,
        "Drug Control Service of the MIA of Kyrgyzstan",
        "Служба по борьбе с незаконным оборотом наркотиков МВД Кыргызской Республики",
    ),
    (
        "KG-GTS",
        AgencyKind::Customs,
        "State Customs Service of Kyrgyzstan",
        "Государственная таможенная служба Кыргызской Республики",
    ),
    (
        "KG-GKNB",
        AgencyKind::Security,
        "State Committee for National Security of Kyrgyzstan",
        "Государственный комитет национальной безопасности Кыргызской Республики",
    ),
    (
        "TJ-AKN",
        AgencyKind::DrugControl,
        "Drug Control Agency of Tajikistan",
        "Агентство по контролю за наркотиками при Президенте Республики Таджикистан",
    ),
    (
        "TJ-VKD",
        AgencyKind::Police,
        "Ministry of Internal Affairs of Tajikistan",
        "Министерство внутренних дел Республики Таджикистан",
    ),
    (
        "TJ-GTS",
        AgencyKind::Customs,
        "Customs Service of Tajikistan",
        "Таможенная служба при Правительстве Республики Таджикистан",
    ),
    (
        "TJ-PV",
        AgencyKind::Border,
        "Border Troops of Tajikistan",
        "Пограничные войска ГКНБ Республики Таджикистан",
    ),
    (
        "UZ-IIV",
        AgencyKind::Police,
        "Ministry of Internal Affairs of Uzbekistan",
        "Министерство внутренних дел Республики Узбекистан",
    ),
    (
        "UZ-DBQ",
        AgencyKind::Customs,
        "Customs Committee of Uzbekistan",
        "Комитет таможни Республики Узбекистан",
    ),
    (
        "UZ-DXX",
        AgencyKind::Security,
        "State Security Service of Uzbekistan",
        "Служба государственной безопасности Республики Узбекистан",
    ),
    (
        "UZ-NAM",
        AgencyKind::DrugControl,
        "National Centre on Drug Control of Uzbekistan",
        "Национальный информационно-аналитический центр по контролю за наркотиками",
    ),
    (
        "RU-MVD",
        AgencyKind::Police,
        "Ministry of Internal Affairs of Russia (GUNK)",
        "МВД России (Главное управление по контролю за оборотом наркотиков)",
    ),
    (
        "RU-FTS",
        AgencyKind::Customs,
        "Federal Customs Service of Russia",
        "Федеральная таможенная служба",
    ),
    (
        "RU-FSB",
        AgencyKind::Security,
        "Federal Security Service of Russia",
        "Федеральная служба безопасности Российской Федерации",
    ),
    (
        "RU-RFM",
        AgencyKind::Fiu,
        "Rosfinmonitoring",
        "Росфинмониторинг",
    ),
    (
        "AZ-DIN",
        AgencyKind::Police,
        "Ministry of Internal Affairs of Azerbaijan",
        "Министерство внутренних дел Азербайджанской Республики",
    ),
    (
        "AZ-DGK",
        AgencyKind::Customs,
        "State Customs Committee of Azerbaijan",
        "Государственный таможенный комитет Азербайджанской Республики",
    ),
    (
        "AZ-DSX",
        AgencyKind::Border,
        "State Border Service of Azerbaijan",
        "Государственная пограничная служба Азербайджанской Республики",
    ),
    (
        "TM-IIM",
        AgencyKind::Police,
        "Ministry of Internal Affairs of Turkmenistan",
        "Министерство внутренних дел Туркменистана",
    ),
    (
        "TM-DGG",
        AgencyKind::Customs,
        "State Customs Service of Turkmenistan",
        "Государственная таможенная служба Туркменистана",
    ),
    (
        "AF-CNPA",
        AgencyKind::Police,
        "Counter Narcotics Police of Afghanistan",
        "Полиция по борьбе с наркотиками Афганистана",
    ),
    (
        "DE-BKA",
        AgencyKind::Police,
        "Federal Criminal Police Office (Germany)",
        "Федеральное ведомство уголовной полиции Германии",
    ),
    (
        "FR-OFAST",
        AgencyKind::DrugControl,
        "Anti-Narcotics Office (France)",
        "Управление по борьбе с наркотиками Франции",
    ),
    (
        "GB-NCA",
        AgencyKind::Police,
        "National Crime Agency (UK)",
        "Национальное агентство по борьбе с преступностью Великобритании",
    ),
    (
        "IT-DCSA",
        AgencyKind::DrugControl,
        "Central Directorate for Anti-Drug Services (Italy)",
        "Центральное управление по борьбе с наркотиками Италии",
    ),
    (
        "PK-ANF",
        AgencyKind::DrugControl,
        "Anti-Narcotics Force (Pakistan)",
        "Силы по борьбе с наркотиками Пакистана",
    ),
    (
        "TR-EGM",
        AgencyKind::Police,
        "Turkish National Police, Narcotics Department",
        "Управление по борьбе с наркотиками Национальной полиции Турции",
    ),
    (
        "US-DEA",
        AgencyKind::DrugControl,
        "Drug Enforcement Administration (USA)",
        "Управление по борьбе с наркотиками США",
    ),
    (
        "CA-RCMP",
        AgencyKind::Police,
        "Royal Canadian Mounted Police",
        "Королевская канадская конная полиция",
    ),
    (
        "FI-KRP",
        AgencyKind::Police,
        "National Bureau of Investigation (Finland)",
        "Национальное бюро расследований Финляндии",
    ),
    (
        "AT-BK",
        AgencyKind::Police,
        "Criminal Intelligence Service Austria",
        "Федеральное управление уголовной полиции Австрии",
    ),
];

/// The demo's Border Liaison Office channels, at real crossing points between the members.
pub fn blo_channels() -> Vec<crate::config::BloChannel> {
    [
        (
            "kz-kg-korday",
            "Korday – Ak-Zhol (KZ–KG)",
            ["KZ-PS", "KG-GTS"],
        ),
        ("kg-tj-karamyk", "Karamyk (KG–TJ)", ["KG-GTS", "TJ-PV"]),
        (
            "tj-uz-oybek",
            "Fotehobod – Oybek (TJ–UZ)",
            ["TJ-PV", "UZ-DBQ"],
        ),
        (
            "kz-uz-zhibek-zholy",
            "Zhibek Zholy – Gishtkuprik (KZ–UZ)",
            ["KZ-PS", "UZ-DBQ"],
        ),
    ]
    .into_iter()
    .map(|(id, name, agencies)| crate::config::BloChannel {
        id: id.into(),
        name: name.into(),
        agencies: agencies.iter().map(|a| a.to_string()).collect(),
    })
    .collect()
}

/// (username, display name, agency, roles, clearance)
pub const USERS: &[(&str, &str, &str, &[Role], Classification)] = &[
    (
        "admin",
        "Centre administrator",
        "XC-CARICC",
        &[Role::CentreAdmin],
        Classification::Secret,
    ),
    (
        "auditor",
        "Data-protection officer",
        "XC-CARICC",
        &[Role::Auditor],
        Classification::Secret,
    ),
    (
        "caricc.analyst",
        "Centre analyst",
        "XC-CARICC",
        &[Role::Analyst],
        Classification::Secret,
    ),
    (
        "coordinator",
        "Operations coordinator",
        "XC-CARICC",
        &[Role::Coordinator, Role::Analyst],
        Classification::Secret,
    ),
    (
        "kz.officer",
        "Ерлан Сейтқали",
        "KZ-MVD",
        &[Role::Officer],
        Classification::Confidential,
    ),
    (
        "kz.focal",
        "Айгерим Нұрланқызы",
        "KZ-MVD",
        &[Role::NationalFocalPoint, Role::Officer],
        Classification::Secret,
    ),
    (
        "kz.blo",
        "Дәурен Оспанов",
        "KZ-PS",
        &[Role::BloOfficer],
        Classification::Restricted,
    ),
    (
        "kg.officer",
        "Азамат Токтогулов",
        "KG-SBNON",
        &[Role::Officer],
        Classification::Confidential,
    ),
    (
        "kg.blo",
        "Бакыт Асанов",
        "KG-GTS",
        &[Role::BloOfficer],
        Classification::Restricted,
    ),
    (
        "tj.officer",
        "Шерзод Раҳимов",
        "TJ-AKN",
        &[Role::Officer],
        Classification::Confidential,
    ),
    (
        "tj.focal",
        "Фирӯза Назарова",
        "TJ-AKN",
        &[Role::NationalFocalPoint, Role::Officer],
        Classification::Secret,
    ),
    (
        "tj.blo",
        "Баҳодур Шарипов",
        "TJ-PV",
        &[Role::BloOfficer],
        Classification::Restricted,
    ),
    (
        "uz.officer",
        "Jasur Qodirov",
        "UZ-IIV",
        &[Role::Officer],
        Classification::Confidential,
    ),
    (
        "uz.blo",
        "Dilshod Toshmatov",
        "UZ-DBQ",
        &[Role::BloOfficer],
        Classification::Restricted,
    ),
    (
        "ru.analyst",
        "Дмитрий Соколов",
        "RU-MVD",
        &[Role::Analyst],
        Classification::Secret,
    ),
    (
        "az.officer",
        "Rəşad Məmmədov",
        "AZ-DIN",
        &[Role::Officer],
        Classification::Confidential,
    ),
    (
        "tm.officer",
        "Merdan Orazow",
        "TM-IIM",
        &[Role::Officer],
        Classification::Confidential,
    ),
    (
        "fr.observer",
        "Claire Martin",
        "FR-OFAST",
        &[Role::Analyst],
        Classification::Confidential,
    ),
];

/// Seeds the reference data and the demo users when the database has no countries yet.
/// Returns false when there was data already (the demo then reuses it).
pub async fn seed_reference(app: &App) -> AppResult<bool> {
    if !app.store.list_countries().await?.is_empty() {
        return Ok(false);
    }
    let now = app.clock.now_ms();
    let hash = secrets::hash_password(DEMO_PASSWORD).map_err(AppError::Internal)?;
    let mut tx = app.store.begin().await?;
    let centre = CountryCode::parse(pamir_domain::country::CENTRE_CODE)
        .map_err(|e| AppError::Internal(e.into()))?;
    let mut countries = vec![(centre, CountryStatus::Centre)];
    countries.extend(
        MEMBERS
            .iter()
            .filter_map(|c| CountryCode::parse(c).ok())
            .map(|c| (c, CountryStatus::Member)),
    );
    countries.extend(
        OBSERVERS
            .iter()
            .filter_map(|c| CountryCode::parse(c).ok())
            .map(|c| (c, CountryStatus::Observer)),
    );
    for (code, status) in countries {
        let (en, ru) = code.names().unwrap_or((code.as_str(), code.as_str()));
        tx.upsert_country(&Country {
            code,
            name_en: en.into(),
            name_ru: ru.into(),
            status,
        })
        .await?;
    }
    for (code, kind, en, ru) in AGENCIES {
        let code = AgencyCode::parse(code).map_err(|e| AppError::Internal(e.into()))?;
        tx.insert_agency(&Agency {
            country: code.country(),
            code,
            kind: *kind,
            name_en: (*en).into(),
            name_ru: (*ru).into(),
        })
        .await?;
    }
    for (username, display, agency, roles, clearance) in USERS {
        tx.insert_user(&User {
            username: Username::parse(username).map_err(|e| AppError::Internal(e.into()))?,
            display_name: (*display).into(),
            agency: AgencyCode::parse(agency).map_err(|e| AppError::Internal(e.into()))?,
            roles: roles.iter().copied().collect(),
            clearance: *clearance,
            password_hash: hash.as_str().into(),
            totp_secret: None,
            totp_last_step: None,
            language: None,
            disabled: false,
            failed_logins: 0,
            locked_until: None,
            created_at: now,
            updated_at: now,
        })
        .await?;
    }
    tx.audit(&AuditDraft::new("system:demo", "-", Action::CountryCreate, "demo reference data").details(json!({
        "countries": MEMBERS.len() + OBSERVERS.len() + 1, "agencies": AGENCIES.len(), "users": USERS.len()
    })))
    .await?;
    tx.commit().await?;
    Ok(true)
}

// ---------------------------------------------------------------------------------------------
// The synthetic data set.

struct Place {
    country: &'static str,
    name: &'static str,
    lat: f64,
    lon: f64,
}

const fn place(country: &'static str, name: &'static str, lat: f64, lon: f64) -> Place {
    Place {
        country,
        name,
        lat,
        lon,
    }
}

const PLACES: &[Place] = &[
    place("TJ", "Нижний Пяндж", 37.20, 68.60),
    place("TJ", "Хорог", 37.49, 71.55),
    place("TJ", "Ишкашим", 36.73, 71.61),
    place("TJ", "Душанбе", 38.56, 68.77),
    place("TJ", "Худжанд", 40.28, 69.62),
    place("TJ", "Кулоб", 37.91, 69.78),
    place("KG", "Ош", 40.51, 72.80),
    place("KG", "Баткен", 40.06, 70.82),
    place("KG", "Бишкек", 42.87, 74.59),
    place("KG", "Каракол", 42.49, 78.39),
    place("KZ", "Кордай", 43.04, 74.71),
    place("KZ", "Алматы", 43.24, 76.89),
    place("KZ", "Шымкент", 42.34, 69.59),
    place("KZ", "Жибек Жолы", 41.24, 69.41),
    place("KZ", "Астана", 51.17, 71.43),
    place("KZ", "Актау", 43.65, 51.16),
    place("KZ", "Хоргос", 44.21, 80.41),
    place("UZ", "Termiz", 37.22, 67.28),
    place("UZ", "Toshkent", 41.30, 69.24),
    place("UZ", "Samarqand", 39.65, 66.96),
    place("UZ", "Andijon", 40.78, 72.34),
    place("UZ", "Nukus", 42.46, 59.60),
    place("RU", "Оренбург", 51.77, 55.10),
    place("RU", "Самара", 53.20, 50.15),
    place("RU", "Москва", 55.76, 37.62),
    place("RU", "Омск", 54.99, 73.37),
    place("RU", "Астрахань", 46.35, 48.04),
    place("RU", "Новосибирск", 55.03, 82.92),
    place("TM", "Aşgabat", 37.95, 58.38),
    place("TM", "Türkmenbaşy", 40.02, 52.96),
    place("TM", "Serhetabat", 35.28, 62.35),
    place("AZ", "Bakı", 40.41, 49.87),
    place("AZ", "Astara", 38.46, 48.87),
    place("AZ", "Ələt", 39.94, 49.41),
];

struct Route {
    name: &'static str,
    origin: &'static str,
    transit: &'static [&'static str],
    destination: &'static str,
    substances: &'static [(&'static str, &'static str, &'static str)],
    weight: u32,
}

/// (substance, drug group, unit)
const OPIATES: &[(&str, &str, &str)] = &[
    ("героин", "opiates", "kg"),
    ("опий", "opiates", "kg"),
    ("heroin", "opiates", "kg"),
];
const CANNABIS: &[(&str, &str, &str)] =
    &[("гашиш", "cannabis", "kg"), ("марихуана", "cannabis", "kg")];
const SYNTHETICS: &[(&str, &str, &str)] = &[
    ("мефедрон", "nps", "kg"),
    ("альфа-PVP", "nps", "g"),
    ("метамфетамин", "ats", "kg"),
    ("синтетические каннабиноиды", "nps", "g"),
    ("MDMA", "ats", "tablets"),
];
const PRECURSORS: &[(&str, &str, &str)] = &[
    ("уксусный ангидрид", "precursors", "l"),
    ("1-фенил-2-нитропропен", "precursors", "kg"),
    ("2-бром-4-метилпропиофенон", "precursors", "kg"),
];

const ROUTES: &[Route] = &[
    Route {
        name: "northern (TJ-KG-KZ)",
        origin: "AF",
        transit: &["TJ", "KG", "KZ"],
        destination: "RU",
        substances: OPIATES,
        weight: 30,
    },
    Route {
        name: "northern (TJ-UZ-KZ)",
        origin: "AF",
        transit: &["TJ", "UZ", "KZ"],
        destination: "RU",
        substances: OPIATES,
        weight: 18,
    },
    Route {
        name: "hashish (AF-TJ-UZ)",
        origin: "AF",
        transit: &["TJ", "UZ"],
        destination: "KZ",
        substances: CANNABIS,
        weight: 12,
    },
    Route {
        name: "Caspian (TM-AZ)",
        origin: "AF",
        transit: &["TM", "AZ"],
        destination: "RU",
        substances: OPIATES,
        weight: 10,
    },
    Route {
        name: "Caspian (KZ-Aktau)",
        origin: "AF",
        transit: &["TM", "KZ"],
        destination: "RU",
        substances: OPIATES,
        weight: 6,
    },
    Route {
        name: "Caucasus (IR-AZ)",
        origin: "IR",
        transit: &["AZ"],
        destination: "RU",
        substances: OPIATES,
        weight: 8,
    },
    Route {
        name: "synthetics (online)",
        origin: "RU",
        transit: &["KZ"],
        destination: "KG",
        substances: SYNTHETICS,
        weight: 10,
    },
    Route {
        name: "synthetics (UZ)",
        origin: "KZ",
        transit: &[],
        destination: "UZ",
        substances: SYNTHETICS,
        weight: 4,
    },
    Route {
        name: "precursors (CN)",
        origin: "CN",
        transit: &["KZ", "KG"],
        destination: "TJ",
        substances: PRECURSORS,
        weight: 6,
    },
];

const PACKAGING: &[&str] = &[
    "полиэтиленовые свёртки",
    "брикеты в вакуумной упаковке",
    "капсулы",
    "пластиковые канистры",
    "zip-пакеты",
    "мешки",
];
const CONCEALMENT: &[&str] = &[
    "в запасном колесе",
    "в тайнике топливного бака",
    "среди груза лука",
    "в двойном дне чемодана",
    "внутриполостно (проглоченные капсулы)",
    "в грузе сухофруктов",
    "закладка (тайник) в городе",
    "в почтовом отправлении",
    "в бамперах автомашины",
    "в контейнере с химической продукцией",
];

struct Names {
    surnames: &'static [&'static str],
    male: &'static [&'static str],
    female: &'static [&'static str],
}

fn names_of(country: &str) -> Names {
    match country {
        "KZ" => Names {
            surnames: &[
                "Нұрланов",
                "Сейітқали",
                "Жақсылықов",
                "Ахметов",
                "Оспанов",
                "Сүлейменов",
                "Искаков",
                "Бекмұханбетов",
                "Қайратов",
                "Әбдіров",
            ],
            male: &[
                "Ерлан",
                "Нұрлан",
                "Айдос",
                "Дәурен",
                "Серік",
                "Бауыржан",
                "Қанат",
                "Ержан",
            ],
            female: &["Әсел", "Гүлнар", "Айгерим", "Жанар"],
        },
        "KG" => Names {
            surnames: &[
                "Асанов",
                "Токтогулов",
                "Жээнбеков",
                "Мамытов",
                "Садыров",
                "Осмонов",
                "Түлөбердиев",
                "Бакиров",
            ],
            male: &[
                "Азамат",
                "Бакыт",
                "Нурбек",
                "Эрмек",
                "Улан",
                "Талант",
                "Мирлан",
            ],
            female: &["Айгүл", "Нургүл", "Жылдыз"],
        },
        "TJ" => Names {
            surnames: &[
                "Раҳимов",
                "Қурбонов",
                "Хасанов",
                "Шарипов",
                "Назаров",
                "Саидзода",
                "Раҳмонзода",
                "Ҷӯраев",
                "Ғафуров",
                "Каримов",
            ],
            male: &[
                "Фарҳод",
                "Ҷамшед",
                "Шерзод",
                "Баҳодур",
                "Фируз",
                "Некрӯз",
                "Умед",
                "Далер",
            ],
            female: &["Фирӯза", "Зарина", "Мавзуна"],
        },
        "UZ" => Names {
            surnames: &[
                "Xasanov",
                "Karimov",
                "Yoʻldoshev",
                "Gʻulomov",
                "Toshmatov",
                "Raximov",
                "Qodirov",
                "Ergashev",
                "Normatov",
            ],
            male: &[
                "Shuhrat",
                "Jasur",
                "Oʻtkir",
                "Dilshod",
                "Sardor",
                "Bekzod",
                "Sherzod",
                "Ulugʻbek",
            ],
            female: &["Nodira", "Dilnoza", "Gulnora"],
        },
        "RU" => Names {
            surnames: &[
                "Иванов",
                "Смирнов",
                "Кузнецов",
                "Попов",
                "Соколов",
                "Морозов",
                "Волков",
                "Фёдоров",
                "Лебедев",
            ],
            male: &[
                "Алексей",
                "Дмитрий",
                "Сергей",
                "Андрей",
                "Максим",
                "Игорь",
                "Павел",
            ],
            female: &["Ольга", "Наталья", "Екатерина"],
        },
        "AZ" => Names {
            surnames: &[
                "Məmmədov",
                "Əliyev",
                "Həsənov",
                "Quliyev",
                "Hüseynov",
                "İsmayılov",
                "Cəfərov",
            ],
            male: &["Elçin", "Rəşad", "Tural", "Vüqar", "Orxan", "Elnur"],
            female: &["Aynur", "Günel", "Leyla"],
        },
        "TM" => Names {
            surnames: &[
                "Annaýew",
                "Orazow",
                "Gurbanow",
                "Atayew",
                "Myradow",
                "Berdiýew",
                "Hojamuradow",
            ],
            male: &["Döwlet", "Merdan", "Batyr", "Serdar", "Arslan", "Maksat"],
            female: &["Aýna", "Jeren", "Maýsa"],
        },
        _ => Names {
            surnames: &[
                "Mohammadi",
                "Ahmadzai",
                "Noori",
                "Rahimi",
                "Popal",
                "Stanikzai",
            ],
            male: &[
                "Gul Mohammad",
                "Ahmad Shah",
                "Abdul Wahid",
                "Naqibullah",
                "Khan Agha",
            ],
            female: &["Fatima", "Zarghona"],
        },
    }
}

/// The full name as each country writes it, plus its parts.
fn person_name(
    rng: &mut StdRng,
    country: &str,
    female: bool,
) -> (String, String, String, Option<String>) {
    let n = names_of(country);
    let surname = *n.surnames.choose(rng).unwrap_or(&"Иванов");
    let given = *(if female { n.female } else { n.male })
        .choose(rng)
        .unwrap_or(&"Иван");
    let father = *n.male.choose(rng).unwrap_or(&"Иван");
    let surname = if female {
        feminine(country, surname)
    } else {
        surname.to_string()
    };
    let (full, patronymic) = match country {
        "RU" => {
            let p = format!(
                "{}{}",
                father.trim_end_matches('й'),
                if female { "овна" } else { "ович" }
            );
            (format!("{surname} {given} {p}"), Some(p))
        }
        "KZ" => {
            let p = format!("{father}{}", if female { "қызы" } else { "ұлы" });
            (format!("{surname} {given} {p}"), Some(p))
        }
        "KG" => {
            let p = format!("{father} {}", if female { "кызы" } else { "уулу" });
            (format!("{given} {p}"), Some(p))
        }
        "TJ" => (format!("{surname} {given}"), None),
        "UZ" => {
            let p = format!("{father} {}", if female { "qizi" } else { "oʻgʻli" });
            (format!("{surname} {given} {p}"), Some(p))
        }
        "AZ" => {
            let p = format!("{father} {}", if female { "qızı" } else { "oğlu" });
            (format!("{surname} {given} {p}"), Some(p))
        }
        "TM" => (format!("{surname} {given}"), None),
        _ => (format!("{given} {surname}"), None),
    };
    (full, given.to_string(), surname, patronymic)
}

fn feminine(country: &str, surname: &str) -> String {
    match country {
        "RU" | "KZ" | "KG" | "TJ"
            if surname.ends_with("ов") || surname.ends_with("ев") || surname.ends_with("ин") =>
        {
            format!("{surname}а")
        }
        "UZ" | "AZ"
            if surname.ends_with("ov") || surname.ends_with("ev") || surname.ends_with("yev") =>
        {
            format!("{surname}a")
        }
        "TM" if surname.ends_with("ow") || surname.ends_with("ew") => format!("{surname}a"),
        _ => surname.to_string(),
    }
}

fn phone(rng: &mut StdRng, country: &str) -> String {
    let (cc, prefixes): (&str, &[&str]) = match country {
        "KZ" => ("+7", &["701", "705", "707", "747", "777"]),
        "RU" => ("+7", &["903", "916", "926", "985"]),
        "KG" => ("+996", &["555", "700", "772"]),
        "TJ" => ("+992", &["90", "91", "93", "98"]),
        "UZ" => ("+998", &["90", "93", "97", "99"]),
        "AZ" => ("+994", &["50", "51", "55", "70"]),
        "TM" => ("+993", &["61", "62", "65"]),
        _ => ("+93", &["70", "77", "79"]),
    };
    let prefix = prefixes.choose(rng).unwrap_or(&"700");
    let rest_len = 10usize.saturating_sub(prefix.len()).max(6);
    let rest: String = (0..rest_len)
        .map(|_| char::from(b'0' + rng.gen_range(0..10u8)))
        .collect();
    format!("{cc} {prefix} {rest}")
}

fn passport(rng: &mut StdRng, country: &str) -> String {
    let digits = |rng: &mut StdRng, n: usize| {
        (0..n)
            .map(|_| char::from(b'0' + rng.gen_range(0..10u8)))
            .collect::<String>()
    };
    match country {
        "KZ" => format!("N{}", digits(rng, 8)),
        "KG" => format!("AC{}", digits(rng, 7)),
        "TJ" => format!("40{}", digits(rng, 7)),
        "UZ" => format!("AD{}", digits(rng, 7)),
        "RU" => format!("{} {}", digits(rng, 2), digits(rng, 7)),
        "AZ" => format!("C{}", digits(rng, 8)),
        "TM" => format!("A{}", digits(rng, 7)),
        _ => format!("P{}", digits(rng, 7)),
    }
}

fn plate(rng: &mut StdRng, country: &str) -> String {
    let d = |rng: &mut StdRng, n: usize| {
        (0..n)
            .map(|_| char::from(b'0' + rng.gen_range(0..10u8)))
            .collect::<String>()
    };
    let l = |rng: &mut StdRng, n: usize, set: &[u8]| {
        (0..n)
            .map(|_| char::from(*set.choose(rng).unwrap_or(&b'A')))
            .collect::<String>()
    };
    const LAT: &[u8] = b"ABCEHKMOPTXY";
    match country {
        "KZ" => format!(
            "{} {} {:02}",
            d(rng, 3),
            l(rng, 3, LAT),
            rng.gen_range(1..20)
        ),
        "KG" => format!(
            "{:02} KG {} {}",
            rng.gen_range(1..10),
            d(rng, 3),
            l(rng, 3, LAT)
        ),
        "TJ" => format!(
            "{} {} {:02}",
            d(rng, 4),
            l(rng, 2, LAT),
            rng.gen_range(1..8)
        ),
        "UZ" => format!(
            "{:02} {} {} {}",
            rng.gen_range(1..95),
            l(rng, 1, LAT),
            d(rng, 3),
            l(rng, 2, LAT)
        ),
        "RU" => {
            let cyr = ["А", "В", "Е", "К", "М", "Н", "О", "Р", "С", "Т", "У", "Х"];
            let c = |rng: &mut StdRng| cyr.choose(rng).copied().unwrap_or("А").to_string();
            format!(
                "{}{}{}{} {}",
                c(rng),
                d(rng, 3),
                c(rng),
                c(rng),
                [77, 56, 63, 55, 30, 154].choose(rng).unwrap_or(&77)
            )
        }
        "AZ" => format!(
            "{:02}-{}-{}",
            rng.gen_range(10..99),
            l(rng, 2, LAT),
            d(rng, 3)
        ),
        "TM" => format!("AG {} {}", d(rng, 4), l(rng, 2, LAT)),
        _ => format!("{}-{}", l(rng, 3, LAT), d(rng, 4)),
    }
}

const CAR_MODELS: &[&str] = &[
    "Toyota Camry",
    "Lada Priora",
    "Daewoo Nexia",
    "Chevrolet Cobalt",
    "MAN TGX",
    "KAMAZ 5490",
    "Mercedes-Benz Actros",
    "Toyota Land Cruiser",
    "Hyundai Porter",
    "Volvo FH",
];

fn date_between(rng: &mut StdRng, from: chrono::NaiveDate, days: i64) -> chrono::NaiveDate {
    from + chrono::Duration::days(rng.gen_range(0..days))
}

fn agencies_of(country: &str) -> Vec<&'static str> {
    AGENCIES
        .iter()
        .map(|a| a.0)
        .filter(|c| c.starts_with(country) && !c.ends_with("AFM") && !c.ends_with("RFM"))
        .collect()
}

fn meta(
    rng: &mut StdRng,
    owner: &str,
    country: &str,
    neighbours: &[&str],
) -> AppResult<RecordMeta> {
    let classification = match rng.gen_range(0..100) {
        0..=19 => Classification::Unclassified,
        20..=64 => Classification::Restricted,
        65..=94 => Classification::Confidential,
        _ => Classification::Secret,
    };
    let mut d = Dissemination::default();
    match rng.gen_range(0..100) {
        0..=59 => d.all_members = true,
        60..=79 => {
            d.countries
                .insert(CountryCode::parse(country).map_err(|e| AppError::Internal(e.into()))?);
        }
        80..=94 => {
            d.countries
                .insert(CountryCode::parse(country).map_err(|e| AppError::Internal(e.into()))?);
            for n in neighbours {
                if let Ok(c) = CountryCode::parse(n) {
                    if MEMBERS.contains(n) {
                        d.countries.insert(c);
                    }
                }
            }
        }
        _ => {
            d.agencies
                .insert(AgencyCode::parse("XC-CARICC").map_err(|e| AppError::Internal(e.into()))?);
        }
    }
    let mut handling_codes = BTreeSet::new();
    if rng.gen_bool(0.5) {
        handling_codes.insert(HandlingCode::LeOnly);
    }
    if rng.gen_bool(0.15) {
        handling_codes.insert(HandlingCode::NoOnward);
    }
    if rng.gen_bool(0.1) {
        handling_codes.insert(HandlingCode::NoEvidence);
    }
    let evaluation = if rng.gen_bool(0.4) {
        Some(Evaluation {
            source: *['A', 'B', 'B', 'C', 'X'].choose(rng).unwrap_or(&'B'),
            information: rng.gen_range(1..=4),
        })
    } else {
        None
    };
    Ok(RecordMeta {
        owner: AgencyCode::parse(owner).map_err(|e| AppError::Internal(e.into()))?,
        classification,
        dissemination: d,
        handling_codes,
        evaluation,
    })
}

fn entity(schema_name: &str, id: String, props: Vec<(&str, String)>) -> AppResult<Entity> {
    let schema = schema::schema(schema_name)
        .ok_or_else(|| AppError::Internal(format!("schema {schema_name}")))?;
    let mut properties = Properties::new();
    for (k, v) in props {
        if schema.prop(k).is_none() {
            return Err(AppError::Internal(format!(
                "{schema_name}.{k} is not a property"
            )));
        }
        properties.entry(k.to_string()).or_default().push(v);
    }
    Ok(Entity {
        id: EntityId::parse(&id).map_err(|e| AppError::Internal(e.into()))?,
        schema,
        properties,
    })
}

/// How much of each kind the data set holds.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct DemoSummary {
    pub seizures: usize,
    pub persons: usize,
    pub vehicles: usize,
    pub organisations: usize,
    pub cases: usize,
    pub links: usize,
}

/// Generates `seizures` seizures (with their people, vehicles, organisations, cases and links)
/// deterministically from `seed`, and writes them in one transaction.
/// The demo person of the README's walkthrough of hits and disclosure.
pub const STORY_PERSON: &str = "demo-kz-person-hasanov";

pub async fn seed_records(app: &App, seizures: usize, seed: u64) -> AppResult<DemoSummary> {
    let mut rng = StdRng::seed_from_u64(seed);
    let start = chrono::NaiveDate::from_ymd_opt(2022, 1, 1)
        .ok_or_else(|| AppError::Internal("date".into()))?;
    let today = app.clock.today();
    let span = (today - start).num_days().max(30) - 20;
    let mut records: Vec<NewRecord> = Vec::new();
    let mut links: Vec<(LinkKind, String, String, Option<String>, String)> = Vec::new();
    let mut summary = DemoSummary::default();
    let total_weight: u32 = ROUTES.iter().map(|r| r.weight).sum();
    // People who may reappear: (id, nationality, name as first written, birth date).
    let mut known_people: Vec<(String, String, String, String)> = Vec::new();
    let mut orgs: Vec<(String, String)> = Vec::new();

    // Organisations used by precursor and synthetic-drug networks.
    for (i, (name, country, owner)) in [
        ("ТОО «Азия Химтрейд»", "kz", "KZ-KGD"),
        ("ТОО «Жетісу Логистик»", "kz", "KZ-MVD"),
        ("ОсОО «Ала-Тоо Импэкс»", "kg", "KG-GTS"),
        ("ООО «ТрансКаспий»", "ru", "RU-FTS"),
        ("ООО «Восток-Агро»", "ru", "RU-MVD"),
        ("«Zarafshon Kimyo» MChJ", "uz", "UZ-DBQ"),
        ("ҶДММ «Помир Транзит»", "tj", "TJ-GTS"),
        ("«Xəzər Logistics» MMC", "az", "AZ-DGK"),
        ("Группировка «Северные»", "ru", "RU-FSB"),
        ("Darknet shop «Kristall»", "ru", "RU-MVD"),
    ]
    .into_iter()
    .enumerate()
    {
        let id = format!("demo-org-{i:03}");
        let schema_name = if name.starts_with("Группировка") || name.starts_with("Darknet")
        {
            "Organization"
        } else {
            "Company"
        };
        let e = entity(
            schema_name,
            id.clone(),
            vec![("name", name.to_string()), ("country", country.to_string())],
        )?;
        let country_upper = country.to_ascii_uppercase();
        records.push(NewRecord::new(
            e,
            meta(&mut rng, owner, &country_upper, &[])?,
            "system:demo",
        ));
        orgs.push((id, owner.to_string()));
        summary.organisations += 1;
    }

    // The walkthrough's person (README): held by the Kazakh police as CONFIDENTIAL, for
    // Kazakhstan only. A Tajik officer who files or screens him learns only that he exists.
    let story = entity(
        "Person",
        STORY_PERSON.to_string(),
        vec![
            ("name", "Хасанов Джамшид Рустамович".to_string()),
            ("firstName", "Джамшид".to_string()),
            ("lastName", "Хасанов".to_string()),
            ("fatherName", "Рустамович".to_string()),
            ("birthDate", "1985-03-14".to_string()),
            ("nationality", "tj".to_string()),
            ("passportNumber", "N 4512077".to_string()),
        ],
    )?;
    let mut story_meta = meta(&mut rng, "KZ-MVD", "KZ", &[])?;
    story_meta.classification = Classification::Confidential;
    story_meta.dissemination = Dissemination::default();
    story_meta
        .dissemination
        .countries
        .insert(CountryCode::parse("KZ").map_err(|e| AppError::Internal(e.into()))?);
    records.push(NewRecord::new(story, story_meta, "system:demo"));
    summary.persons += 1;

    for n in 0..seizures {
        let mut pick = rng.gen_range(0..total_weight);
        let route = ROUTES
            .iter()
            .find(|r| {
                if pick < r.weight {
                    true
                } else {
                    pick -= r.weight;
                    false
                }
            })
            .unwrap_or(&ROUTES[0]);
        let mut chain: Vec<&str> = route.transit.to_vec();
        if MEMBERS.contains(&route.destination) {
            chain.push(route.destination);
        }
        let country = *chain.choose(&mut rng).unwrap_or(&"TJ");
        let places: Vec<&Place> = PLACES.iter().filter(|p| p.country == country).collect();
        let Some(place) = places.choose(&mut rng).copied() else {
            continue;
        };
        let owner = *agencies_of(country).choose(&mut rng).unwrap_or(&"TJ-AKN");
        let (substance, group, unit) = *route.substances.choose(&mut rng).unwrap_or(&OPIATES[0]);
        let quantity: f64 = match unit {
            "l" => rng.gen_range(50.0..4000.0),
            "g" => rng.gen_range(1.0..900.0),
            "tablets" => rng.gen_range(20.0..5000.0_f64).round(),
            _ if group == "cannabis" => rng.gen_range(0.5..600.0),
            _ => rng.gen_range(0.05..250.0),
        };
        let quantity = if unit == "tablets" {
            format!("{quantity}")
        } else {
            format!("{:.2}", quantity)
        };
        let date = date_between(&mut rng, start, span);
        let mode = match route.name {
            n if n.starts_with("Caspian") => *["sea", "road"].choose(&mut rng).unwrap_or(&"sea"),
            n if n.starts_with("synthetics") => *["postal", "road", "other"]
                .choose(&mut rng)
                .unwrap_or(&"postal"),
            _ => *["road", "road", "road", "rail", "pedestrian", "air"]
                .choose(&mut rng)
                .unwrap_or(&"road"),
        };
        let case_ref = format!(
            "{}-{}-{:05}",
            country,
            date.format("%Y"),
            rng.gen_range(1..99999)
        );
        let seizure_id = format!("demo-seizure-{n:05}");
        let traffickers = rng.gen_range(0..=3usize);
        let nationality_pool: Vec<&str> = std::iter::once(route.origin)
            .chain(chain.iter().copied())
            .collect();
        let mut trafficker_ids = Vec::new();
        let mut nationalities = BTreeSet::new();
        for t in 0..traffickers {
            // Some couriers reappear in another country's records.
            if !known_people.is_empty() && rng.gen_bool(0.12) {
                let (id, nat, full, birth) =
                    known_people.choose(&mut rng).cloned().unwrap_or_default();
                nationalities.insert(nat.clone());
                if rng.gen_bool(0.5) {
                    trafficker_ids.push(id);
                    continue;
                }
                // Another agency knows him too and files him its own way: from a passport in
                // Latin capitals, perhaps with the birth year only. Matching finds the pair.
                let written = text::latin_reading(&full)
                    .map(|l| l.to_uppercase())
                    .unwrap_or_else(|| full.clone());
                let birth = if rng.gen_bool(0.4) {
                    birth.chars().take(4).collect()
                } else {
                    birth
                };
                let again = format!("demo-person-{n:05}-{t}");
                let e = entity(
                    "Person",
                    again.clone(),
                    vec![
                        ("name", written),
                        ("birthDate", birth),
                        ("nationality", nat.clone()),
                    ],
                )?;
                records.push(NewRecord::new(
                    e,
                    meta(&mut rng, owner, country, &chain)?,
                    "system:demo",
                ));
                summary.persons += 1;
                trafficker_ids.push(again);
                continue;
            }
            let nat = *nationality_pool.choose(&mut rng).unwrap_or(&"TJ");
            let female = rng.gen_bool(0.12);
            let (full, given, surname, patronymic) = person_name(&mut rng, nat, female);
            let birth = date_between(
                &mut rng,
                chrono::NaiveDate::from_ymd_opt(1960, 1, 1).unwrap_or(start),
                365 * 40,
            );
            let birth = match rng.gen_range(0..10) {
                0 => birth.format("%Y").to_string(),
                1 => birth.format("%Y-%m").to_string(),
                _ => birth.format("%Y-%m-%d").to_string(),
            };
            let id = format!("demo-person-{n:05}-{t}");
            let mut props = vec![
                ("name", full.clone()),
                ("firstName", given),
                ("lastName", surname),
                ("birthDate", birth),
                ("nationality", nat.to_ascii_lowercase()),
                (
                    "gender",
                    if female {
                        "female".into()
                    } else {
                        "male".into()
                    },
                ),
            ];
            if let Some(p) = patronymic {
                props.push(("fatherName", p));
            }
            if let Some(latin) = text::latin_reading(&full).filter(|_| rng.gen_bool(0.3)) {
                props.push(("alias", latin));
            }
            if rng.gen_bool(0.7) {
                props.push(("passportNumber", passport(&mut rng, nat)));
            }
            if rng.gen_bool(0.6) {
                props.push(("phone", phone(&mut rng, nat)));
            }
            let birth_written = props
                .iter()
                .find(|(k, _)| *k == "birthDate")
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            let e = entity("Person", id.clone(), props)?;
            records.push(NewRecord::new(
                e,
                meta(&mut rng, owner, country, &chain)?,
                "system:demo",
            ));
            summary.persons += 1;
            nationalities.insert(nat.to_ascii_lowercase());
            if rng.gen_bool(0.3) {
                known_people.push((
                    id.clone(),
                    nat.to_ascii_lowercase(),
                    full.clone(),
                    birth_written,
                ));
            }
            trafficker_ids.push(id);
        }
        let mut props = vec![
            ("date", date.format("%Y-%m-%d").to_string()),
            ("country", country.to_ascii_lowercase()),
            ("place", place.name.to_string()),
            (
                "latitude",
                format!("{:.4}", place.lat + rng.gen_range(-0.05..0.05)),
            ),
            (
                "longitude",
                format!("{:.4}", place.lon + rng.gen_range(-0.05..0.05)),
            ),
            ("substance", substance.to_string()),
            ("substanceGroup", group.to_string()),
            ("quantity", quantity),
            ("unit", unit.to_string()),
            (
                "packaging",
                PACKAGING
                    .choose(&mut rng)
                    .copied()
                    .unwrap_or("свёртки")
                    .to_string(),
            ),
            (
                "concealment",
                CONCEALMENT
                    .choose(&mut rng)
                    .copied()
                    .unwrap_or("в багаже")
                    .to_string(),
            ),
            ("transportMode", mode.to_string()),
            ("originCountry", route.origin.to_ascii_lowercase()),
            ("destinationCountry", route.destination.to_ascii_lowercase()),
            (
                "detectionMethod",
                [
                    "intelligence",
                    "risk_profiling",
                    "random_check",
                    "canine",
                    "xray",
                    "controlled_delivery",
                ]
                .choose(&mut rng)
                .copied()
                .unwrap_or("intelligence")
                .to_string(),
            ),
            ("seizingAgency", owner.to_string()),
            ("caseReference", case_ref.clone()),
            (
                "description",
                format!(
                    "Маршрут: {}. Изъятие в районе н.п. {}.",
                    route.name, place.name
                ),
            ),
        ];
        for t in route.transit {
            props.push(("transitCountries", t.to_ascii_lowercase()));
        }
        if group == "opiates" && rng.gen_bool(0.5) {
            props.push(("purity", format!("{}", rng.gen_range(20..85))));
        }
        for nat in &nationalities {
            props.push(("traffickerNationalities", nat.clone()));
        }
        records.push(NewRecord::new(
            entity("Seizure", seizure_id.clone(), props)?,
            meta(&mut rng, owner, country, &chain)?,
            "system:demo",
        ));
        summary.seizures += 1;
        for (i, pid) in trafficker_ids.iter().enumerate() {
            let role = if i == 0 {
                "курьер"
            } else {
                ["организатор", "водитель", "получатель", "соучастник"]
                    .choose(&mut rng)
                    .copied()
                    .unwrap_or("соучастник")
            };
            links.push((
                LinkKind::SeizureInvolves,
                seizure_id.clone(),
                pid.clone(),
                Some(role.into()),
                owner.to_string(),
            ));
        }
        if trafficker_ids.len() > 1 {
            links.push((
                LinkKind::AssociateOf,
                trafficker_ids[0].clone(),
                trafficker_ids[1].clone(),
                None,
                owner.to_string(),
            ));
        }
        if mode == "road" && rng.gen_bool(0.6) {
            let vid = format!("demo-vehicle-{n:05}");
            let reg_country = *chain.choose(&mut rng).unwrap_or(&country);
            let v = entity(
                "Vehicle",
                vid.clone(),
                vec![
                    ("registrationNumber", plate(&mut rng, reg_country)),
                    (
                        "model",
                        CAR_MODELS
                            .choose(&mut rng)
                            .copied()
                            .unwrap_or("Lada")
                            .to_string(),
                    ),
                    ("country", reg_country.to_ascii_lowercase()),
                ],
            )?;
            records.push(NewRecord::new(
                v,
                meta(&mut rng, owner, country, &chain)?,
                "system:demo",
            ));
            summary.vehicles += 1;
            links.push((
                LinkKind::CarriedBy,
                seizure_id.clone(),
                vid.clone(),
                None,
                owner.to_string(),
            ));
            if let Some(p) = trafficker_ids.first() {
                links.push((LinkKind::Owns, p.clone(), vid, None, owner.to_string()));
            }
        }
        if (group == "precursors" || group == "nps") && rng.gen_bool(0.5) {
            if let (Some((org, _)), Some(p)) = (orgs.choose(&mut rng), trafficker_ids.first()) {
                links.push((
                    LinkKind::MemberOf,
                    p.clone(),
                    org.clone(),
                    None,
                    owner.to_string(),
                ));
            }
        }
        if rng.gen_bool(0.2) {
            let cid = format!("demo-case-{n:05}");
            let c = entity(
                "Case",
                cid.clone(),
                vec![
                    ("nationalReference", case_ref),
                    (
                        "status",
                        ["open", "open", "closed", "suspended", "transferred"]
                            .choose(&mut rng)
                            .copied()
                            .unwrap_or("open")
                            .to_string(),
                    ),
                    ("title", format!("Контрабанда: {substance}, {}", place.name)),
                    ("country", country.to_ascii_lowercase()),
                    ("openedDate", date.format("%Y-%m-%d").to_string()),
                ],
            )?;
            records.push(NewRecord::new(
                c,
                meta(&mut rng, owner, country, &chain)?,
                "system:demo",
            ));
            summary.cases += 1;
            links.push((
                LinkKind::PartOfCase,
                seizure_id.clone(),
                cid,
                None,
                owner.to_string(),
            ));
        }
    }
    // A link made by one agency stays with the records it connects; keep only links whose
    // ends exist (reappearing people always do).
    let now = app.clock.now_ms();
    let mut tx = app.store.begin().await?;
    tx.insert_records(&records).await?;
    for (kind, source, target, role, owner) in links {
        let link = Link {
            id: secrets::new_handle(),
            kind,
            source,
            target,
            role,
            owner: AgencyCode::parse(&owner).map_err(|e| AppError::Internal(e.into()))?,
            created_by: "system:demo".into(),
            created_at: now,
        };
        tx.insert_link(&link).await?;
        summary.links += 1;
    }
    tx.audit(
        &AuditDraft::new("system:demo", "-", Action::Import, "demo data set")
            .details(json!(summary)),
    )
    .await?;
    tx.commit().await?;
    Ok(summary)
}

/// A few messages between the demo's agencies, a BLO channel conversation and an
/// acknowledged urgent request, so that inboxes are not empty. Returns how many were sent.
pub async fn seed_messages(app: &App) -> AppResult<usize> {
    use crate::messaging::MessageInput;
    use pamir_domain::{handling::HandlingCode, message::Priority};
    let to = |agencies: &[&str], countries: &[&str]| MessageInput {
        agencies: agencies.iter().map(|a| a.to_string()).collect(),
        countries: countries.iter().map(|c| c.to_string()).collect(),
        ..MessageInput::default()
    };
    let mut sent = 0;
    let focal = app.context_for("kz.focal").await?;
    app.send_message(
        &focal,
        MessageInput {
            subject: "Operation Reflex: new synthetic cathinones via Korday".into(),
            body: "Since September the Kazakh police have seized three consignments of alpha-PVP declared as \
                   \"industrial salts\", each driven through Korday towards Almaty. Please check your \
                   records for the consignors listed in the attached case and report any first detections."
                .into(),
            priority: Priority::Urgent,
            handling_codes: [HandlingCode::LeOnly].into(),
            ..to(&[], &["TJ"])
        },
    )
    .await?;
    sent += 1;
    let uz = app.context_for("uz.officer").await?;
    let question = app
        .send_message(
            &uz,
            MessageInput {
                subject: "Запрос: владелец грузовика 01 A 777 AA".into(),
                body:
                    "Грузовик 01 A 777 AA пересёк пункт пропуска Ойбек 12 ноября с грузом хлопка. \
                       Просим сообщить, известен ли вам владелец (ООО «Восток-Агро»)."
                        .into(),
                ..to(&["TJ-AKN"], &[])
            },
        )
        .await?;
    sent += 1;
    let tj = app.context_for("tj.officer").await?;
    app.read_message(&tj, &question.id).await?;
    app.send_message(
        &tj,
        MessageInput {
            body: "По нашим учётам владелец не проходит. Проверим водителя и сообщим.".into(),
            reply_to: Some(question.id.clone()),
            ..MessageInput::default()
        },
    )
    .await?;
    sent += 1;
    let analyst = app.context_for("ru.analyst").await?;
    let alert = app
        .send_message(
            &analyst,
            MessageInput {
                subject: "Operation Substitute: acetic anhydride declared as solvent".into(),
                body: "Two containers of acetic anhydride declared as industrial solvent are moving by rail \
                       towards Tashkent and Almaty. Please acknowledge and tell us whether the consignees are known."
                    .into(),
                priority: Priority::Immediate,
                classification: pamir_domain::Classification::Confidential,
                handling_codes: [HandlingCode::NoOnward].into(),
                ..to(&["KZ-MVD", "UZ-IIV"], &[])
            },
        )
        .await?;
    sent += 1;
    app.ack_message(&uz, &alert.id).await?;
    let kz_blo = app.context_for("kz.blo").await?;
    let kg_blo = app.context_for("kg.blo").await?;
    let line = app
        .send_message(
            &kz_blo,
            MessageInput {
                channel: Some("kz-kg-korday".into()),
                subject: "Фура 777 KZA 02 с прицепом".into(),
                body: "Фура 777 KZA 02 с прицепом прошла наш контроль в 14:20, идёт к вам. Просим досмотр прицепа."
                    .into(),
                priority: Priority::Immediate,
                ..MessageInput::default()
            },
        )
        .await?;
    sent += 1;
    app.ack_message(&kg_blo, &line.id).await?;
    app.send_message(
        &kg_blo,
        MessageInput {
            body: "Принято, досмотр организуем на Ак-Жол.".into(),
            reply_to: Some(line.id),
            ..MessageInput::default()
        },
    )
    .await?;
    sent += 1;
    Ok(sent)
}
