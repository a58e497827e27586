//! The uniffi facade of cognito-device-auth: what the Swift and Kotlin bindings see, and the
//! C-ABI library (`cdylib`; the iOS static library on demand) that apps load.
//!
//! A thin facade over the SDK's Rust API, grouped like the core: [`client`] (configuration, the
//! client), [`tokens`], [`sign_in`] (the step-by-step sign-in), [`devices`] (device records),
//! [`store`] (the app-supplied secret store), [`error`] (the one error type of the bindings,
//! filled from the core's error in one `From`) and [`remote`] (the core's plain types as they
//! cross). Every exported item has a doc comment: uniffi copies them into the generated Kotlin
//! and Swift, so they are the mobile documentation too.
//!
//! Async methods run on uniffi's tokio runtime and become Kotlin `suspend` functions and Swift
//! `async throws` methods; constructors are synchronous.
//!
//! The interface keeps the namespace `cognito_device_auth`, so the generated Swift module is
//! `CognitoDeviceAuth` and the Kotlin package the one `uniffi.toml` names. The SDK crate itself
//! carries no uniffi code: a Rust app that depends on it builds none of this.
//!
//! Unsafe code: only what uniffi's macros generate (`extern "C"` functions with
//! `#[unsafe(no_mangle)]`); none is written by hand.

pub mod client;
pub mod devices;
pub mod error;
pub mod remote;
pub mod session;
pub mod sign_in;
pub mod store;
pub mod tokens;

#[cfg(test)]
mod testing;

uniffi::setup_scaffolding!("cognito_device_auth");
