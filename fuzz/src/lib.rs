//! The fuzz harnesses (see `harness.rs`), as a library for the targets in `fuzz_targets/`.
pub mod harness;
