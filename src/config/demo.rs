//! The built-in demo configuration (SPEC §1 "Embedded default").
//!
//! It checks only Beacon itself over loopback, so a new user sees a green page
//! with no network access and no config file.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use chrono_tz::Tz;

use super::{Config, Database, Probes, Reports, Server, Site};
use crate::domain::{
    CheckId, CheckKind, CheckSpec, Component, ComponentId, HttpCheck, StatusMatcher, TcpCheck,
};

/// The demo: Beacon's own `/healthz` and TCP port at `listen`.
pub(super) fn config(listen: SocketAddr) -> Config {
    let server_listen = listen.to_string();
    // Bound to every interface: probe it over loopback all the same.
    let listen = match listen.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => {
            SocketAddr::new(Ipv4Addr::LOCALHOST.into(), listen.port())
        }
        IpAddr::V6(ip) if ip.is_unspecified() => {
            SocketAddr::new(Ipv6Addr::LOCALHOST.into(), listen.port())
        }
        _ => listen,
    };
    let web = id("web");
    let listener = id("listener");
    let component = |id: &ComponentId, name: &str| Component {
        id: id.clone(),
        name: name.to_owned(),
        group: Some("Beacon".to_owned()),
        description: None,
        auto_incidents: true,
    };
    let check = |id: &str, component: &ComponentId, kind: CheckKind, degraded_over| CheckSpec {
        id: check_id(id),
        label: id.to_owned(),
        public_target: false,
        component: component.clone(),
        kind,
        interval: Duration::from_secs(10),
        timeout: Duration::from_secs(2),
        degraded_over,
        failure_threshold: 3,
        recovery_threshold: 2,
    };
    let http = CheckKind::Http(HttpCheck {
        url: format!("http://{listen}/healthz"),
        method: "GET".to_owned(),
        headers: Vec::new(),
        expect_status: vec![StatusMatcher::Class(2)],
        expect_body: None,
    });
    let tcp = CheckKind::Tcp(TcpCheck {
        address: listen.to_string(),
    });
    Config {
        site: Site {
            title: "Beacon demo".to_owned(),
            url: None,
            description: "This is Beacon's built-in demo: it watches Beacon itself. \
                Write a beacon.toml to monitor your own services."
                .to_owned(),
            timezone: Tz::UTC,
            history_days: 90,
        },
        server: Server {
            listen: Some(server_listen),
            cache_max_age: Duration::from_secs(30),
            header_timeout: Server::HEADER_TIMEOUT,
            max_connections: Server::MAX_CONNECTIONS,
            trusted_proxies: Vec::new(),
        },
        database: Database {
            url: None,
            retention_days: 90,
        },
        reports: Reports::default(),
        probes: Probes::default(),
        components: vec![
            Arc::new(component(&web, "Web server")),
            Arc::new(component(&listener, "TCP listener")),
        ],
        checks: vec![
            Arc::new(check(
                "web-healthz",
                &web,
                http,
                Some(Duration::from_secs(1)),
            )),
            Arc::new(check("listener-port", &listener, tcp, None)),
        ],
        notify: Default::default(),
    }
}

// The demo's ids are string literals that are valid slugs (the tests parse the
// whole demo), so these `expect`s cannot fire on any input.
fn id(s: &str) -> ComponentId {
    ComponentId::parse(s).expect("demo component ids are valid slugs")
}

fn check_id(s: &str) -> CheckId {
    CheckId::parse(s).expect("demo check ids are valid slugs")
}

#[cfg(test)]
mod tests {
    use std::net::SocketAddr;

    use crate::config::Config;
    use crate::domain::{CheckKind, ComponentId};

    #[test]
    fn the_demo_checks_beacon_itself_over_loopback() {
        for listen in ["127.0.0.1:8080", "[::1]:9999"] {
            let listen: SocketAddr = listen.parse().expect("address");
            let config = Config::demo(listen);
            assert_eq!(
                (config.site.title.as_str(), config.site.url.as_ref()),
                ("Beacon demo", None)
            );
            assert!(config.site.description.contains("built-in demo"));
            let names: Vec<&str> = config.components.iter().map(|c| c.name.as_str()).collect();
            assert_eq!(names, ["Web server", "TCP listener"]);
            assert!(
                config
                    .components
                    .iter()
                    .all(|c| c.group.as_deref() == Some("Beacon"))
            );
            let targets: Vec<String> = config
                .checks
                .iter()
                .map(|c| c.kind.target().to_owned())
                .collect();
            assert_eq!(
                targets,
                [format!("http://{listen}/healthz"), listen.to_string()]
            );
            assert!(matches!(config.checks[0].kind, CheckKind::Http(_)));
            assert!(matches!(config.checks[1].kind, CheckKind::Tcp(_)));
        }
    }

    #[test]
    fn a_demo_listening_on_every_interface_is_probed_over_loopback() {
        for (listen, target) in [("0.0.0.0:8080", "127.0.0.1:8080"), ("[::]:81", "[::1]:81")] {
            let config = Config::demo(listen.parse().expect("address"));
            assert_eq!(config.checks[1].kind.target(), target);
            assert_eq!(
                config.checks[0].kind.target(),
                format!("http://{target}/healthz")
            );
            assert_eq!(config.server.listen.as_deref(), Some(listen));
        }
    }

    /// The demo written out as a config file must pass the same validation as a user's file.
    #[test]
    fn the_demo_is_a_valid_config() {
        let listen: SocketAddr = "127.0.0.1:8080".parse().expect("address");
        let demo = Config::demo(listen);
        let mut text = String::new();
        for c in &demo.components {
            let group = c.group.as_deref().unwrap_or_default();
            text += &format!(
                "[[components]]\nid = {:?}\nname = {:?}\ngroup = {group:?}\n",
                c.id.as_str(),
                c.name
            );
        }
        for c in &demo.checks {
            let (kind, target) = match &c.kind {
                CheckKind::Http(h) => (
                    "http",
                    format!("url = {:?}\nmethod = {:?}", h.url, h.method),
                ),
                CheckKind::Tcp(t) => ("tcp", format!("address = {:?}", t.address)),
                other => panic!("the demo has no {} checks", other.name()),
            };
            let (interval, timeout) = (
                humantime::format_duration(c.interval),
                humantime::format_duration(c.timeout),
            );
            text += &format!(
                "[[checks]]\nid = {:?}\ncomponent = {:?}\nkind = {kind:?}\n{target}\ninterval = \"{interval}\"\ntimeout = \"{timeout}\"\n",
                c.id.as_str(),
                c.component.as_str(),
            );
            if let Some(d) = c.degraded_over {
                text += &format!("degraded_over = \"{}\"\n", humantime::format_duration(d));
            }
        }
        let parsed =
            Config::parse(&text, "demo.toml".as_ref()).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(parsed.components, demo.components);
        assert_eq!(parsed.checks, demo.checks);
        for c in &demo.checks {
            assert!(demo.component(&c.component).is_some(), "{}", c.id);
            assert!(
                c.timeout < c.interval && c.degraded_over.is_none_or(|d| d < c.timeout),
                "{}",
                c.id
            );
        }
        let web = ComponentId::parse("web").expect("slug");
        assert_eq!(
            demo.component(&web).map(|c| c.name.as_str()),
            Some("Web server")
        );
    }
}
