//! Kemendagri region codes: `PP`, `PP.KK`, `PP.KK.CC`, `PP.KK.CC.VVVV`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

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

/// Kind of a village from the first digit of its number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VillageKind {
    /// Kelurahan (first digit 1).
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

/// Why a code is not valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("kode wilayah tidak valid / invalid region code: {0}")]
pub struct RegionCodeError(pub String);

impl RegionCode {
    /// Parses the dotted form; a 10-digit village code without dots is accepted too.
    pub fn parse(text: &str) -> Result<Self, RegionCodeError> {
        let text = text.trim();
        let dotted = if text.len() == 10 && text.bytes().all(|b| b.is_ascii_digit()) {
            format!(
                "{}.{}.{}.{}",
                &text[..2],
                &text[2..4],
                &text[4..6],
                &text[6..]
            )
        } else {
            text.to_owned()
        };
        let parts: Vec<&str> = dotted.split('.').collect();
        let widths_ok = parts.len() <= 4
            && parts.iter().enumerate().all(|(i, p)| {
                p.len() == if i == 3 { 4 } else { 2 } && p.bytes().all(|b| b.is_ascii_digit())
            });
        let nonzero = parts.iter().all(|p| p.bytes().any(|b| b != b'0'));
        let village_kind_ok = parts
            .get(3)
            .is_none_or(|v| matches!(v.as_bytes()[0], b'1'..=b'3'));
        if !widths_ok || !nonzero || !village_kind_ok {
            return Err(RegionCodeError(text.to_owned()));
        }
        Ok(Self(dotted))
    }

    /// The dotted text.
    pub fn as_str(&self) -> &str {
        &self.0
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
        let parts = match level {
            Level::Province => 1,
            Level::Regency => 2,
            Level::District => 3,
            Level::Village => 4,
        };
        let own: Vec<&str> = self.0.split('.').collect();
        (own.len() >= parts).then(|| Self(own[..parts].join(".")))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_level_and_the_undotted_village_form() {
        assert_eq!(
            RegionCode::parse("63").map(|c| c.level()),
            Ok(Level::Province)
        );
        assert_eq!(
            RegionCode::parse("63.03").map(|c| c.level()),
            Ok(Level::Regency)
        );
        assert_eq!(
            RegionCode::parse("63.03.05").map(|c| c.level()),
            Ok(Level::District)
        );
        let village = RegionCode::parse("6303052009").expect("undotted");
        assert_eq!(village.as_str(), "63.03.05.2009");
        assert_eq!(village.village_kind(), Some(VillageKind::Desa));
        assert_eq!(
            RegionCode::parse("63.03.05.1059")
                .expect("kel")
                .village_kind(),
            Some(VillageKind::Kelurahan)
        );
    }

    #[test]
    fn refuses_malformed_codes() {
        for bad in [
            "",
            "6",
            "630",
            "63.3",
            "63.03.05.209",
            "63.03.05.4009",
            "63.03.05.2009.1",
            "00",
            "ab.cd",
            "63.00",
        ] {
            assert!(RegionCode::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn parents_and_containment() {
        let village = RegionCode::parse("63.03.05.2009").expect("code");
        assert_eq!(
            village.parent().map(String::from).as_deref(),
            Some("63.03.05")
        );
        assert_eq!(
            village.at(Level::Regency).map(String::from).as_deref(),
            Some("63.03")
        );
        assert!(village.is_within(&RegionCode::parse("63.03").expect("code")));
        assert!(!village.is_within(&RegionCode::parse("63.04").expect("code")));
        assert_eq!(
            RegionCode::parse("63.71").expect("kota").is_kabupaten(),
            Some(false)
        );
        assert_eq!(RegionCode::parse("63").expect("prov").parent(), None);
    }
}
