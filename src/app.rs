//! `beacon serve`: store, snapshot refresher, probe worker, notification
//! sender, exactly-once duties and web server in one process, stopped
//! together (SPEC §1, §7, §9). The HTTP server and its limits are in [`server`].

pub mod server;

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context as _;
use chrono::Utc;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::config::Config;
use crate::domain::RegionId;
use crate::duties;
use crate::model::Model;
use crate::outbox::{Sender, Targets};
use crate::store::Store;
use crate::web::auth::uses;
use crate::web::{self, AppState};

/// A running server; stop it with [`Running::stop`] or wait with [`Running::wait`].
#[derive(Debug)]
pub struct Running {
    /// The address actually bound (useful with port 0).
    pub addr: SocketAddr,
    shutdown: watch::Sender<bool>,
    task: JoinHandle<anyhow::Result<()>>,
}

impl Running {
    /// Asks everything to stop: no new connections, in-flight requests get
    /// [`server::DRAIN`] to finish, pending results are flushed.
    pub fn request_stop(&self) {
        self.shutdown.send_replace(true);
    }

    /// Waits until the server has stopped (after [`Running::request_stop`]).
    pub async fn wait(self) -> anyhow::Result<()> {
        self.task.await.context("server task panicked")?
    }

    /// Stops and waits.
    pub async fn stop(self) -> anyhow::Result<()> {
        self.request_stop();
        self.wait().await
    }
}

/// Starts serving on `listener`, with the built-in probe worker probing as
/// `region` (none: no probe worker).
pub async fn start(
    listener: TcpListener,
    config: Arc<Config>,
    store: Store,
    region: Option<RegionId>,
) -> anyhow::Result<Running> {
    let addr = listener
        .local_addr()
        .context("cannot read the bound address")?;
    let (shutdown, stopped) = watch::channel(false);
    let model = Model::load(store.clone(), Arc::clone(&config), Utc::now())
        .await
        .context("cannot read the status from the database")?;
    let model = Arc::new(model);
    let targets = Targets::new(&config)
        .await
        .map_err(|e| anyhow::anyhow!("cannot set up the notifiers: {e}"))?;
    let holder = duties::holder_id();
    // The duties stop after the probe worker, to decide on its last results.
    let once = duties::start(store.clone(), Arc::clone(&config), Arc::clone(&holder)).await;
    let notifications =
        duties::keep(store.clone(), duties::NOTIFICATIONS, Arc::clone(&holder)).await;
    let probing = match &region {
        Some(region) => Some(duties::probing::contend(&store, region, holder).await),
        None => None,
    };
    let mut leases = vec![once.lease().clone(), notifications.lease.clone()];
    leases.extend(probing.as_ref().map(|kept| kept.lease.clone()));
    let state = AppState::new(store.clone(), Arc::clone(&model), addr, Arc::from(leases));
    let (schedule_lag, connections) = (
        Arc::clone(&state.schedule_lag),
        Arc::clone(&state.connections),
    );
    let token_uses = Arc::clone(&state.token_uses);
    let sender = Sender::new(
        store.clone(),
        Arc::clone(&model),
        targets,
        state.base_url.clone(),
        state.started_at,
    );
    let sender =
        tokio::spawn(sender.run_until_stopped(notifications.lease.clone(), stopped.clone()));
    let refresher = {
        let stopped = stopped.clone();
        tokio::spawn(async move { model.refresh_until_stopped(stopped).await })
    };
    // Token uses are written once more after the last request is done.
    let (uses_stop, uses_stopped) = watch::channel(false);
    let uses = tokio::spawn(uses::record_uses_until_stopped(
        store.clone(),
        token_uses,
        uses_stopped,
    ));
    let limits = server::Limits {
        header_timeout: config.server.header_timeout,
        max_connections: usize::try_from(config.server.max_connections).unwrap_or(usize::MAX),
    };
    let worker = region.zip(probing.as_ref()).map(|(region, kept)| {
        tokio::spawn(duties::probing::run(
            store.clone(),
            config,
            region,
            schedule_lag,
            kept.lease.clone(),
            stopped.clone(),
        ))
    });
    let server = server::serve(listener, web::router(state), limits, connections, stopped);
    // The one shutdown sequence, for `beacon serve` and the tests alike:
    // every part sees the same flag and stops at once, in parallel; the
    // server drains its requests while the worker flushes its results.
    let task = tokio::spawn(async move {
        server.await;
        uses_stop.send_replace(true);
        if let Some(worker) = worker {
            worker.await.context("probe worker panicked")??;
        }
        if let Some(probing) = probing {
            probing.release().await;
        }
        refresher.await.context("snapshot refresher panicked")?;
        sender.await.context("notification sender panicked")?;
        // Released once their duties stopped: the next holder never overlaps.
        notifications.release().await;
        once.stop().await?;
        uses.await.context("token use recorder panicked")?;
        store.close().await;
        Ok(())
    });
    Ok(Running {
        addr,
        shutdown,
        task,
    })
}

/// Resolves once `flag` turns true (or its sender is gone).
async fn until_true(mut flag: watch::Receiver<bool>) {
    // An error means the sender is gone: stop as well.
    let _ = flag.wait_for(|stop| *stop).await;
}

/// Resolves when SIGINT or SIGTERM arrives.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
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
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutdown requested");
}
