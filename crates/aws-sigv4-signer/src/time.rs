//! The `X-Amz-Date` timestamp (ISO 8601 basic format, UTC).

use std::fmt;

/// A UTC timestamp in SigV4's format, e.g. `20150830T123600Z`.
///
/// ```
/// use aws_sigv4_signer::AmzDate;
///
/// let time = AmzDate::from_unix_seconds(1_440_938_160);
/// assert_eq!(time.as_str(), "20150830T123600Z");
/// assert_eq!(time.date(), "20150830");
/// assert_eq!(AmzDate::parse("20150830T123600Z").unwrap(), time);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct AmzDate([u8; 16]);

/// A timestamp that is not `YYYYMMDDTHHMMSSZ`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidAmzDate;

impl fmt::Display for InvalidAmzDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("expected a UTC timestamp like 20150830T123600Z")
    }
}

impl std::error::Error for InvalidAmzDate {}

impl AmzDate {
    /// The timestamp of `seconds` since 1970-01-01T00:00:00Z.
    pub fn from_unix_seconds(seconds: u64) -> Self {
        // One 64-bit division, then 32-bit arithmetic only: translated to JavaScript,
        // every 64-bit multiplication or division is a helper call of dozens of
        // operations (and division by a constant becomes a multiplication).
        let days = u32::try_from(seconds / 86_400).unwrap_or(u32::MAX);
        let second_of_day = (seconds % 86_400) as u32;
        let (year, month, day) = civil_from_days(days);
        let mut text = [0u8; 16];
        write_digits(&mut text[0..4], year);
        write_digits(&mut text[4..6], month);
        write_digits(&mut text[6..8], day);
        text[8] = b'T';
        write_digits(&mut text[9..11], second_of_day / 3600);
        write_digits(&mut text[11..13], second_of_day / 60 % 60);
        write_digits(&mut text[13..15], second_of_day % 60);
        text[15] = b'Z';
        Self(text)
    }

    /// Reads a timestamp in SigV4's format (`YYYYMMDDTHHMMSSZ`).
    pub fn parse(text: &str) -> Result<Self, InvalidAmzDate> {
        let bytes: [u8; 16] = text.as_bytes().try_into().map_err(|_| InvalidAmzDate)?;
        let digits_ok = bytes[..8]
            .iter()
            .chain(&bytes[9..15])
            .all(u8::is_ascii_digit);
        if !digits_ok || bytes[8] != b'T' || bytes[15] != b'Z' {
            return Err(InvalidAmzDate);
        }
        Ok(Self(bytes))
    }

    /// The full timestamp, for `X-Amz-Date`.
    pub fn as_str(&self) -> &str {
        // Only ASCII digits, `T` and `Z` are ever stored.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The date part (`YYYYMMDD`), for the credential scope.
    pub fn date(&self) -> &str {
        &self.as_str()[..8]
    }
}

impl fmt::Debug for AmzDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Writes `value` as zero-padded decimal filling `out`.
fn write_digits(out: &mut [u8], mut value: u32) {
    for slot in out.iter_mut().rev() {
        *slot = b'0' + (value % 10) as u8;
        value /= 10;
    }
}

/// Proleptic Gregorian (year, month, day) of a count of days since 1970-01-01.
///
/// Works in 400-year eras of 146 097 days, with years starting on 1 March so the
/// leap day falls at the end of each year.
fn civil_from_days(days: u32) -> (u32, u32, u32) {
    // Days from 0000-03-01 to 1970-01-01; u32 holds days until the year 11 760 000.
    let shifted = days.saturating_add(719_468);
    let era = shifted / 146_097;
    let day_of_era = shifted % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + u32::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        // Values cross-checked with `date -u -d @SECONDS +%Y%m%dT%H%M%SZ`.
        for (seconds, expected) in [
            (0, "19700101T000000Z"),
            (951_782_400, "20000229T000000Z"),
            (1_440_938_160, "20150830T123600Z"),
            (1_709_251_199, "20240229T235959Z"),
            (4_102_444_800, "21000101T000000Z"),
        ] {
            assert_eq!(AmzDate::from_unix_seconds(seconds).as_str(), expected);
        }
    }

    #[test]
    fn refuses_malformed_timestamps() {
        for bad in [
            "",
            "2015-08-30T12:36:00Z",
            "20150830 123600Z",
            "20150830T1236000",
            "2015083xT123600Z",
        ] {
            assert_eq!(AmzDate::parse(bad), Err(InvalidAmzDate), "{bad}");
        }
    }
}
