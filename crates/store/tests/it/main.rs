//! Store conformance: every test runs on SQLite and, when configured, PostgreSQL.

// Tests fail loudly: unwrapping is how they say what went wrong.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use chrono::NaiveDate;
use pamir_domain::{
    access::Subject,
    audit::{Action, AuditDraft, ChainVerifier},
    entity::parse_entity,
    names::Names,
    AgencyCode, AgencyKind, Classification, CountryCode, CountryStatus, Dissemination, RecordMeta,
    Role, Username,
};
use pamir_store::{
    testing::TestDb, Agency, Country, NewRecord, RecordQuery, Store, StoreError, User,
};
use serde_json::json;

mod analysis;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

pub(crate) async fn seed(store: &Store) {
    let mut tx = store.begin().await.unwrap();
    for (code, status) in [
        ("KZ", CountryStatus::Member),
        ("TJ", CountryStatus::Member),
        ("FR", CountryStatus::Observer),
    ] {
        tx.upsert_country(&Country {
            code: CountryCode::parse(code).unwrap(),
            names: Names::parse([("en", code)]).unwrap(),
            status,
        })
        .await
        .unwrap();
    }
    for code in ["KZ-MVD", "KZ-KNB", "TJ-DCA", "FR-OFAST"] {
        let code = AgencyCode::parse(code).unwrap();
        tx.insert_agency(&Agency {
            country: code.country(),
            code,
            kind: AgencyKind::Police,
            names: Names::parse([("en", "x"), ("ru", "х")]).unwrap(),
        })
        .await
        .unwrap();
    }
    tx.audit(&AuditDraft::new("-", "-", Action::CountryCreate, "seed"))
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

fn record(
    id: &str,
    owner: &str,
    class: Classification,
    countries: &[&str],
    name: &str,
) -> NewRecord {
    let (_, mut entity) = parse_entity(
        &json!({"schema": "Person", "properties": {"name": [name], "birthDate": ["1985"]}}),
        today(),
    )
    .unwrap();
    entity.id = pamir_domain::EntityId::parse(id).unwrap();
    NewRecord::new(
        entity,
        RecordMeta {
            owner: AgencyCode::parse(owner).unwrap(),
            classification: class,
            dissemination: Dissemination {
                countries: countries
                    .iter()
                    .map(|c| CountryCode::parse(c).unwrap())
                    .collect(),
                ..Default::default()
            },
            handling_codes: BTreeSet::new(),
            evaluation: None,
        },
        "tester",
    )
}

pub(crate) fn subject(agency: &str, status: CountryStatus, clearance: Classification) -> Subject {
    let agency = AgencyCode::parse(agency).unwrap();
    Subject {
        username: Username::parse("tester").unwrap(),
        country: agency.country(),
        agency,
        country_status: status,
        roles: [Role::Officer].into(),
        clearance,
        active: true,
        operations: Default::default(),
    }
}

async fn verify_chain(store: &Store) -> Result<u64, String> {
    let mut v = ChainVerifier::default();
    let mut after = 0;
    loop {
        let page = store.audit_page(after, 3).await.unwrap();
        if page.is_empty() {
            break;
        }
        for e in &page {
            v.feed(e).map_err(|b| b.to_string())?;
            after = e.seq;
        }
    }
    let (seq, hash) = store.chain_head().await.unwrap();
    v.finish(seq, &hash).map_err(|b| b.to_string())
}

macro_rules! on_every_engine {
    ($($name:ident),* $(,)?) => {
        $(
            #[tokio::test]
            async fn $name() {
                for db in TestDb::all().await {
                    eprintln!("{} on {}", stringify!($name), db.label);
                    scenarios::$name(&db.store).await;
                    db.cleanup().await;
                }
            }
        )*
    };
}

on_every_engine!(
    migrations_are_idempotent,
    records_round_trip_with_versions_and_conflicts,
    listing_applies_the_access_filter_and_search,
    audit_chain_and_outbox_commit_with_the_change,
    batch_insert_and_duplicate_ids,
    users_and_sessions,
    search_finds_tokens_as_pamir_indexed_them,
    a_write_cancelled_at_any_point_leaves_the_writer_usable,
    an_operation_scope_is_held_only_under_its_ceiling,
);

#[test]
fn both_engines_have_the_same_migrations() {
    let names = |e| {
        pamir_store::migrations(e)
            .iter()
            .map(|(v, n, _)| (*v, *n))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(pamir_store::Engine::Sqlite),
        names(pamir_store::Engine::Postgres)
    );
    // Same tables in both dialects once every migration ran (a SQLite migration may rebuild a
    // table under a new name and rename it back, where PostgreSQL alters it in place).
    let tables = |e| {
        let mut out: Vec<String> = Vec::new();
        for line in pamir_store::migrations(e)
            .iter()
            .flat_map(|(_, _, sql)| sql.lines())
        {
            let word = |rest: &str| rest.split_whitespace().next().unwrap_or("").to_string();
            if let Some(r) = line.strip_prefix("CREATE TABLE ") {
                out.push(word(r));
            } else if let Some(r) = line.strip_prefix("DROP TABLE ") {
                let gone = word(r).trim_end_matches(';').to_string();
                out.retain(|t| *t != gone);
            } else if let Some(r) = line.strip_prefix("ALTER TABLE ") {
                if let Some((from, to)) = r.split_once(" RENAME TO ") {
                    let to = word(to).trim_end_matches(';').to_string();
                    let from = word(from);
                    out.retain(|t| *t != to);
                    for t in out.iter_mut().filter(|t| **t == from) {
                        *t = to.clone();
                    }
                }
            }
        }
        out.sort();
        out
    };
    assert_eq!(
        tables(pamir_store::Engine::Sqlite),
        tables(pamir_store::Engine::Postgres)
    );
}

mod scenarios {
    use super::*;

    /// A request dropped mid-write (its client went away) cancels the write wherever it is:
    /// waiting for the writer, between `BEGIN` and its acknowledgement, inside the transaction.
    /// Whatever the point, the next write finds the writer free and no transaction left open.
    /// (sqlx 0.8 returns a connection to the pool still inside a transaction when `BEGIN
    /// IMMEDIATE` is cancelled just after SQLite acknowledged it; every later write then
    /// failed with "begin_with at non-zero transaction depth".)
    /// An item is written into an operation's scope only while the operation's ceiling admits
    /// it (the row held in the writing transaction); what is tagged is seen by the edit.
    pub async fn an_operation_scope_is_held_only_under_its_ceiling(store: &Store) {
        seed(store).await;
        let mut tx = store.begin().await.unwrap();
        tx.insert_operation(&pamir_store::OperationRow {
            id: "op-held".into(),
            code_name: "Held".into(),
            kind: "joint_operation".into(),
            lead_country: "KZ".into(),
            coordinator_agency: "KZ-MVD".into(),
            starts: "2026-01-01".into(),
            ends: None,
            classification: 1,
            ceiling: 2,
            description: String::new(),
            objectives: String::new(),
            seizure_form: "short".into(),
            created_by: "t".into(),
            created_at: 1,
            updated_at: 1,
        })
        .await
        .unwrap();
        assert!(tx.hold_operation_scope("op-held", 2).await.unwrap());
        assert!(!tx.hold_operation_scope("op-held", 3).await.unwrap());
        assert!(!tx.hold_operation_scope("op-nobody", 0).await.unwrap());
        assert_eq!(tx.highest_tagged("op-held").await.unwrap(), None);
        tx.commit().await.unwrap();
    }

    pub async fn a_write_cancelled_at_any_point_leaves_the_writer_usable(store: &Store) {
        seed(store).await;
        let (seq_before, _) = store.chain_head().await.unwrap();
        for point in 0..300usize {
            let write = async {
                let mut tx = store.begin().await.unwrap();
                let target = format!("cancelled-{point}");
                tx.audit(&AuditDraft::new("-", "-", Action::CountryCreate, &target))
                    .await
                    .unwrap();
                tx.commit().await.unwrap();
            };
            // Cancel after `point % 30` polls, at a different place each time.
            let mut write = Box::pin(write);
            for _ in 0..point % 30 {
                let ready = std::future::poll_fn(|cx| {
                    std::task::Poll::Ready(std::future::Future::poll(write.as_mut(), cx).is_ready())
                })
                .await;
                if ready {
                    break;
                }
                tokio::task::yield_now().await;
            }
            drop(write);
            let next = tokio::time::timeout(std::time::Duration::from_secs(30), store.begin())
                .await
                .unwrap_or_else(|_| panic!("the writer is stuck after a cancel at {point}"))
                .unwrap_or_else(|e| panic!("after a cancel at {point}: {e}"));
            drop(next);
        }
        // Cancelled writes left nothing half-done: the chain verifies.
        let (seq_after, _) = store.chain_head().await.unwrap();
        assert!(seq_after >= seq_before);
        verify_chain(store).await.unwrap();
    }

    pub async fn search_finds_tokens_as_pamir_indexed_them(store: &Store) {
        seed(store).await;
        let base = record(
            "odd",
            "KZ-MVD",
            Classification::Restricted,
            &["KZ"],
            "O'Neil Gʻulomov-Ivanov",
        );
        let mut entity = base.entity;
        entity
            .properties
            .insert("passportNumber".into(), vec!["01KG-123abc".into()]);
        entity
            .properties
            .insert("phone".into(), vec!["+992 91 123 4567".into()]);
        let odd = NewRecord::new(entity, base.meta, "tester");
        let mut tx = store.begin().await.unwrap();
        tx.insert_record(&odd).await.unwrap();
        tx.commit().await.unwrap();
        let filter = subject("KZ-MVD", CountryStatus::Member, Classification::Secret)
            .full_access_filter()
            .unwrap();
        // Tokens a database text parser would split or alter are found as Pamir indexed them.
        for q in [
            "01kg123",
            "01KG-123abc",
            "01kg",
            "oneil",
            "gulomov",
            "ivan",
            "91 123 4567",
            "+992 91 123",
        ] {
            let query = RecordQuery {
                terms: pamir_domain::text::query_terms(q),
                limit: 5,
                ..Default::default()
            };
            let found: Vec<String> = store
                .list_records(&filter, &query)
                .await
                .unwrap()
                .into_iter()
                .map(|r| r.entity.id.to_string())
                .collect();
            assert_eq!(found, ["odd"], "{q}");
        }
    }

    pub async fn migrations_are_idempotent(store: &Store) {
        assert!(store.migrate().await.unwrap().is_empty());
        assert!(store.pending_migrations().await.unwrap().is_empty());
        store.ping().await.unwrap();
    }

    pub async fn records_round_trip_with_versions_and_conflicts(store: &Store) {
        seed(store).await;
        let mut tx = store.begin().await.unwrap();
        let stored = tx
            .insert_record(&record(
                "p-1",
                "KZ-MVD",
                Classification::Confidential,
                &["KZ"],
                "Хасанов",
            ))
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(stored.version, 1);
        let got = store.get_record("p-1").await.unwrap().unwrap();
        assert_eq!(got.entity.first("name"), Some("Хасанов"));
        assert_eq!(got.meta.classification, Classification::Confidential);
        assert_eq!(got.meta.dissemination.countries.len(), 1);

        let mut changed = record(
            "p-1",
            "KZ-MVD",
            Classification::Restricted,
            &["KZ", "TJ"],
            "Хасанов Ш.",
        );
        changed.actor = "editor".into();
        let mut tx = store.begin().await.unwrap();
        let updated = tx.update_record(&changed, 1).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            (updated.version, updated.updated_by.as_str()),
            (2, "editor")
        );
        assert_eq!(updated.meta.dissemination.countries.len(), 2);

        let mut tx = store.begin().await.unwrap();
        match tx.update_record(&changed, 1).await {
            Err(StoreError::Conflict { current }) => assert_eq!(current, 2),
            other => panic!("expected a conflict, got {other:?}"),
        }
        drop(tx);
        let mut tx = store.begin().await.unwrap();
        assert!(matches!(
            tx.delete_record("p-1", Some(1)).await,
            Err(StoreError::Conflict { current: 2 })
        ));
        tx.delete_record("p-1", Some(2)).await.unwrap();
        assert!(matches!(
            tx.delete_record("p-1", None).await,
            Err(StoreError::NotFound)
        ));
        tx.commit().await.unwrap();
        assert!(store.get_record("p-1").await.unwrap().is_none());
    }

    pub async fn listing_applies_the_access_filter_and_search(store: &Store) {
        seed(store).await;
        let mut tx = store.begin().await.unwrap();
        tx.insert_record(&record(
            "kz-only",
            "KZ-MVD",
            Classification::Confidential,
            &["KZ"],
            "Хасанов Шерзод",
        ))
        .await
        .unwrap();
        tx.insert_record(&record(
            "kz-secret",
            "KZ-MVD",
            Classification::Secret,
            &["KZ"],
            "Khasanov Secret",
        ))
        .await
        .unwrap();
        tx.insert_record(&record(
            "tj-fr",
            "TJ-DCA",
            Classification::Restricted,
            &["FR"],
            "Rahimov",
        ))
        .await
        .unwrap();
        tx.commit().await.unwrap();

        let ids = |rs: Vec<pamir_store::StoredRecord>| {
            rs.into_iter()
                .map(|r| r.entity.id.to_string())
                .collect::<Vec<_>>()
        };
        let q = RecordQuery {
            limit: 50,
            ..Default::default()
        };

        let kz = subject(
            "KZ-KNB",
            CountryStatus::Member,
            Classification::Confidential,
        )
        .full_access_filter()
        .unwrap();
        assert_eq!(ids(store.list_records(&kz, &q).await.unwrap()), ["kz-only"]);
        let tj = subject("TJ-DCA", CountryStatus::Member, Classification::Secret)
            .full_access_filter()
            .unwrap();
        assert_eq!(ids(store.list_records(&tj, &q).await.unwrap()), ["tj-fr"]);
        let fr = subject("FR-OFAST", CountryStatus::Observer, Classification::Secret)
            .full_access_filter()
            .unwrap();
        assert_eq!(ids(store.list_records(&fr, &q).await.unwrap()), ["tj-fr"]);

        let kz_secret = subject("KZ-MVD", CountryStatus::Member, Classification::Secret)
            .full_access_filter()
            .unwrap();
        let search = |text: &str| RecordQuery {
            terms: pamir_domain::text::query_terms(text),
            limit: 50,
            ..Default::default()
        };
        // Cyrillic found by its Latin reading and by a prefix; Latin found as written.
        assert_eq!(
            ids(store
                .list_records(&kz_secret, &search("khasan"))
                .await
                .unwrap()),
            ["kz-secret", "kz-only"]
        );
        assert_eq!(
            ids(store
                .list_records(&kz_secret, &search("шерзод"))
                .await
                .unwrap()),
            ["kz-only"]
        );
        // A Cyrillic query also finds a record written only in Latin: any spelling of a word counts.
        assert_eq!(
            ids(store
                .list_records(&kz_secret, &search("хасанов"))
                .await
                .unwrap()),
            ["kz-secret", "kz-only"]
        );
        assert!(store
            .list_records(&kz_secret, &search("\"' OR 1=1 --"))
            .await
            .unwrap()
            .is_empty());
        assert!(store
            .list_records(&kz_secret, &search("rahimov"))
            .await
            .unwrap()
            .is_empty());
        let counts = store.count_records(&kz_secret).await.unwrap();
        assert_eq!(counts, [("Person".to_string(), 2)]);

        let page = RecordQuery {
            limit: 1,
            ..Default::default()
        };
        let first = store.list_records(&kz_secret, &page).await.unwrap();
        let next = RecordQuery {
            limit: 1,
            before: Some(first[0].rid),
            ..Default::default()
        };
        assert_eq!(
            ids(store.list_records(&kz_secret, &next).await.unwrap()),
            ["kz-only"]
        );
    }

    pub async fn audit_chain_and_outbox_commit_with_the_change(store: &Store) {
        seed(store).await;
        let start = store.outbox_after(0, 1000).await.unwrap().len();
        let mut tx = store.begin().await.unwrap();
        tx.insert_record(&record(
            "a-1",
            "KZ-MVD",
            Classification::Unclassified,
            &[],
            "A",
        ))
        .await
        .unwrap();
        tx.audit(&AuditDraft::new("u", "KZ-MVD", Action::RecordCreate, "a-1"))
            .await
            .unwrap();
        drop(tx); // rolled back: neither the record, nor its audit entry, nor its event remain
        assert!(store.get_record("a-1").await.unwrap().is_none());
        assert_eq!(store.outbox_after(0, 1000).await.unwrap().len(), start);
        assert_eq!(verify_chain(store).await, Ok(1));

        for i in 0..4 {
            let mut tx = store.begin().await.unwrap();
            let id = format!("a-{i}");
            tx.insert_record(&record(
                &id,
                "KZ-MVD",
                Classification::Unclassified,
                &[],
                "A",
            ))
            .await
            .unwrap();
            tx.audit(&AuditDraft::new("u", "KZ-MVD", Action::RecordCreate, id))
                .await
                .unwrap();
            tx.commit().await.unwrap();
        }
        store
            .audit(&AuditDraft::new("u", "KZ-MVD", Action::RecordRead, "a-1"))
            .await
            .unwrap();
        assert_eq!(verify_chain(store).await, Ok(6));
        let events = store.outbox_after(0, 1000).await.unwrap();
        assert_eq!(events.len(), start + 4);
        assert!(events.windows(2).all(|w| w[0].seq < w[1].seq));
        assert_eq!(events.last().unwrap().kind, "record.created");
        assert_eq!(events.last().unwrap().payload["id"], "a-3");
        let reads = store
            .list_audit(&pamir_store::AuditQuery {
                action: Some("record.*".into()),
                limit: 10,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(reads.len(), 5);
        assert_eq!(reads[0].action, "record.read");
    }

    pub async fn batch_insert_and_duplicate_ids(store: &Store) {
        seed(store).await;
        let batch: Vec<NewRecord> = (0..1000)
            .map(|i| {
                record(
                    &format!("b-{i}"),
                    "TJ-DCA",
                    Classification::Restricted,
                    &["KZ"],
                    &format!("Name {i}"),
                )
            })
            .collect();
        let mut tx = store.begin().await.unwrap();
        assert_eq!(tx.insert_records(&batch).await.unwrap(), 1000);
        let existing = tx
            .existing_ids(&["b-5".to_string(), "nope".to_string()])
            .await
            .unwrap();
        assert_eq!(existing.len(), 1);
        assert_eq!(existing[0].owner.as_str(), "TJ-DCA");
        tx.commit().await.unwrap();
        let kz = subject("KZ-KNB", CountryStatus::Member, Classification::Restricted)
            .full_access_filter()
            .unwrap();
        let search = RecordQuery {
            terms: vec![vec!["999".into()]],
            limit: 5,
            ..Default::default()
        };
        assert_eq!(store.list_records(&kz, &search).await.unwrap().len(), 1);

        let mut tx = store.begin().await.unwrap();
        let dup = tx.insert_records(&batch[..1]).await;
        assert!(matches!(dup, Err(StoreError::Duplicate(_))), "{dup:?}");
    }

    pub async fn users_and_sessions(store: &Store) {
        seed(store).await;
        let user = User {
            username: Username::parse("kz.officer").unwrap(),
            display_name: "Officer".into(),
            agency: AgencyCode::parse("KZ-MVD").unwrap(),
            roles: [Role::Officer, Role::Analyst].into(),
            clearance: Classification::Confidential,
            password_hash: "hash".into(),
            totp_secret: None,
            totp_last_step: None,
            language: Some("ru".into()),
            disabled: false,
            failed_logins: 0,
            locked_until: None,
            created_at: 0,
            updated_at: 0,
        };
        let mut tx = store.begin().await.unwrap();
        tx.insert_user(&user).await.unwrap();
        let mut ghost = user.clone();
        ghost.username = Username::parse("ghost").unwrap();
        ghost.agency = AgencyCode::parse("UZ-MVD").unwrap();
        assert!(matches!(
            tx.insert_user(&ghost).await,
            Err(StoreError::MissingReference(_))
        ));
        drop(tx);
        let mut tx = store.begin().await.unwrap();
        tx.insert_user(&user).await.unwrap();
        assert!(matches!(
            tx.insert_user(&user).await,
            Err(StoreError::Duplicate(_))
        ));
        drop(tx);
        let mut tx = store.begin().await.unwrap();
        tx.insert_user(&user).await.unwrap();
        let session = pamir_store::Session {
            id: "s1".into(),
            token_hash: "th".into(),
            username: user.username.clone(),
            kind: pamir_store::SessionKind::Api,
            label: "national system".into(),
            csrf_token: "c".into(),
            created_at: 1,
            expires_at: None,
            last_used_at: 1,
            revoked_at: None,
        };
        tx.insert_session(&session).await.unwrap();
        tx.commit().await.unwrap();
        let got = store.get_user("kz.officer").await.unwrap().unwrap();
        assert_eq!(got.roles, user.roles);
        assert_eq!(store.list_users(Some("KZ")).await.unwrap().len(), 1);
        assert!(store.list_users(Some("TJ")).await.unwrap().is_empty());
        assert_eq!(
            store.find_session("th").await.unwrap().unwrap().label,
            "national system"
        );
        let mut tx = store.begin().await.unwrap();
        assert!(tx.revoke_session("s1", 5).await.unwrap());
        assert!(!tx.revoke_session("s1", 6).await.unwrap());
        tx.commit().await.unwrap();
        assert_eq!(
            store.get_session("s1").await.unwrap().unwrap().revoked_at,
            Some(5)
        );
    }
}

/// A database written before names by language (migration 6) keeps its names: the English and
/// Russian columns become the `en` and `ru` names.
#[tokio::test]
async fn names_written_before_names_by_language_are_kept() {
    use sqlx::Connection;
    let dir = std::env::temp_dir().join(format!("pamir-names-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite:{}?mode=rwc", dir.join("old.db").display());
    {
        let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::raw_sql(
            "CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
        )
        .execute(&mut conn)
        .await
        .unwrap();
        for (version, name, sql) in pamir_store::migrations(pamir_store::Engine::Sqlite) {
            if *version >= 6 {
                break;
            }
            sqlx::raw_sql(sql).execute(&mut conn).await.unwrap();
            sqlx::query("INSERT INTO schema_migrations VALUES ($1, $2, 0)")
                .bind(version)
                .bind(name)
                .execute(&mut conn)
                .await
                .unwrap();
        }
        sqlx::raw_sql(
            "INSERT INTO countries (code, name_en, name_ru, status, created_at) VALUES ('KZ', 'Kazakhstan', 'Казахстан', 'member', 0);
             INSERT INTO agencies (code, country, kind, name_en, name_ru, created_at) VALUES ('KZ-MVD', 'KZ', 'police', 'Ministry', 'Министерство', 0);",
        )
        .execute(&mut conn)
        .await
        .unwrap();
        conn.close().await.unwrap();
    }
    let store = Store::connect(&url).await.unwrap();
    let applied = store.migrate().await.unwrap();
    assert!(applied.iter().any(|(v, _)| *v == 6), "{applied:?}");
    let kz = store.get_country("KZ").await.unwrap().unwrap();
    assert_eq!(
        kz.names,
        Names::parse([("en", "Kazakhstan"), ("ru", "Казахстан")]).unwrap()
    );
    let mvd = store.get_agency("KZ-MVD").await.unwrap().unwrap();
    assert_eq!(mvd.name(pamir_domain::schema::Lang::RU), "Министерство");
    store.close().await.unwrap();
    std::fs::remove_dir_all(&dir).ok();
}
