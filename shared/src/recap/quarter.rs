//! Calendar quarters and the month windows counted in them.

use serde::{Deserialize, Serialize};
use time::Date;

use super::rules::Window;
use crate::monitoring::YearMonth;

/// A calendar quarter (Q1 January-March … Q4 October-December).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Quarter {
    /// Year.
    pub year: i32,
    /// Quarter 1-4.
    pub quarter: u8,
}

impl Quarter {
    /// A quarter, `None` unless 1-4.
    pub fn new(year: i32, quarter: u8) -> Option<Self> {
        (1..=4).contains(&quarter).then_some(Self { year, quarter })
    }

    /// The quarter a month lies in.
    pub fn of(month: YearMonth) -> Self {
        Self {
            year: month.year,
            quarter: month.quarter(),
        }
    }

    /// Its three months.
    pub fn months(self) -> [YearMonth; 3] {
        let first = (self.quarter - 1) * 3 + 1;
        [0, 1, 2].map(|i| YearMonth {
            year: self.year,
            month: first + i,
        })
    }

    /// Whether `month` lies in it.
    pub fn contains(self, month: YearMonth) -> bool {
        month.year == self.year && month.quarter() == self.quarter
    }

    /// Its first day.
    pub fn first_day(self) -> Date {
        self.months()[0].first_day()
    }

    /// Its last day.
    pub fn last_day(self) -> Date {
        self.months()[2].last_day()
    }

    /// Whether `month` lies in `window` as counted for this quarter: from the window's first
    /// month up to the quarter's last month, inside the quarter's year.
    pub fn window_contains(self, window: Window, month: YearMonth) -> bool {
        let last = self.months()[2].month;
        let first = match window {
            Window::Quarter => self.months()[0].month,
            Window::HalfYear if self.quarter <= 2 => 1,
            Window::HalfYear => 7,
            Window::Year => 1,
        };
        month.year == self.year && (first..=last).contains(&month.month)
    }
}
