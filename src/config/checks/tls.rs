//! `kind = "tls"` (SPEC §2): `address`, `server_name`, `min_days_left`.

use std::net::IpAddr;

use super::dns::is_dns_name;
use crate::config::file::RawCheck;
use crate::config::scope::Scope;
use crate::domain::TlsCheck;

/// `kind = "tls"`: `address`, `server_name` (default: its host), `min_days_left` (default 14).
pub(super) fn tls(raw: &RawCheck, s: &mut Scope) -> Option<TlsCheck> {
    let address = s
        .required(&raw.address, "address", &raw.span)
        .filter(|f| s.host_port(f));
    let server_name = match &raw.server_name {
        Some(f) => {
            let ok = is_dns_name(&f.value) || f.value.parse::<IpAddr>().is_ok();
            if !ok {
                let what = "is not a DNS name or an IP address";
                s.err(&f.span, format_args!("`server_name` {:?} {what}", f.value));
            }
            ok.then(|| f.value.clone())
        }
        None => address.and_then(|f| {
            let (host, _) = f.value.rsplit_once(':')?;
            Some(
                host.trim_start_matches('[')
                    .trim_end_matches(']')
                    .to_owned(),
            )
        }),
    };
    let min_days_left = s.count(raw.min_days_left.as_ref(), 14, (0, 3650));
    Some(TlsCheck {
        address: address?.value.clone(),
        server_name: server_name?,
        min_days_left,
    })
}
