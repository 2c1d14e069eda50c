//! Defect 3 of issue 10 (SPEC §7): SIGTERM while requests are open. The
//! server stops accepting, finishes the request in flight, and exits 0
//! within 10 s even though another client never finishes its request.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use beacon::store::Store;

use crate::beacon::{Served, maintenance};

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_finishes_the_request_in_flight_and_exits_0_whatever_clients_do() {
    let mut beacon = Served::start("250ms", "");
    let token = beacon.token();
    let addr = beacon.addr();
    tokio::time::sleep(Duration::from_millis(800)).await;

    // In flight: headers sent, half of the body.
    let body = maintenance("posted across shutdown").to_string();
    let (first, rest) = body.split_at(body.len() / 2);
    let mut in_flight = TcpStream::connect(addr).expect("connect");
    write!(
        in_flight,
        "POST /api/admin/maintenances HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{first}",
        body.len()
    )
    .unwrap();
    // Never finished: half of a request's headers.
    let mut stuck = TcpStream::connect(addr).expect("connect");
    stuck
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-Half")
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));

    beacon.signal("-TERM");
    let asked = Instant::now();
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_err(),
        "no new connections after SIGTERM"
    );
    in_flight.write_all(rest.as_bytes()).unwrap();
    in_flight
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut answer = String::new();
    let _ = in_flight.read_to_string(&mut answer);
    assert!(
        answer.starts_with("HTTP/1.1 201"),
        "the request in flight is finished: {answer}"
    );

    let exit = beacon
        .wait_exit(Duration::from_secs(10).saturating_sub(asked.elapsed()))
        .unwrap_or_else(|| panic!("still running 10 s after SIGTERM: {:?}", beacon.stderr()));
    let took = asked.elapsed();
    eprintln!("exited {exit:?} {took:?} after SIGTERM with a half-sent request open");
    assert!(exit.success(), "{exit:?} {:?}", beacon.stderr());
    drop(stuck);

    let store = Store::open(&beacon.database).await.expect("open");
    let titles: Vec<String> = store
        .maintenances(10, 0)
        .await
        .expect("maintenances")
        .into_iter()
        .map(|m| m.title)
        .collect();
    assert_eq!(
        titles,
        ["posted across shutdown"],
        "the answered write is durable"
    );
    let log = beacon.stderr().join("\n");
    assert!(!log.contains("results lost"), "results were flushed: {log}");
    store.close().await;
}
