//! `stationer preview NOTE --data CSV -o SHEET.png`: a contact sheet of a
//! whole batch (built by [`crate::batch::contact_sheet`] as one Scene),
//! drawn by the PNG exporter and written here.

use super::design_for;
use crate::batch::merge::read_csv;
use crate::batch::{contact_sheet, proofs};
use crate::diag::Result;
use crate::export::png::{self, PngOptions};
use crate::input::load_note;
use std::path::Path;

/// Widest contact sheet drawn, in pixels; the resolution is lowered to fit.
pub const SHEET_PIXELS_WIDE: f32 = 2400.0;

/// Draws the contact sheet of a note merged with a recipient list: the PNG.
pub fn run(note_path: &Path, layout: Option<&str>, data: &Path, dpi: u32) -> Result<Vec<u8>> {
    let note = load_note(note_path)?;
    let design = design_for(&note, layout)?;
    let recipients = read_csv(data)?;
    let (fonts, proofs) = proofs(&note, &design, &recipients, 0)?;
    let scene = contact_sheet(&design, &fonts, &proofs);
    let fit_dpi = (72.0 * SHEET_PIXELS_WIDE / scene.pages[0].width).floor() as u32;
    let dpi = dpi.min(fit_dpi).max(png::MIN_DPI);
    png::check_size(&scene.pages[0], dpi)?;
    let options = PngOptions {
        dpi,
        guides: false,
        background: None,
    };
    let image = png::render_png(&scene, 0, &options);
    Ok(png::encode_png(&image))
}
