#![no_main]
//! See `konvergen_tests::fuzzing::push_apply` for what is checked.

libfuzzer_sys::fuzz_target!(|data: &[u8]| konvergen_tests::fuzzing::push_apply(data));
