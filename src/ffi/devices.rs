//! Devices: as Cognito lists them, and as stored on this device.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use crate::client as core;

/// A device of the user, as Cognito lists it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Device {
    /// The device key, e.g. `us-east-1_0a1b2c3d-...`.
    pub device_key: String,
    /// The name given at confirmation (`device_name`).
    pub name: Option<String>,
    /// Whether the device is remembered (its sign-ins skip MFA); null / nil when unknown.
    pub remembered: Option<bool>,
    /// When the device last signed in.
    pub last_authenticated: Option<SystemTime>,
    /// All of Cognito's device attributes.
    pub attributes: HashMap<String, String>,
}

impl From<core::Device> for Device {
    fn from(d: core::Device) -> Self {
        Self {
            device_key: d.device_key,
            name: d.name,
            remembered: d.remembered,
            last_authenticated: d.last_authenticated,
            attributes: d.attributes,
        }
    }
}

/// This device as stored locally for a user (no secrets).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LocalDevice {
    /// The device key.
    pub device_key: String,
    /// ConfirmDevice succeeded.
    pub confirmed: bool,
    /// The device is remembered: sign-ins skip MFA.
    pub remembered: bool,
    /// When it was confirmed.
    pub confirmed_at: Option<SystemTime>,
}

impl From<core::LocalDevice> for LocalDevice {
    fn from(d: core::LocalDevice) -> Self {
        Self {
            device_key: d.device_key,
            confirmed: d.confirmed,
            remembered: d.remembered,
            confirmed_at: d
                .confirmed_at
                .map(|seconds| SystemTime::UNIX_EPOCH + Duration::from_secs(seconds)),
        }
    }
}
