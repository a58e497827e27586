//! One cfg for the SDK: `cognito_device_auth_internal`, set when the build runs inside this
//! repository (its .cargo/config.toml sets COGNITO_DEVICE_AUTH_INTERNAL in `[env]`). Together
//! with the `fuzzing` feature it enables the internal hook that replaces the HTTP client
//! (tests/fuzz_regressions.rs); an app builds elsewhere, so a dependency that turns the feature
//! on gets nothing. An environment variable rather than RUSTFLAGS: it reaches only this crate
//! (no rebuild of every dependency) and is not overridden by a RUSTFLAGS of the caller.
fn main() {
    println!("cargo::rustc-check-cfg=cfg(cognito_device_auth_internal)");
    println!("cargo::rustc-check-cfg=cfg(fuzzing)");
    println!("cargo::rerun-if-env-changed=COGNITO_DEVICE_AUTH_INTERNAL");
    if std::env::var_os("COGNITO_DEVICE_AUTH_INTERNAL").is_some_and(|v| v == "1") {
        println!("cargo::rustc-cfg=cognito_device_auth_internal");
    }
}
