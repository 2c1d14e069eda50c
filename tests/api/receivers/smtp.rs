//! An SMTP server for the e-mail tests: aiosmtpd (PyPI), run by
//! `tests/smtp/receiver.py` in plain, STARTTLS or implicit-TLS mode with a
//! certificate for `localhost` signed by a CA made here with rcgen. Each
//! accepted message is parsed by Python's `email` package and saved as
//! JSON, which [`SmtpReceiver::wait_for`] reads back.
//!
//! aiosmtpd comes from the system's `python3` when it has it (tests/run.sh
//! installs it), else from a virtual environment under the target directory,
//! made on first use from `tests/smtp/requirements.txt`.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::OnceLock;
use std::time::Duration;

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
use serde::Deserialize;
use tempfile::TempDir;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// How the server protects the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpMode {
    /// No TLS at all (STARTTLS not offered).
    Plain,
    /// STARTTLS offered, and required before AUTH and MAIL.
    StartTls,
    /// TLS from the first byte.
    Tls,
}

/// One text part of a received message.
#[derive(Debug, Clone, Deserialize)]
pub struct Part {
    /// `text/plain`, `text/html`, ...
    pub content_type: String,
    /// Its decoded text.
    pub body: String,
}

/// One message as the server received and Python's email parser read it.
#[derive(Debug, Clone, Deserialize)]
pub struct ReceivedMail {
    /// The envelope recipients.
    pub rcpt_tos: Vec<String>,
    /// The TLS version of the session ("TLSv1.3"), `None` in clear.
    pub tls: Option<String>,
    /// The user the client authenticated as.
    pub auth_user: Option<String>,
    /// The top-level content type.
    pub content_type: String,
    /// Every header, decoded, in order.
    pub headers: Vec<(String, String)>,
    /// The leaf parts.
    pub parts: Vec<Part>,
    /// The message as it came over the wire.
    pub raw: String,
}

impl ReceivedMail {
    /// The values of the header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The body of the first part of this content type.
    pub fn part(&self, content_type: &str) -> Option<&str> {
        self.parts
            .iter()
            .find(|p| p.content_type == content_type)
            .map(|p| p.body.as_str())
    }
}

/// A running aiosmtpd; killed when dropped.
pub struct SmtpReceiver {
    mode: SmtpMode,
    port: u16,
    /// The PEM of the CA that signed the server's certificate.
    pub ca_pem: String,
    dir: TempDir,
    _child: Child,
}

impl SmtpReceiver {
    /// Starts a server in `mode`; with `login`, AUTH as exactly that user
    /// and password is required.
    pub async fn start(mode: SmtpMode, login: Option<(&str, &str)>) -> SmtpReceiver {
        let dir = TempDir::new().expect("temp dir");
        let out = dir.path().join("mail");
        std::fs::create_dir(&out).expect("mail dir");
        let ca_pem = write_certificates(dir.path());
        let mode_arg = match mode {
            SmtpMode::Plain => "plain",
            SmtpMode::StartTls => "starttls",
            SmtpMode::Tls => "tls",
        };
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smtp/receiver.py");
        let mut command = Command::new(python());
        command
            .arg(script)
            .args(["--mode", mode_arg, "--out"])
            .arg(&out)
            .arg("--cert")
            .arg(dir.path().join("cert.pem"))
            .arg("--key")
            .arg(dir.path().join("key.pem"));
        if let Some((user, password)) = login {
            command.args(["--user", user, "--password", password]);
        }
        let stderr = File::create(dir.path().join("stderr.log")).expect("stderr log");
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .kill_on_drop(true)
            .spawn()
            .expect("start the SMTP receiver");
        let stdout = child.stdout.take().expect("stdout");
        let mut first = String::new();
        let mut stdout = BufReader::new(stdout);
        let read = stdout.read_line(&mut first);
        let started = tokio::time::timeout(Duration::from_secs(30), read).await;
        let port = first
            .trim()
            .strip_prefix("PORT ")
            .and_then(|p| p.parse().ok());
        let Some(port) = port else {
            let log = std::fs::read_to_string(dir.path().join("stderr.log")).unwrap_or_default();
            panic!("the SMTP receiver did not start ({started:?}): {log}");
        };
        SmtpReceiver {
            mode,
            port,
            ca_pem,
            dir,
            _child: child,
        }
    }

    /// `smtp://localhost:PORT` or `smtps://localhost:PORT` for its mode.
    pub fn url(&self) -> String {
        let scheme = if self.mode == SmtpMode::Tls {
            "smtps"
        } else {
            "smtp"
        };
        format!("{scheme}://localhost:{}", self.port)
    }

    /// The messages received so far, in order.
    pub fn mails(&self) -> Vec<ReceivedMail> {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(self.dir.path().join("mail"))
            .expect("mail dir")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        paths.sort();
        paths
            .iter()
            .map(|p| serde_json::from_slice(&std::fs::read(p).expect("read")).expect("mail JSON"))
            .collect()
    }

    /// Waits (10 s at most) until `n` messages have come, and returns them.
    pub async fn wait_for(&self, n: usize) -> Vec<ReceivedMail> {
        let what = format!("{n} mail(s) at the SMTP receiver");
        crate::helpers::wait_until(Duration::from_secs(10), &what, || async {
            self.mails().len() >= n
        })
        .await;
        self.mails()
    }
}

/// Writes `cert.pem` (for `localhost`, signed by a fresh CA) and `key.pem`
/// into `dir`; returns the CA's PEM.
fn write_certificates(dir: &Path) -> String {
    let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params
        .distinguished_name
        .push(DnType::CommonName, "Beacon SMTP Test CA");
    let ca = CertifiedIssuer::self_signed(params, KeyPair::generate().expect("CA key"))
        .expect("CA certificate");
    let key = KeyPair::generate().expect("server key");
    let leaf = CertificateParams::new(vec!["localhost".to_owned()])
        .expect("server params")
        .signed_by(&key, &ca)
        .expect("server certificate");
    std::fs::write(dir.join("cert.pem"), leaf.pem()).expect("write cert");
    std::fs::write(dir.join("key.pem"), key.serialize_pem()).expect("write key");
    ca.pem()
}

/// A `python3` that imports aiosmtpd, installing it into a venv once.
fn python() -> PathBuf {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON
        .get_or_init(|| {
            let system = PathBuf::from("python3");
            if imports_aiosmtpd(&system) {
                return system;
            }
            install_venv()
        })
        .clone()
}

/// `<target>/test-venv` (the one tests/run.sh makes), with aiosmtpd; a file
/// lock keeps two test processes from installing at once.
fn install_venv() -> PathBuf {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("the target directory");
    let venv = target.join("test-venv");
    let lock = File::create(target.join("test-venv.lock")).expect("venv lock file");
    lock.lock().expect("lock the venv");
    let python = venv.join("bin/python3");
    if !imports_aiosmtpd(&python) {
        if !python.exists() {
            let made = std::process::Command::new("python3")
                .args(["-m", "venv"])
                .arg(&venv)
                .status();
            assert!(
                made.is_ok_and(|s| s.success()),
                "python3 -m venv failed (python3-venv is needed)"
            );
        }
        let requirements =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smtp/requirements.txt");
        let installed = std::process::Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "-q",
                "--disable-pip-version-check",
                "-r",
            ])
            .arg(requirements)
            .status();
        assert!(
            installed.is_ok_and(|s| s.success()),
            "pip install aiosmtpd failed"
        );
    }
    python
}

fn imports_aiosmtpd(python: &Path) -> bool {
    std::process::Command::new(python)
        .args(["-c", "import aiosmtpd"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}
