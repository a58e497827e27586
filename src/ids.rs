//! Cognito's identifiers as types, so that a DeviceKey can never be passed where a
//! DeviceGroupKey or a user name is expected. Wherever two of them are arguments, the order is
//! the same: user, then DeviceKey, then DeviceGroupKey.
//!
//! None of them is a secret: they appear in logs and `Debug` output.

use std::fmt;
use std::ops::Deref;

macro_rules! identifier {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
        pub struct $name(String);

        impl $name {
            /// Wraps a value as Cognito sent it (not checked: Cognito's answer is the
            /// authority on its own identifiers).
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }

            /// The text, as Cognito sends it.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&self.0, f)
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                Self(value)
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self(value.to_owned())
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl From<&$name> for String {
            fn from(value: &$name) -> Self {
                value.0.clone()
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }

        impl PartialEq<$name> for String {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }

        impl PartialEq<$name> for str {
            fn eq(&self, other: &$name) -> bool {
                self == other.0
            }
        }

        impl PartialEq<$name> for &str {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }
    };
}

identifier!(
    /// A device's key (`NewDeviceMetadata.DeviceKey`, the `DEVICE_KEY` parameter), e.g.
    /// `us-east-1_0a1b2c3d-...`. In the device's SRP it is the user id.
    DeviceKey
);

identifier!(
    /// The group of a user's devices (`NewDeviceMetadata.DeviceGroupKey`). In the device's SRP
    /// it is the realm, as the pool name is for the password.
    DeviceGroupKey
);

identifier!(
    /// The user's internal name (`USER_ID_FOR_SRP`, the tokens' `username` claim): what
    /// challenge responses, SECRET_HASH after the first request and device records use. For a
    /// pool that signs in by e-mail or phone it is not what the user typed.
    UserIdForSrp
);

identifier!(
    /// The name as the user typed it (a user name, an e-mail address, a phone number): what
    /// InitiateAuth sends, and an alias of the [`UserIdForSrp`] it turns out to be.
    TypedName
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_compare_with_text_and_print_as_text() {
        let key = DeviceKey::new("us-east-1_0a1b");
        assert_eq!(key, "us-east-1_0a1b");
        assert_eq!(key.to_string(), "us-east-1_0a1b");
        assert_eq!(format!("{key:?}"), "\"us-east-1_0a1b\"");
        assert_eq!(String::from(&key), "us-east-1_0a1b");
        assert!(key.starts_with("us-east-1_"), "derefs to str");
    }
}
