//! The synthetic records: seizures along the routes with their persons, vehicles,
//! organisations and cases, and the walkthrough's person.

use std::collections::BTreeSet;

use pamir_domain::{
    audit::{Action, AuditDraft},
    entity::{Entity, EntityId, Properties},
    handling::HandlingCode,
    link::LinkKind,
    meta::{Dissemination, Evaluation},
    schema, text, AgencyCode, Classification, CountryCode, RecordMeta,
};
use pamir_store::{Link, NewRecord};
use rand::{rngs::StdRng, seq::SliceRandom, Rng, SeedableRng};
use serde_json::json;

use crate::{secrets, App, AppError, AppResult};

use super::{people::*, reference::*, routes::*};

pub(super) fn date_between(
    rng: &mut StdRng,
    from: chrono::NaiveDate,
    days: i64,
) -> chrono::NaiveDate {
    from + chrono::Duration::days(rng.gen_range(0..days))
}

pub(super) fn meta(
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

pub(super) fn entity(
    schema_name: &str,
    id: String,
    props: Vec<(&str, String)>,
) -> AppResult<Entity> {
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
        tx.emit(&crate::events::link_created(&link)).await?;
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
