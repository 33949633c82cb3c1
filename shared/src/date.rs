//! Calendar dates as the forms and the wire write them: `yyyy-mm-dd`.
//!
//! Read and written by hand rather than through `time`'s format descriptions: those are
//! interpreted at run time by a general parser and formatter that the phone would download
//! as part of the app, for the one fixed format it ever uses.

use std::fmt;

use time::{Date, Month};

/// Parses `yyyy-mm-dd` (four-digit year, two-digit month and day); `None` for anything else,
/// including days that do not exist (`2026-02-30`).
pub fn parse_iso(text: &str) -> Option<Date> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year = digits(&bytes[0..4])?;
    let month = Month::try_from(u8::try_from(digits(&bytes[5..7])?).ok()?).ok()?;
    let day = u8::try_from(digits(&bytes[8..10])?).ok()?;
    Date::from_calendar_date(i32::try_from(year).ok()?, month, day).ok()
}

fn digits(bytes: &[u8]) -> Option<u32> {
    bytes.iter().try_fold(0_u32, |value, &byte| {
        byte.is_ascii_digit()
            .then(|| value * 10 + u32::from(byte - b'0'))
    })
}

/// A date written as `yyyy-mm-dd` (`format!("{}", Iso(date))`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Iso(pub Date);

impl fmt::Display for Iso {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let date = self.0;
        write!(
            f,
            "{:04}-{:02}-{:02}",
            date.year(),
            u8::from(date.month()),
            date.day()
        )
    }
}

/// `yyyy-mm-dd` of a date.
pub fn iso(date: Date) -> String {
    Iso(date).to_string()
}

/// Serde support: `#[serde(with = "crate::date::serde_iso")]` on a `Date`.
pub mod serde_iso {
    use serde::{Deserialize, Deserializer, Serializer, de};
    use time::Date;

    /// Writes `yyyy-mm-dd`.
    pub fn serialize<S: Serializer>(date: &Date, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&super::Iso(*date))
    }

    /// Reads `yyyy-mm-dd`.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        // Owned: a body decoded from a `serde_json::Value` cannot lend its strings.
        let text = String::deserialize(deserializer)
            .map_err(|_| de::Error::custom("expected a date as yyyy-mm-dd"))?;
        super::parse_iso(&text)
            .ok_or_else(|| de::Error::custom(format!("`{text}` is not a date as yyyy-mm-dd")))
    }

    /// The same for `Option<Date>` (`null` or absent is `None`).
    pub mod option {
        use serde::{Deserialize, Deserializer, Serializer};
        use time::Date;

        /// Writes `yyyy-mm-dd` or `null`.
        pub fn serialize<S: Serializer>(
            date: &Option<Date>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match date {
                Some(date) => super::serialize(date, serializer),
                None => serializer.serialize_none(),
            }
        }

        /// Reads `yyyy-mm-dd` or `null`.
        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<Date>, D::Error> {
            #[derive(Deserialize)]
            struct Wrapped(#[serde(with = "super")] Date);
            Ok(Option::<Wrapped>::deserialize(deserializer)?.map(|Wrapped(date)| date))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn reads_and_writes_the_form_format() {
        assert_eq!(parse_iso("2026-03-01"), Some(date!(2026 - 03 - 01)));
        assert_eq!(iso(date!(2026 - 03 - 01)), "2026-03-01");
        assert_eq!(iso(date!(0987 - 12 - 31)), "0987-12-31");
    }

    #[test]
    fn refuses_what_is_not_a_real_day_in_that_format() {
        for text in [
            "",
            "2026-3-01",
            "2026-03-1",
            "26-03-01",
            "2026/03/01",
            "2026-02-30",
            "2026-13-01",
            "2026-00-10",
            "2026-01-00",
            "+2026-01-01",
            "2026-01-01T00",
            "２０２６-01-01",
            "2026-0a-01",
        ] {
            assert_eq!(parse_iso(text), None, "{text}");
        }
        assert_eq!(parse_iso("2024-02-29"), Some(date!(2024 - 02 - 29)));
    }

    #[test]
    fn agrees_with_time_on_every_day_of_two_centuries() {
        let format = time::macros::format_description!("[year]-[month]-[day]");
        let mut day = date!(1950 - 01 - 01);
        while day < date!(2150 - 01 - 01) {
            let written = day.format(format).expect("format");
            assert_eq!(iso(day), written);
            assert_eq!(parse_iso(&written), Some(day));
            day = day.next_day().expect("next");
        }
    }

    #[test]
    fn serde_round_trip_with_a_clear_error() {
        #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
        struct Form {
            #[serde(with = "serde_iso")]
            born: Date,
            #[serde(default, with = "serde_iso::option")]
            delivered: Option<Date>,
        }
        let form = Form {
            born: date!(2025 - 07 - 14),
            delivered: None,
        };
        let json = serde_json::to_string(&form).expect("json");
        assert_eq!(json, r#"{"born":"2025-07-14","delivered":null}"#);
        assert_eq!(serde_json::from_str::<Form>(&json).expect("back"), form);
        let absent: Form = serde_json::from_str(r#"{"born":"2025-07-14"}"#).expect("absent");
        assert_eq!(absent.delivered, None);
        let bad = serde_json::from_str::<Form>(r#"{"born":"14-07-2025"}"#).unwrap_err();
        assert!(
            bad.to_string().contains("is not a date as yyyy-mm-dd"),
            "{bad}"
        );
    }
}
