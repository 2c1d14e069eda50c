//! `beacon token create | list | revoke`: admin API tokens (SPEC §1). Only
//! their hashes are stored; a new token is printed once, on stdout.

use anyhow::anyhow;
use chrono::{SecondsFormat, Utc};
use clap::Subcommand;

use super::Cli;
use crate::store::{Store, StoreError, generate_token};

#[derive(Debug, Subcommand)]
pub(super) enum TokenCommand {
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

pub(super) async fn run(cli: &Cli, command: &TokenCommand) -> anyhow::Result<()> {
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
