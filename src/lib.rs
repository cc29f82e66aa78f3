//! Stationer turns short thank-you notes into print-ready stationery.
//!
//! One path from words to ink: [`input`] (note and design) → [`text`]
//! (fonts, shaping) → [`layout`] (line breaking, fitting, placing) →
//! [`scene`] (the one display list) → [`export`] (PDF, PNG, report).
//! The products are built on that path: [`batch`](mod@batch) (mail merge and
//! imposition), [`envelope`] and [`printer`] (profiles, calibration, CUPS).
//!
//! # The library's face
//!
//! A handful of functions over typed options, each returning
//! [`diag::Result`]: an [`Error`] is one or more [`Diagnostic`]s (severity,
//! place, message, hints); warnings come back beside the result in
//! [`Warned`], never printed.
//!
//! - [`load_note`] / [`parse_note`]: a note from a file or from text.
//! - [`render_pdf`], [`render_png`], [`check()`]: one card.
//! - [`batch()`]: many cards from a recipient list, optionally imposed.
//! - [`envelopes`]: one addressed envelope per recipient, as a Scene.
//! - [`calibration_sheet`]: the sheet that measures a printer, as a Scene,
//!   corrected by a printer profile when one is given.
//!
//! ```no_run
//! use stationer::{load_note, render_pdf, CardOptions};
//!
//! let note = load_note("samples/note.toml".as_ref())?;
//! let pdf = render_pdf(&note, &CardOptions::default())?;
//! std::fs::write("card.pdf", pdf.value).unwrap();
//! # Ok::<(), stationer::Error>(())
//! ```
//!
//! Everything below the face (the stages) is public too, for programs that
//! build their own products on the same engine.
//!
//! The command line lives behind the default `cli` feature; with
//! `default-features = false` neither clap nor indicatif is compiled.
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
pub mod check;
pub mod envelope;
pub mod printer;

/// The command line (the `cli` feature, on by default): clap definitions and
/// arguments turned into library calls; the only code that prints.
#[cfg(feature = "cli")]
#[doc(hidden)]
pub mod cli;
#[doc(hidden)]
pub mod fuzzing;
/// The live preview server (the `serve` feature, on by default):
/// `stationer serve`, a page on 127.0.0.1 that redraws the card as it is typed.
#[cfg(feature = "serve")]
pub mod serve;

pub use diag::{Diagnostic, Error, Result, Severity, Warned};
pub use export::png::PngOptions;
pub use input::{design_for, load_note, Note};
pub use layout::{layout_card, Card, Fitted};

use std::path::Path;

/// Options for one card.
#[derive(Debug, Clone, Default)]
pub struct CardOptions {
    /// A bundled design's name (`"portrait-a6"`) or a design file's path;
    /// overrides the note's `layout`. Default: none (the note's, else
    /// `classic-a2`).
    pub layout: Option<String>,
}

/// Parses a note from its TOML text; `path` names it in messages and is
/// what a `layout` path in the note is relative to.
pub fn parse_note(path: &Path, text: &str) -> Result<Note> {
    input::note::parse_note(path, text)
}

/// Lays a note out on its design: the Scene and what fitting decided.
/// A note with `{column}` placeholders is refused: it needs [`batch()`].
fn card(note: &Note, options: &CardOptions) -> Result<Card> {
    batch::merge::refuse_unfilled(note)?;
    let design = design_for(note, options.layout.as_deref())?;
    layout_card(note, &design)
}

/// A card as a print-ready PDF: the note at the largest size that fits
/// above the signature area, at the design's trim size, fonts embedded as
/// subsets. A note that does not fit at the design's smallest size is an
/// error saying how much to cut; a note with `{column}` placeholders is an
/// error naming them (fill them with [`batch()`]).
pub fn render_pdf(note: &Note, options: &CardOptions) -> Result<Warned<Vec<u8>>> {
    let card = card(note, options)?;
    Ok(Warned {
        value: export::write_pdf(&card.scene),
        warnings: card.fitted.warnings,
    })
}

/// A card as a PNG picture from the same Scene as the PDF (see
/// [`PngOptions`] for the resolution, guides and a background scan).
/// Warnings (a note set with faults, say) come back beside it, as from
/// [`render_pdf`].
pub fn render_png(note: &Note, options: &CardOptions, png: &PngOptions) -> Result<Warned<Vec<u8>>> {
    let card = card(note, options)?;
    export::png::check_size(&card.scene.pages[0], png.dpi)?;
    Ok(Warned {
        value: export::png::page_png(&card.scene, 0, png),
        warnings: card.fitted.warnings,
    })
}

/// Checks that a note fits its design, writing nothing: the size chosen,
/// the lines, the boxes and how full the space above the signature is.
pub fn check(note: &Note, options: &CardOptions) -> Result<Fitted> {
    Ok(card(note, options)?.fitted)
}

/// Many cards from a recipient list (CSV; `-` reads standard input, once a
/// process, as [`batch::merge::read_csv`] does): every row merged into the note
/// and fitted before anything is made, then one PDF (cards one per page, or
/// imposed on sheets), per-card PDFs and the report; see
/// [`batch::BatchOptions`].
pub fn batch(
    note: &Note,
    recipients: &Path,
    options: &CardOptions,
    batch: &batch::BatchOptions,
) -> Result<batch::BatchOutput> {
    let design = design_for(note, options.layout.as_deref())?;
    let recipients = batch::merge::read_csv(recipients)?;
    batch::run_batch(note, &design, &recipients, batch, &|_, _| ())
}

/// One envelope per recipient of a CSV list (`-`: standard input, as for
/// [`batch()`]), as a Scene (one page each) to
/// export as PDF or PNG; see [`envelope::EnvelopeOptions`]. The font is the
/// design's when `options.layout` is given, else Caladea.
pub fn envelopes(
    recipients: &Path,
    options: &CardOptions,
    envelope: &envelope::EnvelopeOptions,
) -> Result<Warned<scene::Scene>> {
    let fonts = match &options.layout {
        Some(l) => {
            let d = input::bundled::resolve(l, Path::new(""), None)?;
            text::FontSet::load(&d.font, &d.source.display_path())?
        }
        None => text::FontSet::load(
            &input::design::FontChoice::Bundled("caladea".into()),
            Path::new(""),
        )?,
    };
    let recipients = batch::merge::read_csv(recipients)?;
    envelope::make_envelopes(&recipients, &fonts, envelope)
}

/// The calibration sheet for a printer, as a Scene (page 1 the front with
/// rulers and crosses, page 2 the back): `sheet` is `letter`, `a4` or a card
/// design's name or file; `file_name` is what the sheet's printed
/// instructions call its PDF. With a profile the sheet is corrected by it,
/// to check a profile (the instructions say so).
pub fn calibration_sheet(
    sheet: &str,
    file_name: &str,
    profile: Option<&printer::profile::Profile>,
) -> Result<scene::Scene> {
    let sheet = printer::calibrate::Sheet::parse(sheet)?;
    let mut scene = printer::calibrate::calibration_sheet(
        &sheet,
        &printer::calibrate::SheetText {
            file_name,
            corrected_by: profile.map(|p| p.name.as_str()),
        },
    )?;
    if let Some(p) = profile {
        p.correct(&mut scene, true);
    }
    Ok(scene)
}
