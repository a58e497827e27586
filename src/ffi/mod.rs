//! The uniffi export layer: what the Swift and Kotlin bindings see.
//!
//! A thin facade over the Rust API, grouped like the core: [`client`] (configuration, the
//! client), [`tokens`], [`sign_in`] (the step-by-step sign-in), [`devices`] (device records),
//! [`store`] (the app-supplied secret store) and [`error`] (the one error type of the bindings,
//! mapped from [`crate::Error`] in one place). Every exported item has a doc comment: uniffi
//! copies them into the generated Kotlin and Swift, so they are the mobile documentation too.
//!
//! Async methods run on uniffi's tokio runtime and become Kotlin `suspend` functions and Swift
//! `async throws` methods; constructors are synchronous.
//!
//! This is the only module allowed `unsafe` code, and only the code uniffi's macros generate
//! (`extern "C"` functions with `#[unsafe(no_mangle)]`); none is written by hand.

pub mod client;
pub mod devices;
pub mod error;
pub mod sign_in;
pub mod store;
pub mod tokens;

uniffi::setup_scaffolding!("cognito_device_auth");

// Core types cross as they are where uniffi allows: `MfaType`, `RememberedStatus`,
// `SignOutScope` and `DeviceOutcome` derive uniffi's traits behind the `ffi` feature, and
// Cognito's identifiers are strings on the other side. Copied here are only the values that
// must differ: the tokens (the core's wipe themselves on drop), the configuration (an app's
// store), times (clamped to what Kotlin and Swift hold) and the error (flat fields).
use crate::ids::DeviceKey;
uniffi::custom_type!(DeviceKey, String, {
    lower: |key| key.to_string(),
    try_lift: |text| Ok(DeviceKey::new(text)),
});
