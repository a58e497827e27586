//! The uniffi export layer: what the Swift and Kotlin bindings see.
//!
//! A thin facade over the Rust API, grouped like the core: [`client`] (configuration, the
//! client, tokens), [`sign_in`] (the step-by-step sign-in), [`devices`] (device records),
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

uniffi::setup_scaffolding!("cognito_device_auth");
