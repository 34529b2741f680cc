//! The `pamir` command. A thin edge: it parses arguments, builds the configuration and calls the
//! application; everything it does is also reachable through the API.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod bench;
mod bench_analysis;
mod bench_match;
mod bench_messaging;
mod commands;
mod matching;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "pamir",
    version,
    about = "Pamir — central database, cross-matching and secure exchange for a regional centre against drug trafficking"
)]
struct Cli {
    #[command(flatten)]
    data: DataArgs,
    #[command(subcommand)]
    command: Command,
}

/// Where the data lives. Given to any command that reads or writes data.
#[derive(Args, Clone, Default)]
pub struct DataArgs {
    /// A TOML configuration file (see `pamir config example`).
    #[arg(long, global = true, env = "PAMIR_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Folder for the SQLite database (`DIR/pamir.db`).
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// `sqlite://PATH` or `postgres://USER@HOST/DB`; overrides the data folder.
    #[arg(long, global = true, value_name = "URL")]
    pub database_url: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the demo: seeded data, demo users (password `demo`), no second factor; serves on 127.0.0.1:8080.
    Demo(commands::DemoArgs),
    /// Serve the web pages and the API.
    Serve(commands::ServeArgs),
    /// Apply pending database migrations (they are also applied at start).
    Migrate(commands::MigrateArgs),
    /// Manage users: add, list, disable, enable, reset-password, totp.
    #[command(subcommand)]
    User(commands::UserCommand),
    /// Manage agencies: add, list.
    #[command(subcommand)]
    Agency(commands::AgencyCommand),
    /// Manage countries: add, list.
    #[command(subcommand)]
    Country(commands::CountryCommand),
    /// Import FtM JSON lines or CSV for an agency; the file is checked whole and written in one transaction.
    Import(commands::ImportArgs),
    /// Export, as FtM JSON lines, what a user may read; audited.
    Export(commands::ExportArgs),
    /// The audit trail: verify its hash chain.
    #[command(subcommand)]
    Audit(commands::AuditCommand),
    /// Encrypted message attachments: rotate the master key.
    #[command(subcommand)]
    Attachments(commands::AttachmentsCommand),
    /// Configuration: print an example file, or check one.
    #[command(subcommand)]
    Config(commands::ConfigCommand),
    /// Match FtM JSON lines against an index file; one JSON line of matches per query.
    Match(matching::MatchArgs),
    /// Benchmarks that print their figures.
    #[command(subcommand)]
    Bench(bench::BenchCommand),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        match cli.command {
            Command::Demo(a) => commands::demo(&cli.data, a).await,
            Command::Serve(a) => commands::serve(&cli.data, a).await,
            Command::Migrate(a) => commands::migrate(&cli.data, a).await,
            Command::User(c) => commands::user(&cli.data, c).await,
            Command::Agency(c) => commands::agency(&cli.data, c).await,
            Command::Country(c) => commands::country(&cli.data, c).await,
            Command::Import(a) => commands::import(&cli.data, a).await,
            Command::Export(a) => commands::export(&cli.data, a).await,
            Command::Audit(c) => commands::audit(&cli.data, c).await,
            Command::Attachments(c) => commands::attachments(&cli.data, c).await,
            Command::Config(c) => commands::config(&cli.data, c),
            Command::Match(a) => matching::run(&cli.data, a),
            Command::Bench(c) => bench::run(c).await,
        }
    });
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
