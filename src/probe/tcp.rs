//! `kind = "tcp"`: connect within the timeout (SPEC §2).

use std::time::Instant;

use tokio::net::TcpStream;

use super::Attempt;
use super::reasons::io_reason;
use crate::domain::TcpCheck;

/// One attempt. The caller bounds it with the check's timeout.
pub async fn run(check: &TcpCheck) -> Attempt {
    let started = Instant::now();
    match TcpStream::connect(&check.address).await {
        Ok(_stream) => Attempt {
            failure: None,
            latency: Some(started.elapsed()),
        },
        Err(e) => Attempt::failed(io_reason(&e), None),
    }
}
