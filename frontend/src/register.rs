//! The device's records read as the typed structs of `shared`: screens ask for households,
//! persons and forms, never for fields of a JSON body.

use std::collections::{HashMap, HashSet};

use konvergen_shared::anthro::record::MeasurementRecord;
use konvergen_shared::ids::{HouseholdId, PersonId};
use konvergen_shared::monitoring::{Form2a, Form2b, Form2c, YearMonth};
use konvergen_shared::register::{Child, Household, PaudChild, PregnantWoman};
use konvergen_shared::sync::EntityKind;
use konvergen_shared::sync::outbox::{DeviceState, LocalRecord};
use konvergen_shared::tasks::{Followed, TaskInput};
use serde::de::DeserializeOwned;
use uuid::Uuid;

/// A record's body as `T`; `None` for a deleted record or a body of another shape.
pub fn decode<T: DeserializeOwned>(record: &LocalRecord) -> Option<T> {
    if record.deleted {
        return None;
    }
    serde_json::from_value(record.body.clone()).ok()
}

/// The live records of `kind` that decode as `T`, with their ids.
pub fn live<T: DeserializeOwned>(
    state: &DeviceState,
    kind: EntityKind,
) -> impl Iterator<Item = (Uuid, T)> + '_ {
    state
        .live(kind)
        .filter_map(|r| decode(r).map(|body| (r.record_id, body)))
}

/// One record of `kind` by id.
pub fn get<T: DeserializeOwned>(state: &DeviceState, kind: EntityKind, id: Uuid) -> Option<T> {
    state
        .records
        .get(&id)
        .filter(|r| r.entity == kind)
        .and_then(decode)
}

/// A member of a household on one of the monthly forms.
#[derive(Debug, Clone, PartialEq)]
pub enum Member {
    /// A pregnant woman (form 2A).
    Pregnant(PregnantWoman),
    /// A child 0-23 months (form 2B, measured).
    Child(Child),
    /// A PAUD child (form 2C).
    Paud(PaudChild),
}

impl Member {
    /// The person's name.
    pub fn name(&self) -> &str {
        match self {
            Self::Pregnant(w) => &w.name,
            Self::Child(c) => &c.name,
            Self::Paud(c) => &c.name,
        }
    }

    /// The household.
    pub fn household(&self) -> HouseholdId {
        match self {
            Self::Pregnant(w) => w.household_id,
            Self::Child(c) => c.household_id,
            Self::Paud(c) => c.household_id,
        }
    }

    /// The member as the monthly forms see them.
    pub fn followed(&self) -> Followed<'_> {
        match self {
            Self::Pregnant(w) => Followed::Pregnant(w),
            Self::Child(c) => Followed::Child(c),
            Self::Paud(c) => Followed::Paud(c),
        }
    }

    /// The entity of the member's monthly form.
    pub fn form_kind(&self) -> EntityKind {
        match self {
            Self::Pregnant(_) => EntityKind::Form2a,
            Self::Child(_) => EntityKind::Form2b,
            Self::Paud(_) => EntityKind::Form2c,
        }
    }
}

/// The person `id`, whichever of the three registers holds them.
pub fn member(state: &DeviceState, id: Uuid) -> Option<Member> {
    state.records.get(&id).and_then(member_of)
}

/// The record as a member, when it is a person of one of the three registers.
fn member_of(record: &LocalRecord) -> Option<Member> {
    match record.entity {
        EntityKind::PregnantWoman => decode(record).map(Member::Pregnant),
        EntityKind::Child => decode(record).map(Member::Child),
        EntityKind::PaudChild => decode(record).map(Member::Paud),
        _ => None,
    }
}

/// The members of `household`, sorted by name.
pub fn members(state: &DeviceState, household: Uuid) -> Vec<(Uuid, Member)> {
    let mut members: Vec<(Uuid, Member)> = state
        .records
        .values()
        .filter_map(|r| member_of(r).map(|m| (r.record_id, m)))
        .filter(|(_, m)| m.household().uuid() == household)
        .collect();
    konvergen_shared::sort::sort_by(&mut members, |a, b| a.1.name().cmp(b.1.name()));
    members
}

/// How many members each household has, every record decoded once (the household list
/// would otherwise decode the whole register once per row).
pub fn member_counts(state: &DeviceState) -> HashMap<Uuid, usize> {
    let mut counts = HashMap::new();
    for record in state.records.values() {
        if let Some(member) = member_of(record) {
            *counts.entry(member.household().uuid()).or_insert(0) += 1;
        }
    }
    counts
}

/// Person and month of a monthly form of any of the three kinds.
fn form_month(record: &LocalRecord) -> Option<(PersonId, YearMonth)> {
    match record.entity {
        EntityKind::Form2a => decode::<Form2a>(record).map(|f| (f.person_id, f.month)),
        EntityKind::Form2b => decode::<Form2b>(record).map(|f| (f.person_id, f.month)),
        EntityKind::Form2c => decode::<Form2c>(record).map(|f| (f.person_id, f.month)),
        _ => None,
    }
}

/// Every monthly form on the device as (person, month).
pub fn form_months(state: &DeviceState) -> HashSet<(PersonId, YearMonth)> {
    state.records.values().filter_map(form_month).collect()
}

/// The measurements of `child`, oldest first.
pub fn measurements(state: &DeviceState, child: Uuid) -> Vec<MeasurementRecord> {
    let mut list: Vec<MeasurementRecord> = live(state, EntityKind::Measurement)
        .map(|(_, m): (Uuid, MeasurementRecord)| m)
        .filter(|m| m.child_id.uuid() == child)
        .collect();
    list.sort_by_key(|m| m.measured_on);
    list
}

fn as_person<T>((id, body): (Uuid, T)) -> (PersonId, T) {
    (PersonId(id), body)
}

/// What this month's tasks are computed from.
pub fn task_input(state: &DeviceState) -> TaskInput {
    TaskInput {
        households: live(state, EntityKind::Household)
            .map(|(id, h): (Uuid, Household)| (HouseholdId(id), h))
            .collect(),
        pregnant: live(state, EntityKind::PregnantWoman)
            .map(as_person)
            .collect(),
        children: live(state, EntityKind::Child).map(as_person).collect(),
        paud: live(state, EntityKind::PaudChild).map(as_person).collect(),
        forms: form_months(state),
        measured: live(state, EntityKind::Measurement)
            .map(|(_, m): (Uuid, MeasurementRecord)| (m.child_id, YearMonth::of(m.measured_on)))
            .collect(),
    }
}
