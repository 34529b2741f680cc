//! `pamir bench analysis`: generates SEIZURES seizures, each with a person and a vehicle linked to
//! it (two linked entities per seizure) and persons associated with one another, then times the
//! main statistics query, the route aggregation and a 3-hop link chart, each for a reader who
//! may see everything (the centre's analyst) and one who may see a tenth (one owner agency's
//! officer), and prints p50/p99. Each engine runs on a fresh database of its own.

use std::{process::ExitCode, time::Instant};

use anyhow::{anyhow, Context};
use pamir_app::{
    admin::NewUser, analysis::chart::ChartRequest, App, Clock, Config, Principal, UserContext,
};
use pamir_domain::{
    analysis::RawFilters, entity::parse_entity, link::LinkKind, names::Names, AgencyCode,
    AgencyKind, Classification, CountryCode, CountryStatus, Dissemination, EntityId, RecordMeta,
    Role,
};
use pamir_store::{testing::TestDb, Agency, Country, Link, NewRecord, Store};
use rand::{rngs::StdRng, seq::SliceRandom, Rng, SeedableRng};
use serde_json::json;

use crate::bench::Engine;

const OWNERS: [&str; 10] = [
    "KZ-MVD", "KZ-KNB", "KG-SBNON", "TJ-AKN", "TJ-PV", "UZ-IIV", "TM-IIM", "RU-MVD", "AZ-DIN",
    "KG-GTS",
];
const CENTRE: &str = "XC-CARICC";
const SUBSTANCES: [(&str, &str); 6] = [
    ("heroin", "opiates"),
    ("opium", "opiates"),
    ("hashish", "cannabis"),
    ("methamphetamine", "ats"),
    ("mephedrone", "nps"),
    ("acetic anhydride", "precursors"),
];
const PATHS: [(&str, &[&str], &str); 6] = [
    ("AF", &["TJ", "KG", "KZ"], "RU"),
    ("AF", &["TJ", "UZ", "KZ"], "RU"),
    ("AF", &["TM", "AZ"], "RU"),
    ("IR", &["AZ"], "RU"),
    ("AF", &["TJ"], "KZ"),
    ("CN", &["KZ", "KG"], "TJ"),
];
/// Records written per transaction.
const BATCH: usize = 5_000;

pub struct Options {
    pub engine: Engine,
    pub seizures: usize,
    pub queries: usize,
    pub postgres_url: Option<String>,
}

pub async fn run(o: Options) -> anyhow::Result<ExitCode> {
    println!(
        "analysis benchmark: {} seizures, {} linked entities, {} queries per figure",
        o.seizures,
        2 * o.seizures,
        o.queries
    );
    if matches!(o.engine, Engine::Sqlite | Engine::Both) {
        let db = TestDb::sqlite().await;
        one_engine("sqlite", &db.store, &o).await?;
        db.cleanup().await;
    }
    if matches!(o.engine, Engine::Postgres | Engine::Both) {
        let url = o
            .postgres_url
            .clone()
            .or_else(|| std::env::var("PAMIR_TEST_DATABASE_URL").ok())
            .ok_or_else(|| {
                anyhow!("PostgreSQL: pass --postgres-url or set PAMIR_TEST_DATABASE_URL")
            })?;
        let db = TestDb::postgres(&url).await;
        one_engine("postgres", &db.store, &o).await?;
        db.cleanup().await;
    }
    Ok(ExitCode::SUCCESS)
}

async fn reference(app: &App) -> anyhow::Result<()> {
    let op = Principal::System("bench");
    let mut countries: Vec<&str> = OWNERS.iter().map(|a| &a[..2]).collect();
    countries.push("XC");
    countries.sort();
    countries.dedup();
    for c in countries {
        let code = CountryCode::parse(c).map_err(|e| anyhow!(e))?;
        let status = if c == "XC" {
            CountryStatus::Centre
        } else {
            CountryStatus::Member
        };
        app.admin()
            .add_country(
                op,
                Country {
                    code,
                    names: code.catalogue_names(),
                    status,
                },
            )
            .await
            .map_err(|e| anyhow!("{e}"))?;
    }
    for a in OWNERS.iter().chain([&CENTRE]) {
        let code = AgencyCode::parse(a).map_err(|e| anyhow!(e))?;
        app.admin()
            .add_agency(
                op,
                Agency {
                    country: code.country(),
                    code,
                    kind: AgencyKind::Police,
                    names: Names::parse([("en", *a)]).map_err(|(_, e)| anyhow!(e))?,
                },
            )
            .await
            .map_err(|e| anyhow!("{e}"))?;
    }
    for (username, agency) in [("analyst", CENTRE), ("officer", OWNERS[0])] {
        app.admin()
            .add_user(
                op,
                NewUser {
                    username: username.into(),
                    display_name: username.into(),
                    agency: agency.into(),
                    roles: vec![Role::Analyst],
                    clearance: Classification::Secret,
                    password: "bench-password-long-enough".into(),
                    language: None,
                },
            )
            .await
            .map_err(|e| anyhow!("{e}"))?;
    }
    Ok(())
}

fn record(
    schema: &str,
    id: String,
    props: serde_json::Value,
    owner: &str,
    today: chrono::NaiveDate,
) -> anyhow::Result<NewRecord> {
    let (_, mut entity) = parse_entity(&json!({"schema": schema, "properties": props}), today)
        .map_err(|e| anyhow!("{e:?}"))?;
    entity.id = EntityId::parse(&id).map_err(|e| anyhow!(e))?;
    Ok(NewRecord::new(
        entity,
        RecordMeta {
            owner: AgencyCode::parse(owner).map_err(|e| anyhow!(e))?,
            classification: Classification::Restricted,
            // The centre reads everything; each other agency only its own.
            dissemination: Dissemination {
                agencies: [AgencyCode::parse(CENTRE).map_err(|e| anyhow!(e))?].into(),
                ..Default::default()
            },
            handling_codes: Default::default(),
            evaluation: None,
        },
        "system:bench",
    ))
}

/// Writes the seizures, their persons and vehicles and the links, in transactions of BATCH
/// records. Returns the seizure ids of the first owner (the tenth reader's).
async fn generate(
    store: &Store,
    n: usize,
    today: chrono::NaiveDate,
) -> anyhow::Result<Vec<String>> {
    let mut rng = StdRng::seed_from_u64(13);
    let mut own = Vec::new();
    let started = Instant::now();
    let mut i = 0;
    while i < n {
        let end = (i + BATCH / 3).min(n);
        let mut records = Vec::with_capacity(3 * (end - i));
        let mut links = Vec::with_capacity(3 * (end - i));
        for k in i..end {
            let owner = OWNERS[k % OWNERS.len()];
            let day = today - chrono::Duration::days(rng.gen_range(0..5 * 365));
            let (substance, group) = *SUBSTANCES.choose(&mut rng).unwrap_or(&SUBSTANCES[0]);
            let (origin, transit, dest) = *PATHS.choose(&mut rng).unwrap_or(&PATHS[0]);
            let (sid, pid, vid) = (
                format!("bs-{k:08}"),
                format!("bp-{k:08}"),
                format!("bv-{k:08}"),
            );
            if k % OWNERS.len() == 0 && own.len() < 10_000 {
                own.push(sid.clone());
            }
            records.push(record(
                "Seizure",
                sid.clone(),
                json!({"date": [day.format("%Y-%m-%d").to_string()], "country": [&owner[..2]],
                       "substance": [substance], "substanceGroup": [group],
                       "quantity": [format!("{:.2}", rng.gen_range(0.1..500.0))], "unit": ["kg"],
                       "transportMode": ["road"], "originCountry": [origin], "transitCountries": transit,
                       "destinationCountry": [dest]}),
                owner,
                today,
            )?);
            records.push(record(
                "Person",
                pid.clone(),
                json!({"name": [format!("Person {k}")], "birthDate": [format!("{}", 1960 + k % 40)]}),
                owner,
                today,
            )?);
            records.push(record(
                "Vehicle",
                vid.clone(),
                json!({"registrationNumber": [format!("{:03} ABC {:02}", k % 1000, k % 17)]}),
                owner,
                today,
            )?);
            let owner_code = AgencyCode::parse(owner).map_err(|e| anyhow!(e))?;
            let link = |id: String, kind, source: &str, target: &str| Link {
                id,
                kind,
                source: source.to_string(),
                target: target.to_string(),
                role: None,
                owner: owner_code.clone(),
                created_by: "system:bench".into(),
                created_at: 0,
            };
            links.push(link(
                format!("bl-s-{k:08}"),
                LinkKind::SeizureInvolves,
                &sid,
                &pid,
            ));
            links.push(link(
                format!("bl-v-{k:08}"),
                LinkKind::CarriedBy,
                &sid,
                &vid,
            ));
            // Persons know someone of the same agency written a little before them: chains
            // long enough for a 3-hop chart to reach past the seizure.
            if k >= OWNERS.len() {
                let other = k - OWNERS.len() * rng.gen_range(1..=(k / OWNERS.len()).clamp(1, 20));
                links.push(link(
                    format!("bl-a-{k:08}"),
                    LinkKind::AssociateOf,
                    &pid,
                    &format!("bp-{other:08}"),
                ));
            }
        }
        let mut tx = store.begin().await?;
        tx.insert_records(&records).await?;
        tx.insert_links(&links).await?;
        tx.commit().await?;
        i = end;
        if i % 100_000 < BATCH / 3 || i == n {
            eprint!(
                "\r  written {i} seizures ({:.0} records/s)   ",
                (3 * i) as f64 / started.elapsed().as_secs_f64()
            );
        }
    }
    eprintln!();
    Ok(own)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

async fn time<F, Fut>(queries: usize, mut f: F) -> anyhow::Result<(f64, f64)>
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    f(0).await?; // warm the caches once
    let mut ms = Vec::with_capacity(queries);
    for q in 0..queries {
        let started = Instant::now();
        f(q + 1).await?;
        ms.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    ms.sort_by(f64::total_cmp);
    Ok((percentile(&ms, 0.5), percentile(&ms, 0.99)))
}

async fn one_engine(label: &str, store: &Store, o: &Options) -> anyhow::Result<()> {
    let app = App::with_store(store.clone(), Config::default(), false, Clock::system());
    reference(&app).await?;
    let today = app.clock.today();
    let started = Instant::now();
    let own = generate(store, o.seizures, today)
        .await
        .context("generating")?;
    println!(
        "{label}: generated in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    let readers: Vec<(&str, UserContext)> = vec![
        (
            "everything",
            app.identity()
                .context_for("analyst")
                .await
                .map_err(|e| anyhow!("{e}"))?,
        ),
        (
            "a tenth",
            app.identity()
                .context_for("officer")
                .await
                .map_err(|e| anyhow!("{e}"))?,
        ),
    ];
    println!(
        "{:<10} {:<12} {:<28} {:>9} {:>9} {:>10}",
        "engine", "reader", "query", "p50 ms", "p99 ms", "result"
    );
    for (who, ctx) in &readers {
        // The last year, as the statistics page opens; the previous period and a year before too.
        let raw = RawFilters::default();
        let seen = std::cell::Cell::new(0i64);
        let (p50, p99) = time(o.queries, |_| {
            let (app, ctx, raw) = (&app, ctx, &raw);
            let seen = &seen;
            async move {
                let s = app
                    .analysis()
                    .seizure_statistics(ctx, raw, Some("substance_group"))
                    .await
                    .map_err(|e| anyhow!("{e}"))?;
                seen.set(s.total.current.count);
                Ok(())
            }
        })
        .await?;
        println!(
            "{label:<10} {who:<12} {:<28} {p50:>9.1} {p99:>9.1} {:>10}",
            "statistics by substance",
            seen.get()
        );
        let legs = std::cell::Cell::new(0i64);
        let (p50, p99) = time(o.queries, |_| {
            let (app, ctx, raw) = (&app, ctx, &raw);
            let legs = &legs;
            async move {
                let r = app
                    .analysis()
                    .routes(ctx, raw)
                    .await
                    .map_err(|e| anyhow!("{e}"))?;
                legs.set(r.flows.len() as i64);
                Ok(())
            }
        })
        .await?;
        println!(
            "{label:<10} {who:<12} {:<28} {p50:>9.1} {p99:>9.1} {:>10}",
            "routes (legs)",
            legs.get()
        );
        let nodes = std::cell::Cell::new(0i64);
        let (p50, p99) = time(o.queries, |q| {
            let (app, ctx) = (&app, ctx);
            let root = own[(q * 7919) % own.len()].clone();
            let nodes = &nodes;
            async move {
                let c = app
                    .analysis()
                    .link_chart(
                        ctx,
                        &ChartRequest {
                            roots: vec![root],
                            depth: Some(3),
                            limit: Some(500),
                            connect: false,
                        },
                    )
                    .await
                    .map_err(|e| anyhow!("{e}"))?;
                nodes.set(c.nodes.len() as i64);
                Ok(())
            }
        })
        .await?;
        println!(
            "{label:<10} {who:<12} {:<28} {p50:>9.1} {p99:>9.1} {:>10}",
            "link chart, 3 hops (nodes)",
            nodes.get()
        );
    }
    Ok(())
}
