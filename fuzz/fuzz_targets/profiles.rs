//! A printer profiles file: parsed, written back, applied to a card.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    stationer::fuzzing::profiles(data);
});
