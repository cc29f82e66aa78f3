//! Font bytes: loading, shaping, subsetting into a PDF, rasterising.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    stationer::fuzzing::font(data);
});
