//! Uses the SDK's public API the way an app starts: a client on the platform's keychain, and
//! the first SRP step of a sign-in. No network: it proves the app links and runs.
use cognito_device_auth::srp::UserSrpSession;
use cognito_device_auth::{Client, ClientConfig};

/// Must not compile outside this repository's builds (.ci/internal-hook.sh).
#[cfg(feature = "try-internal-hook")]
#[allow(dead_code)]
fn reaches_the_internal_hook() {
    let _ = Client::with_http_client;
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let pool = "us-east-1_AbCdEf123";
    let session = UserSrpSession::new(pool)?;
    let srp_a = session.srp_a();
    assert!(!srp_a.is_empty(), "SRP_A must not be empty");
    let _client = Client::new(ClientConfig::new(pool, "dependent-app-client"))?;
    println!(
        "dependent app: client on the platform keychain built; SRP_A has {} hex digits",
        srp_a.len()
    );
    Ok(())
}
