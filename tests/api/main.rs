//! Integration tests: the real router or the real binary, a real SQLite file
//! in a temporary directory (and PostgreSQL for the store and `postgres_*`), and real target servers on 127.0.0.1.

// First: its `store_test!` macro serves the modules below.
#[macro_use]
#[path = "../support/databases.rs"]
mod databases;

mod admin;
mod admin_cli;
mod admin_fuzz;
mod assets;
mod badges;
mod binary;
mod browser;
mod calendar;
mod cli;
mod context;
mod encodings;
mod escaping;
mod feeds;
mod fleet;
mod helpers;
mod history;
mod kinds;
mod lease;
mod lifecycle;
mod migrations;
mod nodes;
mod notify;
mod pages;
mod pg_outage;
mod postgres;
mod privacy;
mod probe;
mod receivers;
mod regions;
mod reports;
mod schedule_lag;
mod statuspage;
mod store;
mod store_regions;
mod visible;
mod weight;
