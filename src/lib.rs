//! Stationer turns short thank-you notes into print-ready stationery.
//!
//! One path from words to ink: [`spec`] (note and design) → [`text`]
//! (fonts, shaping) → [`layout`] (line breaking, fitting, placing) →
//! [`scene`] (the one display list) → [`export`] (PDF, PNG, report);
//! [`merge`] and [`batch`] make many cards from a recipient list and
//! [`impose`] puts them on sheets.
#![forbid(unsafe_code)]

pub mod batch;
pub mod calibrate;
pub mod card;
pub mod cli;
pub mod diag;
pub mod envelope;
pub mod export;
#[doc(hidden)]
pub mod fuzzing;
pub mod impose;
pub mod label;
pub mod layout;
pub mod layouts;
pub mod merge;
pub mod output;
pub mod parallel;
pub mod print;
pub mod profile;
pub mod scene;
pub mod spec;
pub mod text;
pub mod units;

pub use card::{design_for, layout_card, load_note, Card};
