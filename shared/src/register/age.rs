//! Ages of children and pregnancies, counted the way the forms count them.

use time::Date;

/// Days of a full pregnancy counted from the LMP (40 weeks, Naegele's rule).
pub const TERM_DAYS: i64 = 280;

/// Completed weeks at which trimesters 2 and 3 begin (weeks 0-13, 14-27, 28 and later).
pub const STANDARD_TRIMESTER_WEEKS: [i64; 2] = [14, 28];

/// Trimester (1-3) of a pregnancy of `weeks` completed weeks, given the weeks at which
/// trimesters 2 and 3 begin.
pub fn trimester_for_weeks(weeks: i64, starts: [i64; 2]) -> u8 {
    if weeks >= starts[1] {
        3
    } else if weeks >= starts[0] {
        2
    } else {
        1
    }
}

/// Days between `birth` and `date` (negative before birth).
pub fn age_days(birth: Date, date: Date) -> i64 {
    (date - birth).whole_days()
}

/// Completed calendar months between `birth` and `date`: a child born on 15 March is
/// 12 months old from 15 March of the next year. A birthday on the 31st is reached on
/// the last day of a shorter month.
pub fn age_months(birth: Date, date: Date) -> i64 {
    let months = i64::from(date.year() - birth.year()) * 12 + i64::from(date.month() as u8)
        - i64::from(birth.month() as u8);
    let month_end = date.month().length(date.year());
    let birthday_reached = date.day() >= birth.day() || date.day() == month_end;
    if birthday_reached { months } else { months - 1 }
}
