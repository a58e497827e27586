//! The configuration rules, through the public API: a pool id that is not AWS's form and plain
//! http:// to another host fail in `Client::new`, as `Configuration` errors that are not
//! retryable, before any request. (The rules themselves: src/validate.rs.)

use cognito_device_auth::{Client, ClientConfig, Error};

fn config(pool_id: &str) -> ClientConfig {
    ClientConfig::new(pool_id, "someclient").with_memory_store()
}

fn configuration_error(result: Result<Client, Error>) -> String {
    match result {
        Err(e @ Error::Configuration(_)) => {
            assert!(
                !e.is_retryable(),
                "a configuration error is not retryable: {e}"
            );
            e.to_string()
        }
        Err(other) => panic!("expected a Configuration error, got {other:?}"),
        Ok(_) => panic!("expected a Configuration error, got a client"),
    }
}

#[test]
fn a_pool_id_that_aws_could_not_issue_is_refused_before_any_request() {
    // Each would otherwise be a request to a made-up cognito-idp.<region>... host and a
    // retryable DNS failure.
    for id in [
        "evil.example_Abc",
        "us-east-1",
        "attacker.example/x_Abc",
        "us-east-1_",
    ] {
        let message = configuration_error(Client::new(config(id)));
        assert!(message.contains("<region>_<name>"), "{id}: {message}");
    }
    Client::new(config("eu-central-2_AbCdEf123")).expect("a valid pool id");
}

#[test]
fn plain_http_is_refused_unless_the_host_is_this_machine() {
    for endpoint in [
        "http://10.0.0.2:9229",
        "http://cognito.example",
        "ftp://127.0.0.1",
    ] {
        let message =
            configuration_error(Client::new(config("us-east-1_AbC").with_endpoint(endpoint)));
        assert!(message.contains(endpoint), "{message}");
    }
    for endpoint in [
        "https://cognito.example",
        "http://127.0.0.1:9229",
        "http://localhost:9229",
        "http://[::1]:9229",
    ] {
        Client::new(config("us-east-1_AbC").with_endpoint(endpoint))
            .unwrap_or_else(|e| panic!("{endpoint}: {e}"));
    }
}

/// The explicit test-only opt-in exists in debug builds (tests are); a release build of an
/// app does not have the method at all.
#[cfg(debug_assertions)]
#[test]
fn the_test_only_opt_in_allows_plain_http_to_another_host() {
    Client::new(
        config("us-east-1_AbC")
            .with_endpoint("http://emulator:9229")
            .with_plain_http_for_tests(),
    )
    .expect("opted in");
}
