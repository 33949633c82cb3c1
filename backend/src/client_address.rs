//! The address of the client behind a request, for the sign-in limits.
//!
//! Behind a reverse proxy every request comes from the proxy's address, so the proxy's header
//! naming the real client is read, but only when the request comes from a proxy the
//! configuration trusts (`--trusted-proxy`): a client talking to the server directly could
//! otherwise send any address it likes and escape its limits.

use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;

use crate::AppState;
use crate::config::Config;

/// The client's address as far as the server can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        // Without connection info (a router driven in-process) all callers share one address.
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |info| info.0.ip());
        Ok(Self(client_address(&state.config, peer, &parts.headers)))
    }
}

/// `peer`, or the address a trusted proxy names in the configured header. The last entry of
/// a list (`X-Forwarded-For: spoofed, real`) is the one the proxy itself appended.
pub fn client_address(config: &Config, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
    let Some(header) = config.client_ip_header.as_deref() else {
        return peer;
    };
    if !config.trusted_proxies.contains(&peer) {
        return peer;
    }
    headers
        .get_all(header)
        .iter()
        .next_back()
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.rsplit(',').next())
        .and_then(|last| last.trim().parse().ok())
        .unwrap_or(peer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(header: Option<&str>) -> Config {
        let mut config = Config::for_tests(std::path::PathBuf::from("/nonexistent"));
        config.client_ip_header = header.map(str::to_owned);
        config
    }

    fn headers(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", value.parse().expect("header"));
        headers
    }

    const PROXY: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);
    const OUTSIDER: IpAddr = IpAddr::V4(Ipv4Addr::new(203, 0, 113, 7));

    #[test]
    fn the_header_is_ignored_unless_configured() {
        assert_eq!(
            client_address(&config(None), PROXY, &headers("1.2.3.4")),
            PROXY
        );
    }

    #[test]
    fn a_trusted_proxy_names_the_client_in_the_last_entry() {
        let config = config(Some("X-Forwarded-For"));
        let named = client_address(&config, PROXY, &headers("9.9.9.9, 1.2.3.4"));
        assert_eq!(named, IpAddr::V4(Ipv4Addr::new(1, 2, 3, 4)));
        assert_eq!(client_address(&config, PROXY, &headers("garbage")), PROXY);
    }

    #[test]
    fn a_direct_client_cannot_choose_its_address() {
        let config = config(Some("X-Forwarded-For"));
        assert_eq!(
            client_address(&config, OUTSIDER, &headers("1.2.3.4")),
            OUTSIDER
        );
    }
}
