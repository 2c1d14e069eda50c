//! The commands that keep running until SIGTERM/SIGINT (SPEC §1, §7):
//! `beacon serve` and `beacon probe`.

use std::sync::Arc;

use anyhow::Context as _;
use tokio::net::TcpListener;

use super::{Cli, DEFAULT_CONFIG, Source};
use crate::config::Config;
use crate::domain::RegionId;
use crate::store::Store;
use crate::{app, duties};

/// `beacon serve`: web server and (unless `--no-probe`) the probe worker.
pub(super) async fn serve(cli: &Cli, probe_in: Option<RegionId>) -> anyhow::Result<()> {
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
    let running = app::start(listener, config, store, probe_in).await?;
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

/// `beacon probe`: the probe worker and the duties, no web server.
pub(super) async fn probe_alone(cli: &Cli, region: RegionId) -> anyhow::Result<()> {
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
    let config = Arc::new(config);
    // The duties stop after the worker, to decide on its last results.
    let holder = duties::holder_id();
    let duties = duties::start(store.clone(), Arc::clone(&config), Arc::clone(&holder)).await;
    let probing = duties::probing::contend(&store, &region, holder).await;
    // No /metrics in this process: the lag is measured but not shown.
    let mut worker = tokio::spawn(duties::probing::run(
        store.clone(),
        config,
        region.clone(),
        Arc::default(),
        probing.lease.clone(),
        stopped,
    ));
    println!(
        "Beacon probe worker running in region {region}{}",
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
    probing.release().await;
    duties.stop().await?;
    finished.context("probe worker panicked")??;
    store.close().await;
    Ok(())
}
