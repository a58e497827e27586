//! The TIMESTAMP of PASSWORD_VERIFIER / DEVICE_PASSWORD_VERIFIER: `EEE MMM d HH:mm:ss UTC yyyy`,
//! English names, day of month not padded (docs/protocol.md section 2.5). Built from fixed tables,
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

/// Why a TIMESTAMP was refused, as the real service tells the two apart (ministack pull request
/// 1758's table, measured on a real pool; warrant pull request 12).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejection {
    /// Not readable as `EEE MMM d HH:mm:ss z yyyy` at all (a space-padded day, a localised
    /// name, garbage): InvalidParameterException "TIMESTAMP format should be EEE MMM d HH:mm:ss
    /// z yyyy in english.".
    Format,
    /// Readable, but not the string the server signs (a zero-padded day, a weekday that does
    /// not match the date, an impossible date, another zone name): the signature cannot match,
    /// NotAuthorizedException "Incorrect username or password.".
    NotCanonical,
}

/// Reads a TIMESTAMP as a lenient `EEE MMM d HH:mm:ss z yyyy` parser does (one or two digits
/// for the day and time fields, any English weekday, the zone `UTC` or `GMT`), then requires it
/// to be exactly the string the server formats for that instant, which is what it signs. Returns
/// seconds since the epoch.
pub fn read(text: &str) -> Result<i64, Rejection> {
    let parts: Vec<&str> = text.split(' ').collect();
    let [weekday, month, day, time, zone, year] = parts.as_slice() else {
        return Err(Rejection::Format);
    };
    let number = |s: &str, max_len: usize| -> Result<u32, Rejection> {
        if s.is_empty() || s.len() > max_len || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Rejection::Format);
        }
        s.parse().map_err(|_| Rejection::Format)
    };
    if !WEEKDAYS.contains(weekday) {
        return Err(Rejection::Format);
    }
    let month = MONTHS
        .iter()
        .position(|m| m == month)
        .ok_or(Rejection::Format)? as u32
        + 1;
    let day = number(day, 2)?;
    let hms: Vec<&str> = time.split(':').collect();
    let [h, m, sec] = hms.as_slice() else {
        return Err(Rejection::Format);
    };
    let (h, m, sec) = (number(h, 2)?, number(m, 2)?, number(sec, 2)?);
    // Hour 24 and the like are format errors (ministack pull request 1758's measured table).
    if h > 23 || m > 59 || sec > 59 || !(1..=31).contains(&day) {
        return Err(Rejection::Format);
    }
    if !matches!(*zone, "UTC" | "GMT") {
        return Err(Rejection::Format);
    }
    let year = i64::from(number(year, 4)?);
    // Lenient arithmetic, as a lenient parser rolls 31 Feb over into March.
    let days = days_from_civil(year, month, 1) + i64::from(day) - 1;
    let at = days * 86_400 + i64::from(h * 3600 + m * 60 + sec);
    if format(at) != text {
        return Err(Rejection::NotCanonical);
    }
    Ok(at)
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

    #[test]
    fn read_tells_format_errors_from_non_canonical_strings() {
        assert_eq!(read("Sat Jan 1 00:00:00 UTC 2022"), Ok(1_640_995_200));
        // Space-padded day (C's %e): not readable.
        assert_eq!(read("Sat Jan  1 00:00:00 UTC 2022"), Err(Rejection::Format));
        assert_eq!(read("Sam Jan 1 00:00:00 UTC 2022"), Err(Rejection::Format));
        assert_eq!(read("Sat Janv 1 00:00:00 UTC 2022"), Err(Rejection::Format));
        assert_eq!(read("2022-01-01T00:00:00Z"), Err(Rejection::Format));
        assert_eq!(read("Sat Jan 1 24:00:00 UTC 2022"), Err(Rejection::Format));
        assert_eq!(read(""), Err(Rejection::Format));
        // Readable, but not what the server signs.
        assert_eq!(
            read("Sat Jan 01 00:00:00 UTC 2022"),
            Err(Rejection::NotCanonical)
        );
        assert_eq!(
            read("Sun Jan 1 00:00:00 UTC 2022"),
            Err(Rejection::NotCanonical)
        );
        assert_eq!(
            read("Wed Feb 31 00:00:00 UTC 2022"),
            Err(Rejection::NotCanonical)
        );
        assert_eq!(
            read("Sat Jan 1 00:00:00 GMT 2022"),
            Err(Rejection::NotCanonical)
        );
        assert_eq!(
            read("Sat Jan 1 0:00:00 UTC 2022"),
            Err(Rejection::NotCanonical)
        );
    }
}
