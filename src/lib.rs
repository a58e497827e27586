//! # cognito-device-auth
//!
//! Amazon Cognito user-pool sign-in with **remembered devices**, for Rust, Swift and Kotlin.
//!
//! A remembered device proves itself with DEVICE_SRP_AUTH on the next sign-in, so the user's SMS
//! or TOTP code is skipped. This crate implements the whole exchange as AWS's own clients speak
//! it; today it provides the SRP layer:
//!
//! ```
//! use std::collections::HashMap;
//! use cognito_device_auth::srp::{UserSrpSession, PasswordVerifierChallenge, Password, Timestamp};
//!
//! let session = UserSrpSession::new("us-east-1_AbCdEf123")?;
//! let srp_a = session.srp_a(); // send as SRP_A with InitiateAuth(USER_SRP_AUTH)
//! # let _ = srp_a;
//! # let parameters: HashMap<String, String> = HashMap::from([
//! #     ("SALT".into(), "e7dc204cebbfda6b62b8493e932f7f4c".into()),
//! #     ("SRP_B".into(), "abcdef0123".into()),
//! #     ("SECRET_BLOCK".into(), "c2VjcmV0IGJsb2Nr".into()),
//! #     ("USER_ID_FOR_SRP".into(), "alice".into()),
//! #     ("USERNAME".into(), "alice".into()),
//! # ]);
//! // ... Cognito answers PASSWORD_VERIFIER with `parameters`:
//! let challenge = PasswordVerifierChallenge::from_parameters(&parameters)?;
//! let answer = session.answer(&challenge, &Password::new("correct horse"), &Timestamp::now())?;
//! let responses = answer.to_parameters(); // RespondToAuthChallenge's ChallengeResponses
//! # assert_eq!(responses["USERNAME"], "alice");
//! # Ok::<(), cognito_device_auth::srp::SrpError>(())
//! ```

// No unsafe code, except two narrow allowances: what uniffi's macros generate for the bindings
// in src/ffi/ (`extern "C"` functions under `#[unsafe(no_mangle)]`), and the two JNI calls
// that hand the Android context to the TLS certificate verifier (src/transport/https.rs, each
// with the reason it is sound). Where either exists, `deny` rather than `forbid`, so that those
// items alone can allow it; elsewhere the crate forbids unsafe code.
#![cfg_attr(not(any(feature = "ffi", target_os = "android")), forbid(unsafe_code))]
#![cfg_attr(any(feature = "ffi", target_os = "android"), deny(unsafe_code))]
#![warn(missing_docs)]

mod client;
mod error;
#[cfg(feature = "ffi")]
#[allow(unsafe_code)]
mod ffi;
pub mod flow;
pub mod srp;
pub mod store;
mod tokens;
mod transport;
mod validate;

pub use client::{Client, ClientConfig, Device, LocalDevice};
pub use error::{Error, ServiceDetails};
pub use flow::{DeviceOutcome, MfaType, SignInStep, SignedIn};
pub use tokens::Tokens;

/// What uniffi's derives name as `crate::UniFfiTag` (the scaffolding lives in `ffi`).
#[cfg(feature = "ffi")]
use ffi::UniFfiTag;
