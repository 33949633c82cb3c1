//! The quarterly recap (forms 3A/3B) and the coverage, convergence level (TKD) and
//! complete-package figures built on it. All results carry the id of the rule set that
//! produced them.
//!
//! The monthly forms are the only input besides the register: results do not depend on the
//! order of the forms, and computing them twice gives the same answer.

mod builtin;
mod form2a;
mod form2b;
mod form2c;
mod indicator;
mod months;
pub mod person;
mod quarter;
mod ratio;
pub mod rules;
mod summary;

pub use builtin::kemendes_2018;
pub use indicator::{Indicator, IndicatorResult, Outcome, TargetGroup};
pub use person::PersonRecap;
pub use quarter::Quarter;
pub use ratio::{Coverage, Ratio};
pub use rules::{Count, RuleSet, RuleSetError, Window};
pub use summary::{Summary, coverage, households_1000hpk, summarise};
