//! `stationer preview NOTE --data CSV -o SHEET.png`: a contact sheet of a
//! whole batch (built by [`crate::batch::contact_sheet`] as one Scene),
//! drawn by the PNG exporter and written here.

use super::design_for;
use crate::batch::merge::read_csv;
use crate::batch::{contact_sheet, contact_sheet_page, proofs};
use crate::diag::Result;
use crate::export::png::{self, PngOptions};
use crate::input::load_note;
use std::path::Path;

/// Widest contact sheet drawn, in pixels; the resolution is lowered to fit.
pub const SHEET_PIXELS_WIDE: f32 = 2400.0;

/// Draws the contact sheet of a note merged with a recipient list: the PNG.
/// When some rows make no card (they do not merge or do not fit) it is an
/// error listing them all, as `check --data` does, and nothing is drawn.
pub fn run(note_path: &Path, layout: Option<&str>, data: &Path, dpi: u32) -> Result<Vec<u8>> {
    let note = load_note(note_path)?;
    let design = design_for(&note, layout)?;
    let recipients = read_csv(data)?;
    // The sheet's size and resolution are checked before any card is laid out.
    let blank = contact_sheet_page(&design, recipients.rows.len())?;
    let fit_dpi = (72.0 * SHEET_PIXELS_WIDE / blank.width).floor() as u32;
    let dpi = dpi.min(fit_dpi).max(png::MIN_DPI);
    png::check_size(&blank, dpi)?;
    let (fonts, proofs) = proofs(&note, &design, &recipients, 0)?;
    let failed: Vec<crate::diag::Diagnostic> = proofs
        .iter()
        .filter_map(|p| p.card.as_ref().err().map(|e| (p.row, e)))
        .flat_map(|(row, e)| {
            let place = recipients
                .rows
                .iter()
                .find(|r| r.number == row)
                .map(|r| recipients.place(r));
            let prefix = format!("row {row}");
            e.0.iter().map(move |d| crate::diag::Diagnostic {
                place: place.clone().or(d.place.clone()),
                message: if d.message.starts_with(&prefix) {
                    d.message.clone()
                } else {
                    format!("{prefix}: {}", d.message)
                },
                ..d.clone()
            })
        })
        .collect();
    if !failed.is_empty() {
        return Err(crate::diag::Error(failed));
    }
    let scene = contact_sheet(&design, &fonts, &proofs);
    let options = PngOptions {
        dpi,
        guides: false,
        background: None,
    };
    Ok(png::page_png(&scene, 0, &options))
}
