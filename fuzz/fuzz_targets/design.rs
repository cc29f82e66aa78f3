//! A design with elements and images, through layout to both exporters.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    stationer::fuzzing::design(data);
});
