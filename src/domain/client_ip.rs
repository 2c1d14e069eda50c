//! Which address a request comes from (SPEC §7), for rate limits (§8, §10).

use std::net::{IpAddr, SocketAddr};

use ipnet::IpNet;

/// The client's address: the peer's, unless the peer is one of `trusted`
/// proxies; then the right-most `X-Forwarded-For` entry that is not itself
/// a trusted proxy. `forwarded` holds the header's values in the order
/// received (each may list several comma-separated hops). An entry that is
/// no address ends the walk at the hop before it: what lies left of it was
/// written by the client and proves nothing. Entries may carry a port
/// (`203.0.113.7:4711`, `[2001:db8::1]:4711`).
pub fn client_ip(peer: IpAddr, forwarded: &[&str], trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let hops = forwarded.iter().flat_map(|v| v.split(',')).rev();
    let mut client = peer;
    for hop in hops {
        let Some(ip) = parse_hop(hop.trim()) else {
            return client;
        };
        client = ip;
        if !is_trusted(&ip) {
            return ip;
        }
    }
    client
}

fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
        // IPv4-mapped IPv6 (`::ffff:10.0.0.1`) is the IPv4 address.
        .map(|ip| ip.to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn right_most_untrusted_hop() {
        let trusted: Vec<IpNet> = ["10.0.0.0/8", "::1/128"]
            .iter()
            .map(|n| n.parse().unwrap())
            .collect();
        let cases: &[(&str, &str, &[&str], &str)] = &[
            (
                "no proxy: the peer",
                "203.0.113.9",
                &["198.51.100.1"],
                "203.0.113.9",
            ),
            (
                "untrusted peer's header is ignored",
                "203.0.113.9",
                &["10.0.0.1"],
                "203.0.113.9",
            ),
            (
                "trusted peer, one hop",
                "10.0.0.2",
                &["198.51.100.1"],
                "198.51.100.1",
            ),
            (
                "spoofed left entries are skipped",
                "10.0.0.2",
                &["1.1.1.1, 198.51.100.1"],
                "198.51.100.1",
            ),
            (
                "trusted hops are walked past",
                "10.0.0.2",
                &["198.51.100.1, 10.0.0.7"],
                "198.51.100.1",
            ),
            (
                "several header lines in order",
                "10.0.0.2",
                &["1.1.1.1", "198.51.100.1, 10.9.9.9"],
                "198.51.100.1",
            ),
            (
                "all trusted: the left-most",
                "10.0.0.2",
                &["10.0.0.5, 10.0.0.6"],
                "10.0.0.5",
            ),
            ("no header: the peer", "10.0.0.2", &[], "10.0.0.2"),
            (
                "garbage stops at the hop before",
                "10.0.0.2",
                &["198.51.100.1, nonsense"],
                "10.0.0.2",
            ),
            (
                "ports are dropped",
                "::1",
                &["[2001:db8::7]:4711"],
                "2001:db8::7",
            ),
            (
                "ipv4 with port",
                "::1",
                &["198.51.100.1:80"],
                "198.51.100.1",
            ),
            (
                "mapped ipv4",
                "10.0.0.2",
                &["::ffff:198.51.100.1"],
                "198.51.100.1",
            ),
        ];
        for (name, peer, header, want) in cases {
            assert_eq!(client_ip(ip(peer), header, &trusted), ip(want), "{name}");
        }
        assert_eq!(
            client_ip(ip("10.0.0.2"), &["198.51.100.1"], &[]),
            ip("10.0.0.2"),
            "none trusted"
        );
    }
}
