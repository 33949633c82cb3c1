//! The pull cursor: opaque to clients, versioned, and bound to the caller's scope and the
//! server's change-stream version, so a change of either forces a controlled re-pull instead
//! of silent gaps. A schema migration that leaves the meaning of change sequences alone (a new
//! cache table, an index) keeps every cursor valid: phones on 3G do not re-pull their village.
//!
//! Text form: `v1.<change_seq>.<scope_hash hex>.<stream version>`.

use std::fmt;

/// Position of a device in the server's change stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    /// Last server change sequence the device has.
    pub change_seq: u64,
    /// Hash of the caller's scope when the cursor was issued.
    pub scope_hash: u64,
    /// The server's change-stream version when the cursor was issued (the field keeps its
    /// old name: it held the schema version until schema 6, and the stream version continues
    /// from that number, so cursors issued then still read as current).
    pub schema_version: u32,
}

/// Why a cursor could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid cursor: {0}")]
pub struct CursorError(&'static str);

impl Cursor {
    /// Reads the text form; anything else is an error, never a panic.
    pub fn parse(text: &str) -> Result<Self, CursorError> {
        if text.len() > 80 {
            return Err(CursorError("too long"));
        }
        let mut parts = text.split('.');
        if parts.next() != Some("v1") {
            return Err(CursorError("unknown version"));
        }
        let change_seq = parts
            .next()
            .and_then(|p| p.parse().ok())
            .ok_or(CursorError("bad sequence"))?;
        let scope_hash = parts
            .next()
            .filter(|p| p.len() == 16)
            .and_then(|p| u64::from_str_radix(p, 16).ok())
            .ok_or(CursorError("bad scope"))?;
        let schema_version = parts
            .next()
            .and_then(|p| p.parse().ok())
            .ok_or(CursorError("bad schema version"))?;
        if parts.next().is_some() {
            return Err(CursorError("trailing data"));
        }
        Ok(Self {
            change_seq,
            scope_hash,
            schema_version,
        })
    }
}

impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "v1.{}.{:016x}.{}",
            self.change_seq, self.scope_hash, self.schema_version
        )
    }
}

/// Stable hash of a scope description (e.g. the sorted list of area codes).
pub fn scope_hash(scope: &str) -> u64 {
    super::checksum::fnv1a(scope.bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let cursor = Cursor {
            change_seq: 42,
            scope_hash: scope_hash("63.03.05.2009"),
            schema_version: 2,
        };
        assert_eq!(Cursor::parse(&cursor.to_string()), Ok(cursor));
    }

    #[test]
    fn refuses_garbage() {
        for bad in [
            "",
            "v2.1.0000000000000000.1",
            "v1.x.0000000000000000.1",
            "v1.1.00.1",
            "v1.1.0000000000000000",
            "v1.1.0000000000000000.1.9",
            "v1.-1.0000000000000000.1",
        ] {
            assert!(Cursor::parse(bad).is_err(), "{bad} should be refused");
        }
    }
}
