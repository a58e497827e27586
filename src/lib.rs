//! # cognito-device-auth
//!
//! Amazon Cognito user-pool sign-in with **remembered devices**, for Rust, Swift and Kotlin.
//! A remembered device proves itself with DEVICE_SRP_AUTH on the next sign-in, so the user's
//! SMS or TOTP code is skipped. This crate speaks the whole exchange as AWS's own clients do,
//! over the official `aws-sdk-cognitoidentityprovider` client, and keeps the device secret in
//! the OS keychain.
//!
//! ## 1. Configure
//!
//! A [`ClientConfig`] names the user pool and the app client; [`Client::new`] checks it before
//! any request ([`Error::Configuration`]). Device secrets go to the OS keychain unless you
//! choose another [`store::SecretStore`].
//!
//! ## 2. Sign in, and answer the steps
//!
//! [`Client::sign_in`] runs USER_SRP_AUTH and every automatic step (the password verifier,
//! the device's proof) and returns the first [`SignInStep`] the user must answer: a code
//! ([`SignInStep::SmsCode`], [`SignInStep::TotpCode`], [`SignInStep::EmailCode`]), a choice of
//! method, an authenticator set-up, a new password, or "remember this device?". Each step's
//! method consumes it and returns the next one, until [`SignInStep::Done`], so a step cannot
//! be answered twice. A wrong code is [`Error::CodeMismatch`] in a [`StepError`], which hands
//! the same step back to be answered again; `?` turns a `StepError` into an [`Error`].
//!
//! ## 3. The device
//!
//! [`SignedIn::device`] says what the server holds: whether a new device was confirmed,
//! whether it is remembered, whether this sign-in skipped MFA. The next sign-in with the same
//! client (or another process over the same keychain) proves the device and skips the code.
//!
//! ```
//! use cognito_device_auth::{Client, ClientConfig, SignInStep};
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let emulator = cognito_emulator::Emulator::start(Default::default()).await?;
//! # emulator.seed(&serde_json::json!({ "pools": [{
//! #     "Id": "us-east-1_Guide0001", "PoolName": "guide", "MfaConfiguration": "ON",
//! #     "DeviceConfiguration": { "ChallengeRequiredOnNewDevice": true,
//! #                              "DeviceOnlyRememberedOnUserPrompt": false },
//! #     "Clients": [{ "ClientId": "guideclient", "ClientName": "guide",
//! #                   "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] }],
//! #     "Users": [{ "Username": "jane", "Password": "Correct-Horse-9",
//! #                 "Attributes": { "phone_number": "+15555550100",
//! #                                 "phone_number_verified": "true" } }] }] }))?;
//! # let read_sms = || emulator.sms_outbox(Some("jane")).last().map(|m| m.code.clone()).unwrap();
//! let client = Client::new(
//!     ClientConfig::new("us-east-1_Guide0001", "guideclient")
//! #       .with_endpoint(emulator.endpoint())
//!         .with_memory_store(), // the default is the OS keychain
//! )?;
//!
//! // The first sign-in on this device asks for the SMS code...
//! let SignInStep::SmsCode(step) = client.sign_in("jane", "Correct-Horse-9").await? else {
//!     panic!("this pool asks for an SMS code");
//! };
//! let first = step.submit(&read_sms()).await?.done().expect("signed in");
//! assert!(first.device.newly_confirmed && first.device.remembered);
//!
//! // ...the next one proves the remembered device instead.
//! let second = client.sign_in("jane", "Correct-Horse-9").await?.done().expect("no MFA step");
//! assert!(second.device.skipped_mfa);
//! # Ok(())
//! # }
//! ```
//!
//! ## 4. Sessions, refresh and sign out
//!
//! With [`ClientConfig::with_sessions`] the client keeps each session in the store and
//! [`Client::session`] hands out tokens valid for the app's margin, refreshing once for every
//! concurrent caller, writing a rotated refresh token before handing anything out, and ending
//! the session only on the server's final answer ([`Error::SessionEnded`]). Sign-out is
//! [`Client::end_session`] with a [`SignOut`] (this session or everywhere, keeping or forgetting
//! the device), and [`Client::session_events`] reports sign-ins, refreshes, sign-outs and ended
//! sessions. [`Client::prepare`] opens the connection while the user types.
//!
//! Without kept sessions, [`Client::refresh`] sends the DeviceKey the refresh token is bound to
//! and hands back a rotated refresh token, and [`Client::sign_out`] ends this session or every
//! session ([`SignOutScope`]); device secrets stay, so the next sign-in still skips MFA.
//!
//! ## 5. Manage devices
//!
//! [`Client::devices`], [`Client::device`], [`Client::remember_device`],
//! [`Client::forget_device`] and [`Client::current_device`] work on the server's list and on
//! what is stored here; [`Client::forget_device_locally`] and
//! [`Client::remove_all_local_entries`] wipe this machine without the network.
//!
//! ## Errors
//!
//! Every call returns [`Error`]: variants an app can act on, each keeping Cognito's error type,
//! message and request id ([`ServiceDetails`]) and never a secret. [`Error::is_retryable`]
//! says whether trying again later can help.
//!
//! ## Lower layers
//!
//! [`srp`] is Cognito's SRP with no network (for other transports and for comparing with other
//! implementations); [`store`] is where device records live. The protocol notes the code cites
//! are in the repository's `docs/protocol.md`.

// No unsafe code, except one narrow allowance: the two JNI calls that hand the Android context
// to the TLS certificate verifier (src/transport/https.rs, each with the reason it is sound).
// On Android `deny` rather than `forbid`, so that those items alone can allow it; elsewhere the
// crate forbids unsafe code. (The bindings' uniffi code lives in bindings/ffi.)
#![cfg_attr(not(target_os = "android"), forbid(unsafe_code))]
#![cfg_attr(target_os = "android", deny(unsafe_code))]
#![warn(missing_docs)]

// Layers, each using only those below it: client -> flow, refresh -> devices -> pool ->
// store, transport, srp.
mod client;
mod clock;
mod cognito_errors;
mod config;
mod devices;
mod error;
pub mod flow;
mod ids;
mod pool;
mod refresh;
mod session;
pub mod srp;
pub mod store;
mod tokens;
mod transport;
mod validate;

pub use client::Client;
pub use config::{ClientConfig, default_device_name};
pub use devices::{Device, LocalDevice, RememberedStatus};
pub use error::{Error, ServiceDetails};
pub use flow::{DeviceOutcome, MfaType, SignInStep, SignedIn, StepError};
pub use ids::{DeviceGroupKey, DeviceKey, TypedName, UserIdForSrp};
pub use pool::{SessionConfig, SessionEndReason, SessionEvent};
pub use session::{Session, SignOut, SignOutReport, SignOutScope};
pub use tokens::Tokens;
