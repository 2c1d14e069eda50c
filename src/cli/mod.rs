//! The command line of SPEC §1: `serve`, `probe`, `check-config`, `migrate`,
//! `token`, `backup`, `notify`.
//! Flags beat `BEACON_*` environment variables beat the config file beat
//! the defaults. The long-running `serve` and `probe` live in [`serve`],
//! the `token` subcommand in [`token`], `notify` in [`notify`].

mod notify;
mod serve;
mod token;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::anyhow;
use clap::{Parser, Subcommand};

use crate::config::{Config, ConfigError};
use crate::domain::{DEFAULT_REGION, RegionId};
use crate::store::Store;
use crate::telemetry::{self, LogFormat};

const DEFAULT_CONFIG: &str = "beacon.toml";
const DEFAULT_DATABASE: &str = "sqlite://beacon.db";
const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

/// Beacon: a self-hosted public status page.
#[derive(Debug, Parser)]
#[command(name = "beacon", version, about)]
struct Cli {
    /// Config file [default: beacon.toml; without one, `serve` runs the built-in demo]
    #[arg(long, global = true, env = "BEACON_CONFIG", value_name = "PATH")]
    config: Option<PathBuf>,
    /// Database URL [default: [database] url, else sqlite://beacon.db]
    #[arg(long, global = true, env = "BEACON_DATABASE_URL", value_name = "URL")]
    database: Option<String>,
    /// Address to listen on [default: [server] listen, else 127.0.0.1:8080]
    #[arg(long, global = true, env = "BEACON_LISTEN", value_name = "ADDR")]
    listen: Option<String>,
    /// Log line format
    #[arg(
        long,
        global = true,
        env = "BEACON_LOG_FORMAT",
        value_enum,
        default_value = "text"
    )]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run migrations, the web server and the probe worker
    Serve {
        /// Do not probe here (a separate `beacon probe` writes the results)
        #[arg(long)]
        no_probe: bool,
        #[command(flatten)]
        region: RegionArg,
    },
    /// Run the probe worker alone against the database
    Probe {
        #[command(flatten)]
        region: RegionArg,
    },
    /// Validate the config file, printing every problem with line and column
    CheckConfig,
    /// Apply database migrations and exit
    Migrate,
    /// Write a consistent snapshot of the database to PATH while Beacon keeps running
    Backup {
        /// Where to write the copy (must not exist yet)
        path: PathBuf,
    },
    /// Manage admin API tokens (only their hashes are stored)
    Token {
        #[command(subcommand)]
        command: token::TokenCommand,
    },
    /// Notifications: send a test event to a notifier
    Notify {
        #[command(subcommand)]
        command: notify::NotifyCommand,
    },
}

/// `--region`: where this process's probe worker runs (SPEC §9).
#[derive(Debug, clap::Args)]
struct RegionArg {
    /// Probe region whose results and check states this worker writes
    #[arg(long = "region", env = "BEACON_REGION", value_name = "NAME", default_value = DEFAULT_REGION)]
    name: String,
}

impl RegionArg {
    /// The region, validated like an id (`[a-z0-9-]{1,64}`); checked here
    /// rather than by clap so a bad one is a one-line error like the others.
    fn region(&self) -> anyhow::Result<RegionId> {
        RegionId::parse(&self.name).map_err(|e| anyhow!("--region / BEACON_REGION: {e}"))
    }
}

/// Where the configuration comes from.
enum Source {
    File(PathBuf),
    Demo,
}

impl Cli {
    fn source(&self) -> Source {
        match &self.config {
            Some(path) => Source::File(path.clone()),
            None if Path::new(DEFAULT_CONFIG).exists() => Source::File(DEFAULT_CONFIG.into()),
            None => Source::Demo,
        }
    }

    /// The database of a tool command (`migrate`, `token`, `backup`): flag, env, config file, default.
    fn tool_database(&self) -> anyhow::Result<String> {
        let config = match self.source() {
            Source::File(path) => Some(Config::load(&path)?),
            Source::Demo => None,
        };
        Ok(self.database(config.as_ref()))
    }

    fn database(&self, config: Option<&Config>) -> String {
        self.database
            .clone()
            .or_else(|| config.and_then(|c| c.database.url.clone()))
            .unwrap_or_else(|| DEFAULT_DATABASE.to_owned())
    }

    fn listen(&self, config: Option<&Config>) -> String {
        self.listen
            .clone()
            .or_else(|| config.and_then(|c| c.server.listen.clone()))
            .unwrap_or_else(|| DEFAULT_LISTEN.to_owned())
    }
}

/// Parses the command line, runs it, prints one-line errors; the exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    telemetry::init(cli.log_format);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            match e.downcast_ref::<ConfigError>() {
                Some(invalid @ ConfigError::Invalid { path, problems }) => {
                    eprintln!("{invalid}");
                    eprintln!(
                        "error: {} has {} problem(s)",
                        path.display(),
                        problems.len()
                    );
                }
                _ => eprintln!("error: {}", one_line(&e)),
            }
            ExitCode::FAILURE
        }
    }
}

/// An error and its causes on one line, each said once: a message that
/// already quotes its cause (`"...: {source}"`) is not followed by it again.
fn one_line(error: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in error.chain() {
        let text = cause.to_string();
        if line.contains(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line.replace('\n', "; ")
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve {
            no_probe,
            ref region,
        } => {
            let region = region.region()?;
            serve::serve(&cli, (!no_probe).then_some(region)).await
        }
        Command::Probe { ref region } => serve::probe_alone(&cli, region.region()?).await,
        Command::CheckConfig => check_config(&cli),
        Command::Migrate => {
            let url = cli.tool_database()?;
            Store::open(&url).await?.close().await;
            println!("migrations applied to {url}");
            Ok(())
        }
        Command::Token { ref command } => token::run(&cli, command).await,
        Command::Notify { ref command } => notify::run(&cli, command).await,
        Command::Backup { ref path } => {
            let url = cli.tool_database()?;
            let store = Store::open(&url).await?;
            let bytes = store.backup(path).await;
            store.close().await;
            println!(
                "backup of {url} written to {} ({} bytes)",
                path.display(),
                bytes?
            );
            Ok(())
        }
    }
}

fn check_config(cli: &Cli) -> anyhow::Result<()> {
    let Source::File(path) = cli.source() else {
        return Err(anyhow!(
            "no config file: {DEFAULT_CONFIG} not found here; pass --config PATH"
        ));
    };
    let config = Config::load(&path)?;
    println!(
        "{}: ok ({} components, {} checks, {} notifiers)",
        path.display(),
        config.components.len(),
        config.checks.len(),
        config.notify.notifiers.len()
    );
    Ok(())
}
