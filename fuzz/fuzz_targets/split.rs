//! A recipient list split into one PDF per card: safe, distinct file names.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    stationer::fuzzing::split_names(data);
});
