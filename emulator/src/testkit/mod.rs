//! The test kit (feature `testkit`): an emulator with a pool provisioned through the real API,
//! for the emulator's own tests, the SDK's tests and the examples.
//!
//! - [`admin_client`]: the official AWS SDK's client pointed at an emulator, signed with dummy
//!   credentials (the emulator does not check them).
//! - [`PoolSetup`] and [`TestPool::start`]: an emulator with one pool (MFA and device
//!   configuration as asked) and one app client; [`TestPool::user`] and
//!   [`TestPool::user_with`] add confirmed users with [`PASSWORD`], with the phone number of
//!   [`PHONE`] or exactly the attributes given. [`create_pool`] and [`create_user`] do the same
//!   on an emulator the caller runs.
//! - [`TestPool::last_sms_code`], [`TestPool::sms_codes`]: the outbox (SMS and e-mail codes).
//! - [`TestPool::server_devices`], [`TestPool::all_devices`]: the devices the server holds.
//! - [`TestPool::fault`] and its kin, [`TestPool::set_fidelity`]: the test endpoints; [`http`]
//!   for anything else over plain HTTP.
//! - [`totp_code`]: the current TOTP code of a secret.
//! - [`DelayProxy`]: a TCP proxy with a real round-trip time, counting connections.
//!
//! Everything panics, naming what failed, when the emulator does not answer as expected: it
//! is made for tests.
//!
//! ```no_run
//! # async fn demo() {
//! use cognito_emulator::testkit::{PoolSetup, TestPool};
//! let pool = TestPool::start(PoolSetup::default()).await; // SMS MFA on, devices remembered
//! let alice = pool.user("alice", &[]).await; // with a phone number
//! // ... sign in as alice with PASSWORD at pool.endpoint(), pool.pool_id, pool.client_id ...
//! let code = pool.last_sms_code("alice");
//! # let _ = (alice, code); }
//! ```

mod endpoints;
mod pool;
mod proxy;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sdk_cognitoidentityprovider::Client;
use aws_sdk_cognitoidentityprovider::config::retry::RetryConfig;
use aws_sdk_cognitoidentityprovider::config::timeout::TimeoutConfig;
use aws_sdk_cognitoidentityprovider::config::{BehaviorVersion, Region};
use aws_sdk_cognitoidentityprovider::types::AttributeType;

pub use endpoints::http;
pub use pool::{PoolIds, PoolSetup, TestPool, create_pool, create_user};
pub use proxy::DelayProxy;

/// The password of every user the kit creates.
pub const PASSWORD: &str = "Correct-Horse-9";

/// The phone attributes [`TestPool::user`] gives a user (for SMS MFA).
pub const PHONE: &[(&str, &str)] = &[
    ("phone_number", "+15555550100"),
    ("phone_number_verified", "true"),
];

/// An admin client for the emulator at `endpoint`, without retries: every rejection is seen
/// exactly once.
pub fn admin_client(endpoint: &str) -> Client {
    admin_client_with_retries(endpoint, RetryConfig::disabled())
}

/// The same with `retry` (e.g. `RetryConfig::standard().with_max_attempts(3)`).
pub fn admin_client_with_retries(endpoint: &str, retry: RetryConfig) -> Client {
    let config = aws_sdk_cognitoidentityprovider::Config::builder()
        .region(Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .behavior_version(BehaviorVersion::latest())
        .credentials_provider(aws_credential_types::Credentials::new(
            "AKIDTEST",
            "SECRETTEST",
            None,
            None,
            "testkit",
        ))
        .retry_config(retry)
        .timeout_config(
            TimeoutConfig::builder()
                .operation_timeout(Duration::from_secs(60))
                .build(),
        )
        .build();
    Client::from_conf(config)
}

/// A user attribute.
pub fn attribute(name: &str, value: &str) -> AttributeType {
    AttributeType::builder()
        .name(name)
        .value(value)
        .build()
        .expect("an attribute")
}

/// The TOTP code of a base32 secret (AssociateSoftwareToken's SecretCode) now.
pub fn totp_code(secret_base32: &str) -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("a clock after 1970")
        .as_secs();
    crate::totp::code(secret_base32, now as i64).expect("a base32 TOTP secret")
}
