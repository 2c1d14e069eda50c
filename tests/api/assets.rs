//! One self-contained binary (SPEC §7): the `beacon` file copied into an
//! empty directory serves a complete page, its stylesheet and icon under
//! content-hashed, immutable URLs, and reads no asset from the filesystem
//! (`strace` watches every file it touches; `tests/run.sh` installs it).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::binary::Process;
use crate::helpers::{texts, wait_until};

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The process strace started (its only child), killed on drop.
struct Tracee(String);

impl Tracee {
    fn of(strace: u32) -> Tracee {
        let children = format!("/proc/{strace}/task/{strace}/children");
        let pid = std::fs::read_to_string(&children).expect("strace's children");
        Tracee(pid.split_whitespace().next().expect("a tracee").to_owned())
    }

    fn signal(&self, signal: &str) {
        let _ = Command::new("kill").args([signal, &self.0]).status();
    }
}

impl Drop for Tracee {
    fn drop(&mut self) {
        if !self.0.is_empty() {
            self.signal("-KILL");
        }
    }
}

fn attr(html: &str, selector: &str, name: &str) -> String {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(selector).expect("selector");
    let found = doc.select(&sel).next().and_then(|e| e.value().attr(name));
    found
        .unwrap_or_else(|| panic!("no {selector}[{name}] in {html}"))
        .to_owned()
}

/// GETs `url`: status, content type, cache control and body bytes.
async fn fetch(url: &str) -> (u16, String, String, Vec<u8>) {
    let response = reqwest::get(url).await.expect("request");
    let header = |name: &str| {
        let value = response.headers().get(name);
        value
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let (content_type, cache) = (header("content-type"), header("cache-control"));
    let status = response.status().as_u16();
    let body = response.bytes().await.expect("body").to_vec();
    (status, content_type, cache, body)
}

#[tokio::test]
async fn a_copied_binary_serves_its_built_in_assets_under_hashed_immutable_urls() {
    assert!(
        Command::new("strace").arg("-V").output().is_ok(),
        "strace is needed for this test (tests/run.sh installs it)"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let exe = dir.path().join("beacon");
    std::fs::copy(env!("CARGO_BIN_EXE_beacon"), &exe).expect("copy the binary");
    let trace = dir.path().join("files.trace");
    let mut strace = Command::new("strace");
    strace
        .args(["-f", "-qq", "-e", "trace=%file", "-o"])
        .arg(&trace)
        .arg(&exe)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .current_dir(dir.path())
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("RUST_LOG", "warn");
    let mut server = Process::spawn(&mut strace);
    let base = server.url();
    let base = base.trim_end_matches('/');
    // strace neither forwards SIGTERM nor takes its tracee down when killed.
    let mut beacon = Tracee::of(server.0.id());

    let page = format!("{base}/");
    wait_until(Duration::from_secs(20), "the demo page", || async {
        fetch(&page).await.0 == 200
    })
    .await;
    let html = String::from_utf8(fetch(&page).await.3).expect("UTF-8");

    let css_url = attr(&html, "link[rel=stylesheet]", "href");
    assert!(
        css_url.starts_with("/static/style.") && css_url.ends_with(".css") && css_url.len() > 20,
        "{css_url}"
    );
    let (status, content_type, cache, body) = fetch(&format!("{base}{css_url}")).await;
    assert_eq!(status, 200, "{css_url}");
    assert_eq!(content_type, "text/css; charset=utf-8");
    assert_eq!(cache, IMMUTABLE);
    assert_eq!(body, include_bytes!("../../static/style.css"));

    let icon_url = attr(&html, "link[rel=icon]", "href");
    let (status, content_type, cache, body) = fetch(&format!("{base}{icon_url}")).await;
    assert_eq!(
        (status, content_type.as_str()),
        (200, "image/svg+xml"),
        "{icon_url}"
    );
    assert_eq!(cache, IMMUTABLE);
    assert_eq!(body, include_bytes!("../../static/favicon.svg"));

    // Unknown asset paths, an unhashed name or an old hash: the styled 404.
    for path in [
        "/static/style.css",
        "/static/style.0123456789abcdef.css",
        "/static/x/y",
    ] {
        let (status, _, cache, body) = fetch(&format!("{base}{path}")).await;
        let page = String::from_utf8_lossy(&body);
        assert_eq!(status, 404, "{path}");
        assert_ne!(cache, IMMUTABLE, "{path}");
        assert_eq!(texts(&page, ".error-code"), ["404"], "{path}: {page}");
        assert_eq!(attr(&page, "link[rel=stylesheet]", "href"), css_url);
    }

    beacon.signal("-TERM");
    let deadline = Instant::now() + Duration::from_secs(15);
    let status = loop {
        if let Some(status) = server.0.try_wait().expect("wait") {
            break status;
        }
        assert!(Instant::now() < deadline, "beacon ignored SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    beacon.0.clear(); // it has exited: nothing to kill
    assert!(status.success(), "beacon stops cleanly: {status:?}");
    let files = std::fs::read_to_string(&trace).expect("strace wrote its log");
    assert!(
        files.contains("beacon.db"),
        "the trace saw the process: {files}"
    );
    let source = env!("CARGO_MANIFEST_DIR");
    for line in files.lines() {
        for needle in ["style.css", "favicon", "/static", "templates/", source] {
            assert!(!line.contains(needle), "read at run time: {line}");
        }
    }
    assert!(!Path::new(&dir.path().join("static")).exists());
}
