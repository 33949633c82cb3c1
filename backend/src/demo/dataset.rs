//! A deterministic synthetic village dataset: households with pregnant women, children 0-23
//! months and PAUD children, a few months of forms 2A/2B/2C and monthly measurements.
//! Used for the demo database, the aggregate tests and the benchmarks.

use konvergen_shared::anthro::record::MeasurementRecord;
use konvergen_shared::anthro::{Position, Sex};
use konvergen_shared::monitoring::{
    Answer, Form2a, Form2b, Form2c, GrowthMat, NutritionStatus, PaudAttendance, YearMonth,
    monthly_record_id,
};
use konvergen_shared::register::{Child, Household, PaudChild, PregnancyStatus, PregnantWoman};
use konvergen_shared::sync::{EntityKind, Mutation, Operation};
use serde::Serialize;
use time::{Date, Duration};
use uuid::Uuid;

/// A small, fast, seeded generator (xorshift64*): the same seed gives the same village.
#[derive(Debug, Clone)]
pub struct Rng {
    state: u64,
    /// The clock behind [`Rng::id`], ms since the epoch.
    clock_ms: u64,
}

/// 2025-01-01T00:00:00Z: where the id clocks start.
const CLOCK_START_MS: u64 = 1_735_689_600_000;

impl Rng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Self {
        let state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        Self {
            state,
            // Spread over about a year so that villages do not share one id range.
            clock_ms: CLOCK_START_MS + state % 31_536_000_000,
        }
    }

    /// Next raw value.
    pub fn next_u64(&mut self) -> u64 {
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        self.state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1_u64 << 53) as f64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Uniform integer in [low, high).
    pub fn range(&mut self, low: i64, high: i64) -> i64 {
        low + (self.next_u64() % (high - low).max(1) as u64) as i64
    }

    /// A UUIDv7 id, deterministic for the seed. Phones create their ids with UUIDv7, whose
    /// time prefix keeps new rows near the end of the id index; fully random ids would put
    /// every benchmark insert on a cold index page, which no real phone causes.
    pub fn id(&mut self) -> Uuid {
        self.clock_ms += 1 + self.next_u64() % 1000;
        let random: [u8; 10] = {
            let (high, low) = (self.next_u64().to_be_bytes(), self.next_u64().to_be_bytes());
            let mut bytes = [0_u8; 10];
            bytes[..8].copy_from_slice(&high);
            bytes[8..].copy_from_slice(&low[..2]);
            bytes
        };
        uuid::Builder::from_unix_timestamp_millis(self.clock_ms, &random).into_uuid()
    }
}

const HEADS: [&str; 12] = [
    "Ahmad",
    "Budi",
    "Rahmat",
    "Syahrani",
    "Muhammad Ilmi",
    "Fauzan",
    "Hairani",
    "Jumberi",
    "Saberan",
    "Anang",
    "Rusdi",
    "Gusti Rahman",
];
const WOMEN: [&str; 8] = [
    "Siti",
    "Norhayati",
    "Rahmah",
    "Aisyah",
    "Fitriani",
    "Masitah",
    "Jamilah",
    "Halimah",
];
const CHILDREN: [&str; 8] = [
    "Ani",
    "Ahmad",
    "Nur",
    "Zahra",
    "Rizky",
    "Aulia",
    "Fikri",
    "Salsabila",
];

/// What one village gets.
#[derive(Debug, Clone, Copy)]
pub struct VillagePlan<'a> {
    /// Village code.
    pub village: &'a str,
    /// Number of 1000-HPK households.
    pub households: usize,
    /// The last day with data (forms run through its month).
    pub today: Date,
    /// Months of forms before `today`'s month.
    pub months: u8,
    /// Seed.
    pub seed: u64,
}

/// All records of one village as upsert mutations in dependency order (seq from 1).
pub fn village_mutations(plan: VillagePlan<'_>) -> Vec<Mutation> {
    let mut rng = Rng::new(plan.seed);
    let mut out = Vec::new();
    let months = months_back(plan.today, plan.months);
    for _ in 0..plan.households {
        let household = rng.id();
        push(
            &mut out,
            EntityKind::Household,
            household,
            &make_household(&mut rng, plan.village),
        );
        if rng.chance(0.45) {
            pregnant(&mut rng, &mut out, household, plan.today, &months);
        }
        if rng.chance(0.75) {
            child(&mut rng, &mut out, household, plan.today, &months);
        }
        if rng.chance(0.3) {
            paud(&mut rng, &mut out, household, plan.today, &months);
        }
    }
    for (index, mutation) in out.iter_mut().enumerate() {
        mutation.seq = index as u64 + 1;
    }
    out
}

fn months_back(today: Date, count: u8) -> Vec<YearMonth> {
    let mut month = YearMonth::of(today);
    let mut months = vec![month];
    for _ in 1..count {
        month = if month.month == 1 {
            YearMonth {
                year: month.year - 1,
                month: 12,
            }
        } else {
            YearMonth {
                month: month.month - 1,
                ..month
            }
        };
        months.push(month);
    }
    months.reverse();
    months
}

fn push(out: &mut Vec<Mutation>, entity: EntityKind, record_id: Uuid, body: &impl Serialize) {
    out.push(Mutation {
        seq: 0,
        entity,
        record_id,
        base_version: 0,
        op: Operation::Upsert,
        body: serde_json::to_value(body).unwrap_or_default(),
        client_time_ms: None,
    });
}

fn make_household(rng: &mut Rng, village: &str) -> Household {
    Household {
        village_code: village.to_owned(),
        dusun: format!("Dusun {}", rng.range(1, 5)),
        rt: format!("{:03}", rng.range(1, 12)),
        rw: format!("{:03}", rng.range(1, 4)),
        address: String::new(),
        head_name: HEADS[rng.range(0, HEADS.len() as i64) as usize].to_owned(),
        family_card_no: None,
        safe_water: Some(rng.chance(0.8)),
        proper_latrine: Some(rng.chance(0.65)),
    }
}

fn answer(rng: &mut Rng, p_yes: f64) -> Option<Answer> {
    Some(if rng.chance(p_yes) {
        Answer::Y
    } else {
        Answer::T
    })
}

fn pregnant(
    rng: &mut Rng,
    out: &mut Vec<Mutation>,
    household: Uuid,
    today: Date,
    months: &[YearMonth],
) {
    let id = rng.id();
    let lmp = today - Duration::days(rng.range(30, 260));
    let status = match rng.range(0, 10) {
        0 => PregnancyStatus::Kek,
        1 => PregnancyStatus::Risti,
        _ => PregnancyStatus::Normal,
    };
    let woman = PregnantWoman {
        household_id: household.into(),
        name: WOMEN[rng.range(0, WOMEN.len() as i64) as usize].to_owned(),
        nik: None,
        kia_register_no: format!("KIA-{}", rng.range(100, 999)),
        lmp_date: Some(lmp),
        expected_delivery_date: None,
        status,
        delivery_date: None,
    };
    push(out, EntityKind::PregnantWoman, id, &woman);
    let water = rng.chance(0.8);
    for month in months.iter().filter(|m| m.last_day() >= lmp) {
        let form = Form2a {
            person_id: id.into(),
            month: *month,
            anc_visit: answer(rng, 0.8),
            iron_tablet: answer(rng, 0.85),
            postnatal_check: None,
            nutrition_counselling: answer(rng, 0.7),
            home_visit: answer(rng, 0.6),
            clean_water: Some(if water { Answer::Y } else { Answer::T }),
            latrine: answer(rng, 0.7),
            health_insurance: answer(rng, 0.75),
        };
        push(
            out,
            EntityKind::Form2a,
            monthly_record_id(id.into(), *month),
            &form,
        );
    }
}

fn child(
    rng: &mut Rng,
    out: &mut Vec<Mutation>,
    household: Uuid,
    today: Date,
    months: &[YearMonth],
) {
    let id = rng.id();
    let born = today - Duration::days(rng.range(20, 700));
    let sex = if rng.chance(0.5) {
        Sex::Male
    } else {
        Sex::Female
    };
    let record = Child {
        household_id: household.into(),
        name: CHILDREN[rng.range(0, CHILDREN.len() as i64) as usize].to_owned(),
        sex,
        birth_date: born,
        nik: None,
        kia_register_no: None,
        birth_certificate: rng.chance(0.7),
        health_insurance: rng.chance(0.75),
    };
    push(out, EntityKind::Child, id, &record);
    // Roughly a quarter of children grow on a stunted track (about -2.5 SD).
    let stunted = rng.chance(0.25);
    for month in months.iter().filter(|m| m.last_day() >= born) {
        let measured_on = month.first_day() + Duration::days(rng.range(4, 20));
        if measured_on < born || measured_on > today {
            continue;
        }
        let status = if stunted {
            NutritionStatus::S
        } else if rng.chance(0.08) {
            NutritionStatus::GK
        } else {
            NutritionStatus::N
        };
        let mat = if stunted {
            GrowthMat::Red
        } else if status == NutritionStatus::GK {
            GrowthMat::Yellow
        } else {
            GrowthMat::Green
        };
        let form = Form2b {
            person_id: id.into(),
            month: *month,
            nutrition_status: Some(status),
            growth_mat: Some(mat),
            basic_immunisation: answer(rng, 0.85),
            measles_immunisation: answer(rng, 0.7),
            weighed: answer(rng, 0.9),
            length_measured: answer(rng, 0.6),
            father_counselled: answer(rng, 0.3),
            mother_counselled: answer(rng, 0.75),
            home_visit: answer(rng, 0.6),
            clean_water: answer(rng, 0.8),
            latrine: answer(rng, 0.65),
            birth_certificate: answer(rng, 0.7),
            health_insurance: answer(rng, 0.75),
            parenting_class: answer(rng, 0.5),
        };
        push(
            out,
            EntityKind::Form2b,
            monthly_record_id(id.into(), *month),
            &form,
        );
        push(
            out,
            EntityKind::Measurement,
            rng.id(),
            &measurement(rng, id, born, measured_on, sex, stunted),
        );
    }
}

/// Weight and length near the WHO medians (rough growth curves), lower for a stunted track.
fn measurement(
    rng: &mut Rng,
    child: Uuid,
    born: Date,
    on: Date,
    sex: Sex,
    stunted: bool,
) -> MeasurementRecord {
    let months = (on - born).whole_days() as f64 / 30.4375;
    let boy = if sex == Sex::Male { 1.0 } else { 0.0 };
    let median_length = 49.5 + boy * 0.8 + 25.0 * (1.0 - (-months / 9.0).exp()) + 0.45 * months;
    let median_weight = 3.3 + boy * 0.2 + 6.2 * (1.0 - (-months / 6.0).exp()) + 0.18 * months;
    let shift = if stunted {
        -2.6
    } else {
        rng.unit() * 2.0 - 1.0
    };
    let length = median_length * (1.0 + 0.037 * shift);
    let weight = median_weight * (1.0 + 0.11 * (shift * 0.6 + rng.unit() - 0.5));
    MeasurementRecord {
        child_id: child.into(),
        measured_on: on,
        weight_kg: Some((weight * 10.0).round() / 10.0),
        length_cm: Some((length * 10.0).round() / 10.0),
        position: if months < 24.0 {
            Position::Lying
        } else {
            Position::Standing
        },
        oedema: false,
    }
}

fn paud(
    rng: &mut Rng,
    out: &mut Vec<Mutation>,
    household: Uuid,
    today: Date,
    months: &[YearMonth],
) {
    let id = rng.id();
    let child = PaudChild {
        household_id: household.into(),
        name: CHILDREN[rng.range(0, CHILDREN.len() as i64) as usize].to_owned(),
        sex: if rng.chance(0.5) {
            Sex::Male
        } else {
            Sex::Female
        },
        birth_date: today - Duration::days(rng.range(800, 2000)),
    };
    push(out, EntityKind::PaudChild, id, &child);
    for month in months {
        let attendance = match rng.range(0, 10) {
            0..=5 => PaudAttendance::Attending,
            6..=7 => PaudAttendance::NotAttending,
            _ => PaudAttendance::NotYet,
        };
        let form = Form2c {
            person_id: id.into(),
            month: *month,
            attendance: Some(attendance),
        };
        push(
            out,
            EntityKind::Form2c,
            monthly_record_id(id.into(), *month),
            &form,
        );
    }
}
