use time::macros::{date, datetime};

use super::*;
use crate::actions::{FileMeta, ItemState};
use crate::district::{AgencyProgress, FundingSource, Intervention};

const YEAR: i32 = 2025;

fn file(hash: char) -> FileMeta {
    FileMeta {
        name: "bukti.pdf".into(),
        size: 10,
        sha256: hash.to_string().repeat(64),
        media_type: "application/pdf".into(),
        taken_at: None,
        pending: false,
    }
}

fn evidenced(link: &str) -> ItemState {
    ItemState {
        done: true,
        links: vec![link.into()],
        ..ItemState::default()
    }
}

fn board(agencies: Vec<AgencyProgress>) -> Board {
    Board {
        regency_code: "63.03".into(),
        year: YEAR,
        due_at: Some(datetime!(2026-05-02 23:59 +08:00)),
        agencies,
    }
}

fn agency(name: &str, late: u32, innovations: u32) -> AgencyProgress {
    AgencyProgress {
        agency: name.into(),
        budget_lines_year: 1,
        budget_lines_next_year: 1,
        innovations,
        contributions: 1,
        items_assigned: 0,
        items_owed: Vec::new(),
        late,
        last_sent_ms: None,
    }
}

fn line(fiscal_year: i32, rp: i64) -> BudgetLine {
    BudgetLine {
        regency_code: "63.03".into(),
        year: YEAR,
        agency: "Dinas Kesehatan".into(),
        fiscal_year,
        programme: "Program".into(),
        activity: "Kegiatan".into(),
        sub_activity: String::new(),
        intervention: Intervention::Specific,
        source: FundingSource::Apbd,
        allocation_rp: rp,
        realisation_rp: Some(rp / 2),
        actions: vec![1],
    }
}

fn parts<'a>(catalogue: &'a Catalogue, board: &'a Board) -> RowParts<'a> {
    RowParts {
        regency_code: "63.03",
        name: "Kabupaten Banjar",
        catalogue,
        checklist: None,
        board,
        budget_lines: &[],
        innovations: 0,
        contributions: &[],
        outcome: None,
        outcome_before: None,
    }
}

fn required_per_action(catalogue: &Catalogue) -> Vec<u64> {
    let required = |a: &crate::actions::catalogue::ActionDef| {
        a.evidence.iter().filter(|i| i.required).count() as u64
    };
    catalogue.actions.iter().map(required).collect()
}

#[test]
fn a_regency_with_nothing_stored_is_a_draft_with_every_required_item_open() {
    let catalogue = Catalogue::default_for(YEAR);
    let board = board(Vec::new());
    let row = overview_row(parts(&catalogue, &board));
    assert_eq!(row.status, Status::Draft);
    assert_eq!(row.submitted_at, None);
    let numbers: Vec<u8> = row.actions.iter().map(|a| a.number).collect();
    assert_eq!(numbers, [1, 2, 3, 4, 5, 6, 7, 8]);
    let dens: Vec<u64> = row.actions.iter().map(|a| a.evidenced.den).collect();
    assert_eq!(dens, required_per_action(&catalogue));
    assert!(row.actions.iter().all(|a| a.evidenced.num == 0));
    assert_eq!(row.completeness.den, dens.iter().sum::<u64>());
    assert_eq!((row.evidence, row.innovations, row.late_parts), (0, 0, 0));
    assert_eq!(row.budget_year, BudgetSum::default());
    assert_eq!(row.stunting_change_per_mille, None);
}

#[test]
fn only_required_items_done_with_evidence_count_towards_completeness() {
    let catalogue = Catalogue::default_for(YEAR);
    let action = &catalogue.actions[0];
    let required: Vec<&str> = action
        .evidence
        .iter()
        .filter(|i| i.required)
        .map(|i| i.key.as_str())
        .collect();
    assert!(
        required.len() >= 2,
        "the first action has two required items"
    );
    let mut checklist = Checklist::new("63.03", YEAR, &catalogue);
    let set = |c: &mut Checklist, key: &str, state: ItemState| {
        c.set_item(&catalogue, key, state).expect("valid item");
    };
    set(
        &mut checklist,
        required[0],
        evidenced("https://bukti.example/1"),
    );
    // Done without evidence, and evidence not marked done: neither counts.
    let done_only = ItemState {
        done: true,
        ..ItemState::default()
    };
    set(&mut checklist, required[1], done_only);
    let optional = action.evidence.iter().find(|i| !i.required);
    if let Some(optional) = optional {
        set(
            &mut checklist,
            &optional.key,
            evidenced("https://bukti.example/2"),
        );
    }
    let board = board(Vec::new());
    let row = overview_row(RowParts {
        checklist: Some(&checklist),
        ..parts(&catalogue, &board)
    });
    assert_eq!(
        row.actions[0].evidenced,
        Ratio::new(1, required.len() as u64)
    );
    assert_eq!(row.completeness.num, 1);
    assert_eq!(row.actions[1].evidenced.num, 0);
}

#[test]
fn evidence_counts_each_link_and_file_once() {
    let catalogue = Catalogue::default_for(YEAR);
    let mut checklist = Checklist::new("63.03", YEAR, &catalogue);
    let key = catalogue.actions[0].evidence[0].key.clone();
    let item = ItemState {
        done: true,
        links: vec!["https://bukti.example/sk".into()],
        files: vec![file('a'), file('b')],
        ..ItemState::default()
    };
    checklist.set_item(&catalogue, &key, item).expect("item");
    let part = Contribution {
        regency_code: "63.03".into(),
        year: YEAR,
        agency: "Dinas Kesehatan".into(),
        item_key: key,
        account: String::new(),
        links: vec![
            "https://bukti.example/sk".into(),
            "https://bukti.example/notulen".into(),
        ],
        // The coordinator attached this one again: still one file.
        files: vec![file('A'), file('c')],
        note: String::new(),
        done_on: None,
    };
    let board = board(Vec::new());
    let row = overview_row(RowParts {
        checklist: Some(&checklist),
        contributions: std::slice::from_ref(&part),
        ..parts(&catalogue, &board)
    });
    // Links: sk, notulen; files: a, b, c.
    assert_eq!(row.evidence, 5);
}

#[test]
fn budget_late_parts_and_owing_agencies_come_from_the_lines_and_the_board() {
    let catalogue = Catalogue::default_for(YEAR);
    let board = board(vec![
        agency("Dinas Kesehatan", 2, 1),
        agency("DPMD", 1, 0),
        agency("Dinas Pendidikan", 0, 1),
    ]);
    let lines = [line(YEAR, 1_000), line(YEAR, 500), line(YEAR + 1, 70)];
    let row = overview_row(RowParts {
        budget_lines: &lines,
        innovations: 2,
        ..parts(&catalogue, &board)
    });
    assert_eq!(
        row.budget_year,
        BudgetSum {
            lines: 2,
            allocation_rp: 1_500,
            realisation_rp: 750
        }
    );
    assert_eq!(row.budget_next_year.allocation_rp, 70);
    assert_eq!(row.late_parts, 3);
    assert_eq!(
        (row.agencies_owing, row.agencies),
        (1, 3),
        "DPMD owes its innovation"
    );
    assert_eq!(row.innovations, 2);
    assert_eq!(row.due_at, board.due_at);
}

#[test]
fn the_outcome_quarter_is_the_last_of_a_past_year_and_the_current_one_of_this_year() {
    let today = date!(2026 - 05 - 14);
    assert_eq!(
        outcome_quarter(2025, today),
        Quarter {
            year: 2025,
            quarter: 4
        }
    );
    assert_eq!(
        outcome_quarter(2026, today),
        Quarter {
            year: 2026,
            quarter: 2
        }
    );
    assert_eq!(
        year_before(Quarter {
            year: 2026,
            quarter: 2
        }),
        Quarter {
            year: 2025,
            quarter: 2
        }
    );
}

#[test]
fn the_change_in_prevalence_is_exact_and_absent_without_measurements() {
    assert_eq!(
        change_per_mille(Ratio::new(1, 4), Ratio::new(1, 2)),
        Some(-250)
    );
    assert_eq!(
        change_per_mille(Ratio::new(1, 3), Ratio::new(0, 5)),
        Some(333)
    );
    // 2/3 − 0 = 666.67 tenths: rounded half away from zero.
    assert_eq!(
        change_per_mille(Ratio::new(0, 3), Ratio::new(2, 3)),
        Some(-667)
    );
    assert_eq!(change_per_mille(Ratio::new(1, 4), Ratio::new(0, 0)), None);
    assert_eq!(change_per_mille(Ratio::new(0, 0), Ratio::new(1, 4)), None);
}

fn named(name: &str, status: Status, completeness: Ratio) -> OverviewRow {
    let catalogue = Catalogue::default_for(YEAR);
    let board = board(Vec::new());
    OverviewRow {
        name: name.into(),
        regency_code: name.into(),
        status,
        completeness,
        ..overview_row(parts(&catalogue, &board))
    }
}

fn names(rows: &[OverviewRow]) -> Vec<&str> {
    rows.iter().map(|row| row.name.as_str()).collect()
}

#[test]
fn sorting_puts_rows_without_a_figure_last_in_both_directions() {
    let mut rows = vec![
        named("Tapin", Status::Verified, Ratio::new(1, 2)),
        named("Banjar", Status::Submitted, Ratio::new(0, 0)),
        named("Tabalong", Status::Returned, Ratio::new(2, 3)),
        named("Balangan", Status::Draft, Ratio::new(1, 2)),
    ];
    sort_rows(&mut rows, Column::Completeness, true);
    assert_eq!(names(&rows), ["Tabalong", "Balangan", "Tapin", "Banjar"]);
    sort_rows(&mut rows, Column::Completeness, false);
    assert_eq!(names(&rows), ["Balangan", "Tapin", "Tabalong", "Banjar"]);
    sort_rows(&mut rows, Column::Status, true);
    assert_eq!(names(&rows), ["Tapin", "Banjar", "Tabalong", "Balangan"]);
    sort_rows(&mut rows, Column::Name, false);
    assert_eq!(names(&rows), ["Balangan", "Banjar", "Tabalong", "Tapin"]);
}

#[test]
fn every_column_has_a_key_that_reads_back() {
    for column in Column::ALL {
        assert_eq!(Column::parse(column.key()), Some(column));
    }
    assert_eq!(Column::parse("rank"), None);
}
