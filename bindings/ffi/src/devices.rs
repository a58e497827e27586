//! Devices: as Cognito lists them, and as stored on this device.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use cognito_device_auth as core;

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
            device_key: d.device_key.into(),
            name: d.name,
            remembered: d.remembered,
            last_authenticated: d.last_authenticated.and_then(representable),
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
            device_key: d.device_key.into(),
            confirmed: d.confirmed,
            remembered: d.remembered,
            confirmed_at: d.confirmed_at.and_then(|seconds| {
                SystemTime::UNIX_EPOCH
                    .checked_add(Duration::from_secs(seconds))
                    .and_then(representable)
            }),
        }
    }
}

/// The last second of the year 9999: later times (a damaged record, a server's garbage) are
/// reported as unknown. Kotlin's `Instant` and Swift's `Date` take any earlier time, and adding
/// a huge number of seconds to the epoch would otherwise overflow (a panic, not an error).
const LATEST_TIME: Duration = Duration::from_secs(253_402_300_799);

fn representable(time: SystemTime) -> Option<SystemTime> {
    match time.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(since) if since <= LATEST_TIME => Some(time),
        Ok(_) => None,
        // Before 1970: as the server said (uniffi carries negative times).
        Err(before) if before.duration() <= LATEST_TIME => Some(time),
        Err(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(confirmed_at: Option<u64>) -> LocalDevice {
        LocalDevice::from(core::LocalDevice {
            device_key: "us-east-1_0a1b".into(),
            confirmed: true,
            remembered: true,
            confirmed_at,
        })
    }

    #[test]
    fn a_damaged_confirmation_time_is_unknown_not_a_panic() {
        for seconds in [u64::MAX, u64::MAX / 2, 1 << 40, 253_402_300_800] {
            assert_eq!(local(Some(seconds)).confirmed_at, None, "{seconds}");
        }
        assert_eq!(
            local(Some(1_700_000_000)).confirmed_at,
            Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000))
        );
        assert_eq!(local(None).confirmed_at, None);
    }

    #[test]
    fn a_server_time_beyond_the_year_9999_is_unknown() {
        // Year ~11,500: past 9999, yet within what every platform's SystemTime holds (Windows: 30,828).
        let far = SystemTime::UNIX_EPOCH + Duration::from_secs(300_000_000_000);
        assert_eq!(representable(far), None);
        let now = SystemTime::now();
        assert_eq!(representable(now), Some(now));
    }
}
