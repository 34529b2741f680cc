//! `pamir bench import`: imports generated FtM Person lines into SQLite and PostgreSQL and prints
//! entities per second and peak memory. Each engine runs in a child process of its own so that
//! its peak memory is its own.

use std::{
    io::{BufReader, BufWriter, Write},
    path::{Path, PathBuf},
    process::ExitCode,
    time::Instant,
};

use anyhow::{anyhow, bail, Context};
use clap::{Subcommand, ValueEnum};
use pamir_app::{
    import::{Format, Importer},
    App, Clock, Config, Principal,
};
use pamir_domain::{meta::MetaInput, AgencyCode, AgencyKind, CountryCode, CountryStatus};
use pamir_store::{testing::TestDb, Agency, Country};
use rand::{rngs::StdRng, seq::SliceRandom, Rng, SeedableRng};
use serde_json::json;

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Engine {
    Sqlite,
    Postgres,
    Both,
}

#[derive(Subcommand)]
pub enum BenchCommand {
    /// Import COUNT generated FtM Person lines (audit and outbox written) and print entities/s and peak memory.
    Import {
        #[arg(long, default_value_t = 1_000_000)]
        count: u64,
        #[arg(long, value_enum, default_value_t = Engine::Both)]
        engine: Engine,
        /// PostgreSQL server to use (a fresh schema is made and dropped); default PAMIR_TEST_DATABASE_URL.
        #[arg(long)]
        postgres_url: Option<String>,
        /// Where to write the generated file (default: a temporary folder).
        #[arg(long)]
        file: Option<PathBuf>,
        /// Also time matching the imported records (index build and every record matched
        /// against all others), as the server does after an import.
        #[arg(long)]
        matching: bool,
    },
    /// Build a matching index of PERSONS generated persons, run QUERIES against it and print
    /// build time, memory, queries/s and p50/p99 latency.
    Match {
        #[arg(long, default_value_t = 1_000_000)]
        persons: usize,
        #[arg(long, default_value_t = 10_000)]
        queries: usize,
        #[arg(long, default_value_t = 7)]
        seed: u64,
        /// Query threads (default: the machine's cores).
        #[arg(long)]
        threads: Option<usize>,
    },
    /// A real server with CLIENTS live event streams and senders at RATE messages/s for SECONDS;
    /// killed with SIGKILL and restarted half-way. Prints delivered, lost, duplicated, p50/p99
    /// latency and the server's peak memory.
    Messaging {
        #[arg(long, default_value_t = 1_000)]
        clients: usize,
        #[arg(long, default_value_t = 1_000)]
        rate: u32,
        #[arg(long, default_value_t = 60)]
        seconds: u64,
        #[arg(long, value_enum, default_value_t = Engine::Both)]
        engine: Engine,
        /// PostgreSQL server to use (a fresh schema is made and dropped); default PAMIR_TEST_DATABASE_URL.
        #[arg(long)]
        postgres_url: Option<String>,
    },
    /// Generate SEIZURES seizures with two linked entities each and print p50/p99 of the
    /// statistics query, the route aggregation and a 3-hop link chart, for a reader who sees
    /// everything and one who sees a tenth, on each engine.
    Analysis {
        #[arg(long, default_value_t = 1_000_000)]
        seizures: usize,
        /// Timed runs of each query (after one to warm the caches).
        #[arg(long, default_value_t = 20)]
        queries: usize,
        #[arg(long, value_enum, default_value_t = Engine::Both)]
        engine: Engine,
        /// PostgreSQL server to use (a fresh schema is made and dropped); default PAMIR_TEST_DATABASE_URL.
        #[arg(long)]
        postgres_url: Option<String>,
    },
    /// The server of `bench messaging`, in a child process it can kill.
    #[command(hide = true)]
    MessagingServer {
        #[arg(long)]
        url: String,
        #[arg(long)]
        bind: String,
    },
    /// One engine's run, in a child process (used by `bench import`).
    #[command(hide = true)]
    ImportRun {
        #[arg(long, value_enum)]
        engine: Engine,
        #[arg(long)]
        file: PathBuf,
        #[arg(long)]
        postgres_url: Option<String>,
        #[arg(long)]
        matching: bool,
    },
}

pub async fn run(cmd: BenchCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        BenchCommand::Match {
            persons,
            queries,
            seed,
            threads,
        } => {
            let threads = threads.unwrap_or_else(|| {
                std::thread::available_parallelism()
                    .map(|n| n.get())
                    .unwrap_or(1)
            });
            tokio::task::spawn_blocking(move || {
                crate::bench_match::run(persons, queries, seed, threads)
            })
            .await?
        }
        BenchCommand::Import {
            count,
            engine,
            postgres_url,
            file,
            matching,
        } => import(count, engine, postgres_url, file, matching).await,
        BenchCommand::Messaging {
            clients,
            rate,
            seconds,
            engine,
            postgres_url,
        } => {
            crate::bench_messaging::run(crate::bench_messaging::Options {
                engine,
                clients,
                rate,
                seconds,
                postgres_url,
            })
            .await
        }
        BenchCommand::Analysis {
            seizures,
            queries,
            engine,
            postgres_url,
        } => {
            crate::bench_analysis::run(crate::bench_analysis::Options {
                engine,
                seizures,
                queries,
                postgres_url,
            })
            .await
        }
        BenchCommand::MessagingServer { url, bind } => {
            crate::bench_messaging::serve(&url, &bind).await
        }
        BenchCommand::ImportRun {
            engine,
            file,
            postgres_url,
            matching,
        } => import_run(engine, &file, postgres_url, matching).await,
    }
}

const SURNAMES: &[&str] = &[
    "Хасанов",
    "Khasanov",
    "Xasanov",
    "Қурбонов",
    "Kurbonov",
    "Иванов",
    "Ahmadov",
    "Mammadov",
    "Nurlanov",
    "Токтогулов",
    "Rahimov",
    "Orazow",
    "Сулейменов",
    "Karimov",
    "Ergashev",
];
const GIVEN: &[&str] = &[
    "Шерзод",
    "Sherzod",
    "Farhod",
    "Ерлан",
    "Azamat",
    "Dilshod",
    "Алексей",
    "Rashad",
    "Merdan",
    "Jamshed",
    "Бакыт",
    "Nodira",
    "Aigerim",
];
const NATIONALITIES: &[&str] = &["tj", "uz", "kz", "kg", "ru", "az", "tm", "af"];

/// Writes `count` Person lines, deterministically.
fn generate(path: &Path, count: u64) -> anyhow::Result<u64> {
    let mut rng = StdRng::seed_from_u64(7);
    let mut out = BufWriter::with_capacity(
        1 << 20,
        std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
    );
    for i in 0..count {
        let surname = SURNAMES.choose(&mut rng).copied().unwrap_or("Хасанов");
        let given = GIVEN.choose(&mut rng).copied().unwrap_or("Шерзод");
        let line = json!({
            "id": format!("bench-{i:08}"),
            "schema": "Person",
            "properties": {
                "name": [format!("{surname} {given}")],
                "birthDate": [format!("{}-{:02}-{:02}", rng.gen_range(1955..2005), rng.gen_range(1..13), rng.gen_range(1..29))],
                "nationality": [NATIONALITIES.choose(&mut rng).copied().unwrap_or("tj")],
                "passportNumber": [format!("N{:08}", rng.gen_range(0..100_000_000u32))],
                "phone": [format!("+992 9{} {:07}", rng.gen_range(0..10), rng.gen_range(0..10_000_000u32))],
            }
        });
        serde_json::to_writer(&mut out, &line)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(std::fs::metadata(path)?.len())
}

async fn import(
    count: u64,
    engine: Engine,
    postgres_url: Option<String>,
    file: Option<PathBuf>,
    matching: bool,
) -> anyhow::Result<ExitCode> {
    let pg = postgres_url.or_else(|| std::env::var("PAMIR_TEST_DATABASE_URL").ok());
    let engines: Vec<Engine> = match engine {
        Engine::Both => vec![Engine::Sqlite, Engine::Postgres],
        e => vec![e],
    };
    if engines.contains(&Engine::Postgres) && pg.is_none() {
        bail!("PostgreSQL needs --postgres-url or PAMIR_TEST_DATABASE_URL");
    }
    let dir = std::env::temp_dir().join(format!("pamir-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = file.unwrap_or_else(|| dir.join("persons.jsonl"));
    let started = Instant::now();
    let bytes = generate(&path, count)?;
    println!(
        "generated {count} FtM Person lines ({:.1} MB) in {:.1} s",
        bytes as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    println!(
        "{:<10} {:>10} {:>9} {:>13} {:>15}",
        "engine", "entities", "seconds", "entities/s", "peak RSS (MB)"
    );
    let exe = std::env::current_exe()?;
    for e in engines {
        let mut cmd = std::process::Command::new(&exe);
        cmd.args(["bench", "import-run", "--file"]).arg(&path);
        cmd.args([
            "--engine",
            if e == Engine::Sqlite {
                "sqlite"
            } else {
                "postgres"
            },
        ]);
        if let Some(url) = &pg {
            cmd.args(["--postgres-url", url]);
        }
        if matching {
            cmd.arg("--matching");
        }
        let out = cmd.output()?;
        if !out.status.success() {
            bail!(
                "the benchmark run failed:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        print!("{}", String::from_utf8_lossy(&out.stdout));
    }
    std::fs::remove_dir_all(&dir).ok();
    Ok(ExitCode::SUCCESS)
}

/// The process's peak resident memory (VmHWM), in MB; 0 where /proc is not there.
pub(crate) fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

async fn import_run(
    engine: Engine,
    file: &Path,
    postgres_url: Option<String>,
    matching: bool,
) -> anyhow::Result<ExitCode> {
    let db = match engine {
        Engine::Sqlite => TestDb::sqlite().await,
        _ => TestDb::postgres(&postgres_url.ok_or_else(|| anyhow!("no PostgreSQL URL"))?).await,
    };
    let app = App::with_store(db.store.clone(), Config::default(), false, Clock::system());
    let op = Principal::System("bench");
    let code = CountryCode::parse("TJ").map_err(|e| anyhow!(e))?;
    app.admin()
        .add_country(
            op,
            Country {
                code,
                names: code.catalogue_names(),
                status: CountryStatus::Member,
            },
        )
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let agency = AgencyCode::parse("TJ-AKN").map_err(|e| anyhow!(e))?;
    app.admin()
        .add_agency(
            op,
            Agency {
                code: agency.clone(),
                country: code,
                kind: AgencyKind::DrugControl,
                names: pamir_domain::names::Names::parse([("en", "DCA"), ("ru", "АКН")])
                    .map_err(|(_, e)| anyhow::anyhow!(e))?,
            },
        )
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let defaults = MetaInput::parse(
        &json!({"classification": "RESTRICTED", "dissemination": {"all_members": true}}),
        "meta",
    )
    .map_err(|e| anyhow!("{e}"))?;
    let reader = BufReader::with_capacity(1 << 20, std::fs::File::open(file)?);
    let importer = Importer {
        actor: "system:bench".into(),
        agency,
        subject: None,
    };
    let started = Instant::now();
    let report = app
        .imports()
        .run(&importer, &Format::JsonLines, defaults, reader, &|_, _| {})
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let secs = started.elapsed().as_secs_f64();
    let peak = peak_rss_mb();
    let events = db.store.outbox_count().await?;
    if events as u64 != report.created {
        bail!("expected {} outbox events, found {events}", report.created);
    }
    let label = if engine == Engine::Sqlite {
        "sqlite"
    } else {
        "postgres"
    };
    println!(
        "{label:<10} {:>10} {secs:>9.1} {:>13.0} {:>15.0}",
        report.created,
        report.created as f64 / secs,
        peak
    );
    if matching {
        let started = Instant::now();
        app.matching()
            .sync_matches()
            .await
            .map_err(|e| anyhow!("{e}"))?;
        let m = started.elapsed().as_secs_f64();
        println!(
            "{:<10} matching the imported records: {m:.1} s ({:.0} records/s, +{:.0}% on the import), peak RSS {:.0} MB",
            "",
            report.created as f64 / m,
            100.0 * m / secs,
            peak_rss_mb()
        );
    }
    db.cleanup().await;
    Ok(ExitCode::SUCCESS)
}
