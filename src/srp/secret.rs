//! Secrets as types: they are wiped from memory when dropped and print as `[redacted]`, so a
//! password, a device password or a session key cannot reach a log through `Debug`.

use std::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

macro_rules! string_secret {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        ///
        /// No `PartialEq`: comparing secrets byte by byte leaks through timing how much of a
        /// guess was right. Compare [`Self::expose`] deliberately where a test needs it.
        #[derive(Clone, Zeroize, ZeroizeOnDrop)]
        pub struct $name(String);

        impl $name {
            /// Wraps a secret string; the caller's copy is moved in, not duplicated.
            pub fn new(secret: impl Into<String>) -> Self {
                Self(secret.into())
            }

            /// The secret text. Use it only to hash or to hand it to a store.
            pub fn expose(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "([redacted])"))
            }
        }

        impl From<String> for $name {
            fn from(secret: String) -> Self {
                Self(secret)
            }
        }

        impl From<&str> for $name {
            fn from(secret: &str) -> Self {
                Self(secret.to_owned())
            }
        }
    };
}

string_secret! {
    /// A user's password, as typed.
    Password
}

string_secret! {
    /// The random password of a remembered device (docs/protocol.md 4): base64 of 40 random bytes
    /// generated before ConfirmDevice. Whoever holds it, with the DeviceKey and DeviceGroupKey,
    /// can skip the user's MFA.
    DevicePassword
}

string_secret! {
    /// An app client's secret, used only to compute SECRET_HASH (docs/protocol.md 3).
    ClientSecret
}

string_secret! {
    /// The shared secret of an authenticator app (base32, AssociateSoftwareToken's
    /// SecretCode): whoever holds it can make the user's TOTP codes.
    TotpSecret
}

string_secret! {
    /// An `otpauth://totp/...` URI (shown as a QR code). It contains the [`TotpSecret`].
    OtpAuthUri
}

/// The 16-byte key derived from the SRP shared secret ("Caldera Derived Key", docs/protocol.md 2.4).
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct SessionKey(pub(crate) [u8; 16]);

impl SessionKey {
    /// The key bytes (for known-answer tests and for diagnostics in tests only).
    pub fn expose(&self) -> &[u8; 16] {
        &self.0
    }
}

impl fmt::Debug for SessionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionKey([redacted])")
    }
}

/// A byte buffer for intermediate secrets (S, hashes of the password) that is wiped on drop.
pub(crate) type SecretBytes = Zeroizing<Vec<u8>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let p = Password::new("hunter2");
        let d = DevicePassword::new("c2VjcmV0");
        let c = ClientSecret::new("s3cr3t");
        let k = SessionKey([7; 16]);
        let all = format!("{p:?} {d:?} {c:?} {k:?}");
        assert_eq!(
            all,
            "Password([redacted]) DevicePassword([redacted]) ClientSecret([redacted]) SessionKey([redacted])"
        );
        assert_eq!(p.expose(), "hunter2");
    }
}
