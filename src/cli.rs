//! The command line of SPEC §1: `serve`, `probe`, `check-config`, `migrate`,
//! `token`.
//! Flags beat `BEACON_*` environment variables beat the config file beat
//! the defaults.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context as _, anyhow};
use chrono::{SecondsFormat, Utc};
use clap::{Parser, Subcommand};
use tokio::net::TcpListener;

use crate::config::{Config, ConfigError};
use crate::store::{Store, StoreError, generate_token};
use crate::telemetry::{self, LogFormat};
use crate::{app, probe};

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
    },
    /// Run the probe worker alone against the database
    Probe,
    /// Validate the config file, printing every problem with line and column
    CheckConfig,
    /// Apply database migrations and exit
    Migrate,
    /// Manage admin API tokens (only their hashes are stored)
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
}

#[derive(Debug, Subcommand)]
enum TokenCommand {
    /// Create a token and print it once
    Create {
        /// 1 to 64 of A-Z, a-z, 0-9, _ and -
        name: String,
    },
    /// List tokens: name, created, last used (never the token)
    List,
    /// Revoke a token by name
    Revoke { name: String },
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

    /// The database of a tool command (`migrate`, `token`): flag, env, config file, default.
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
                _ => eprintln!("error: {e:#}"),
            }
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve { no_probe } => serve(&cli, !no_probe).await,
        Command::Probe => probe_alone(&cli).await,
        Command::CheckConfig => check_config(&cli),
        Command::Migrate => {
            let url = cli.tool_database()?;
            Store::open(&url).await?.close().await;
            println!("migrations applied to {url}");
            Ok(())
        }
        Command::Token { ref command } => token(&cli, command).await,
    }
}

/// A token name: `[A-Za-z0-9_-]{1,64}` (SPEC §1).
fn token_name(name: &str) -> anyhow::Result<&str> {
    if name.is_empty() {
        return Err(anyhow!(
            "token name is empty: use 1 to 64 of A-Z, a-z, 0-9, _ and -"
        ));
    }
    let ok = name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if !ok {
        let shown: String = name
            .chars()
            .take(64)
            .flat_map(char::escape_default)
            .collect();
        return Err(anyhow!(
            "invalid token name \"{shown}\": use 1 to 64 of A-Z, a-z, 0-9, _ and -"
        ));
    }
    Ok(name)
}

async fn token(cli: &Cli, command: &TokenCommand) -> anyhow::Result<()> {
    // Check the name before touching (or creating) the database.
    if let TokenCommand::Create { name } = command {
        token_name(name)?;
    }
    let store = Store::open(&cli.tool_database()?).await?;
    let done = match command {
        TokenCommand::Create { name } => {
            let token = generate_token();
            match store.create_token(name, &token, Utc::now()).await {
                Ok(()) => {
                    println!("{token}");
                    eprintln!("created token {name:?}; it is shown only this once");
                    Ok(())
                }
                Err(StoreError::Conflict) => {
                    Err(anyhow!("a token named \"{name}\" already exists"))
                }
                Err(e) => Err(e.into()),
            }
        }
        TokenCommand::List => {
            let tokens = store.tokens().await?;
            if tokens.is_empty() {
                eprintln!("no tokens; create one with `beacon token create NAME`");
            } else {
                let width = tokens
                    .iter()
                    .map(|t| t.name.len())
                    .max()
                    .unwrap_or(4)
                    .max(4);
                println!("{:width$}  {:20}  LAST USED", "NAME", "CREATED");
                for t in tokens {
                    let used = t.last_used_at.map_or("never".to_owned(), |at| {
                        at.to_rfc3339_opts(SecondsFormat::Secs, true)
                    });
                    println!(
                        "{:width$}  {:20}  {used}",
                        t.name,
                        t.created_at.to_rfc3339_opts(SecondsFormat::Secs, true)
                    );
                }
            }
            Ok(())
        }
        TokenCommand::Revoke { name } => match store.revoke_token(name).await {
            Ok(()) => {
                println!("revoked token \"{name}\"");
                Ok(())
            }
            Err(StoreError::NotFound) => {
                let shown: String = name
                    .chars()
                    .take(64)
                    .flat_map(char::escape_default)
                    .collect();
                Err(anyhow!("no token named \"{shown}\""))
            }
            Err(e) => Err(e.into()),
        },
    };
    store.close().await;
    done
}

fn check_config(cli: &Cli) -> anyhow::Result<()> {
    let Source::File(path) = cli.source() else {
        return Err(anyhow!(
            "no config file: {DEFAULT_CONFIG} not found here; pass --config PATH"
        ));
    };
    let config = Config::load(&path)?;
    println!(
        "{}: ok ({} components, {} checks)",
        path.display(),
        config.components.len(),
        config.checks.len()
    );
    Ok(())
}

async fn serve(cli: &Cli, with_probe: bool) -> anyhow::Result<()> {
    let file_config = match cli.source() {
        Source::File(path) => Some(Config::load(&path)?),
        Source::Demo => None,
    };
    let listen = cli.listen(file_config.as_ref());
    let database = cli.database(file_config.as_ref());
    let store = Store::open(&database).await?;
    let listener = TcpListener::bind(&listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let addr = listener
        .local_addr()
        .context("cannot read the bound address")?;
    let demo = file_config.is_none();
    let config = Arc::new(file_config.unwrap_or_else(|| Config::demo(addr)));
    let running = app::start(listener, config, store, with_probe).await?;
    let url = format!("http://{addr}/");
    if demo {
        println!(
            "Beacon is serving its built-in demo at {url} (no {DEFAULT_CONFIG} here; pass --config PATH for yours)"
        );
    } else {
        println!("Beacon is serving {url}");
    }
    app::shutdown_signal().await;
    running.stop().await
}

async fn probe_alone(cli: &Cli) -> anyhow::Result<()> {
    let (config, demo) = match cli.source() {
        Source::File(path) => (Config::load(&path)?, false),
        Source::Demo => (
            Config::demo(
                cli.listen(None)
                    .parse()
                    .context("invalid --listen address")?,
            ),
            true,
        ),
    };
    let store = Store::open(&cli.database(Some(&config))).await?;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let mut worker = tokio::spawn(probe::run_until_stopped(
        store.clone(),
        Arc::new(config),
        stopped,
    ));
    println!(
        "Beacon probe worker running{}",
        if demo { " (built-in demo checks)" } else { "" }
    );
    let finished = tokio::select! {
        _ = app::shutdown_signal() => {
            stop.send_replace(true);
            worker.await
        }
        // The worker only returns on its own when it cannot start.
        early = &mut worker => early,
    };
    finished.context("probe worker panicked")??;
    store.close().await;
    Ok(())
}
