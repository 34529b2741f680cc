//! Statistics count exactly what the reader may see: on random seizures with random protective
//! metadata, every statistic equals a direct count over the rows the access policy admits in
//! full, for readers of every kind, on both engines.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use pamir_domain::{
    access::{decide, Access, Subject},
    analysis::{tally, Dimension, Filters, Period, SeizureFacts, StatRow},
    entity::parse_entity,
    AgencyCode, Classification, CountryCode, CountryStatus, Dissemination, RecordMeta,
};
use pamir_store::{testing::TestDb, NewRecord, StoredRecord};
use proptest::prelude::Rng;
use proptest::test_runner::{RngAlgorithm, TestRng};
use serde_json::json;

const AGENCIES: [&str; 4] = ["KZ-MVD", "KZ-KNB", "TJ-DCA", "FR-OFAST"];
const GROUPS: [&str; 4] = ["opiates", "cannabis", "ats", ""];
const UNITS: [&str; 5] = ["kg", "g", "l", "ml", "tablets"];
const COUNTRIES: [&str; 4] = ["KZ", "TJ", "AF", "RU"];
const OPS: [&str; 2] = ["op-reflex", "op-silk"];

fn pick<'a>(rng: &mut TestRng, from: &[&'a str]) -> &'a str {
    from[rng.next_u32() as usize % from.len()]
}

fn seizure(rng: &mut TestRng, n: usize) -> NewRecord {
    let day = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()
        + chrono::Duration::days(i64::from(rng.next_u32() % 1000));
    let mut props = json!({
        "date": [day.format("%Y-%m-%d").to_string()],
        "country": [pick(rng, &COUNTRIES[..2])],
        "substance": [pick(rng, &["Heroin", "heroin ", "Гашиш", "Mephedrone"])],
        "quantity": [format!("{}", 1 + rng.next_u32() % 5000)],
        "unit": [pick(rng, &UNITS)],
        "transportMode": [pick(rng, &["road", "rail", "air"])],
        "originCountry": [pick(rng, &COUNTRIES)],
        "destinationCountry": [pick(rng, &COUNTRIES)],
    });
    let transit: Vec<&str> = (0..rng.next_u32() % 3)
        .map(|_| pick(rng, &COUNTRIES))
        .collect();
    if !transit.is_empty() {
        props["transitCountries"] = json!(transit);
    }
    let group = pick(rng, &GROUPS);
    if !group.is_empty() {
        props["substanceGroup"] = json!([group]);
    }
    let (_, mut entity) = parse_entity(
        &json!({"schema": "Seizure", "properties": props}),
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
    )
    .unwrap();
    entity.id = pamir_domain::EntityId::parse(&format!("sz-{n}")).unwrap();
    let mut d = Dissemination {
        all_members: rng.next_u32().is_multiple_of(4),
        ..Default::default()
    };
    if rng.next_u32().is_multiple_of(3) {
        d.countries
            .insert(CountryCode::parse(pick(rng, &["KZ", "TJ", "FR"])).unwrap());
    }
    if rng.next_u32().is_multiple_of(4) {
        d.agencies
            .insert(AgencyCode::parse(pick(rng, &AGENCIES)).unwrap());
    }
    if rng.next_u32().is_multiple_of(3) {
        d.operations.insert(pick(rng, &OPS).to_string());
    }
    let classification = Classification::ALL[rng.next_u32() as usize % Classification::ALL.len()];
    NewRecord::new(
        entity,
        RecordMeta {
            owner: AgencyCode::parse(pick(rng, &AGENCIES)).unwrap(),
            classification,
            dissemination: d,
            handling_codes: BTreeSet::new(),
            evaluation: None,
        },
        "tester",
    )
}

fn readers() -> Vec<Subject> {
    let mut out = Vec::new();
    for (agency, status) in [
        ("KZ-MVD", CountryStatus::Member),
        ("KZ-KNB", CountryStatus::Member),
        ("TJ-DCA", CountryStatus::Member),
        ("FR-OFAST", CountryStatus::Observer),
    ] {
        for clearance in [
            Classification::Restricted,
            Classification::Secret,
            Classification::Confidential,
        ] {
            let mut s = crate::subject(agency, status, clearance);
            if agency == "TJ-DCA" {
                s.operations.insert("op-reflex".into());
            }
            out.push(s);
        }
    }
    let mut disabled = crate::subject(
        "KZ-MVD",
        CountryStatus::Member,
        Classification::Confidential,
    );
    disabled.active = false;
    out.push(disabled);
    out
}

fn same(a: &[StatRow], b: &[StatRow]) -> bool {
    let close = |x: f64, y: f64| (x - y).abs() <= 1e-6 * (1.0 + x.abs().max(y.abs()));
    a.len() == b.len()
        && a.iter().zip(b).all(|(a, b)| {
            a.key == b.key
                && [
                    (a.current, b.current),
                    (a.previous, b.previous),
                    (a.year_before, b.year_before),
                ]
                .iter()
                .all(|(x, y)| {
                    x.count == y.count
                        && close(x.kg, y.kg)
                        && close(x.litres, y.litres)
                        && close(x.units, y.units)
                })
        })
}

fn reference(
    records: &[StoredRecord],
    reader: &Subject,
    filters: &Filters,
    by: Dimension,
) -> Vec<StatRow> {
    let facts: Vec<SeizureFacts> = records
        .iter()
        .filter(|r| decide(reader, &r.meta) == Access::Full)
        .filter(|r| {
            filters
                .operation
                .as_ref()
                .is_none_or(|o| r.meta.dissemination.operations.contains(o))
        })
        .filter_map(|r| SeizureFacts::of(&r.entity.properties))
        .collect();
    tally(&facts.iter().collect::<Vec<_>>(), filters, by)
}

#[tokio::test]
async fn statistics_equal_a_direct_count_over_the_visible_rows() {
    for db in TestDb::all().await {
        eprintln!("statistics property on {}", db.label);
        let store = &db.store;
        crate::seed(store).await;
        let mut all_ids = Vec::new();
        for seed in [1u8, 2, 3] {
            let mut rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[seed; 32]);
            let batch: Vec<NewRecord> = (0..400)
                .map(|n| seizure(&mut rng, n + 1000 * seed as usize))
                .collect();
            let mut tx = store.begin().await.unwrap();
            tx.insert_records(&batch[..380]).await.unwrap();
            for r in &batch[380..] {
                tx.insert_record(r).await.unwrap();
            }
            // Changed and deleted seizures count as they are now.
            for (i, r) in batch.iter().enumerate().take(40) {
                let id = r.entity.id.as_str();
                if i % 2 == 0 {
                    tx.delete_record(id, None).await.unwrap();
                } else {
                    let changed = seizure(&mut rng, i + 1000 * seed as usize);
                    tx.update_record(&changed, 1).await.unwrap();
                }
            }
            tx.commit().await.unwrap();
            // Each seed adds to what the earlier ones stored.
            all_ids.extend(batch.iter().map(|r| r.entity.id.to_string()));
            let stored = store.get_records(&all_ids).await.unwrap();

            for (n, reader) in readers().iter().enumerate() {
                let Some(filter) = reader.full_access_filter() else {
                    assert!(
                        reference(&stored, reader, &any_filters(&mut rng), Dimension::Country)
                            .is_empty()
                    );
                    continue;
                };
                for by in Dimension::ALL {
                    let filters = any_filters(&mut rng);
                    let got = store
                        .seizure_statistics(&filter, &filters, by)
                        .await
                        .unwrap()
                        .rows;
                    let want = reference(&stored, reader, &filters, by);
                    assert!(
                        same(&got, &want),
                        "{} seed {seed} reader {n} by {}: {filters:?}\n got {got:?}\nwant {want:?}",
                        db.label,
                        by.as_str()
                    );
                }
            }
        }
        db.cleanup().await;
    }
}

fn any_filters(rng: &mut TestRng) -> Filters {
    let from = NaiveDate::from_ymd_opt(2024, 6, 1).unwrap()
        + chrono::Duration::days(i64::from(rng.next_u32() % 600));
    let to = from + chrono::Duration::days(i64::from(rng.next_u32() % 400));
    let mut countries = BTreeSet::new();
    if rng.next_u32().is_multiple_of(3) {
        countries.insert(CountryCode::parse(pick(rng, &COUNTRIES[..2])).unwrap());
    }
    let mut groups = BTreeSet::new();
    if rng.next_u32().is_multiple_of(3) {
        groups.insert(pick(rng, &GROUPS[..3]).to_string());
    }
    Filters {
        period: Period { from, to },
        countries,
        groups,
        operation: (rng.next_u32().is_multiple_of(4)).then(|| pick(rng, &OPS).to_string()),
    }
}
