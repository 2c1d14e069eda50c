//! TEMPORARY stub of the config API until the config branch merges.
#![allow(missing_docs)]
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::domain::*;

#[derive(Debug, Clone)]
pub struct Config {
    pub site: Site,
    pub server: Server,
    pub database: Database,
    pub components: Vec<Component>,
    pub checks: Vec<CheckSpec>,
}
#[derive(Debug, Clone)]
pub struct Site {
    pub title: String,
    pub url: Option<String>,
    pub description: String,
    pub timezone: chrono_tz::Tz,
    pub history_days: u32,
}
#[derive(Debug, Clone)]
pub struct Server {
    pub listen: Option<String>,
    pub cache_max_age: Duration,
}
#[derive(Debug, Clone)]
pub struct Database {
    pub url: Option<String>,
    pub retention_days: u32,
}
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid")]
    Invalid {
        path: PathBuf,
        problems: Vec<Problem>,
    },
}
#[derive(Debug)]
pub struct Problem {
    pub line: usize,
    pub column: usize,
    pub message: String,
}
impl Config {
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let t = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.into(),
            source,
        })?;
        Self::parse(&t, path)
    }
    pub fn parse(_text: &str, _path: &Path) -> Result<Config, ConfigError> {
        unimplemented!()
    }
    pub fn demo(listen: SocketAddr) -> Config {
        let web = ComponentId::parse("web").unwrap();
        Config {
            site: Site {
                title: "Beacon demo".into(),
                url: None,
                description: "demo".into(),
                timezone: chrono_tz::UTC,
                history_days: 90,
            },
            server: Server {
                listen: None,
                cache_max_age: Duration::from_secs(30),
            },
            database: Database {
                url: None,
                retention_days: 90,
            },
            components: vec![Component {
                id: web.clone(),
                name: "Web server".into(),
                group: Some("Beacon".into()),
                description: None,
                auto_incidents: true,
            }],
            checks: vec![CheckSpec {
                id: CheckId::parse("web-healthz").unwrap(),
                component: web,
                kind: CheckKind::Http(HttpCheck {
                    url: format!("http://{listen}/healthz"),
                    method: "GET".into(),
                    headers: vec![],
                    expect_status: vec![StatusMatcher::Class(2)],
                    expect_body: None,
                }),
                interval: Duration::from_secs(10),
                timeout: Duration::from_secs(2),
                degraded_over: None,
                failure_threshold: 3,
                recovery_threshold: 2,
            }],
        }
    }
    pub fn component(&self, id: &ComponentId) -> Option<&Component> {
        self.components.iter().find(|c| &c.id == id)
    }
}
