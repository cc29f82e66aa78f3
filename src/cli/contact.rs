//! `stationer preview NOTE --data CSV -o SHEET.png`: a contact sheet of a
//! whole batch — every card as a labelled thumbnail in a grid, cards that do
//! not fit marked, not skipped — drawn as one Scene by the PNG exporter.

use crate::batch::impose::place_card;
use crate::batch::merge::read_csv;
use crate::batch::proofs;
use crate::diag::Result;
use crate::export::png::{self, PngOptions};
use crate::input::design::{Rgb, Style};
use crate::input::{design_for, load_note};
use crate::layout::run::Setter;
use crate::scene::{Item, Page, Scene, Stroke};
use std::path::Path;

/// Widest contact sheet drawn, in pixels; the resolution is lowered to fit.
pub const SHEET_PIXELS_WIDE: f32 = 2400.0;

const FRAME: Rgb = Rgb([0.6, 0.6, 0.6]);
const FAIL: Rgb = Rgb([0.8, 0.1, 0.1]);

/// Draws the contact sheet of a note merged with a recipient list: the PNG.
pub fn run(note_path: &Path, layout: Option<&str>, data: &Path, dpi: u32) -> Result<Vec<u8>> {
    let note = load_note(note_path)?;
    let design = design_for(&note, layout)?;
    let recipients = read_csv(data)?;
    let (fonts, proofs) = proofs(&note, &design, &recipients, 0)?;
    let (cw, ch) = (
        design.width.0 + 2.0 * design.bleed.0,
        design.height.0 + 2.0 * design.bleed.0,
    );
    let n = proofs.len().max(1);
    let cols = (n as f32).sqrt().ceil().max(1.0) as usize;
    let rows = n.div_ceil(cols);
    let gap = cw * 0.08;
    let label_size = (ch * 0.075).max(8.0);
    let cell = (cw + gap, ch + label_size * 2.2 + gap);
    let mut page = Page::blank(cols as f32 * cell.0 + gap, rows as f32 * cell.1 + gap);
    let mut setter = Setter::new(&fonts);
    for (i, proof) in proofs.iter().enumerate() {
        let x = gap + (i % cols) as f32 * cell.0;
        let y = gap + (i / cols) as f32 * cell.1;
        let ok = proof.card.is_ok();
        if let Ok(card) = &proof.card {
            place_card(&mut page, card, [x, y]);
        }
        let color = if ok { FRAME } else { FAIL };
        let width = if ok { 1.0 } else { 4.0 };
        let (x1, y1) = (x + cw, y + ch);
        let mut line = |from, to| {
            page.items.push(Item::Stroke(Stroke {
                from,
                to,
                width,
                color,
            }));
        };
        line([x, y], [x1, y]);
        line([x1, y], [x1, y1]);
        line([x1, y1], [x, y1]);
        line([x, y1], [x, y]);
        if !ok {
            line([x, y], [x1, y1]);
            line([x1, y], [x, y1]);
        }
        let label = match &proof.card {
            Ok(_) => format!("{}  {}", proof.row, proof.name),
            Err(why) => format!("{}  {} — {}", proof.row, proof.name, short(why)),
        };
        let mut run = setter.run(Style::Regular, label_size, x, y1 + label_size * 1.4, &label);
        if !ok {
            run.color = FAIL;
        }
        page.items.push(Item::Text(run));
    }
    let scene = Scene {
        fonts: fonts.fonts.clone(),
        pages: vec![page],
        title: "contact sheet".into(),
    };
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

/// The gist of a problem, for a label under a thumbnail.
fn short(why: &str) -> &str {
    if why.contains("does not fit") {
        "does not fit"
    } else {
        why.split(':').next().unwrap_or(why)
    }
}
