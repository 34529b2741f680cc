//! The subcommands.

use std::{
    io::{BufRead, BufReader, IsTerminal, Write},
    path::PathBuf,
    process::ExitCode,
    sync::Arc,
    time::Instant,
};

use anyhow::{anyhow, bail, Context};
use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use pamir_app::{
    admin::NewUser,
    audit::VerifyOutcome,
    demo,
    export::Exporter,
    import::{parse_mapping, Format, Importer},
    App, AppError, Config, Principal,
};
use pamir_domain::{
    meta::MetaInput, names::Names, schema::Lang, AgencyCode, AgencyKind, Classification,
    CountryCode, CountryStatus, Role,
};
use pamir_store::{Agency, Country};
use serde_json::json;

use crate::DataArgs;

/// Defaults, then the file, then `PAMIR_*` variables, then the command line.
pub fn load_config(data: &DataArgs, default_data_dir: Option<&str>) -> anyhow::Result<Config> {
    let mut config = Config::load(data.config.as_deref(), |k| std::env::var(k).ok())?;
    let data_dir_from_env = std::env::var("PAMIR_DATA_DIR").is_ok();
    if let Some(dir) = &data.data_dir {
        config.data_dir = dir.clone();
    } else if let (Some(d), None, false) = (default_data_dir, &data.config, data_dir_from_env) {
        config.data_dir = PathBuf::from(d);
    }
    if let Some(url) = &data.database_url {
        config.database_url = url.clone();
    }
    config.validate()?;
    Ok(config)
}

fn init_logging(level: &str) {
    let level = level
        .parse::<tracing::Level>()
        .unwrap_or(tracing::Level::INFO);
    let _ = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(std::io::stderr)
        .try_init();
}

async fn open(data: &DataArgs) -> anyhow::Result<Arc<App>> {
    let config = load_config(data, None)?;
    init_logging(if config.log.level == "info" {
        "warn"
    } else {
        &config.log.level
    });
    App::open(config, false)
        .await
        .map_err(|e| anyhow!("cannot open the database: {e}"))
}

fn operator() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "operator".into())
}

fn app_err(e: AppError) -> anyhow::Error {
    match &e {
        AppError::Invalid(errors) => anyhow!(
            "{}",
            errors
                .0
                .iter()
                .map(|f| format!("{}: {}", f.field, f.reason))
                .collect::<Vec<_>>()
                .join("\n")
        ),
        _ => anyhow!("{e}"),
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    eprintln!("shutting down…");
}

#[derive(Args)]
pub struct DemoArgs {
    /// Port on 127.0.0.1.
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// How many seizures the synthetic data set has (with their persons, vehicles and links).
    #[arg(long, default_value_t = 3000)]
    seizures: usize,
    /// Seed of the synthetic data set.
    #[arg(long, default_value_t = 2024)]
    seed: u64,
}

pub async fn demo(data: &DataArgs, args: DemoArgs) -> anyhow::Result<ExitCode> {
    let mut config = load_config(data, Some("./pamir-demo"))?;
    config.server.bind = format!("{}:{}", args.host, args.port);
    config.validate()?;
    init_logging(&config.log.level);
    println!("Pamir demo — data in {}", config.effective_database_url());
    let app = App::open(config, true).await.map_err(app_err)?;
    if demo::seed_reference(&app).await.map_err(app_err)? {
        let started = Instant::now();
        print!(
            "Generating the synthetic data set ({} seizures)… ",
            args.seizures
        );
        std::io::stdout().flush().ok();
        let s = demo::seed_records(&app, args.seizures, args.seed)
            .await
            .map_err(app_err)?;
        println!(
            "done in {:.1} s: {} seizures, {} persons, {} vehicles, {} organisations, {} cases, {} links.",
            started.elapsed().as_secs_f64(),
            s.seizures,
            s.persons,
            s.vehicles,
            s.organisations,
            s.cases,
            s.links
        );
        let n = demo::seed_registry(&app).await.map_err(app_err)?;
        println!("Loaded the substance registry: {n} substances (drugs, new psychoactive substances, precursors).");
        let n = demo::seed_detections(&app).await.map_err(app_err)?;
        println!("Reported {n} demo detections of new substances over the past year.");
        let n = demo::seed_risk_communications(&app)
            .await
            .map_err(app_err)?;
        println!("Issued {n} demo risk communications (one updated, one retracted).");
        let n = demo::seed_pre_exports(&app).await.map_err(app_err)?;
        println!(
            "Sent {n} demo pre-export notifications of precursor shipments, some answered late."
        );
        let n = demo::seed_precursor_incidents(&app)
            .await
            .map_err(app_err)?;
        println!("Reported {n} demo precursor incidents (seizures, stopped shipments, a diversion attempt).");
        let n = demo::seed_messages(&app).await.map_err(app_err)?;
        println!("Sent {n} demo messages between agencies and on a BLO channel.");
        let n = demo::seed_operations(&app).await.map_err(app_err)?;
        println!("Opened {n} demo operations (standing programmes, a joint operation, a controlled delivery).");
    } else {
        println!("Reusing the existing demo data (delete the data folder to start afresh).");
    }
    println!(
        "\nDemo users — every password is `{}` (TOTP is off in demo mode only):",
        demo::DEMO_PASSWORD
    );
    for (username, display, agency, roles, clearance) in demo::USERS {
        let roles: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
        println!(
            "  {username:<15} {agency:<10} {:<38} {clearance:<13} {display}",
            roles.join(",")
        );
    }
    let bind = app.config.server.bind.clone();
    let listener = tokio::net::TcpListener::bind(&bind)
        .await
        .with_context(|| format!("cannot listen on {bind}"))?;
    println!("\nOpen http://{bind}/  (API: http://{bind}/api/v1/openapi.json) — Ctrl-C to stop.");
    pamir_server::serve(app, listener, shutdown_signal()).await?;
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct ServeArgs {
    /// Address and port to listen on (overrides server.bind).
    #[arg(long)]
    bind: Option<String>,
}

pub async fn serve(data: &DataArgs, args: ServeArgs) -> anyhow::Result<ExitCode> {
    let mut config = load_config(data, None)?;
    if let Some(b) = args.bind {
        config.server.bind = b;
    }
    config.validate()?;
    init_logging(&config.log.level);
    if !config.security.require_totp {
        tracing::warn!("security.require_totp is false: users cleared above RESTRICTED log in without a second factor");
    }
    let app = App::open(config, false).await.map_err(app_err)?;
    if app.list_countries().await.map_err(app_err)?.is_empty() {
        tracing::warn!("the database has no countries yet: add them with `pamir country add`, agencies with `pamir agency add`, users with `pamir user add`");
    }
    let bind = app.config.server.bind.clone();
    let listener = tokio::net::TcpListener::bind(&bind)
        .await
        .with_context(|| format!("cannot listen on {bind}"))?;
    tracing::info!("serving on http://{bind}/");
    pamir_server::serve(app, listener, shutdown_signal()).await?;
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct MigrateArgs {
    /// Only list pending migrations.
    #[arg(long)]
    status: bool,
}

pub async fn migrate(data: &DataArgs, args: MigrateArgs) -> anyhow::Result<ExitCode> {
    let config = load_config(data, None)?;
    let url = config.effective_database_url();
    if url.starts_with("sqlite:") {
        std::fs::create_dir_all(&config.data_dir).ok();
    }
    let store = pamir_store::Store::connect(&url)
        .await
        .with_context(|| format!("cannot open {url}"))?;
    if args.status {
        let pending = store.pending_migrations().await?;
        if pending.is_empty() {
            println!("up to date");
        }
        for (v, n) in pending {
            println!("pending: {v:04} {n}");
        }
        return Ok(ExitCode::SUCCESS);
    }
    let applied = store.migrate().await?;
    if applied.is_empty() {
        println!("up to date");
    }
    for (v, n) in applied {
        println!("applied: {v:04} {n}");
    }
    Ok(ExitCode::SUCCESS)
}

fn read_password(given: Option<String>, what: &str) -> anyhow::Result<String> {
    if let Some(p) = given {
        return Ok(p);
    }
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("{what}: ");
        std::io::stderr().flush().ok();
    }
    let mut line = String::new();
    stdin.lock().read_line(&mut line)?;
    let p = line.trim_end_matches(['\n', '\r']).to_string();
    if p.is_empty() {
        bail!("no password given (use --password, or write it on standard input)");
    }
    Ok(p)
}

#[derive(Subcommand)]
pub enum UserCommand {
    /// Add a user. The password is read from standard input unless --password is given.
    Add {
        username: String,
        #[arg(long)]
        agency: String,
        /// A role (repeatable): officer, blo_officer, analyst, coordinator, national_focal_point, centre_admin, auditor.
        #[arg(long = "role", required = true)]
        roles: Vec<Role>,
        /// UNCLASSIFIED, RESTRICTED, CONFIDENTIAL or SECRET.
        #[arg(long)]
        clearance: Classification,
        /// Display name (defaults to the username).
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        password: Option<String>,
        /// en or ru.
        #[arg(long)]
        language: Option<String>,
    },
    /// List users.
    List {
        /// Only users of this country's agencies.
        #[arg(long)]
        country: Option<String>,
    },
    /// Disable a user and end their sessions and tokens.
    Disable { username: String },
    /// Enable a disabled user.
    Enable { username: String },
    /// Set a new password (read from standard input unless --password is given); unlocks the account.
    ResetPassword {
        username: String,
        #[arg(long)]
        password: Option<String>,
    },
    /// Enrol a TOTP second factor and print its secret and otpauth URI.
    Totp { username: String },
}

pub async fn user(data: &DataArgs, cmd: UserCommand) -> anyhow::Result<ExitCode> {
    let app = open(data).await?;
    let name = operator();
    let p = Principal::System(&name);
    match cmd {
        UserCommand::Add {
            username,
            agency,
            roles,
            clearance,
            name,
            password,
            language,
        } => {
            let password = read_password(password, "password")?;
            let user = app
                .admin()
                .add_user(
                    p,
                    NewUser {
                        display_name: name.unwrap_or_else(|| username.clone()),
                        username,
                        agency,
                        roles,
                        clearance,
                        password,
                        language,
                    },
                )
                .await
                .map_err(app_err)?;
            println!(
                "added {} ({}, {})",
                user.username, user.agency, user.clearance
            );
            if user.clearance > Classification::Restricted {
                println!("note: this clearance needs a second factor to log in: run `pamir user totp {}`", user.username);
            }
        }
        UserCommand::List { country } => {
            let now = app.clock.now_ms();
            println!(
                "{:<20} {:<12} {:<13} {:<9} {:<5} {:<45} NAME",
                "USERNAME", "AGENCY", "CLEARANCE", "STATE", "TOTP", "ROLES"
            );
            let country = country.map(|c| c.trim().to_uppercase());
            let users = app.admin().list_users(p).await.map_err(app_err)?;
            for u in users.into_iter().filter(|u| {
                country
                    .as_deref()
                    .is_none_or(|c| u.agency.country().as_str() == c)
            }) {
                let roles: Vec<&str> = u.roles.iter().map(|r| r.as_str()).collect();
                let state = if u.disabled {
                    "disabled"
                } else if u.locked_until.is_some_and(|l| l > now) {
                    "locked"
                } else {
                    "active"
                };
                let totp = if u.totp_enrolled { "totp" } else { "-" };
                println!(
                    "{:<20} {:<12} {:<13} {:<9} {:<5} {:<45} {}",
                    u.username,
                    u.agency,
                    u.clearance,
                    state,
                    totp,
                    roles.join(","),
                    u.display_name
                );
            }
        }
        UserCommand::Disable { username } => {
            app.admin()
                .set_user_disabled(p, &username, true)
                .await
                .map_err(app_err)?;
            println!("disabled {username}; its sessions and tokens are revoked");
        }
        UserCommand::Enable { username } => {
            app.admin()
                .set_user_disabled(p, &username, false)
                .await
                .map_err(app_err)?;
            println!("enabled {username}");
        }
        UserCommand::ResetPassword { username, password } => {
            let password = read_password(password, "new password")?;
            app.admin()
                .reset_password(p, &username, &password)
                .await
                .map_err(app_err)?;
            println!("password of {username} set; its sessions are ended");
        }
        UserCommand::Totp { username } => {
            let (secret, uri) = app
                .admin()
                .enrol_totp(p, &username)
                .await
                .map_err(app_err)?;
            println!("secret: {secret}\nuri:    {uri}\nGive these to {username} once, for an authenticator app.");
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Subcommand)]
pub enum AgencyCommand {
    /// Register an agency, e.g. `pamir agency add KZ-MVD --kind police --name-en "…" --name-ru "…"`.
    Add {
        code: String,
        /// police, drug_control, customs, border, security, fiu, prosecutor, centre.
        #[arg(long)]
        kind: AgencyKind,
        /// The English name (required).
        #[arg(long)]
        name_en: String,
        #[arg(long)]
        name_ru: Option<String>,
        /// A name in another language of the catalogue, `--name kk=…` (repeatable).
        #[arg(long = "name", value_name = "LANG=NAME")]
        names: Vec<String>,
    },
    /// List agencies.
    List,
}

pub async fn agency(data: &DataArgs, cmd: AgencyCommand) -> anyhow::Result<ExitCode> {
    let app = open(data).await?;
    let name = operator();
    match cmd {
        AgencyCommand::Add {
            code,
            kind,
            name_en,
            name_ru,
            names,
        } => {
            let code = AgencyCode::parse(&code).map_err(|e| anyhow!(e))?;
            let names = names_of(Some(name_en), name_ru, &names, Names::default())?;
            app.admin()
                .add_agency(
                    Principal::System(&name),
                    Agency {
                        country: code.country(),
                        code: code.clone(),
                        kind,
                        names,
                    },
                )
                .await
                .map_err(app_err)?;
            println!("added {code}");
        }
        AgencyCommand::List => {
            for a in app.list_agencies().await.map_err(app_err)? {
                println!(
                    "{:<12} {:<3} {:<13} {}",
                    a.code,
                    a.country,
                    a.kind,
                    a.names.get(Lang::EN)
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Names from `--name-en`, `--name-ru` and `--name LANG=NAME`, over `known`.
fn names_of(
    en: Option<String>,
    ru: Option<String>,
    others: &[String],
    known: Names,
) -> anyhow::Result<Names> {
    let mut given: Vec<(String, String)> = Vec::new();
    given.extend(en.map(|n| ("en".to_string(), n)));
    given.extend(ru.map(|n| ("ru".to_string(), n)));
    for o in others {
        let (lang, name) = o
            .split_once('=')
            .ok_or_else(|| anyhow!("--name {o:?}: write LANG=NAME, e.g. --name kk=…"))?;
        given.push((lang.trim().to_string(), name.to_string()));
    }
    known
        .updated(given.iter().map(|(l, n)| (l.as_str(), n.as_str())))
        .map_err(|(lang, reason)| anyhow!("name in {lang:?}: {reason}"))
}

#[derive(Subcommand)]
pub enum CountryCommand {
    /// Register a country: `pamir country add KZ --status member` (names default to the known ones).
    /// A registered country is refused unless `--update` is given.
    Add {
        code: String,
        /// member, observer or centre.
        #[arg(long)]
        status: CountryStatus,
        #[arg(long)]
        name_en: Option<String>,
        #[arg(long)]
        name_ru: Option<String>,
        /// A name in another language of the catalogue, `--name kk=…` (repeatable).
        #[arg(long = "name", value_name = "LANG=NAME")]
        names: Vec<String>,
        /// Change a registered country (its standing changes who sees what: done on purpose).
        #[arg(long)]
        update: bool,
    },
    /// List countries.
    List,
}

pub async fn country(data: &DataArgs, cmd: CountryCommand) -> anyhow::Result<ExitCode> {
    let app = open(data).await?;
    let name = operator();
    match cmd {
        CountryCommand::Add {
            code,
            status,
            name_en,
            name_ru,
            names,
            update,
        } => {
            let code = CountryCode::parse(&code).map_err(|e| anyhow!(e))?;
            // Names not given are the registered ones (on update), else the catalogue's.
            let known = match app
                .list_countries()
                .await
                .map_err(app_err)?
                .into_iter()
                .find(|c| c.code == code)
            {
                Some(c) if update => c.names,
                _ => code.catalogue_names(),
            };
            let c = Country {
                code,
                names: names_of(name_en, name_ru, &names, known)?,
                status,
            };
            if update {
                app.admin()
                    .update_country(Principal::System(&name), c)
                    .await
                    .map_err(app_err)?;
            } else {
                app.admin()
                    .add_country(Principal::System(&name), c)
                    .await
                    .map_err(app_err)?;
            }
            println!("saved {code} ({})", status.as_str());
        }
        CountryCommand::List => {
            for c in app.list_countries().await.map_err(app_err)? {
                let names: Vec<String> = c.names.iter().map(|(l, n)| format!("{l}: {n}")).collect();
                println!(
                    "{:<3} {:<9} {}",
                    c.code,
                    c.status.as_str(),
                    names.join(" / ")
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct ImportArgs {
    /// The owner agency of the imported records.
    #[arg(long)]
    agency: String,
    /// The file: FtM JSON lines (.jsonl) or CSV (.csv); `-` reads standard input.
    file: PathBuf,
    /// jsonl or csv (default: from the file's extension).
    #[arg(long)]
    format: Option<String>,
    /// For CSV: the schema of every row, e.g. Person.
    #[arg(long)]
    schema: Option<String>,
    /// For CSV: `COLUMN=property` (repeatable, or several separated by commas); `COLUMN=-` ignores a column.
    #[arg(long)]
    map: Vec<String>,
    /// For CSV: the field separator, `,` `;` or `tab` (default: taken from the header row).
    #[arg(long)]
    delimiter: Option<String>,
    /// Default classification (a JSON line may carry its own `meta`).
    #[arg(long, default_value = "RESTRICTED")]
    classification: Classification,
    /// Disseminate to all member states.
    #[arg(long)]
    all_members: bool,
    /// Disseminate to these countries (comma-separated codes).
    #[arg(long, value_delimiter = ',')]
    countries: Vec<String>,
    /// Disseminate to these agencies (comma-separated codes).
    #[arg(long, value_delimiter = ',')]
    agencies: Vec<String>,
    /// Handling codes (comma-separated): LE_ONLY, NO_EVIDENCE, NO_ONWARD, INTEL_ONLY.
    #[arg(long, value_delimiter = ',')]
    handling_codes: Vec<String>,
}

pub fn progress_bar(total_bytes: Option<u64>) -> ProgressBar {
    let bar = match total_bytes {
        Some(n) => ProgressBar::new(n),
        None => ProgressBar::new_spinner(),
    };
    let style = ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {bar:30} {bytes}/{total_bytes} ({bytes_per_sec}) {msg}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}

pub async fn import(data: &DataArgs, args: ImportArgs) -> anyhow::Result<ExitCode> {
    let app = open(data).await?;
    // CSV when the file says so, or when the options only make sense for CSV.
    let format_name = args.format.clone().unwrap_or_else(|| {
        match args.file.extension().and_then(|e| e.to_str()) {
            Some("csv") | Some("tsv") => "csv".into(),
            _ if args.schema.is_some() || !args.map.is_empty() => "csv".into(),
            _ => "jsonl".into(),
        }
    });
    let format = match format_name.as_str() {
        "jsonl" | "ftm" | "ndjson" | "json" => Format::JsonLines,
        "csv" => {
            let name = args
                .schema
                .as_deref()
                .ok_or_else(|| anyhow!("--schema is required for CSV"))?;
            let schema = pamir_domain::schema::schema(name)
                .ok_or_else(|| anyhow!("unknown schema {name:?}"))?;
            let delimiter = match args.delimiter.as_deref() {
                None => None,
                Some("tab") | Some("\\t") | Some("\t") => Some(b'\t'),
                Some(d) if d.len() == 1 && d.is_ascii() => Some(d.as_bytes()[0]),
                Some(d) => bail!("--delimiter {d:?}: give one character such as ; or the word tab"),
            };
            Format::Csv {
                schema,
                mapping: parse_mapping(&args.map.join(",")).map_err(|e| anyhow!("--map: {e}"))?,
                delimiter,
            }
        }
        other => bail!("unknown format {other:?}: use jsonl or csv"),
    };
    let defaults = MetaInput::parse(
        &json!({
            "classification": args.classification.as_str(),
            "dissemination": {"all_members": args.all_members, "countries": args.countries, "agencies": args.agencies},
            "handling_codes": args.handling_codes,
        }),
        "meta",
    )
    .map_err(|e| anyhow!("{e}"))?;
    let agency = AgencyCode::parse(&args.agency).map_err(|e| anyhow!("--agency: {e}"))?;
    let (reader, size): (Box<dyn BufRead + Send>, Option<u64>) = if args.file.as_os_str() == "-" {
        (Box::new(BufReader::new(std::io::stdin())), None)
    } else {
        let f = std::fs::File::open(&args.file)
            .with_context(|| format!("cannot open {}", args.file.display()))?;
        let size = f.metadata().ok().map(|m| m.len());
        (Box::new(BufReader::with_capacity(1 << 20, f)), size)
    };
    let importer = Importer {
        actor: format!("system:{}", operator()),
        agency,
        subject: None,
    };
    let bar = progress_bar(size);
    let started = Instant::now();
    let progress = |lines: u64, bytes: u64| {
        bar.set_position(bytes);
        let rate = lines as f64 / started.elapsed().as_secs_f64().max(0.001);
        bar.set_message(format!("{lines} lines, {rate:.0} lines/s"));
    };
    let result = app
        .imports()
        .run(&importer, &format, defaults, reader, &progress)
        .await;
    bar.finish_and_clear();
    let secs = started.elapsed().as_secs_f64();
    match result {
        Ok(report) => {
            println!(
                "imported {} lines in {secs:.1} s ({:.0}/s): {} created, {} updated",
                report.lines,
                report.lines as f64 / secs.max(0.001),
                report.created,
                report.updated
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(AppError::ImportRejected(lines)) => {
            eprintln!(
                "the file was refused; nothing was written. {} bad line(s):",
                lines.len()
            );
            for l in &lines {
                eprintln!("{l}");
            }
            Ok(ExitCode::from(2))
        }
        Err(e) => Err(app_err(e)),
    }
}

#[derive(Args)]
pub struct ExportArgs {
    /// Export what this user may read (and record it under their name).
    #[arg(long)]
    user: String,
    /// Only records of this schema.
    #[arg(long)]
    schema: Option<String>,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
}

pub async fn export(data: &DataArgs, args: ExportArgs) -> anyhow::Result<ExitCode> {
    let app = open(data).await?;
    let ctx = app
        .identity()
        .context_for(&args.user)
        .await
        .map_err(app_err)?;
    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let mut exporter = Exporter::start(app.clone(), ctx, args.schema.as_deref())
        .await
        .map_err(app_err)?;
    while let Some(chunk) = exporter.next_chunk().await.map_err(app_err)? {
        out.write_all(&chunk)?;
    }
    out.flush()?;
    eprintln!(
        "exported {} records; {} withheld (NO_ONWARD, owned by another agency)",
        exporter.exported, exporter.withheld
    );
    Ok(ExitCode::SUCCESS)
}

#[derive(Subcommand)]
pub enum AttachmentsCommand {
    /// Re-wrap every attachment's key under a new master key (the files are not rewritten), then
    /// point `attachments.master_key_file` at the new file. Safe to run again if interrupted.
    RotateKey {
        /// File with the new key (64 hex digits); created with a random key when missing.
        #[arg(long)]
        new_key_file: std::path::PathBuf,
    },
}

pub async fn attachments(data: &DataArgs, cmd: AttachmentsCommand) -> anyhow::Result<ExitCode> {
    let app = open(data).await?;
    match cmd {
        AttachmentsCommand::RotateKey { new_key_file } => {
            let new = pamir_app::attachments::MasterKey::from_file(&new_key_file, true)
                .map_err(|e| anyhow!(e))?;
            let old = app.attachments().master_key().map_err(app_err)?;
            if old.id == new.id {
                bail!("the new key is the key in use ({})", old.id);
            }
            let n = app
                .attachments()
                .rotate_master_key(&new)
                .await
                .map_err(app_err)?;
            println!(
                "re-wrapped {n} attachment key(s) from master key {} to {}.\nNow set attachments.master_key_file = {:?} (or PAMIR_ATTACHMENTS_MASTER_KEY_FILE) and restart; keep the old key until then.",
                old.id,
                new.id,
                new_key_file.display().to_string()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Walk the whole hash chain; exit 1 naming the first bad entry when any was altered, removed or reordered.
    Verify,
}

pub async fn audit(data: &DataArgs, cmd: AuditCommand) -> anyhow::Result<ExitCode> {
    let app = open(data).await?;
    match cmd {
        AuditCommand::Verify => {
            let bar = ProgressBar::new_spinner();
            let outcome = app
                .audit_trail()
                .verify(&|n| bar.set_message(format!("{n} entries checked")))
                .await
                .map_err(app_err)?;
            bar.finish_and_clear();
            match outcome {
                VerifyOutcome::Intact { entries } => {
                    println!("audit trail intact: {entries} entries verified");
                    Ok(ExitCode::SUCCESS)
                }
                VerifyOutcome::Broken(b) => {
                    eprintln!("audit trail BROKEN at entry {}: {}", b.seq, b.reason);
                    Ok(ExitCode::FAILURE)
                }
            }
        }
    }
}

#[derive(Subcommand)]
pub enum ConfigCommand {
    /// Print an example configuration with every key, its default and what it means.
    Example,
    /// Load the configuration (file, environment, flags) and report problems.
    Check,
}

pub fn config(data: &DataArgs, cmd: ConfigCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        ConfigCommand::Example => print!("{}", Config::example_toml()),
        ConfigCommand::Check => {
            let c = load_config(data, None)?;
            println!(
                "configuration is valid; database: {}",
                c.effective_database_url()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
