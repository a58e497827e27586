//! The /_emulator endpoints: faults, health.

use std::time::{Duration, Instant};

use aws_sdk_cognitoidentityprovider::config::retry::RetryConfig;
use cognito_emulator::testkit::admin_client_with_retries;
use serde_json::json;

use crate::common::{Fixture, err, http, options};

async fn describe(f: &Fixture) -> Result<(), (String, String)> {
    f.admin
        .describe_user_pool()
        .user_pool_id(&f.pool_id)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| {
            use aws_sdk_cognitoidentityprovider::error::ProvideErrorMetadata;
            (
                e.code().unwrap_or("").to_owned(),
                e.message().unwrap_or("").to_owned(),
            )
        })
}

#[tokio::test]
async fn health() {
    let f = Fixture::start(options()).await;
    let (status, body) = http(&f.endpoint(), "GET", "/_emulator/health", &[], "").await;
    assert_eq!(status, 200);
    assert!(body.contains("ok"));
}

#[tokio::test]
async fn throttle_once_then_normal() {
    let f = Fixture::start(options()).await;
    f.add_fault(json!({"operation": "DescribeUserPool", "kind": "throttle", "count": 1}))
        .await;
    assert_eq!(
        describe(&f).await,
        Err(("TooManyRequestsException".into(), "Rate exceeded".into()))
    );
    assert_eq!(describe(&f).await, Ok(()));
}

#[tokio::test]
async fn sdk_retries_through_a_throttle() {
    let f = Fixture::start(options()).await;
    f.add_fault(json!({"operation": "DescribeUserPool", "kind": "throttle", "count": 1}))
        .await;
    let retrying =
        admin_client_with_retries(&f.endpoint(), RetryConfig::standard().with_max_attempts(3));
    assert!(
        retrying
            .describe_user_pool()
            .user_pool_id(&f.pool_id)
            .send()
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn internal_error_is_a_500() {
    let f = Fixture::start(options()).await;
    f.add_fault(json!({"operation": "DescribeUserPool", "kind": "internal", "count": 2}))
        .await;
    assert_eq!(describe(&f).await.unwrap_err().0, "InternalErrorException");
    assert_eq!(describe(&f).await.unwrap_err().0, "InternalErrorException");
    assert_eq!(describe(&f).await, Ok(()));
}

#[tokio::test]
async fn reset_drops_the_connection() {
    let f = Fixture::start(options()).await;
    f.add_fault(json!({"operation": "DescribeUserPool", "kind": "reset"}))
        .await;
    let out = f
        .admin
        .describe_user_pool()
        .user_pool_id(&f.pool_id)
        .send()
        .await;
    let e = out.expect_err("connection dropped");
    assert!(
        matches!(
            e,
            aws_sdk_cognitoidentityprovider::error::SdkError::DispatchFailure(_)
        ),
        "{e:?}"
    );
    assert_eq!(describe(&f).await, Ok(()));
}

#[tokio::test]
async fn delay_stalls_then_answers() {
    let f = Fixture::start(options()).await;
    f.add_fault(json!({"operation": "DescribeUserPool", "kind": "delay", "delay_ms": 400}))
        .await;
    let started = Instant::now();
    assert_eq!(describe(&f).await, Ok(()));
    assert!(started.elapsed() >= Duration::from_millis(400));
}

#[tokio::test]
async fn delete_clears_faults() {
    let f = Fixture::start(options()).await;
    f.add_fault(json!({"operation": "DescribeUserPool", "kind": "throttle", "count": 5}))
        .await;
    let (status, _) = http(&f.endpoint(), "DELETE", "/_emulator/faults", &[], "").await;
    assert_eq!(status, 200);
    assert_eq!(describe(&f).await, Ok(()));
    let _ = err::<(), _>(Err::<(), _>(
        f.admin
            .describe_user_pool()
            .user_pool_id("us-east-1_x")
            .send()
            .await
            .unwrap_err(),
    ));
}

#[tokio::test]
async fn cors_preflight_is_allowed_for_browser_clients() {
    let f = Fixture::start(options()).await;
    let (status, _) = http(
        &f.endpoint(),
        "OPTIONS",
        "/",
        &[
            ("Origin", "http://localhost:3000"),
            (
                "Access-Control-Request-Headers",
                "x-amz-target, content-type",
            ),
        ],
        "",
    )
    .await;
    assert_eq!(status, 200);
}
