//! The dossier a regency's coordinator takes to the province's assessment of one year
//! (`docs/penilaian-kinerja.md` §2-3): a workbook of the checklist, budget, innovations and
//! outcome figures, and an archive of every evidence file.

pub mod archive;
pub mod body;
pub mod sheets;
