//! Running the real `beacon` binary: a clean environment, bounded waits,
//! the URL it prints, signals. Shared by the CLI and admin CLI tests.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

pub fn beacon(cwd: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_beacon"));
    cmd.current_dir(cwd)
        .env_remove("BEACON_CONFIG")
        .env_remove("BEACON_DATABASE_URL")
        .env_remove("BEACON_LISTEN");
    cmd.env("RUST_LOG", "warn");
    cmd
}

/// Runs to completion (bounded) and returns its output.
pub fn run(cmd: &mut Command) -> Output {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn beacon");
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().expect("wait").is_none() {
        assert!(Instant::now() < deadline, "beacon did not exit");
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().expect("output")
}

pub fn stderr_lines(out: &Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .map(str::to_owned)
        .collect()
}

/// Asserts a user error: non-zero exit, exactly one line on stderr naming `needle`, no panic.
pub fn assert_one_line_error(out: &Output, needle: &str) {
    let lines = stderr_lines(out);
    assert!(!out.status.success(), "exit code {:?}", out.status);
    assert_eq!(lines.len(), 1, "one line expected: {lines:?}");
    assert!(
        lines[0].starts_with("error: ") && lines[0].contains(needle),
        "{lines:?}"
    );
    assert!(!lines[0].contains("panicked") && !lines[0].contains("backtrace"));
}

/// A `beacon` child process killed on drop.
pub struct Process(pub Child);

impl Process {
    pub fn spawn(cmd: &mut Command) -> Process {
        Process(
            cmd.stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .expect("spawn beacon"),
        )
    }

    /// Reads stdout until it prints `http://…/`; returns that URL.
    pub fn url(&mut self) -> String {
        let stdout = self.0.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(start) = line.find("http://") {
                    let url = line[start..]
                        .split_whitespace()
                        .next()
                        .unwrap_or_default()
                        .to_owned();
                    let _ = tx.send(url);
                }
            }
        });
        rx.recv_timeout(Duration::from_secs(20))
            .expect("beacon printed its URL")
    }

    pub fn terminate(&mut self) -> std::process::ExitStatus {
        let pid = self.0.id().to_string();
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill");
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Some(status) = self.0.try_wait().expect("wait") {
                return status;
            }
            assert!(Instant::now() < deadline, "beacon ignored SIGTERM");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Process {
    /// SIGKILL: no chance to flush or clean up.
    pub fn kill_9(&mut self) {
        let status = Command::new("kill")
            .args(["-KILL", &self.0.id().to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
        let _ = self.0.wait();
    }
}
