#![no_main]
//! See `konvergen_tests::fuzzing::pull_cursor` for what is checked.

libfuzzer_sys::fuzz_target!(|data: &[u8]| konvergen_tests::fuzzing::pull_cursor(data));
