//! Test databases on both backends: a SQLite file in a temporary directory,
//! or a database of its own on a private PostgreSQL cluster.
//!
//! The cluster starts once per test binary, at the first PostgreSQL test:
//! `initdb` into a temporary directory, then `postgres` on a free
//! 127.0.0.1 port, as the unprivileged `postgres` user when the tests run
//! as root (PostgreSQL refuses to run as root). A watchdog shell beside it
//! stops it and removes its directory within half a second of the test
//! binary's exit, however that exits (even `kill -9`), so no server
//! outlives the run. When PostgreSQL cannot start, the test fails with a
//! message naming what is missing; it never skips.
//!
//! Shared by the library's unit tests (`src/store`) and the integration
//! test binaries, through `#[path]`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// Where Debian puts each PostgreSQL version's binaries; the newest is used
/// unless `BEACON_PG_BIN` names another directory.
const DEBIAN_DIR: &str = "/usr/lib/postgresql";

/// A database for one test; SQLite's file lives as long as this does.
#[derive(Debug)]
pub struct TestDatabase {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

impl TestDatabase {
    /// A fresh SQLite file.
    pub fn sqlite() -> TestDatabase {
        let dir = tempfile::tempdir().expect("temp dir");
        TestDatabase {
            url: format!("sqlite://{}", dir.path().join("beacon.db").display()),
            _dir: Some(dir),
        }
    }

    /// A fresh, empty database on this binary's PostgreSQL cluster.
    pub fn postgres() -> TestDatabase {
        TestDatabase {
            url: postgres_database(),
            _dir: None,
        }
    }
}

/// The URL of a new empty database (`createdb`) on the cluster.
pub fn postgres_database() -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let cluster = cluster();
    let name = format!("t{}", NEXT.fetch_add(1, Ordering::Relaxed));
    let out = Command::new(cluster.bin.join("createdb"))
        .args([
            "-h",
            "127.0.0.1",
            "-p",
            &cluster.port.to_string(),
            "-U",
            "beacon",
        ])
        .arg(&name)
        .output()
        .expect("createdb runs");
    assert!(
        out.status.success(),
        "createdb {name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    format!("postgres://beacon@127.0.0.1:{}/{name}", cluster.port)
}

/// `url` (of [`postgres_database`]) over the cluster's unix socket rather
/// than TCP: for a process in a network namespace of its own, which has
/// no route to the cluster's 127.0.0.1 but shares its file system.
pub fn over_unix_socket(url: &str) -> String {
    let cluster = cluster();
    let name = url.rsplit('/').next().expect("a database name");
    format!(
        "postgres://beacon@localhost/{name}?host={}&port={}",
        cluster.socket_dir.display(),
        cluster.port
    )
}

/// Runs each test body on both backends: `$name::sqlite` and
/// `$name::postgres`, with `$store` opened on a fresh database at `$url`.
/// The module using it imports `Store` and `TestDatabase`.
macro_rules! store_test {
    ($(#[$meta:meta])* async fn $name:ident($store:ident, $url:ident) $body:block) => {
        $(#[$meta])*
        mod $name {
            use super::*;

            async fn run($store: Store, $url: &str) $body

            #[tokio::test]
            async fn sqlite() {
                let db = TestDatabase::sqlite();
                run(Store::open(&db.url).await.expect("store opens"), &db.url).await;
            }

            #[tokio::test]
            async fn postgres() {
                let db = TestDatabase::postgres();
                run(Store::open(&db.url).await.expect("store opens"), &db.url).await;
            }
        }
    };
}

#[derive(Debug)]
struct Cluster {
    bin: PathBuf,
    port: u16,
    /// Where the server's unix socket is.
    socket_dir: PathBuf,
}

fn cluster() -> &'static Cluster {
    static CLUSTER: OnceLock<Result<Cluster, String>> = OnceLock::new();
    match CLUSTER.get_or_init(start) {
        Ok(cluster) => cluster,
        Err(why) => panic!("the PostgreSQL tests cannot run: {why}"),
    }
}

fn start() -> Result<Cluster, String> {
    let bin = std::env::var_os("BEACON_PG_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(newest_debian_bin);
    for tool in ["initdb", "postgres", "createdb", "pg_isready"] {
        if !bin.join(tool).exists() {
            return Err(format!(
                "{} is missing: install Debian's `postgresql` package (tests/run.sh does), \
                 or set BEACON_PG_BIN to the directory of PostgreSQL's binaries",
                bin.join(tool).display()
            ));
        }
    }
    // SAFETY: geteuid has no preconditions and cannot fail.
    let as_root = unsafe { libc::geteuid() } == 0;
    let dir = tempfile::Builder::new()
        .prefix("beacon-pg-")
        .tempdir()
        .map_err(|e| format!("cannot create a temporary directory: {e}"))?
        .keep();
    if as_root {
        run(
            Command::new("chown").arg("postgres:").arg(&dir),
            "chown to the `postgres` user",
        )
        .map_err(|e| format!("{e} (the tests run as root, so they need a `postgres` user)"))?;
    }
    let data = dir.join("data");
    run(
        as_user(as_root, &bin.join("initdb"))
            .args([
                "-A",
                "trust",
                "-U",
                "beacon",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
                "-D",
            ])
            .arg(&data),
        "initdb",
    )?;
    let port = free_port()?;
    // The watchdog: runs the server, and stops it once this process is
    // gone (or the server stopped by itself), then removes the directory.
    let script = format!(
        "'{bin}/postgres' -D '{data}' -p {port} -k '{dir}' -c listen_addresses=127.0.0.1 \
         -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 \
         >'{dir}/log' 2>&1 & pg=$!; \
         while [ -d /proc/{parent} ] && kill -0 $pg 2>/dev/null; do sleep 0.5; done; \
         kill -QUIT $pg 2>/dev/null; wait $pg; rm -rf '{dir}'",
        bin = bin.display(),
        data = data.display(),
        dir = dir.display(),
        parent = std::process::id(),
    );
    as_user(as_root, Path::new("/bin/sh"))
        .args(["-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start postgres: {e}"))?;
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let ready = Command::new(bin.join("pg_isready"))
            .args(["-q", "-h", "127.0.0.1", "-p", &port.to_string()])
            .status()
            .is_ok_and(|s| s.success());
        if ready {
            return Ok(Cluster {
                bin,
                port,
                socket_dir: dir,
            });
        }
        if Instant::now() > deadline {
            let log = std::fs::read_to_string(dir.join("log")).unwrap_or_default();
            return Err(format!(
                "postgres did not accept connections within 30 s; its log:\n{log}"
            ));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// `/usr/lib/postgresql/<newest version>/bin` (15 when none is installed,
/// so the error names a real path).
fn newest_debian_bin() -> PathBuf {
    let newest = std::fs::read_dir(DEBIAN_DIR)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .max()
        .unwrap_or(15);
    Path::new(DEBIAN_DIR).join(newest.to_string()).join("bin")
}

/// `program`, run as the `postgres` user when this process is root.
fn as_user(as_root: bool, program: &Path) -> Command {
    if as_root {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    }
}

fn run(command: &mut Command, what: &str) -> Result<(), String> {
    let out = command.output().map_err(|e| format!("{what}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

fn free_port() -> Result<u16, String> {
    let listener =
        std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}
