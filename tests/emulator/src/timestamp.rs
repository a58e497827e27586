//! The TIMESTAMP of PASSWORD_VERIFIER / DEVICE_PASSWORD_VERIFIER: `EEE MMM d HH:mm:ss UTC yyyy`,
//! English names, day of month not padded (PROTOCOL.md section 2.5). Built from fixed tables,
//! never a locale, and parsed strictly: a zero-padded day or a localised name is refused.

const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (i64::from(month) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// (year, month 1-12, day 1-31) of a day number since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Formats seconds since the epoch as Cognito's TIMESTAMP.
pub fn format(epoch_seconds: i64) -> String {
    let days = epoch_seconds.div_euclid(86_400);
    let secs = epoch_seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let weekday = WEEKDAYS[(days + 4).rem_euclid(7) as usize];
    format!(
        "{weekday} {} {day} {:02}:{:02}:{:02} UTC {year}",
        MONTHS[(month - 1) as usize],
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

fn two_digits(s: &str, max: u32) -> Option<u32> {
    if s.len() != 2 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok().filter(|v| *v <= max)
}

/// Parses a TIMESTAMP strictly; returns seconds since the epoch, or `None` when it is not
/// exactly the format (wrong names, padded day, inconsistent weekday, impossible date).
pub fn parse(text: &str) -> Option<i64> {
    let parts: Vec<&str> = text.split(' ').collect();
    let [weekday, month, day, time, utc, year] = parts.as_slice() else {
        return None;
    };
    let weekday = WEEKDAYS.iter().position(|w| w == weekday)?;
    let month = MONTHS.iter().position(|m| m == month)? as u32 + 1;
    if day.is_empty()
        || day.len() > 2
        || day.starts_with('0')
        || !day.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let day: u32 = day.parse().ok()?;
    if *utc != "UTC" || year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i64 = year.parse().ok()?;
    let hms: Vec<&str> = time.split(':').collect();
    let [h, m, s] = hms.as_slice() else {
        return None;
    };
    let (h, m, s) = (two_digits(h, 23)?, two_digits(m, 59)?, two_digits(s, 59)?);
    let days = days_from_civil(year, month, day);
    // Reject 31 Feb and friends: the date must survive the round trip.
    if civil_from_days(days) != (year, month, day) || (days + 4).rem_euclid(7) as usize != weekday {
        return None;
    }
    Some(days * 86_400 + i64::from(h * 3600 + m * 60 + s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        assert_eq!(format(1_640_995_200), "Sat Jan 1 00:00:00 UTC 2022");
        assert_eq!(parse("Sat Jan 1 00:00:00 UTC 2022"), Some(1_640_995_200));
        assert_eq!(parse("Sat Jan 01 00:00:00 UTC 2022"), None);
        assert_eq!(parse("Sun Jan 1 00:00:00 UTC 2022"), None);
        assert_eq!(parse("Sam Jan 1 00:00:00 UTC 2022"), None);
        assert_eq!(parse("Wed Feb 31 00:00:00 UTC 2022"), None);
    }
}
