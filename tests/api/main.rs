//! Integration tests: the real router or the real binary, a real SQLite file
//! in a temporary directory, and real target servers on 127.0.0.1.

mod cli;
mod helpers;
mod kinds;
mod pages;
mod probe;
