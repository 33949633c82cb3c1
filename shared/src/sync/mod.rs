//! The sync protocol: wire types, the pull cursor, the scope checksum, and the client
//! engine that drives push and pull through small store and transport traits.

pub mod checksum;
pub mod cursor;
pub mod engine;
pub mod memory;
pub mod outbox;
pub mod protocol;

pub use checksum::ScopeChecksum;
pub use cursor::Cursor;
pub use protocol::*;
