//! The TIMESTAMP of a PASSWORD_VERIFIER answer: `EEE MMM d HH:mm:ss UTC yyyy` in UTC with
//! English names and an unpadded day of month (docs/protocol.md 2.5). Built from fixed tables, never
//! from a locale: a zero-padded day or a localised name is rejected by Cognito.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A TIMESTAMP string, e.g. `Sat Jan 1 00:00:00 UTC 2022`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Timestamp(String);

impl Timestamp {
    /// The current time. A clock before 1970 reads as 1970.
    pub fn now() -> Self {
        let seconds = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Self::from_unix_seconds(seconds)
    }

    /// The TIMESTAMP for a number of seconds since 1970-01-01T00:00:00Z.
    pub fn from_unix_seconds(seconds: u64) -> Self {
        let days = seconds / 86_400;
        let in_day = seconds % 86_400;
        let (year, month, day) = civil_from_days(days);
        // 1970-01-01 was a Thursday.
        let weekday = WEEKDAYS[((days + 4) % 7) as usize];
        Self(format!(
            "{weekday} {month} {day} {:02}:{:02}:{:02} UTC {year:04}",
            in_day / 3600,
            in_day % 3600 / 60,
            in_day % 60,
            month = MONTHS[(month - 1) as usize],
        ))
    }

    /// The string sent as TIMESTAMP and signed.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({:?})", self.0)
    }
}

/// Year, month (1-12) and day (1-31) of a day count since 1970-01-01, in the proleptic
/// Gregorian calendar (H. Hinnant's `civil_from_days`, for non-negative day counts).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_and_leap_day() {
        assert_eq!(
            Timestamp::from_unix_seconds(0).as_str(),
            "Thu Jan 1 00:00:00 UTC 1970"
        );
        // 2024-02-29T12:34:56Z
        assert_eq!(
            Timestamp::from_unix_seconds(1_709_210_096).as_str(),
            "Thu Feb 29 12:34:56 UTC 2024"
        );
    }
}
