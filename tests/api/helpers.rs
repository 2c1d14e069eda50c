//! What the API tests share, by what it builds: a running app ([`app`]),
//! target servers ([`target`]), admin requests and bodies ([`admin`]),
//! page and metrics reading ([`html`]), seeded results ([`results`]) and
//! polling with a deadline ([`poll`]).

mod admin;
mod app;
mod html;
mod poll;
mod results;
mod target;

pub use admin::*;
pub use app::*;
pub use html::*;
pub use poll::*;
pub use results::*;
pub use target::*;
