//! Stationer turns short thank-you notes into print-ready stationery.
//!
//! One path from words to ink: [`input`] (note and design) → [`text`]
//! (fonts, shaping) → [`layout`] (line breaking, fitting, placing) →
//! [`scene`] (the one display list) → [`export`] (PDF, PNG, report).
//! The products are built on that path: [`batch`] (mail merge and
//! imposition), [`envelope`] and [`printer`] (profiles, calibration, CUPS).
#![forbid(unsafe_code)]

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

pub mod cli;
#[doc(hidden)]
pub mod fuzzing;

pub use input::{design_for, load_note};
pub use layout::{layout_card, Card};
