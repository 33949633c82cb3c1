//! This month's work of a cadre ("Tugas bulan ini"), computed from the records on the phone.
//!
//! The field tools cadres know lead with a work list: who still needs this month's form,
//! which child has not been weighed, whose baby is due. Everything here is derived from the
//! register and the monthly records, so a task disappears the moment the record that does it
//! is saved, offline included, and two phones of one village see the same list after a sync.

use std::collections::HashSet;

use time::{Date, Duration};

use crate::ids::{HouseholdId, PersonId};
use crate::monitoring::YearMonth;
use crate::register::{Child, Household, PaudChild, PregnantWoman, TERM_DAYS, age_months};

/// How many months back a cadre may fill a missed monthly form: a year, so a quarter that is
/// still being recapped can always be completed, and nothing older than last year's report.
pub const BACKFILL_MONTHS: usize = 12;
/// A mother stays on form 2A for the postnatal period (nifas): 42 days after delivery.
const POSTNATAL_DAYS: i64 = 42;
/// A baby born this many days around the recorded delivery counts as the one registered.
const BIRTH_MATCH_DAYS: i64 = 7;
/// The 0-23 month register ends at 24 months; PAUD follows from 2 to 6 years.
const CHILD_END_MONTHS: i64 = 24;
const PAUD_END_MONTHS: i64 = 72;

/// What the task asks the cadre to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TaskKind {
    /// This month's form 2A of a pregnant woman (or a mother in her postnatal period).
    Form2a,
    /// This month's form 2B of a child 0-23 months.
    Form2b,
    /// This month's form 2C of a PAUD child.
    Form2c,
    /// A child 0-23 months not weighed and measured this month.
    Measure,
    /// A pregnancy past its expected delivery date with no delivery recorded.
    RecordBirth,
    /// A delivery recorded, but no baby of that date registered in the household.
    RegisterBaby,
    /// A child who turned 24 months: to be followed on as a PAUD child.
    ContinuePaud,
    /// A household whose family card, water or latrine is not recorded.
    HouseholdFacts,
}

impl TaskKind {
    /// Every kind, in the order the list shows them.
    pub const ALL: [Self; 8] = [
        Self::Form2a,
        Self::Form2b,
        Self::Form2c,
        Self::Measure,
        Self::RecordBirth,
        Self::RegisterBaby,
        Self::ContinuePaud,
        Self::HouseholdFacts,
    ];

    /// Stable name, for addresses, tests and styling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Form2a => "form2a",
            Self::Form2b => "form2b",
            Self::Form2c => "form2c",
            Self::Measure => "measure",
            Self::RecordBirth => "record_birth",
            Self::RegisterBaby => "register_baby",
            Self::ContinuePaud => "continue_paud",
            Self::HouseholdFacts => "household_facts",
        }
    }
}

/// A household fact the register still lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HouseholdFact {
    /// Family card (KK) number.
    FamilyCard,
    /// Whether the household has safe drinking water.
    SafeWater,
    /// Whether the household has a proper latrine.
    Latrine,
}

/// One thing to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    /// What to do.
    pub kind: TaskKind,
    /// The household it concerns.
    pub household: HouseholdId,
    /// The household's village.
    pub village_code: String,
    /// The person, for every kind but [`TaskKind::HouseholdFacts`].
    pub person: Option<PersonId>,
    /// Whom it is about: the person's name, or the head of household.
    pub name: String,
    /// For [`TaskKind::HouseholdFacts`]: what is missing.
    pub missing: Vec<HouseholdFact>,
}

/// The tasks of one month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthTasks {
    /// The month.
    pub month: YearMonth,
    /// February and August are the national weighing months (bulan penimbangan balita).
    pub weighing_month: bool,
    /// The tasks, by kind, then name.
    pub tasks: Vec<Task>,
}

impl MonthTasks {
    /// How many tasks of `kind` there are.
    pub fn count(&self, kind: TaskKind) -> usize {
        self.tasks.iter().filter(|t| t.kind == kind).count()
    }

    /// The tasks of `kind`.
    pub fn of(&self, kind: TaskKind) -> impl Iterator<Item = &Task> {
        self.tasks.iter().filter(move |t| t.kind == kind)
    }
}

/// The records the tasks are computed from (the live ones of the device).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TaskInput {
    /// Households.
    pub households: Vec<(HouseholdId, Household)>,
    /// Pregnant women.
    pub pregnant: Vec<(PersonId, PregnantWoman)>,
    /// Children 0-23 months.
    pub children: Vec<(PersonId, Child)>,
    /// PAUD children.
    pub paud: Vec<(PersonId, PaudChild)>,
    /// Person and month of every monthly form (2A, 2B or 2C) there is.
    pub forms: HashSet<(PersonId, YearMonth)>,
    /// Child and month of every measurement there is.
    pub measured: HashSet<(PersonId, YearMonth)>,
}

/// A person on one of the three monthly forms.
#[derive(Debug, Clone, Copy)]
pub enum Followed<'a> {
    /// Form 2A.
    Pregnant(&'a PregnantWoman),
    /// Form 2B.
    Child(&'a Child),
    /// Form 2C.
    Paud(&'a PaudChild),
}

impl Followed<'_> {
    /// Whether the person is on the form in `month`.
    pub fn in_month(self, month: YearMonth) -> bool {
        match self {
            Self::Pregnant(woman) => pregnancy_followed(woman, month),
            Self::Child(child) => {
                child.birth_date <= month.last_day()
                    && age_months(child.birth_date, month.first_day()) < CHILD_END_MONTHS
            }
            Self::Paud(child) => {
                age_months(child.birth_date, month.last_day()) >= CHILD_END_MONTHS
                    && age_months(child.birth_date, month.first_day()) < PAUD_END_MONTHS
            }
        }
    }

    /// The months a form may be filled for on `today`: this month and up to
    /// [`BACKFILL_MONTHS`] − 1 before it in which the person was followed, newest first.
    pub fn fillable_months(self, today: Date) -> Vec<YearMonth> {
        let mut month = YearMonth::of(today);
        let mut months = Vec::new();
        for _ in 0..BACKFILL_MONTHS {
            if self.in_month(month) {
                months.push(month);
            }
            month = month.previous();
        }
        months
    }
}

fn pregnancy_followed(woman: &PregnantWoman, month: YearMonth) -> bool {
    let started = woman
        .effective_lmp()
        .is_none_or(|lmp| lmp <= month.last_day());
    let postnatal_over = woman
        .delivery_date
        .is_some_and(|day| day + Duration::days(POSTNATAL_DAYS) < month.first_day());
    started && !postnatal_over
}

/// The expected delivery date (HPL), given or implied by the LMP.
fn expected_delivery(woman: &PregnantWoman) -> Option<Date> {
    woman
        .expected_delivery_date
        .or_else(|| woman.lmp_date.map(|lmp| lmp + Duration::days(TERM_DAYS)))
}

/// This month's tasks on `today`.
pub fn month_tasks(input: &TaskInput, today: Date) -> MonthTasks {
    let month = YearMonth::of(today);
    let mut tasks = Vec::new();
    let village_of = |household: HouseholdId| {
        input
            .households
            .iter()
            .find(|(id, _)| *id == household)
            .map(|(_, h)| h.village_code.clone())
            .unwrap_or_default()
    };
    let mut push = |kind, household, person: Option<PersonId>, name: &str| {
        tasks.push(Task {
            kind,
            household,
            village_code: village_of(household),
            person,
            name: name.to_owned(),
            missing: Vec::new(),
        });
    };
    let form_missing = |person: PersonId| !input.forms.contains(&(person, month));
    for (id, woman) in &input.pregnant {
        if Followed::Pregnant(woman).in_month(month) && form_missing(*id) {
            push(TaskKind::Form2a, woman.household_id, Some(*id), &woman.name);
        }
        let overdue = woman.delivery_date.is_none()
            && expected_delivery(woman).is_some_and(|due| due < today);
        if overdue {
            push(
                TaskKind::RecordBirth,
                woman.household_id,
                Some(*id),
                &woman.name,
            );
        }
        if baby_missing(input, woman, today) {
            push(
                TaskKind::RegisterBaby,
                woman.household_id,
                Some(*id),
                &woman.name,
            );
        }
    }
    for (id, child) in &input.children {
        let followed = Followed::Child(child).in_month(month);
        if followed && form_missing(*id) {
            push(TaskKind::Form2b, child.household_id, Some(*id), &child.name);
        }
        if followed && !input.measured.contains(&(*id, month)) {
            push(
                TaskKind::Measure,
                child.household_id,
                Some(*id),
                &child.name,
            );
        }
        if paud_due(input, child, today) {
            push(
                TaskKind::ContinuePaud,
                child.household_id,
                Some(*id),
                &child.name,
            );
        }
    }
    for (id, child) in &input.paud {
        if Followed::Paud(child).in_month(month) && form_missing(*id) {
            push(TaskKind::Form2c, child.household_id, Some(*id), &child.name);
        }
    }
    tasks.extend(household_facts(input));
    tasks.sort_by(|a, b| (a.kind, &a.name).cmp(&(b.kind, &b.name)));
    MonthTasks {
        month,
        weighing_month: matches!(month.month, 2 | 8),
        tasks,
    }
}

/// A delivery within the 0-23 month window with no child of about that birth date in the
/// mother's household.
fn baby_missing(input: &TaskInput, woman: &PregnantWoman, today: Date) -> bool {
    let Some(delivered) = woman.delivery_date else {
        return false;
    };
    if delivered > today || age_months(delivered, today) >= CHILD_END_MONTHS {
        return false;
    }
    !input.children.iter().any(|(_, child)| {
        child.household_id == woman.household_id
            && (child.birth_date - delivered).whole_days().abs() <= BIRTH_MATCH_DAYS
    })
}

/// A child past 24 months (and under 6 years) who has no PAUD record of the same birth date
/// in the household yet.
fn paud_due(input: &TaskInput, child: &Child, today: Date) -> bool {
    let months = age_months(child.birth_date, today);
    (CHILD_END_MONTHS..PAUD_END_MONTHS).contains(&months)
        && !input.paud.iter().any(|(_, paud)| {
            paud.household_id == child.household_id && paud.birth_date == child.birth_date
        })
}

fn household_facts(input: &TaskInput) -> impl Iterator<Item = Task> + '_ {
    input.households.iter().filter_map(|(id, household)| {
        let missing: Vec<HouseholdFact> = [
            (
                household.family_card_no.is_none(),
                HouseholdFact::FamilyCard,
            ),
            (household.safe_water.is_none(), HouseholdFact::SafeWater),
            (household.proper_latrine.is_none(), HouseholdFact::Latrine),
        ]
        .into_iter()
        .filter_map(|(absent, fact)| absent.then_some(fact))
        .collect();
        (!missing.is_empty()).then(|| Task {
            kind: TaskKind::HouseholdFacts,
            household: *id,
            village_code: household.village_code.clone(),
            person: None,
            name: household.head_name.clone(),
            missing,
        })
    })
}
