//! The access policy, checked through the HTTP API on random worlds: random countries (members,
//! observers, the centre), agencies, users (roles, clearances, disabled or not) and records
//! (owners, classifications, dissemination), and operations (a coordinating agency, parties —
//! agencies or whole countries — invited, accepted, declined or removed) that records are
//! tagged to. For every user and record: no listing, search, fetch or export returns an item the
//! policy denies, and a hit-only item never shows content; no operation is listed or read by a
//! user the domain's `operation::standing` gives no standing in it (the answer is that of an
//! operation that does not exist). Who takes part in which operation is worked out here from
//! the world, independently of the server.

use std::{collections::BTreeSet, sync::Arc};

use axum::http::{Method, StatusCode};
use chrono::NaiveDate;
use pamir_app::{secrets, App, Clock, Config};
use pamir_domain::{
    access::{decide, Access, Subject},
    entity::parse_entity,
    operation::{standing, OperationScope, Party},
    AgencyCode, AgencyKind, Classification, CountryCode, CountryStatus, Dissemination, EntityId,
    RecordMeta, Role, Username,
};
use pamir_store::{
    testing::TestDb, Agency, Country, NewRecord, OperationRow, Session, SessionKind, User,
};
use proptest::prelude::*;
use serde_json::{json, Value};

use crate::support::TestApp;

const COUNTRIES: &[&str] = &["KZ", "TJ", "UZ", "FR", "XC"];

/// (owner agency, classification, all members, countries, agencies, operations)
type RecordSpec = (
    usize,
    Classification,
    bool,
    BTreeSet<usize>,
    BTreeSet<usize>,
    BTreeSet<usize>,
);

/// A party of an operation: an agency, or the whole country of an agency (both by agency index).
#[derive(Debug, Clone, Copy)]
enum PartySpec {
    Agency(usize),
    CountryOf(usize),
}

const STATES: &[&str] = &["invited", "accepted", "declined", "removed"];

/// (coordinating agency, workspace classification, parties with their state index)
type OperationSpec = (usize, Classification, Vec<(PartySpec, usize)>);

#[derive(Debug, Clone)]
struct World {
    statuses: Vec<CountryStatus>,
    /// (country index, suffix)
    agencies: Vec<(usize, u8)>,
    /// (agency index, roles, clearance, active)
    users: Vec<(usize, Vec<Role>, Classification, bool)>,
    records: Vec<RecordSpec>,
    operations: Vec<OperationSpec>,
}

const OPERATIONS: usize = 3;

fn classification() -> impl Strategy<Value = Classification> {
    (0..4i64).prop_map(|l| Classification::from_level(l).unwrap_or(Classification::Secret))
}

fn world() -> impl Strategy<Value = World> {
    let statuses = proptest::collection::vec(
        prop_oneof![
            Just(CountryStatus::Member),
            Just(CountryStatus::Observer),
            Just(CountryStatus::Centre)
        ],
        COUNTRIES.len(),
    );
    let agencies = proptest::collection::vec((0..COUNTRIES.len(), 0..3u8), 2..6);
    (statuses, agencies).prop_flat_map(|(statuses, mut agencies)| {
        agencies.sort();
        agencies.dedup();
        let n = agencies.len();
        let users = proptest::collection::vec(
            (
                0..n,
                proptest::collection::vec(proptest::sample::select(Role::ALL.to_vec()), 1..3),
                classification(),
                proptest::bool::weighted(0.9),
            ),
            1..5,
        );
        let records = proptest::collection::vec(
            (
                0..n,
                classification(),
                any::<bool>(),
                proptest::collection::btree_set(0..COUNTRIES.len(), 0..3),
                proptest::collection::btree_set(0..n, 0..2),
                proptest::collection::btree_set(0..OPERATIONS, 0..2),
            ),
            1..8,
        );
        let party = prop_oneof![
            (0..n).prop_map(PartySpec::Agency),
            (0..n).prop_map(PartySpec::CountryOf),
        ];
        let operations = proptest::collection::vec(
            (
                0..n,
                classification(),
                proptest::collection::vec((party, 0..STATES.len()), 0..4),
            ),
            OPERATIONS,
        );
        (Just(statuses), Just(agencies), users, records, operations).prop_map(
            |(statuses, agencies, users, records, operations)| World {
                statuses,
                agencies,
                users,
                records,
                operations,
            },
        )
    })
}

fn agency_code(w: &World, i: usize) -> AgencyCode {
    let (c, s) = w.agencies[i];
    AgencyCode::parse(&format!("{}-AG{s}", COUNTRIES[c])).expect("agency code")
}

fn meta_of(w: &World, r: &RecordSpec) -> RecordMeta {
    RecordMeta {
        owner: agency_code(w, r.0),
        classification: r.1,
        dissemination: Dissemination {
            all_members: r.2,
            countries: r
                .3
                .iter()
                .map(|c| CountryCode::parse(COUNTRIES[*c]).expect("country"))
                .collect(),
            agencies: r.4.iter().map(|a| agency_code(w, *a)).collect(),
            operations: r.5.iter().map(|o| operation_id(*o)).collect(),
        },
        handling_codes: BTreeSet::new(),
        evaluation: None,
    }
}

fn operation_id(i: usize) -> String {
    format!("op-{i}")
}

fn party_code(w: &World, p: PartySpec) -> String {
    match p {
        PartySpec::Agency(a) => agency_code(w, a).to_string(),
        PartySpec::CountryOf(a) => agency_code(w, a).country().to_string(),
    }
}

/// Each operation's scope as the world leaves it (parties in their last state): what the
/// domain's `operation::standing` judges, the oracle for who may see the operation at all.
fn scopes(w: &World) -> Vec<(String, OperationScope)> {
    w.operations
        .iter()
        .enumerate()
        .map(|(i, (coordinator, workspace, parties))| {
            let mut last = std::collections::BTreeMap::new();
            for (p, state) in parties {
                let party = match p {
                    PartySpec::Agency(a) => Party::Agency(agency_code(w, *a)),
                    PartySpec::CountryOf(a) => Party::Country(agency_code(w, *a).country()),
                };
                last.insert(party, STATES[*state]);
            }
            let with = |state: &str| {
                last.iter()
                    .filter(|(_, s)| **s == state)
                    .map(|(p, _)| p.clone())
                    .collect()
            };
            (
                operation_id(i),
                OperationScope {
                    coordinator: Some(agency_code(w, *coordinator)),
                    classification: *workspace,
                    members: with("accepted"),
                    invited: with("invited"),
                },
            )
        })
        .collect()
}

fn operation_ids(v: &Value) -> BTreeSet<String> {
    v["operations"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|i| i["id"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The operations a user of `agency` cleared for `clearance` takes part in, from the world as
/// generated: those whose workspace they are cleared for, that their agency coordinates or where
/// it, or its country, is a party whose last state is "accepted".
fn taking_part(w: &World, agency: &AgencyCode, clearance: Classification) -> BTreeSet<String> {
    w.operations
        .iter()
        .enumerate()
        .filter(|(_, (_, workspace, _))| clearance >= *workspace)
        .filter(|(_, (coordinator, _, parties))| {
            let mut last = std::collections::BTreeMap::new();
            for (p, state) in parties {
                last.insert(party_code(w, *p), *state);
            }
            agency_code(w, *coordinator) == *agency
                || last.iter().any(|(code, state)| {
                    STATES[*state] == "accepted"
                        && (*code == agency.as_str() || *code == agency.country().as_str())
                })
        })
        .map(|(i, _)| operation_id(i))
        .collect()
}

async fn build(
    db: TestDb,
    w: &World,
) -> (TestApp, Vec<(String, Subject)>, Vec<(String, RecordMeta)>) {
    let app = Arc::new(App::with_store(
        db.store.clone(),
        Config::default(),
        true,
        Clock::system(),
    ));
    let t = TestApp::bare(db, app);
    let store = &t.store();
    let mut tx = store.begin().await.expect("begin");
    for (i, code) in COUNTRIES.iter().enumerate() {
        let code = CountryCode::parse(code).expect("code");
        tx.upsert_country(&Country {
            code,
            names: pamir_domain::names::Names::parse([("en", code.as_str())]).unwrap(),
            status: w.statuses[i],
        })
        .await
        .expect("country");
    }
    for i in 0..w.agencies.len() {
        let code = agency_code(w, i);
        tx.insert_agency(&Agency {
            country: code.country(),
            code,
            kind: AgencyKind::Police,
            names: pamir_domain::names::Names::parse([("en", "A"), ("ru", "А")]).unwrap(),
        })
        .await
        .expect("agency");
    }
    let mut users = Vec::new();
    for (i, (agency, roles, clearance, active)) in w.users.iter().enumerate() {
        let username = Username::parse(&format!("user{i}")).expect("username");
        let agency = agency_code(w, *agency);
        let user = User {
            username: username.clone(),
            display_name: "U".into(),
            agency: agency.clone(),
            roles: roles.iter().copied().collect(),
            clearance: *clearance,
            password_hash: "unused".into(),
            totp_secret: None,
            totp_last_step: None,
            language: None,
            disabled: !active,
            failed_logins: 0,
            locked_until: None,
            created_at: 0,
            updated_at: 0,
        };
        tx.insert_user(&user).await.expect("user");
        let token = format!("token-for-user-{i}");
        tx.insert_session(&Session {
            id: format!("s{i}"),
            token_hash: secrets::token_hash(&token),
            username: username.clone(),
            kind: SessionKind::Api,
            label: "prop".into(),
            csrf_token: "c".into(),
            created_at: 0,
            expires_at: None,
            last_used_at: t.app.clock.now_ms(),
            revoked_at: None,
        })
        .await
        .expect("session");
        let country = agency.country();
        let status = w.statuses[COUNTRIES
            .iter()
            .position(|c| *c == country.as_str())
            .unwrap_or(0)];
        let operations = taking_part(w, &agency, *clearance);
        users.push((
            token,
            Subject {
                username,
                agency,
                country,
                country_status: status,
                roles: user.roles.clone(),
                clearance: *clearance,
                active: *active,
                operations,
            },
        ));
    }
    for (i, (coordinator, workspace, parties)) in w.operations.iter().enumerate() {
        let coordinator = agency_code(w, *coordinator);
        tx.insert_operation(&OperationRow {
            id: operation_id(i),
            code_name: format!("Op {i}"),
            kind: "joint_operation".into(),
            lead_country: coordinator.country().to_string(),
            coordinator_agency: coordinator.to_string(),
            starts: "2026-01-01".into(),
            ends: None,
            classification: workspace.level(),
            ceiling: 3,
            description: String::new(),
            objectives: String::new(),
            seizure_form: "short".into(),
            created_by: "prop".into(),
            created_at: 0,
            updated_at: 0,
        })
        .await
        .expect("operation");
        // Each party is invited, then moved to its state; a party named twice ends in the
        // second state (re-invited first when the first left it declined or removed).
        for (p, state) in parties {
            let code = party_code(w, *p);
            tx.invite_party(&operation_id(i), &code, "prop")
                .await
                .expect("invite");
            let current = tx
                .operation_participants_in_tx(&operation_id(i))
                .await
                .expect("participants")
                .into_iter()
                .find(|r| r.party == code)
                .map(|r| r.state)
                .expect("invited");
            if current != STATES[*state] {
                tx.change_participant(&operation_id(i), &code, &current, STATES[*state], "prop")
                    .await
                    .expect("change");
            }
        }
    }
    let today = NaiveDate::from_ymd_opt(2026, 1, 1).expect("date");
    let mut records = Vec::new();
    let mut batch = Vec::new();
    for (i, r) in w.records.iter().enumerate() {
        let (_, mut entity) =
            parse_entity(&json!({"schema": "Person", "properties": {"name": [format!("Zebra Person{i}")], "notes": ["secret content"]}}), today)
                .expect("entity");
        entity.id = EntityId::parse(&format!("rec-{i}")).expect("id");
        let meta = meta_of(w, r);
        records.push((entity.id.to_string(), meta.clone()));
        batch.push(NewRecord::new(entity, meta, "prop"));
    }
    tx.insert_records(&batch).await.expect("records");
    tx.commit().await.expect("commit");
    (t, users, records)
}

fn ids(v: &Value) -> BTreeSet<String> {
    v["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|i| i["id"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

async fn check(db: TestDb, w: World) -> Result<(), TestCaseError> {
    let (t, users, records) = build(db, &w).await;
    let scopes = scopes(&w);
    for (token, subject) in &users {
        // The operations themselves: listed and readable exactly where the domain gives the
        // user a standing; for anyone else the answer of an operation that does not exist.
        let seen: BTreeSet<String> = scopes
            .iter()
            .filter(|(_, scope)| standing(subject, scope).is_some())
            .map(|(id, _)| id.clone())
            .collect();
        let listed = t.get("/api/v1/operations", token).await;
        if subject.active {
            prop_assert_eq!(listed.status, StatusCode::OK);
            prop_assert_eq!(
                operation_ids(&listed.json()),
                seen.clone(),
                "operations of {:?}",
                subject
            );
            for (id, _) in &scopes {
                let r = t.get(&format!("/api/v1/operations/{id}"), token).await;
                let expected = if seen.contains(id) {
                    StatusCode::OK
                } else {
                    StatusCode::NOT_FOUND
                };
                prop_assert_eq!(r.status, expected, "{} for {:?}", id, subject);
            }
        } else {
            prop_assert_eq!(listed.status, StatusCode::UNAUTHORIZED);
        }
        let expected_full: BTreeSet<String> = records
            .iter()
            .filter(|(_, m)| decide(subject, m) == Access::Full)
            .map(|(id, _)| id.clone())
            .collect();
        let list = t.get("/api/v1/records?limit=500", token).await;
        let search = t.get("/api/v1/records?q=zebra&limit=500", token).await;
        let export = t.get("/api/v1/export", token).await;
        if !subject.active {
            prop_assert_eq!(list.status, StatusCode::UNAUTHORIZED);
            continue;
        }
        if subject.full_access_filter().is_none() {
            prop_assert_eq!(list.status, StatusCode::FORBIDDEN);
            prop_assert_eq!(export.status, StatusCode::FORBIDDEN);
        } else {
            prop_assert_eq!(
                ids(&list.json()),
                expected_full.clone(),
                "listing for {:?}",
                subject
            );
            prop_assert_eq!(
                ids(&search.json()),
                expected_full.clone(),
                "search for {:?}",
                subject
            );
            let exported: BTreeSet<String> = export
                .text()
                .lines()
                .filter_map(|l| serde_json::from_str::<Value>(l).ok())
                .filter_map(|v| v["id"].as_str().map(str::to_string))
                .collect();
            prop_assert_eq!(exported, expected_full.clone(), "export for {:?}", subject);
        }
        for (id, meta) in &records {
            let r = t
                .call(
                    Method::GET,
                    &format!("/api/v1/records/{id}"),
                    Some(token),
                    None,
                )
                .await;
            match decide(subject, meta) {
                Access::Full => {
                    prop_assert_eq!(r.status, StatusCode::OK);
                    let body = r.json();
                    prop_assert_eq!(body["access"].as_str(), Some("full"));
                }
                Access::Hit => {
                    prop_assert_eq!(r.status, StatusCode::OK);
                    let body = r.json();
                    let keys: BTreeSet<&str> = body
                        .as_object()
                        .map(|o| o.keys().map(String::as_str).collect())
                        .unwrap_or_default();
                    prop_assert_eq!(keys, BTreeSet::from(["id", "schema", "owner", "access"]));
                    prop_assert!(
                        !r.text().contains("Zebra") && !r.text().contains("secret content")
                    );
                }
                Access::None => {
                    prop_assert_eq!(r.status, StatusCode::NOT_FOUND);
                    prop_assert!(!r.text().contains("Zebra"));
                }
            }
        }
    }
    t.cleanup().await;
    Ok(())
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn nothing_the_policy_denies_leaves_through_the_api_on_sqlite(w in world()) {
        runtime().block_on(async { check(TestDb::sqlite().await, w).await })?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10, ..ProptestConfig::default() })]

    #[test]
    fn nothing_the_policy_denies_leaves_through_the_api_on_postgres(w in world()) {
        if let Some(url) = pamir_store::testing::postgres_url() {
            runtime().block_on(async { check(TestDb::postgres(&url).await, w).await })?;
        }
    }
}
