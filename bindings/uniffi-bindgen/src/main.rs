//! The uniffi generator, built from this workspace so that it always matches the runtime
//! version the library links. Used by `bindings/generate.sh` in library mode:
//! `cargo run -p uniffi-bindgen -- generate --library <cdylib> --language kotlin --out-dir ...`.

fn main() {
    uniffi::uniffi_bindgen_main()
}
