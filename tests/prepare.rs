//! `Client::prepare`: the connection opened ahead of a sign-in, counted at a TCP proxy with a
//! real round-trip time between the client and the emulator.

mod common;

use std::time::Duration;

use cognito_device_auth::{Client, Error};
use cognito_emulator::testkit::DelayProxy;
use common::*;

fn through(
    pool: &Pool,
    proxy: &DelayProxy,
    store: std::sync::Arc<cognito_device_auth::store::MemoryStore>,
) -> Client {
    Client::new(pool.config(store).with_endpoint(proxy.endpoint())).unwrap()
}

#[tokio::test]
async fn a_prepared_client_signs_in_on_the_connection_it_opened() {
    let pool = Pool::start(PoolSetup::default()).await;
    pool.user("alice", &[]).await;
    let upstream = pool
        .emulator
        .endpoint()
        .trim_start_matches("http://")
        .parse()
        .unwrap();
    let proxy = DelayProxy::start(upstream, Duration::from_millis(5)).await;
    let store = memory_store();
    sign_in_with_sms(&pool, &through(&pool, &proxy, store.clone()), "alice").await;

    let client = through(&pool, &proxy, store.clone());
    let before = proxy.connections();
    let calls_before = pool.calls("InitiateAuth");
    client.prepare().await.unwrap();
    assert_eq!(
        proxy.connections(),
        before + 1,
        "prepare opens one connection"
    );
    assert_eq!(
        pool.calls("InitiateAuth"),
        calls_before,
        "and calls no operation"
    );
    let done = sign_in_without_mfa(&client, "alice").await;
    assert!(done.device.skipped_mfa);
    assert_eq!(
        proxy.connections(),
        before + 1,
        "the sign-in's four round trips used the prepared connection"
    );
    // Preparing again reuses it.
    client.prepare().await.unwrap();
    assert_eq!(proxy.connections(), before + 1);
}

#[tokio::test]
async fn preparing_without_a_server_is_a_retryable_network_error_and_changes_nothing() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let client = Client::new(
        cognito_device_auth::ClientConfig::new("us-east-1_Nobody", "client")
            .with_endpoint(dead)
            .with_memory_store()
            .with_timeout(Duration::from_secs(2)),
    )
    .unwrap();
    let e = client.prepare().await.unwrap_err();
    assert!(matches!(e, Error::Network(_)) && e.is_retryable(), "{e:?}");
}
