//! Shared by the examples: a demo pool on the embedded emulator, provisioned with the emulator's
//! test kit (`cognito_emulator::testkit`).

#![allow(dead_code)] // each example uses a part of this module

use aws_sdk_cognitoidentityprovider as cip;
use cognito_emulator::Emulator;
use cognito_emulator::testkit::{self, PHONE, PoolSetup};

pub use cognito_emulator::testkit::PASSWORD;

pub const USERNAME: &str = "alice";

pub type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// Creates the pool (SMS MFA required, devices remembered without asking), the app client and
/// the user through the real API; returns (pool id, client id).
pub async fn provision(emulator: &Emulator) -> Result<(String, String)> {
    let ids = testkit::create_pool(&admin(&emulator.endpoint()), &PoolSetup::default()).await;
    add_user(emulator, &ids.pool_id, USERNAME).await?;
    Ok((ids.pool_id, ids.client_id))
}

/// An admin client for the emulator: SigV4-signed with throwaway credentials, which the
/// emulator does not check.
pub fn admin(endpoint: &str) -> cip::Client {
    testkit::admin_client(endpoint)
}

/// A confirmed user with [`PASSWORD`] and a phone number for SMS MFA.
pub async fn add_user(emulator: &Emulator, pool_id: &str, username: &str) -> Result<()> {
    testkit::create_user(&admin(&emulator.endpoint()), pool_id, username, PHONE).await;
    Ok(())
}

/// A minimal HTTP/1.1 request to the emulator's test endpoints; fails on a non-2xx status.
pub async fn http(endpoint: &str, method: &str, path: &str, body: &str) -> Result<String> {
    let headers = [("Content-Type", "application/json")];
    let (status, text) = testkit::http(endpoint, method, path, &headers, body).await;
    if !(200..300).contains(&status) {
        return Err(format!("{method} {path}: HTTP {status} {text}").into());
    }
    Ok(text)
}
