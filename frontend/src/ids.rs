//! Record ids made on the phone: UUIDv7 (time-ordered, so B-tree indexes stay compact).

use uuid::Uuid;

/// A new UUIDv7 from the browser clock and the browser's secure random source.
pub fn new_id() -> Uuid {
    let millis = js_sys::Date::now().max(0.0) as u64;
    let random = Uuid::new_v4();
    let mut bytes = [0_u8; 10];
    bytes.copy_from_slice(&random.as_bytes()[..10]);
    konvergen_shared::ids::new_v7(millis, bytes)
}
