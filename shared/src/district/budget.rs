//! Sums of budget lines as the presentation shows them (`docs/penilaian-kinerja.md` §3):
//! per fiscal year, per agency, per funding source and per kind of intervention. Every
//! grouping is built by the one [`totals_by`], so the totals of any grouping add up to the
//! same whole and a screen and an export cannot disagree.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{BudgetLine, FundingSource, Intervention};

/// Allocation and realisation summed over budget lines (also on the wire, in the
/// province's overview).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetSum {
    /// Number of lines.
    pub lines: usize,
    /// Sum of allocations, in rupiah.
    pub allocation_rp: i64,
    /// Sum of the realisations given, in rupiah.
    pub realisation_rp: i64,
}

impl BudgetSum {
    fn add(&mut self, line: &BudgetLine) {
        self.lines += 1;
        self.allocation_rp = self.allocation_rp.saturating_add(line.allocation_rp);
        // A realisation not yet known counts as nothing spent, not as a gap in the sum.
        self.realisation_rp = self
            .realisation_rp
            .saturating_add(line.realisation_rp.unwrap_or(0));
    }
}

/// The lines summed per value of `key`, in the key's order.
pub fn totals_by<'a, K: Ord>(
    lines: impl IntoIterator<Item = &'a BudgetLine>,
    key: impl Fn(&BudgetLine) -> K,
) -> BTreeMap<K, BudgetSum> {
    let mut totals = BTreeMap::<K, BudgetSum>::new();
    for line in lines {
        totals.entry(key(line)).or_default().add(line);
    }
    totals
}

/// Budget totals per fiscal year: what the presentation shows first.
pub fn totals_by_fiscal_year<'a>(
    lines: impl IntoIterator<Item = &'a BudgetLine>,
) -> BTreeMap<i32, BudgetSum> {
    totals_by(lines, |line| line.fiscal_year)
}

/// Every total of a set of budget lines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BudgetTotals {
    /// All lines together.
    pub all: BudgetSum,
    /// Per agency, by name.
    pub by_agency: BTreeMap<String, BudgetSum>,
    /// Per fiscal year.
    pub by_fiscal_year: BTreeMap<i32, BudgetSum>,
    /// Per funding source.
    pub by_source: BTreeMap<FundingSource, BudgetSum>,
    /// Per kind of intervention.
    pub by_intervention: BTreeMap<Intervention, BudgetSum>,
}

/// The totals per agency, fiscal year, source and kind, and of everything.
pub fn budget_totals(lines: &[BudgetLine]) -> BudgetTotals {
    BudgetTotals {
        all: totals_by(lines, |_| ()).remove(&()).unwrap_or_default(),
        by_agency: totals_by(lines, |line| line.agency.clone()),
        by_fiscal_year: totals_by_fiscal_year(lines),
        by_source: totals_by(lines, |line| line.source),
        by_intervention: totals_by(lines, |line| line.intervention),
    }
}

// The labels below are the words of the desk's forms (frontend/locales/desk-id.ftl), so an
// export reads like the screen the agencies typed into.

impl Intervention {
    /// The name in Bahasa Indonesia.
    pub fn label_id(self) -> &'static str {
        match self {
            Self::Specific => "Gizi spesifik",
            Self::Sensitive => "Gizi sensitif",
            Self::Coordination => "Koordinasi dan pendukung",
        }
    }
}

impl FundingSource {
    /// The name in Bahasa Indonesia.
    pub fn label_id(self) -> &'static str {
        match self {
            Self::Apbd => "APBD",
            Self::Dak => "DAK",
            Self::DanaDesa => "Dana Desa",
            Self::Apbn => "APBN",
            Self::Csr => "CSR/swasta",
            Self::Other => "Lainnya",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(agency: &str, fiscal_year: i32, source: FundingSource, rp: i64) -> BudgetLine {
        BudgetLine {
            regency_code: "63.03".into(),
            year: 2025,
            agency: agency.into(),
            fiscal_year,
            programme: "Program".into(),
            activity: "Kegiatan".into(),
            sub_activity: String::new(),
            intervention: Intervention::Sensitive,
            source,
            allocation_rp: rp,
            realisation_rp: (rp > 100).then_some(rp / 2),
            actions: vec![1],
        }
    }

    #[test]
    fn every_grouping_adds_up_to_the_same_whole() {
        let lines = [
            line("Dinas Kesehatan", 2025, FundingSource::Apbd, 1_000),
            line("Dinas Kesehatan", 2026, FundingSource::Dak, 50),
            line("DPMD", 2025, FundingSource::DanaDesa, 400),
        ];
        let totals = budget_totals(&lines);
        assert_eq!(
            totals.all,
            BudgetSum {
                lines: 3,
                allocation_rp: 1_450,
                realisation_rp: 700
            }
        );
        let sum = |sums: Vec<BudgetSum>| {
            sums.iter().fold(BudgetSum::default(), |acc, s| BudgetSum {
                lines: acc.lines + s.lines,
                allocation_rp: acc.allocation_rp + s.allocation_rp,
                realisation_rp: acc.realisation_rp + s.realisation_rp,
            })
        };
        assert_eq!(
            sum(totals.by_agency.values().copied().collect()),
            totals.all
        );
        assert_eq!(
            sum(totals.by_source.values().copied().collect()),
            totals.all
        );
        assert_eq!(
            sum(totals.by_fiscal_year.values().copied().collect()),
            totals.all
        );
        assert_eq!(
            sum(totals.by_intervention.values().copied().collect()),
            totals.all
        );
        assert_eq!(totals.by_agency["Dinas Kesehatan"].allocation_rp, 1_050);
        assert_eq!(totals.by_fiscal_year[&2025].lines, 2);
        assert_eq!(totals.by_source[&FundingSource::Dak].realisation_rp, 0);
    }

    #[test]
    fn no_lines_make_zero_totals() {
        let totals = budget_totals(&[]);
        assert_eq!(totals.all, BudgetSum::default());
        assert!(totals.by_agency.is_empty());
    }
}
