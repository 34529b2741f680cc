//! The centre's reference data for the demo: members, observers, their agencies, BLO channels
//! and a user for every role.

use pamir_domain::{
    audit::{Action, AuditDraft},
    names::Names,
    AgencyCode, AgencyKind, Classification, CountryCode, CountryStatus, Role, Username,
};
use pamir_store::{Agency, Country, User};
use serde_json::json;

use crate::{secrets, App, AppError, AppResult};

pub const DEMO_PASSWORD: &str = "demo";

pub(super) const MEMBERS: &[&str] = &["AZ", "KZ", "KG", "RU", "TJ", "TM", "UZ"];
pub(super) const OBSERVERS: &[&str] = &[
    "AF", "AT", "CA", "DE", "FI", "FR", "GB", "IT", "PK", "TR", "US",
];

/// (code, kind, English name, Russian name)
pub(super) const AGENCIES: &[(&str, AgencyKind, &str, &str)] = &[
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
        tx.upsert_country(&Country {
            names: code.catalogue_names(),
            code,
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
            names: Names::parse([("en", *en), ("ru", *ru)])
                .map_err(|(_, e)| AppError::Internal(e.to_string()))?,
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

pub(super) fn agencies_of(country: &str) -> Vec<&'static str> {
    AGENCIES
        .iter()
        .map(|a| a.0)
        .filter(|c| c.starts_with(country) && !c.ends_with("AFM") && !c.ends_with("RFM"))
        .collect()
}
