//! The configuration rules checked before any request: the user pool id, and where the client
//! may connect.
//!
//! Cognito's SRP has no server proof: whoever answers the sign-in chooses SALT and SRP_B,
//! receives PASSWORD_CLAIM_SIGNATURE and can guess the password offline. So the host and the
//! channel are part of every password's security: plain `http://` goes only to this machine
//! (the emulator, a local proxy), and a pool id that is not one AWS could issue never becomes a
//! host name (`evil.example_Abc` would otherwise be a request to a made-up
//! `cognito-idp.evil.example...` host, and a DNS failure the app retries forever).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::Error;

/// The two parts of a valid user pool id `<region>_<name>`.
pub(crate) struct PoolId<'a> {
    pub region: &'a str,
    pub name: &'a str,
}

/// Checks `id` against the form AWS issues: `<region>_<name>`, where the region is lower-case
/// words joined by `-` and ending in a number (`us-east-1`, `us-gov-west-1`, `eu-isoe-west-1`),
/// and the name is letters and digits (the API's `[\w-]+_[0-9a-zA-Z]+`, at most 55 characters).
pub(crate) fn user_pool_id(id: &str) -> Result<PoolId<'_>, Error> {
    let rule = || {
        Error::Configuration(format!(
            "user pool id {id:?} is not of the form <region>_<name>, such as us-east-1_AbCdEf123 \
             (region: lower-case words joined by '-' and ending in a number; name: letters and \
             digits; at most 55 characters)"
        ))
    };
    if id.len() > 55 {
        return Err(rule());
    }
    let (region, name) = id.split_once('_').ok_or_else(rule)?;
    if !is_region(region) || name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(rule());
    }
    Ok(PoolId { region, name })
}

/// `us-east-1`: at least two words of lower-case letters, then a number, joined by `-`.
fn is_region(region: &str) -> bool {
    let parts: Vec<&str> = region.split('-').collect();
    let Some((number, words)) = parts.split_last() else {
        return false;
    };
    words.len() >= 2
        && words
            .iter()
            .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
        && (1..=2).contains(&number.len())
        && number.bytes().all(|b| b.is_ascii_digit())
}

/// Checks an endpoint override. `https://` anywhere; `http://` only to a loopback host
/// (`localhost`, `127.0.0.0/8`, `::1`) unless `allow_plain_http` (a debug-build-only opt-in
/// for tests, see [`crate::ClientConfig::with_plain_http_for_tests`]).
pub(crate) fn endpoint(url: &str, allow_plain_http: bool) -> Result<(), Error> {
    // Messages show the URL without any `user:password@` it carries.
    let shown = match url.split_once('@') {
        Some((before, after)) => {
            let scheme = before.split_once("://").map_or("", |(s, _)| s);
            format!("{scheme}://[credentials removed]@{after}")
        }
        None => url.to_owned(),
    };
    let uri: http::Uri = url.parse().map_err(|_| {
        Error::Configuration(format!(
            "endpoint {shown:?} is not a URL (expected https://host[:port])"
        ))
    })?;
    let host = uri.host().unwrap_or_default();
    if host.is_empty() {
        return Err(Error::Configuration(format!(
            "endpoint {shown:?} has no host (expected https://host[:port])"
        )));
    }
    match uri.scheme_str() {
        Some("https") => Ok(()),
        Some("http") if is_loopback(host) || allow_plain_http => Ok(()),
        Some("http") => Err(Error::Configuration(format!(
            "endpoint {shown:?}: plain http:// is allowed only to this machine (localhost, \
             127.0.0.1, [::1]: the emulator, a local proxy); use https:// for {host:?}"
        ))),
        _ => Err(Error::Configuration(format!(
            "endpoint {shown:?} must start with https:// (or http:// to localhost)"
        ))),
    }
}

fn is_loopback(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<IpAddr>() {
        Ok(IpAddr::V4(ip)) => ip.is_loopback(),
        Ok(IpAddr::V6(ip)) => {
            ip == Ipv6Addr::LOCALHOST
                || ip
                    .to_ipv4_mapped()
                    .is_some_and(|v4: Ipv4Addr| v4.is_loopback())
        }
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pool_ids_of_every_aws_partition_are_accepted() {
        for id in [
            "us-east-1_AbCdEf123",
            "us-gov-west-1_A1",
            "cn-north-1_abc",
            "eu-isoe-west-1_X",
            "ap-southeast-4_0123456789",
            "il-central-1_Zz9",
        ] {
            let parsed = user_pool_id(id).unwrap_or_else(|e| panic!("{id}: {e}"));
            assert_eq!(format!("{}_{}", parsed.region, parsed.name), id);
        }
    }

    #[test]
    fn pool_ids_that_would_make_up_a_host_are_configuration_errors() {
        for id in [
            "evil.example_Abc",
            "us-east-1",
            "_Abc",
            "us-east-1_",
            "US-EAST-1_Abc",
            "us-east-1_Ab.c",
            "us-east-1_Ab/c",
            "us_east_1_Abc",
            "useast1_Abc",
            "us-east-x_Abc",
            "us-east-123_Abc",
            "us--1_Abc",
            "evil.example/x-east-1_Abc",
            "us-east-1_Abc\u{0}",
            &format!("us-east-1_{}", "a".repeat(50)),
        ] {
            match user_pool_id(id) {
                Err(Error::Configuration(message)) => {
                    assert!(message.contains("<region>_<name>"), "{id}: {message}")
                }
                other => panic!("{id:?}: {:?}", other.map(|p| p.name)),
            }
        }
    }

    #[test]
    fn plain_http_goes_only_to_this_machine() {
        for ok in [
            "https://cognito-idp.us-east-1.amazonaws.com",
            "https://proxy.example:8443/",
            "http://127.0.0.1:9229",
            "http://127.8.9.10",
            "http://localhost:9229/",
            "http://LOCALHOST",
            "http://[::1]:9229",
            "http://[::ffff:127.0.0.1]:1",
        ] {
            endpoint(ok, false).unwrap_or_else(|e| panic!("{ok}: {e}"));
        }
        for refused in [
            "http://10.0.0.2:9229",
            "http://emulator:9229",
            "http://localhost.evil.example",
            "http://127.0.0.1.evil.example",
            "http://[::2]",
            "http://0.0.0.0:9229",
            "ftp://127.0.0.1",
            "127.0.0.1:9229",
            "not a url",
            "https://",
        ] {
            match endpoint(refused, false) {
                Err(Error::Configuration(message)) => assert!(message.contains(refused)),
                other => panic!("{refused}: {other:?}"),
            }
        }
        endpoint("http://emulator:9229", true).unwrap();
        // Credentials in the URL never reach the message; the real host decides.
        match endpoint("http://admin:hunter2@10.0.0.2:9229", false) {
            Err(Error::Configuration(message)) => {
                assert!(!message.contains("hunter2"), "{message}");
                assert!(message.contains("10.0.0.2"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        assert!(endpoint("http://localhost@evil.example", false).is_err());
    }
}
