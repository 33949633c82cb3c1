//! The 8 convergence actions and the evidence a district uploads for each, as data that a
//! province can replace per year.

use serde::{Deserialize, Serialize};

/// One evidence item (data dukung).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceDef {
    /// Stable key, e.g. `a1.report`.
    pub key: String,
    /// Label in Bahasa Indonesia.
    pub label_id: String,
    /// Label in English.
    pub label_en: String,
    /// Needed before the checklist can be submitted.
    pub required: bool,
}

/// One action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionDef {
    /// Number 1-8.
    pub number: u8,
    /// Name in Bahasa Indonesia.
    pub name_id: String,
    /// Name in English.
    pub name_en: String,
    /// Main outputs.
    pub outputs: String,
    /// Typical lead office (OPD).
    pub lead: String,
    /// Typical timing in the year.
    pub timing: String,
    /// Evidence items.
    pub evidence: Vec<EvidenceDef>,
}

/// The catalogue of one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalogue {
    /// Year it applies to.
    pub year: i32,
    /// Version id, stored with every checklist.
    pub version_id: String,
    /// The actions.
    pub actions: Vec<ActionDef>,
}

impl Catalogue {
    /// The built-in catalogue (domain notes §1.1-1.2); the evidence list is the verified
    /// skeleton plus common practice, to be replaced by the year's official list.
    pub fn default_for(year: i32) -> Self {
        let actions =
            DEFAULT
                .iter()
                .map(
                    |(number, name_id, name_en, outputs, lead, timing, items)| ActionDef {
                        number: *number,
                        name_id: (*name_id).to_owned(),
                        name_en: (*name_en).to_owned(),
                        outputs: (*outputs).to_owned(),
                        lead: (*lead).to_owned(),
                        timing: (*timing).to_owned(),
                        evidence: items
                            .iter()
                            .enumerate()
                            .map(|(index, (label_id, label_en, required))| EvidenceDef {
                                key: format!("a{number}.{}", index + 1),
                                label_id: (*label_id).to_owned(),
                                label_en: (*label_en).to_owned(),
                                required: *required,
                            })
                            .collect(),
                    },
                );
        Self {
            year,
            version_id: format!("kemendagri-{year}-v1"),
            actions: actions.collect(),
        }
    }

    /// An evidence item by key.
    pub fn evidence(&self, key: &str) -> Option<&EvidenceDef> {
        self.actions
            .iter()
            .flat_map(|a| &a.evidence)
            .find(|e| e.key == key)
    }
}

type Item = (&'static str, &'static str, bool);
type Action = (
    u8,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [Item],
);

const DEFAULT: [Action; 8] = [
    (
        1,
        "Analisis Situasi",
        "Situation analysis",
        "Peta sebaran stunting dan cakupan intervensi; rekomendasi lokus desa dan intervensi prioritas",
        "Bappeda",
        "Awal tahun, sebelum rancangan RKPD",
        &[
            (
                "Laporan analisis situasi",
                "Situation-analysis report",
                true,
            ),
            (
                "Tabel prevalensi dan cakupan per kecamatan/desa",
                "Prevalence and coverage tables per district/village",
                true,
            ),
            ("SK lokus desa", "Decree on priority villages", false),
        ],
    ),
    (
        2,
        "Penyusunan Rencana Kegiatan",
        "Activity plan",
        "Rencana kegiatan terintegrasi ke RKPD/Renja OPD dan KUA-PPAS/APBD",
        "Bappeda dan OPD",
        "Pertengahan tahun",
        &[
            ("Dokumen rencana kegiatan", "Activity plan", true),
            ("Notulen konsultasi DPRD", "DPRD consultation record", false),
            (
                "Matriks rencana kegiatan ke RKPD/Renja OPD",
                "Plan-to-RKPD matrix",
                true,
            ),
            (
                "Matriks anggaran ke KUA-PPAS/APBD",
                "Budget-to-APBD matrix",
                true,
            ),
        ],
    ),
    (
        3,
        "Rembuk Stunting",
        "District stunting summit",
        "Komitmen publik atas rencana kegiatan",
        "Bupati/Wakil Bupati, Bappeda",
        "Setelah Aksi 1-2",
        &[
            ("Undangan dan agenda", "Invitation and agenda", true),
            ("Daftar hadir dan notulen", "Attendance and minutes", true),
            ("Komitmen yang ditandatangani", "Signed commitment", true),
            (
                "Bukti diseminasi komitmen",
                "Dissemination of the commitment",
                false,
            ),
        ],
    ),
    (
        4,
        "Peraturan Bupati/Walikota tentang Peran Desa",
        "Regulation on the role of villages",
        "Perbup/Perwali percepatan penurunan stunting",
        "Bagian Hukum, Bappeda, DPMD",
        "Sekali, diperbarui bila perlu",
        &[
            (
                "Naskah Perbup/Perwali (nomor, tanggal)",
                "Regulation text (number, date)",
                true,
            ),
            (
                "Bukti sosialisasi ke desa",
                "Socialisation to villages",
                false,
            ),
        ],
    ),
    (
        5,
        "Pembinaan Kader Pembangunan Manusia",
        "Coaching human-development cadres",
        "KPM ditetapkan dan dilatih; cakupan RT 1000 HPK dengan paket layanan lengkap",
        "DPMD",
        "Sepanjang tahun",
        &[
            ("SK penetapan KPM", "Cadre appointment decrees", true),
            (
                "Laporan pelatihan/pembinaan KPM",
                "Training and coaching reports",
                true,
            ),
            (
                "Scorecard konvergensi desa",
                "Village convergence scorecards",
                true,
            ),
            ("Rembuk stunting desa", "Village stunting summits", false),
        ],
    ),
    (
        6,
        "Sistem Manajemen Data Stunting",
        "Stunting data management",
        "Alur dan kualitas data dari kabupaten sampai desa; rencana perbaikan",
        "Bappeda, Diskominfo, Dinkes",
        "Sepanjang tahun",
        &[
            (
                "Dokumen manajemen data (alur, penanggung jawab)",
                "Data-management document",
                true,
            ),
            (
                "Kajian kesenjangan data dan RTL",
                "Data-gap assessment and follow-up plan",
                true,
            ),
        ],
    ),
    (
        7,
        "Pengukuran dan Publikasi Stunting",
        "Measurement and publication",
        "Prevalensi terkini per puskesmas, kecamatan, desa dan publikasinya",
        "Dinas Kesehatan",
        "Februari dan Agustus, publikasi sesudahnya",
        &[
            (
                "Hasil pengukuran Februari/Agustus",
                "February/August measurement results",
                true,
            ),
            (
                "Cakupan balita diukur",
                "Coverage of children measured",
                true,
            ),
            ("Materi publikasi/diseminasi", "Publication material", true),
        ],
    ),
    (
        8,
        "Reviu Kinerja Tahunan",
        "Annual performance review",
        "Perbandingan rencana, pelaksanaan dan hasil",
        "Bappeda, TPPS",
        "Akhir atau awal tahun",
        &[
            (
                "Laporan reviu kinerja tahunan",
                "Annual review report",
                true,
            ),
            (
                "Realisasi program dan anggaran",
                "Programme and budget realisation",
                true,
            ),
        ],
    ),
];
