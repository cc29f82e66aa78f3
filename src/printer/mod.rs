//! Printing: printer profiles (corrections measured from the calibration
//! sheet), the calibration sheet itself, preflight against unprintable
//! margins, and submission through CUPS.

pub mod calibrate;
pub mod cups;
pub mod feed;
pub mod media;
pub mod pdfinfo;
pub mod preflight;
pub mod profile;
