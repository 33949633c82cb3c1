//! The built-in catalogue, from the domain notes §1.1-1.2.
//!
//! Rule for `required`: an item is required when it documents an output the notes mark as
//! verified in the guidelines; items known only from common practice ([U]) are optional, so
//! a district is never blocked by something the official list may not ask for.
//! Keys are positional (`a3.2`) because stored checklists and API clients already use them;
//! a new item gets the next free number and keys are never reused.

use super::catalogue::{ActionDef, Bilingual, Catalogue, EvidenceDef};

/// Version of the built-in item list; bump it whenever an item or a `required` flag changes.
const VERSION: u32 = 2;

const REQUIRED: bool = true;
const OPTIONAL: bool = false;

type Text = (&'static str, &'static str);

struct Seed {
    name: Text,
    purpose: Text,
    outputs: &'static [Text],
    lead: &'static str,
    timing: Text,
    evidence: &'static [(&'static str, &'static str, bool)],
}

/// The catalogue of `year`.
pub(super) fn build(year: i32) -> Catalogue {
    let actions = SEEDS
        .iter()
        .zip(1_u8..)
        .map(|(seed, number)| action(number, seed))
        .map(|action| named_for(action, year))
        .collect();
    Catalogue {
        year,
        version_id: format!("konvergen-{year}-v{VERSION}"),
        actions,
    }
}

/// The year the national guidelines renamed two actions (`docs/penilaian-kinerja.md` §3);
/// earlier years keep the names they were assessed under.
const RENAMED_IN: i32 = 2022;

/// The names of actions 4 and 5 from [`RENAMED_IN`] on: (number, Indonesian, English).
const NAMES_SINCE_2022: [(u8, &str, &str); 2] = [
    (
        4,
        "Perbup/Perwali Percepatan Penurunan Stunting",
        "Regent/mayor regulation on accelerating stunting reduction",
    ),
    (
        5,
        "Pembinaan Pelaku dan Pemerintahan Desa/Kelurahan",
        "Coaching village actors and village governments",
    ),
];

fn named_for(mut action: ActionDef, year: i32) -> ActionDef {
    if year >= RENAMED_IN
        && let Some((_, id, en)) = NAMES_SINCE_2022.iter().find(|(n, ..)| *n == action.number)
    {
        action.name_id = (*id).to_owned();
        action.name_en = (*en).to_owned();
    }
    action
}

fn action(number: u8, seed: &Seed) -> ActionDef {
    let text = |(id, en): Text| Bilingual::new(id, en);
    let evidence = seed
        .evidence
        .iter()
        .zip(1_u32..)
        .map(|(&(label_id, label_en, required), index)| EvidenceDef {
            key: format!("a{number}.{index}"),
            label_id: label_id.to_owned(),
            label_en: label_en.to_owned(),
            required,
        })
        .collect();
    ActionDef {
        number,
        name_id: seed.name.0.to_owned(),
        name_en: seed.name.1.to_owned(),
        purpose: text(seed.purpose),
        outputs: seed.outputs.iter().copied().map(text).collect(),
        lead: seed.lead.to_owned(),
        timing: text(seed.timing),
        evidence,
    }
}

const ALL_YEAR: Text = ("Sepanjang tahun", "All year");

const SEEDS: [Seed; 8] = [
    Seed {
        name: ("Analisis Situasi", "Situation analysis"),
        purpose: (
            "Memetakan sebaran stunting, cakupan intervensi dan kesenjangan layanan",
            "Map stunting, intervention coverage and gaps in services",
        ),
        outputs: &[
            (
                "Peta sebaran stunting dan cakupan intervensi",
                "Map of stunting and coverage",
            ),
            (
                "Kesenjangan program dan pengelolaan layanan",
                "Gaps in programmes and services",
            ),
            (
                "Rekomendasi lokus desa dan intervensi prioritas",
                "Priority villages and interventions",
            ),
        ],
        lead: "Bappeda (koordinator) bersama Dinkes dan OPD sektor",
        timing: (
            "Awal tahun, sebelum rancangan RKPD",
            "Early in the year, before the RKPD draft",
        ),
        evidence: &[
            (
                "Laporan analisis situasi",
                "Situation-analysis report",
                REQUIRED,
            ),
            (
                "Tabel prevalensi dan cakupan per kecamatan/desa",
                "Prevalence and coverage tables per sub-district/village",
                REQUIRED,
            ),
            (
                "SK Bupati/Walikota tentang lokus desa",
                "Decree on priority villages",
                OPTIONAL,
            ),
        ],
    },
    Seed {
        name: ("Penyusunan Rencana Kegiatan", "Activity plan"),
        purpose: (
            "Menyusun kegiatan untuk menutup kesenjangan dan memasukkannya ke RKPD dan APBD",
            "Plan activities that close the gaps and get them into the RKPD and budget",
        ),
        outputs: &[
            ("Rancangan rencana kegiatan", "Draft activity plan"),
            (
                "Hasil konsultasi dengan DPRD",
                "Consultation with the regional parliament",
            ),
            (
                "Rencana terintegrasi ke RKPD/Renja OPD dan KUA-PPAS/APBD",
                "Plan integrated into RKPD/Renja and budget",
            ),
        ],
        lead: "Bappeda bersama OPD",
        timing: (
            "Setelah Aksi 1, untuk RKPD tahun berikutnya",
            "After Action 1, for next year's RKPD",
        ),
        evidence: &[
            ("Dokumen rencana kegiatan", "Activity plan", REQUIRED),
            (
                "Notulen konsultasi dengan DPRD",
                "Record of the DPRD consultation",
                REQUIRED,
            ),
            (
                "Matriks rencana kegiatan ke RKPD/Renja OPD",
                "Plan-to-RKPD/Renja matrix",
                REQUIRED,
            ),
            (
                "Matriks anggaran ke KUA-PPAS/APBD",
                "Budget-to-KUA-PPAS/APBD matrix",
                REQUIRED,
            ),
        ],
    },
    Seed {
        name: ("Rembuk Stunting", "District stunting summit"),
        purpose: (
            "Membangun komitmen publik semua pihak atas rencana kegiatan",
            "Build a public commitment of all parties to the activity plan",
        ),
        outputs: &[
            (
                "Agenda dan dokumen pendukung",
                "Agenda and supporting documents",
            ),
            (
                "Komitmen publik atas rencana kegiatan",
                "Public commitment to the plan",
            ),
            ("Diseminasi komitmen", "Dissemination of the commitment"),
        ],
        lead: "Bupati/Wakil Bupati, Bappeda",
        timing: (
            "Setelah rancangan Aksi 1-2, minimal sekali setahun",
            "After the drafts of Actions 1-2, at least yearly",
        ),
        evidence: &[
            ("Undangan dan agenda", "Invitation and agenda", REQUIRED),
            (
                "Daftar hadir dan notulen",
                "Attendance and minutes",
                OPTIONAL,
            ),
            (
                "Komitmen yang ditandatangani",
                "Signed commitment",
                REQUIRED,
            ),
            (
                "Bukti diseminasi komitmen",
                "Dissemination of the commitment",
                REQUIRED,
            ),
            ("Foto kegiatan", "Photos", OPTIONAL),
        ],
    },
    Seed {
        name: (
            "Peraturan Bupati/Walikota tentang Peran Desa",
            "Regent/mayor regulation on the role of villages",
        ),
        purpose: (
            "Menetapkan peran dan kewenangan desa/kelurahan dalam penurunan stunting",
            "Set the roles and authority of villages in reducing stunting",
        ),
        outputs: &[(
            "Perbup/Perwali percepatan penurunan stunting",
            "Regulation on accelerating stunting reduction",
        )],
        lead: "Bagian Hukum bersama Bappeda dan DPMD",
        timing: (
            "Sekali, lalu direvisi bila perlu",
            "Once, then revised as needed",
        ),
        evidence: &[
            (
                "Naskah Perbup/Perwali (nomor, tanggal)",
                "Regulation text (number, date)",
                REQUIRED,
            ),
            (
                "Bukti sosialisasi ke desa",
                "Socialisation to villages",
                OPTIONAL,
            ),
        ],
    },
    Seed {
        name: (
            "Pembinaan Kader Pembangunan Manusia",
            "Coaching human-development cadres",
        ),
        purpose: (
            "Menggerakkan KPM dan desa agar rumah tangga 1000 HPK menerima paket layanan lengkap",
            "Get cadres and villages to bring the complete package to 1000-HPK households",
        ),
        outputs: &[
            ("KPM ditetapkan dan dilatih", "Cadres appointed and trained"),
            ("Desa/kelurahan dibina", "Villages coached"),
            (
                "Cakupan RT 1000 HPK dengan paket layanan lengkap",
                "Households with the complete package",
            ),
        ],
        lead: "DPMD bersama Dinkes dan Bappeda",
        timing: ALL_YEAR,
        evidence: &[
            ("SK penetapan KPM", "Cadre appointment decrees", REQUIRED),
            (
                "Laporan pelatihan/pembinaan KPM",
                "Training and coaching reports",
                REQUIRED,
            ),
            (
                "Scorecard konvergensi desa",
                "Village convergence scorecards",
                REQUIRED,
            ),
            ("Rembuk stunting desa", "Village stunting summits", OPTIONAL),
        ],
    },
    Seed {
        name: (
            "Sistem Manajemen Data Stunting",
            "Stunting data management system",
        ),
        purpose: (
            "Memperkuat sistem data OPD yang ada: ketersediaan, akses dan kualitas",
            "Strengthen existing office data systems: availability, access and quality",
        ),
        outputs: &[
            (
                "Alur dan penanggung jawab data",
                "Data flows and custodians",
            ),
            (
                "Rencana perbaikan kesenjangan data",
                "Plan to close data gaps",
            ),
        ],
        lead: "Bappeda, Diskominfo, Dinkes dan OPD sektor",
        timing: ALL_YEAR,
        evidence: &[
            (
                "Dokumen manajemen data (alur, penanggung jawab)",
                "Data-management document",
                REQUIRED,
            ),
            (
                "Kajian kesenjangan data dan RTL",
                "Data-gap assessment and follow-up plan",
                REQUIRED,
            ),
        ],
    },
    Seed {
        name: (
            "Pengukuran dan Publikasi Stunting",
            "Measurement and publication",
        ),
        purpose: (
            "Mendapatkan prevalensi terkini sampai tingkat desa dan mempublikasikannya",
            "Get current prevalence down to village level and publish it",
        ),
        outputs: &[
            (
                "Prevalensi per puskesmas, kecamatan dan desa",
                "Prevalence per health centre, sub-district, village",
            ),
            ("Publikasi hasil pengukuran", "Publication of the results"),
        ],
        lead: "Dinas Kesehatan",
        timing: (
            "Pengukuran Februari dan Agustus, lalu publikasi",
            "Measuring in February and August, then publication",
        ),
        evidence: &[
            (
                "Hasil pengukuran Februari/Agustus",
                "February/August measurement results",
                REQUIRED,
            ),
            (
                "Cakupan balita diukur",
                "Coverage of children measured",
                REQUIRED,
            ),
            (
                "Materi publikasi/diseminasi",
                "Publication material",
                REQUIRED,
            ),
        ],
    },
    Seed {
        name: ("Reviu Kinerja Tahunan", "Annual performance review"),
        purpose: (
            "Membandingkan rencana, pelaksanaan dan hasil sebagai acuan tahun berikutnya",
            "Compare plan, implementation and results as the reference for next year",
        ),
        outputs: &[(
            "Laporan reviu kinerja tahunan",
            "Annual performance review report",
        )],
        lead: "Bappeda / TPPS Kabupaten",
        timing: (
            "Akhir tahun atau awal tahun berikutnya",
            "End of the year or early the next",
        ),
        evidence: &[
            (
                "Laporan reviu kinerja tahunan",
                "Annual review report",
                REQUIRED,
            ),
            (
                "Realisasi program dan anggaran",
                "Programme and budget realisation",
                REQUIRED,
            ),
        ],
    },
];
