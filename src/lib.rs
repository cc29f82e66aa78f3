//! Stationer turns short thank-you notes into print-ready stationery.
//!
//! One path from words to ink: [`input`] (note and design) → [`text`]
//! (fonts, shaping) → [`layout`] (line breaking, fitting, placing) →
//! [`scene`] (the one display list) → [`export`] (PDF, PNG, report).
//! The products are built on that path: [`batch`] (mail merge and
//! imposition), [`envelope`] and [`printer`] (profiles, calibration, CUPS).
#![forbid(unsafe_code)]
#![warn(missing_docs)]
// A diagnostic (place, option, message, hints) is a little over clippy's
// 128-byte line for an error type; errors are the cold path, so it is not
// boxed.
#![allow(clippy::result_large_err)]

pub mod diag;
pub mod io;
pub mod paper;
pub mod parallel;
pub mod template;
pub mod units;

pub mod input;
pub mod text;

pub mod layout;
pub mod scene;

pub mod export;

pub mod batch;
pub mod envelope;
pub mod printer;

/// The command line (the `cli` feature, on by default): clap definitions and
/// arguments turned into library calls; the only code that prints.
#[cfg(feature = "cli")]
#[doc(hidden)]
pub mod cli;
#[doc(hidden)]
pub mod fuzzing;

pub use input::{design_for, load_note};
pub use layout::{layout_card, Card};
