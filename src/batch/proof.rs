//! Contact sheets: every row of a batch laid out as a labelled thumbnail in
//! a grid, cards that do not fit (or rows that do not merge) marked with
//! their problem, not skipped — one Scene page, for any exporter.

use super::merge::{Recipients, Template};
use super::{faces_for, impose::place_card, lay_out_round, shape_words, Job, Merging, NoteSurvey};
use crate::diag::{Diagnostic, Error, Result};
use crate::input::design::{Rgb, Style};
use crate::input::{Design, Note};
use crate::layout::run::Setter;
use crate::parallel;
use crate::scene::{Item, Page, Scene, Stroke};
use crate::text::FontSet;

/// The colour of a thumbnail's frame.
pub const FRAME: Rgb = Rgb([0.6, 0.6, 0.6]);
/// The colour of the frame, cross and label of a card that could not be made.
pub const FAIL: Rgb = Rgb([0.8, 0.1, 0.1]);

/// One card of a contact sheet: its row, a label, and the card's page or
/// why there is none.
#[derive(Debug)]
pub struct Proof {
    /// The recipient's row number.
    pub row: usize,
    /// The recipient's name (the `name` column, else the first column).
    pub name: String,
    /// The card, or the problems with the row (merging or fitting).
    pub card: Result<Page>,
}

/// Every row of a batch laid out for a contact sheet: cards that do not fit
/// (or rows that do not merge) are kept, with their problems, not skipped.
/// Returns the design's faces (the sheet's labels are set in them) and one
/// proof per row, in row order.
pub fn proofs(
    note: &Note,
    design: &Design,
    recipients: &Recipients,
    threads: usize,
) -> Result<(FontSet, Vec<Proof>)> {
    contact_sheet_page(design, recipients.rows.len())?;
    let template = Template::new(note, recipients)?;
    let name_col = recipients.column("name").unwrap_or(0);
    let threads = parallel::threads(threads);
    let mut jobs = Vec::new();
    let mut merged = Vec::new();
    let mut notes = NoteSurvey::default();
    for row in &recipients.rows {
        match template.merge(recipients, row) {
            Ok(n) => {
                notes.add(&n, design);
                merged.push(Ok(jobs.len()));
                jobs.push(Job {
                    row,
                    note: None,
                    copy: 1,
                    split_name: None,
                });
            }
            Err(e) => merged.push(Err(e)),
        }
    }
    let fonts = faces_for(&notes, design)?;
    let cache = shape_words(&notes, note, &fonts, threads);
    let merging = Merging {
        template: &template,
        recipients,
    };
    let mut laid: Vec<Option<Result<Page>>> =
        lay_out_round(&merging, &jobs, design, &fonts, &cache, threads)
            .into_iter()
            .map(|r| Some(r.map(|(page, _)| page)))
            .collect();
    let proofs = recipients
        .rows
        .iter()
        .zip(merged)
        .map(|(row, m)| Proof {
            row: row.number,
            name: row.values.get(name_col).cloned().unwrap_or_default(),
            card: m.and_then(|i| {
                laid[i]
                    .take()
                    .unwrap_or_else(|| Err(Diagnostic::new("not laid out").into()))
            }),
        })
        .collect();
    Ok((fonts, proofs))
}

/// The most cards one contact sheet shows: a 32 x 32 grid, whose thumbnails
/// are about 75 pixels wide on a 2,400-pixel sheet.
pub const MAX_SHEET_CARDS: usize = 1_000;

/// The grid of a contact sheet of `n` cards: columns, the card's size
/// (with bleed), the gap, the label size and the cell.
struct Grid {
    cols: usize,
    card: (f32, f32),
    gap: f32,
    label_size: f32,
    cell: (f32, f32),
}

impl Grid {
    fn new(design: &Design, n: usize) -> Grid {
        let card = (
            design.width.0 + 2.0 * design.bleed.0,
            design.height.0 + 2.0 * design.bleed.0,
        );
        let n = n.max(1);
        let cols = (n as f32).sqrt().ceil().max(1.0) as usize;
        let gap = card.0 * 0.08;
        let label_size = (card.1 * 0.075).max(8.0);
        let cell = (card.0 + gap, card.1 + label_size * 2.2 + gap);
        Grid {
            cols,
            card,
            gap,
            label_size,
            cell,
        }
    }

    fn page(&self, n: usize) -> Page {
        let rows = n.max(1).div_ceil(self.cols);
        Page::blank(
            self.cols as f32 * self.cell.0 + self.gap,
            rows as f32 * self.cell.1 + self.gap,
        )
    }
}

/// The blank page a contact sheet of `cards` cards would fill, for checking
/// its size before any card is laid out; more than [`MAX_SHEET_CARDS`] is
/// refused.
pub fn contact_sheet_page(design: &Design, cards: usize) -> Result<Page> {
    if cards > MAX_SHEET_CARDS {
        return Err(Diagnostic::new(format!(
            "a contact sheet of {cards} cards is too many to see; the limit is {MAX_SHEET_CARDS}"
        ))
        .hint("preview part of the recipient list, or check the whole batch with its report")
        .into());
    }
    Ok(Grid::new(design, cards).page(cards))
}

/// The contact sheet of a batch's proofs: one page holding every card in a
/// near-square grid (row by row), each framed and labelled with its row and
/// name; a card that could not be made is crossed out in red and labelled
/// with the gist of its problem. Labels are set in the design's regular face
/// by the one [`Setter`].
pub fn contact_sheet(design: &Design, fonts: &FontSet, proofs: &[Proof]) -> Scene {
    let grid = Grid::new(design, proofs.len());
    let Grid {
        cols,
        card: (cw, ch),
        gap,
        label_size,
        cell,
    } = grid;
    let mut page = grid.page(proofs.len());
    let mut setter = Setter::new(fonts);
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
                registration: false,
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
            Err(why) => format!("{}  {} — {}", proof.row, proof.name, gist(why)),
        };
        for mut run in setter.run(Style::Regular, label_size, x, y1 + label_size * 1.4, &label) {
            if !ok {
                run.color = FAIL;
            }
            page.items.push(Item::Text(run));
        }
    }
    Scene {
        fonts: fonts.fonts.clone(),
        pages: vec![page],
        title: "contact sheet".into(),
        author: String::new(),
    }
}

/// The gist of a problem, for a label under a thumbnail.
fn gist(why: &Error) -> &str {
    let first = why.0.first().map_or("", |d| d.message.as_str());
    if first.contains("does not fit") {
        "does not fit"
    } else {
        first.split(':').next().unwrap_or(first)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gist_names_a_card_that_does_not_fit() {
        let e: Error = Diagnostic::new("row 3: the note does not fit: cut 20 words").into();
        assert_eq!(gist(&e), "does not fit");
        let e: Error = Diagnostic::new("row 2, column \"title\": empty, but…").into();
        assert_eq!(gist(&e), "row 2, column \"title\"");
    }
}
