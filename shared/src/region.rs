//! Kemendagri region codes: `PP`, `PP.KK`, `PP.KK.CC`, `PP.KK.CC.VVVV`.
//!
//! Codes are kept in the published dotted form; a village code may also be typed as its
//! 10 digits without dots (the integer key some systems use) and is normalised on parsing.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::api::FieldError;

/// Level of a region code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Provinsi (2 digits).
    Province,
    /// Kabupaten (01-69) or kota (71-99).
    Regency,
    /// Kecamatan.
    District,
    /// Desa or kelurahan (4 digits).
    Village,
}

impl Level {
    /// Number of dotted parts of a code at this level.
    pub fn parts(self) -> usize {
        match self {
            Self::Province => 1,
            Self::Regency => 2,
            Self::District => 3,
            Self::Village => 4,
        }
    }
}

/// Kind of a village from the first digit of its number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VillageKind {
    /// Kelurahan (first digit 1): urban, led by a civil servant, receives no Dana Desa.
    Kelurahan,
    /// Desa (first digit 2).
    Desa,
    /// Desa adat (first digit 3).
    DesaAdat,
}

/// A valid region code, kept in the published dotted form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RegionCode(String);

/// What is wrong with a region code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionCodeProblem {
    /// Nothing was entered.
    Empty,
    /// Not 2, 2.2, 2.2.2 or 2.2.2.4 digits (or 10 digits without dots).
    Format,
    /// A part is all zeros.
    ZeroPart,
    /// Regency number 70: kabupaten run 01-69 and kota 71-99.
    RegencyNumber,
    /// A village number must start with 1 (kelurahan), 2 (desa) or 3 (desa adat).
    VillageKind,
}

/// Why a code is not valid, with the text that was given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} / {}: {input:?}", self.message_id(), self.message_en())]
pub struct RegionCodeError {
    /// The text as given.
    pub input: String,
    /// What is wrong with it.
    pub problem: RegionCodeProblem,
}

impl RegionCodeError {
    /// The message in Bahasa Indonesia.
    pub fn message_id(&self) -> &'static str {
        match self.problem {
            RegionCodeProblem::Empty => "Kode wilayah wajib diisi",
            RegionCodeProblem::Format => "Kode wilayah harus berbentuk 63.03.05.2009",
            RegionCodeProblem::ZeroPart => "Bagian kode wilayah tidak boleh 00",
            RegionCodeProblem::RegencyNumber => "Nomor kabupaten 01-69, nomor kota 71-99",
            RegionCodeProblem::VillageKind => "Nomor desa harus diawali 1, 2 atau 3",
        }
    }

    /// The message in English.
    pub fn message_en(&self) -> &'static str {
        match self.problem {
            RegionCodeProblem::Empty => "A region code is required",
            RegionCodeProblem::Format => "A region code looks like 63.03.05.2009",
            RegionCodeProblem::ZeroPart => "No part of a region code can be 00",
            RegionCodeProblem::RegencyNumber => "Regencies are numbered 01-69, cities 71-99",
            RegionCodeProblem::VillageKind => "A village number starts with 1, 2 or 3",
        }
    }

    /// The problem as a field error for `field`.
    pub fn to_field_error(&self, field: &str) -> FieldError {
        let code = match self.problem {
            RegionCodeProblem::Empty => "required",
            _ => "invalid_format",
        };
        FieldError {
            field: field.to_owned(),
            code: code.to_owned(),
            message_id: self.message_id().to_owned(),
            message_en: self.message_en().to_owned(),
        }
    }
}

/// The dotted form of `text`: a bare 10-digit village code gets its dots.
fn dotted(text: &str) -> String {
    if text.len() == 10 && text.bytes().all(|b| b.is_ascii_digit()) {
        format!(
            "{}.{}.{}.{}",
            &text[..2],
            &text[2..4],
            &text[4..6],
            &text[6..]
        )
    } else {
        text.to_owned()
    }
}

/// Checks the dotted parts; the first problem found wins.
fn check_parts(parts: &[&str]) -> Result<(), RegionCodeProblem> {
    let width_ok = |i: usize, part: &str| {
        part.len() == if i == 3 { 4 } else { 2 } && part.bytes().all(|b| b.is_ascii_digit())
    };
    if parts.len() > 4 || !parts.iter().enumerate().all(|(i, p)| width_ok(i, p)) {
        return Err(RegionCodeProblem::Format);
    }
    if parts.iter().any(|p| p.bytes().all(|b| b == b'0')) {
        return Err(RegionCodeProblem::ZeroPart);
    }
    if parts.get(1) == Some(&"70") {
        return Err(RegionCodeProblem::RegencyNumber);
    }
    if parts
        .get(3)
        .is_some_and(|v| !matches!(v.as_bytes()[0], b'1'..=b'3'))
    {
        return Err(RegionCodeProblem::VillageKind);
    }
    Ok(())
}

impl RegionCode {
    /// Parses the dotted form; a 10-digit village code without dots is accepted too.
    pub fn parse(text: &str) -> Result<Self, RegionCodeError> {
        let trimmed = text.trim();
        let fail = |problem| RegionCodeError {
            input: text.to_owned(),
            problem,
        };
        if trimmed.is_empty() {
            return Err(fail(RegionCodeProblem::Empty));
        }
        let code = dotted(trimmed);
        let parts: Vec<&str> = code.split('.').collect();
        check_parts(&parts).map_err(fail)?;
        Ok(Self(code))
    }

    /// The dotted text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The digits without dots (10 for a village), the integer key of other systems.
    pub fn digits(&self) -> String {
        self.0.replace('.', "")
    }

    /// Level from the number of parts.
    pub fn level(&self) -> Level {
        match self.0.split('.').count() {
            1 => Level::Province,
            2 => Level::Regency,
            3 => Level::District,
            _ => Level::Village,
        }
    }

    /// One level up; `None` for a province.
    pub fn parent(&self) -> Option<Self> {
        self.0
            .rsplit_once('.')
            .map(|(parent, _)| Self(parent.to_owned()))
    }

    /// The ancestor at `level` (or itself), `None` if the code is above that level.
    pub fn at(&self, level: Level) -> Option<Self> {
        let own: Vec<&str> = self.0.split('.').collect();
        let parts = level.parts();
        (own.len() >= parts).then(|| Self(own[..parts].join(".")))
    }

    /// The province the code lies in (itself for a province).
    pub fn province(&self) -> Self {
        self.at(Level::Province).unwrap_or_else(|| self.clone())
    }

    /// The regency (kabupaten/kota), `None` for a province code.
    pub fn regency(&self) -> Option<Self> {
        self.at(Level::Regency)
    }

    /// The district (kecamatan), `None` above district level.
    pub fn district(&self) -> Option<Self> {
        self.at(Level::District)
    }

    /// Whether this code lies inside `other` (or is it).
    pub fn is_within(&self, other: &Self) -> bool {
        self.0 == other.0
            || (self.0.starts_with(&other.0) && self.0.as_bytes().get(other.0.len()) == Some(&b'.'))
    }

    /// Kelurahan, desa or desa adat, for village codes.
    pub fn village_kind(&self) -> Option<VillageKind> {
        let number = self.0.split('.').nth(3)?;
        match number.as_bytes()[0] {
            b'1' => Some(VillageKind::Kelurahan),
            b'2' => Some(VillageKind::Desa),
            _ => Some(VillageKind::DesaAdat),
        }
    }

    /// Kabupaten (01-69) rather than kota (71-99), for regency codes and below.
    pub fn is_kabupaten(&self) -> Option<bool> {
        let regency: u8 = self.0.split('.').nth(1)?.parse().ok()?;
        Some(regency < 70)
    }
}

impl FromStr for RegionCode {
    type Err = RegionCodeError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

impl TryFrom<String> for RegionCode {
    type Error = RegionCodeError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text)
    }
}

impl From<RegionCode> for String {
    fn from(code: RegionCode) -> Self {
        code.0
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
