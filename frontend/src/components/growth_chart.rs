//! Growth chart of one child: length-for-age or weight-for-age against the WHO SD lines
//! (-3, -2, 0, +2, +3), drawn as plain SVG, 0-24 months.

use konvergen_shared::anthro::Sex;
use konvergen_shared::anthro::tables::{Lms, Table};
use leptos::prelude::*;

const WIDTH: f64 = 320.0;
const HEIGHT: f64 = 220.0;
const PAD: f64 = 28.0;
const MONTHS: u32 = 24;
const SD_LINES: [f64; 5] = [-3.0, -2.0, 0.0, 2.0, 3.0];

/// Which index to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Indicator {
    /// Length/height-for-age (cm).
    LengthForAge,
    /// Weight-for-age (kg).
    WeightForAge,
}

/// The value at `k` SD of an LMS row.
fn at_sd(lms: Lms, k: f64) -> f64 {
    lms.m * (1.0 + lms.l * lms.s * k).powf(1.0 / lms.l)
}

/// SD-line values at each whole month (day = round(month × 30.4375)).
fn lines(indicator: Indicator, sex: Sex) -> Vec<[f64; 5]> {
    let table = match indicator {
        Indicator::LengthForAge => Table::LengthForAge,
        Indicator::WeightForAge => Table::WeightForAge,
    };
    (0..=MONTHS)
        .filter_map(|month| table.row(sex, (f64::from(month) * 30.4375).round() as u32))
        .map(|lms| SD_LINES.map(|k| at_sd(lms, k)))
        .collect()
}

/// A growth chart with the child's points: (age in days, value).
#[component]
pub fn GrowthChart(indicator: Indicator, sex: Sex, points: Vec<(f64, f64)>) -> impl IntoView {
    let lines = lines(indicator, sex);
    let low = lines.iter().map(|l| l[0]).fold(f64::MAX, f64::min);
    let high = lines.iter().map(|l| l[4]).fold(f64::MIN, f64::max);
    let x = move |days: f64| PAD + (days / 30.4375) / f64::from(MONTHS) * (WIDTH - PAD - 8.0);
    let y = move |value: f64| HEIGHT - PAD - (value - low) / (high - low) * (HEIGHT - PAD - 8.0);
    let path = |k: usize| {
        lines
            .iter()
            .enumerate()
            .map(|(month, l)| format!("{:.1},{:.1}", x(month as f64 * 30.4375), y(l[k])))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let colours = ["#b3261e", "#e07b00", "#0f6b4f", "#e07b00", "#b3261e"];
    let label = match indicator {
        Indicator::LengthForAge => "PB/U (cm)",
        Indicator::WeightForAge => "BB/U (kg)",
    };
    view! {
        <svg class="growth-chart" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=label
            data-testid=format!("chart-{}", if indicator == Indicator::LengthForAge { "lfa" } else { "wfa" })>
            <text x="4" y="12" font-size="11">{label}</text>
            <line x1=PAD y1=HEIGHT - PAD x2=WIDTH - 8.0 y2=HEIGHT - PAD stroke="#999" />
            {[0_u32, 6, 12, 18, 24].into_iter().map(|m| view! {
                <text x=x(f64::from(m) * 30.4375) - 4.0 y=HEIGHT - PAD + 14.0 font-size="10">{m}</text>
            }).collect_view()}
            {(0..5).map(|k| view! {
                <polyline points=path(k) fill="none" stroke=colours[k] stroke-width=if k == 2 { "1.5" } else { "1" } />
            }).collect_view()}
            {points.into_iter().map(|(days, value)| view! {
                <circle data-testid="chart-point" cx=x(days) cy=y(value) r="3.5" fill="#1b1b1b" />
            }).collect_view()}
        </svg>
    }
}
