//! `kind = "tcp"` (SPEC §2): `address = "host:port"`.

use crate::config::file::RawCheck;
use crate::config::scope::Scope;
use crate::domain::TcpCheck;

/// The `tcp` keys of `raw`; `None` after reporting what is wrong.
pub(super) fn tcp(raw: &RawCheck, s: &mut Scope) -> Option<TcpCheck> {
    let address = s.required(&raw.address, "address", &raw.span)?;
    let tcp = TcpCheck {
        address: address.value.clone(),
    };
    s.host_port(address).then_some(tcp)
}
