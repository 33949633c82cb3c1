//! Small helpers used across the server.

/// Milliseconds since the Unix epoch, by the server clock.
pub fn now_ms() -> i64 {
    let now = time::OffsetDateTime::now_utc();
    i64::try_from(now.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

/// Start (ms) of the calendar month containing `at_ms` in WITA (UTC+8), Kalimantan Selatan's
/// time zone: "this month's data" means the month as the cadres live it, not UTC's.
pub fn month_start_ms(at_ms: i64) -> i64 {
    let offset = time::UtcOffset::from_hms(8, 0, 0).unwrap_or(time::UtcOffset::UTC);
    let at = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(at_ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .to_offset(offset);
    let start = at
        .replace_day(1)
        .unwrap_or(at)
        .replace_time(time::Time::MIDNIGHT);
    start.unix_timestamp() * 1000
}

/// The calendar date at `at_ms` in WITA (UTC+8).
pub fn today_wita(at_ms: i64) -> time::Date {
    let offset = time::UtcOffset::from_hms(8, 0, 0).unwrap_or(time::UtcOffset::UTC);
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(at_ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .to_offset(offset)
        .date()
}
