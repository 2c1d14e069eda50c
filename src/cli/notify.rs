//! `beacon notify test ID` (SPEC §1, §8): one test event to one notifier,
//! sent at once (not through the outbox), and its outcome printed.

use std::sync::Arc;

use anyhow::anyhow;
use chrono::Utc;
use clap::Subcommand;

use super::{Cli, Source};
use crate::config::Config;
use crate::model::Model;
use crate::outbox::Targets;
use crate::outbox::compose::Composer;
use crate::statuspage::Builder;
use crate::store::Store;

#[derive(Debug, Subcommand)]
pub(super) enum NotifyCommand {
    /// Send a test event to one notifier and print the outcome (exit 1 if not delivered)
    Test {
        /// The notifier's `id` in [[notifiers]]
        id: String,
    },
}

pub(super) async fn run(cli: &Cli, command: &NotifyCommand) -> anyhow::Result<()> {
    let NotifyCommand::Test { id } = command;
    let Source::File(path) = cli.source() else {
        return Err(anyhow!(
            "no config file: the built-in demo has no notifiers; pass --config PATH"
        ));
    };
    let config = Arc::new(Config::load(&path)?);
    if config.notify.notifier(id).is_none() {
        let known: Vec<&str> = config
            .notify
            .notifiers
            .iter()
            .map(|n| n.id.as_str())
            .collect();
        let known = match known.is_empty() {
            true => "none is configured".to_owned(),
            false => format!("configured: {}", known.join(", ")),
        };
        return Err(anyhow!("unknown notifier {id:?} ({known})"));
    }
    let targets = Targets::new(&config).await.map_err(|e| anyhow!(e))?;
    let store = Store::open(&cli.database(Some(&config))).await?;
    let now = Utc::now();
    let model = Model::load(store.clone(), Arc::clone(&config), now).await;
    let first_days = store.first_result_days().await;
    store.close().await;
    let (snap, first_days) = (model?.get(), first_days?);
    let base = config
        .site
        .url
        .clone()
        .unwrap_or_else(|| format!("http://{}", cli.listen(Some(&config))));
    let v2 = Builder::new(&snap, &first_days, now, &base);
    let composer = Composer {
        config: &config,
        v2: &v2,
        base: &base,
    };
    let payload = composer.test(now);
    let delivery = format!("test{}", now.timestamp_millis());
    let mut failed = Vec::new();
    for recipient in targets.recipients(id) {
        let outcome = targets.send(id, &delivery, &recipient, &payload).await;
        let to = match recipient.is_empty() {
            true => String::new(),
            false => format!(" to {recipient}"),
        };
        println!("notifier {id}{to}: {outcome}");
        if let Some(why) = outcome.reason() {
            failed.push(why.to_owned());
        }
    }
    match failed.first() {
        None => Ok(()),
        Some(why) => Err(anyhow!(
            "notifier {id:?} did not take the test event: {why}"
        )),
    }
}
