//! A recipient list merged into a note template, checked as a batch.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    stationer::fuzzing::merge(data);
});
