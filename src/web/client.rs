//! The client address of a request, for the per-client limits of forms
//! (SPEC §7, §8, §10): the peer, or the right-most untrusted
//! `X-Forwarded-For` entry when the peer is a trusted proxy
//! ([`client_ip`], the rule).

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::ConnectInfo;
use axum::http::request::Parts;
use ipnet::IpNet;

use crate::domain::client_ip;

/// The client of the request with `parts`, behind the `trusted` proxies.
pub fn client_of(parts: &Parts, trusted: &[IpNet]) -> IpAddr {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(Ipv4Addr::UNSPECIFIED.into(), |c| c.0.ip());
    let forwarded: Vec<&str> = parts
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    client_ip(peer, &forwarded, trusted)
}
