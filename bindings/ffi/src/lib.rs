//! The native library of the Swift and Kotlin bindings: cognito-device-auth with its uniffi
//! export layer (the SDK's `ffi` feature), linked as a C-ABI library.
//!
//! Nothing is defined here. The exported `extern "C"` functions and the interface metadata that
//! `uniffi-bindgen` reads in library mode are `#[no_mangle]` items of the SDK crate (and, on
//! Android, the keychain store's JNI entry point); rustc exports those of every linked crate
//! from a `cdylib` and keeps them in a `staticlib`. The `use` below links the SDK even though
//! no Rust code here calls it.
#![forbid(unsafe_code)]

pub use cognito_device_auth as sdk;
