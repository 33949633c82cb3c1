//! A cheap convergence check: count and XOR of per-record hashes over a scope.
//!
//! Both sides compute it over `(record_id, version)` of every live or deleted record in the
//! scope; XOR makes it independent of order, so the device can maintain it incrementally.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Count and order-independent hash of the records in a scope.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScopeChecksum {
    /// Number of records.
    pub count: u64,
    /// XOR of [`record_hash`] over the records, as 16 hex digits.
    #[serde(with = "hex_u64")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "00000000000000ff"))]
    pub xor: u64,
}

impl ScopeChecksum {
    /// Adds one record to the checksum.
    pub fn add(&mut self, record_id: Uuid, version: u64) {
        self.count += 1;
        self.xor ^= record_hash(record_id, version);
    }

    /// Builds the checksum of a whole set of records.
    pub fn of(records: impl IntoIterator<Item = (Uuid, u64)>) -> Self {
        let mut sum = Self::default();
        for (id, version) in records {
            sum.add(id, version);
        }
        sum
    }
}

/// Hash of one record version: FNV-1a over the id bytes and the version, stable across
/// platforms and releases.
pub fn record_hash(record_id: Uuid, version: u64) -> u64 {
    let bytes = record_id.as_bytes().iter().copied();
    fnv1a(bytes.chain(version.to_le_bytes()))
}

/// 64-bit FNV-1a: tiny, dependency-free, and identical in the browser and on the server.
pub fn fnv1a(bytes: impl IntoIterator<Item = u8>) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes.into_iter().fold(OFFSET, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(PRIME)
    })
}

mod hex_u64 {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &u64, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&format!("{value:016x}"))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
        let text = String::deserialize(deserializer)?;
        u64::from_str_radix(&text, 16).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_does_not_matter() {
        let a = (Uuid::from_u128(1), 1);
        let b = (Uuid::from_u128(2), 3);
        assert_eq!(ScopeChecksum::of([a, b]), ScopeChecksum::of([b, a]));
        assert_ne!(ScopeChecksum::of([a]), ScopeChecksum::of([b]));
    }

    #[test]
    fn version_changes_the_hash() {
        let id = Uuid::from_u128(7);
        assert_ne!(record_hash(id, 1), record_hash(id, 2));
    }

    #[test]
    fn serialises_as_hex() {
        let sum = ScopeChecksum { count: 2, xor: 255 };
        let json = serde_json::to_string(&sum).expect("json");
        assert_eq!(json, r#"{"count":2,"xor":"00000000000000ff"}"#);
        assert_eq!(
            serde_json::from_str::<ScopeChecksum>(&json).expect("back"),
            sum
        );
    }
}
