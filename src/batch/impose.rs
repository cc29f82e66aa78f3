//! Imposition: card pages placed on sheets in a grid, with crop marks
//! outside every trim edge, and duplex backs turned to suit the printer.

use crate::diag::{Diagnostic, Result};
use crate::input::design::Rgb;
use crate::paper::{self, Use};
use crate::scene::{Item, Page, Stroke};
use crate::units::{Pt, Unit};

/// Gap between a trim line and its crop mark, in points (0.125 in).
pub const CROP_OFFSET: f32 = 9.0;
/// Length of a crop mark, in points (0.25 in).
pub const CROP_LEN: f32 = 18.0;
/// Stroke width of a crop mark, in points.
pub const CROP_WIDTH: f32 = 0.25;
/// Space kept free at the sheet's edges when there are no crop marks, in points.
pub const SHEET_MARGIN: f32 = 18.0;
/// The shortest crop mark drawn, in points: a grid that leaves less room
/// than [`CROP_OFFSET`] plus this (and half the stroke) outside it on some
/// side is refused with crop marks.
pub const CROP_MIN_LEN: f32 = 4.0;

/// Parses a sheet: a named sheet (`letter`, `legal`, `a4`, `a5`,
/// `tabloid`; see [`paper::PAPERS`]) or `WxH` with units (`8.5x11in`,
/// `210x297mm`). Returns (width, height) in points.
pub fn parse_sheet(s: &str) -> Result<(f32, f32)> {
    if let Some(p) = paper::find(Use::Sheet, s) {
        return Ok((p.width.0, p.height.0));
    }
    let bad = |why: String| {
        Diagnostic::for_option("sheet", why).hint(format!(
            "use {}, or WxH such as 8.5x11in",
            paper::names(Use::Sheet).join(", ")
        ))
    };
    let (w, h) =
        paper::parse_wxh(s).map_err(|_| bad(format!("unknown sheet {}", crate::diag::quote(s))))?;
    if w.0 < 72.0 || h.0 < 72.0 {
        return Err(bad(format!(
            "sheet {} is smaller than 1in a side",
            crate::diag::quote(s)
        ))
        .into());
    }
    Ok((w.0, h.0))
}

/// Parses a grid `COLSxROWS`, e.g. `2x4` (1 to 100 cards).
pub fn parse_grid(s: &str) -> Result<(usize, usize)> {
    let bad = || {
        Diagnostic::for_option(
            "grid",
            format!("{} is not COLSxROWS", crate::diag::quote(s)),
        )
        .hint("write cards across and down, e.g. 2x4")
    };
    let (c, r) = s.trim().split_once(['x', 'X']).ok_or_else(bad)?;
    let c: usize = c.trim().parse().map_err(|_| bad())?;
    let r: usize = r.trim().parse().map_err(|_| bad())?;
    if c == 0 || r == 0 || c * r > 100 {
        return Err(Diagnostic::for_option(
            "grid",
            format!("{} must hold 1 to 100 cards", crate::diag::quote(s)),
        )
        .into());
    }
    Ok((c, r))
}

/// How a duplex printer turns the sheet over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Duplex {
    /// Flipped on the short edge.
    Short,
    /// Flipped on the long edge.
    Long,
}

impl Duplex {
    /// The PDF's `/ViewerPreferences /Duplex` for this flip.
    pub fn flip(self) -> crate::export::pdf::DuplexFlip {
        match self {
            Duplex::Short => crate::export::pdf::DuplexFlip::ShortEdge,
            Duplex::Long => crate::export::pdf::DuplexFlip::LongEdge,
        }
    }

    /// Whether the back of a sheet of this size must be turned 180° so it
    /// comes out upright: a sheet turned over on the edge that runs
    /// across the text (the top edge as read) lands upside down.
    pub fn back_turned(self, width: f32, height: f32) -> bool {
        let landscape = width > height;
        match self {
            Duplex::Long => landscape,
            Duplex::Short => !landscape,
        }
    }
}

/// Where cards go on a sheet.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Imposition {
    /// Sheet width in points.
    pub sheet_w: f32,
    /// Sheet height in points.
    pub sheet_h: f32,
    /// Cards across.
    pub cols: usize,
    /// Cards down.
    pub rows: usize,
    /// Card trim width.
    pub card_w: f32,
    /// Card trim height.
    pub card_h: f32,
    /// Space between cards.
    pub gutter: f32,
    /// Top-left corner of the grid on the sheet.
    pub origin: [f32; 2],
    /// Draw crop marks.
    pub crop_marks: bool,
    /// Crop mark lengths, shortened to stay on the sheet: the marks left and
    /// right of the grid, then those above and below (points).
    pub mark_len: [f32; 2],
    /// For folded cards: score marks in line with each card's fold, beside
    /// the crop marks (drawn when crop marks are).
    pub fold: Option<crate::input::design::Fold>,
}

impl Imposition {
    /// Plans a grid: as many cards as fit (or `grid`), centred on the sheet;
    /// the sheet is turned to landscape when that holds more cards.
    pub fn plan(
        sheet: (f32, f32),
        card: (f32, f32),
        grid: Option<(usize, usize)>,
        gutter: f32,
        crop_marks: bool,
    ) -> Result<Imposition> {
        let margin = if crop_marks {
            CROP_OFFSET + CROP_LEN
        } else {
            SHEET_MARGIN
        };
        let fit = |avail: f32, size: f32| {
            ((avail - 2.0 * margin + gutter) / (size + gutter))
                .floor()
                .max(0.0) as usize
        };
        let count = |(w, h): (f32, f32)| (fit(w, card.0), fit(h, card.1));
        let portrait = (sheet.0.min(sheet.1), sheet.0.max(sheet.1));
        let landscape = (portrait.1, portrait.0);
        let (pc, pr) = count(portrait);
        let (lc, lr) = count(landscape);
        // Lengths in messages in the unit the sheet is named in.
        let unit = Unit::of_size(Pt(sheet.0), Pt(sheet.1));
        let len = |v: f32| Pt(v).show(unit);
        let (sheet, (cols, rows)) = match grid {
            Some(g) => {
                let needs = |(w, h): (f32, f32)| {
                    g.0 as f32 * card.0 + (g.0 - 1) as f32 * gutter <= w + 1e-3
                        && g.1 as f32 * card.1 + (g.1 - 1) as f32 * gutter <= h + 1e-3
                };
                let as_given = (sheet.0, sheet.1);
                let turned = (sheet.1, sheet.0);
                if needs(as_given) {
                    (as_given, g)
                } else if needs(turned) {
                    (turned, g)
                } else {
                    return Err(Diagnostic::for_option(
                        "grid",
                        format!(
                            "a {}x{} grid of {} x {} cards does not fit on a {} x {} sheet",
                            g.0,
                            g.1,
                            len(card.0),
                            len(card.1),
                            len(sheet.0),
                            len(sheet.1)
                        ),
                    )
                    .into());
                }
            }
            None if lc * lr > pc * pr => (landscape, (lc, lr)),
            None => (portrait, (pc, pr)),
        };
        if cols * rows == 0 {
            return Err(Diagnostic::for_option(
                "sheet",
                format!(
                    "a {} x {} card does not fit on a {} x {} sheet{}",
                    len(card.0),
                    len(card.1),
                    len(sheet.0),
                    len(sheet.1),
                    if crop_marks { " with crop marks" } else { "" }
                ),
            )
            .hint("choose a larger sheet")
            .into());
        }
        let grid_w = cols as f32 * card.0 + (cols - 1) as f32 * gutter;
        let grid_h = rows as f32 * card.1 + (rows - 1) as f32 * gutter;
        // Room outside the grid on each side, less the offset and half a stroke.
        let room = |sheet: f32, grid: f32| {
            ((sheet - grid) / 2.0 - CROP_OFFSET - CROP_WIDTH / 2.0).min(CROP_LEN)
        };
        let mark_len = [room(sheet.0, grid_w), room(sheet.1, grid_h)];
        if crop_marks && mark_len.iter().any(|&l| l < CROP_MIN_LEN) {
            let (side, space) = if mark_len[0] < CROP_MIN_LEN {
                ("left and right", (sheet.0 - grid_w) / 2.0)
            } else {
                ("top and bottom", (sheet.1 - grid_h) / 2.0)
            };
            return Err(Diagnostic::for_option(
                "crop_marks",
                format!(
                    "a {cols}x{rows} grid of {} x {} cards leaves {} at the {side} of the {} x {} sheet; \
                     crop marks need at least {} there",
                    len(card.0),
                    len(card.1),
                    len(space.max(0.0)),
                    len(sheet.0),
                    len(sheet.1),
                    len(CROP_OFFSET + CROP_MIN_LEN + CROP_WIDTH / 2.0)
                ),
            )
            .hint("choose a smaller grid or a larger sheet, or leave out the crop marks")
            .into());
        }
        Ok(Imposition {
            sheet_w: sheet.0,
            sheet_h: sheet.1,
            cols,
            rows,
            card_w: card.0,
            card_h: card.1,
            gutter,
            origin: [(sheet.0 - grid_w) / 2.0, (sheet.1 - grid_h) / 2.0],
            crop_marks,
            mark_len: mark_len.map(|l| l.max(0.0)),
            fold: None,
        })
    }

    /// Cards per sheet.
    pub fn per_sheet(&self) -> usize {
        self.cols * self.rows
    }

    /// Top-left corner of slot `i` (row by row from the top left).
    pub fn slot(&self, i: usize) -> [f32; 2] {
        let (c, r) = (i % self.cols, i / self.cols);
        [
            self.origin[0] + c as f32 * (self.card_w + self.gutter),
            self.origin[1] + r as f32 * (self.card_h + self.gutter),
        ]
    }

    /// An empty sheet, with crop marks when asked for.
    pub fn sheet(&self) -> Page {
        let mut page = Page::blank(self.sheet_w, self.sheet_h);
        if self.crop_marks {
            page.items
                .extend(self.crop_mark_strokes().into_iter().map(Item::Stroke));
        }
        page
    }

    /// Crop marks: outside the grid, in line with every trim edge, so no
    /// mark enters any card, and shortened where the sheet leaves less room
    /// (never off the sheet); for folded cards, score marks half as long in
    /// line with every fold.
    pub fn crop_mark_strokes(&self) -> Vec<Stroke> {
        let [gx, gy] = self.origin;
        let gx1 = gx + self.cols as f32 * self.card_w + (self.cols - 1) as f32 * self.gutter;
        let gy1 = gy + self.rows as f32 * self.card_h + (self.rows - 1) as f32 * self.gutter;
        let mut xs = Vec::new();
        for c in 0..self.cols {
            let x = gx + c as f32 * (self.card_w + self.gutter);
            xs.push(x);
            xs.push(x + self.card_w);
        }
        let mut ys = Vec::new();
        for r in 0..self.rows {
            let y = gy + r as f32 * (self.card_h + self.gutter);
            ys.push(y);
            ys.push(y + self.card_h);
        }
        for v in [&mut xs, &mut ys] {
            v.sort_by(f32::total_cmp);
            v.dedup_by(|a, b| (*a - *b).abs() < 1e-3);
        }
        let o = CROP_OFFSET;
        let [lx, ly] = self.mark_len;
        let stroke = |from, to| Stroke {
            from,
            to,
            width: CROP_WIDTH,
            color: Rgb([0.0, 0.0, 0.0]),
            registration: true,
        };
        let mut marks = Vec::new();
        for &y in &ys {
            marks.push(stroke([gx - o - lx, y], [gx - o, y]));
            marks.push(stroke([gx1 + o, y], [gx1 + o + lx, y]));
        }
        for &x in &xs {
            marks.push(stroke([x, gy - o - ly], [x, gy - o]));
            marks.push(stroke([x, gy1 + o], [x, gy1 + o + ly]));
        }
        use crate::input::design::Fold;
        match self.fold {
            Some(Fold::Side) => {
                for c in 0..self.cols {
                    let x = gx + c as f32 * (self.card_w + self.gutter) + self.card_w / 2.0;
                    marks.push(stroke([x, gy - o - ly / 2.0], [x, gy - o]));
                    marks.push(stroke([x, gy1 + o], [x, gy1 + o + ly / 2.0]));
                }
            }
            Some(Fold::Top) => {
                for r in 0..self.rows {
                    let y = gy + r as f32 * (self.card_h + self.gutter) + self.card_h / 2.0;
                    marks.push(stroke([gx - o - lx / 2.0, y], [gx - o, y]));
                    marks.push(stroke([gx1 + o, y], [gx1 + o + lx / 2.0, y]));
                }
            }
            None => {}
        }
        marks
    }
}

/// Copies a card page's items onto a sheet at an offset.
pub fn place_card(sheet: &mut Page, card: &Page, offset: [f32; 2]) {
    let [dx, dy] = offset;
    sheet
        .items
        .extend(card.items.iter().map(|item| item.translated(dx, dy)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheets_parse() {
        assert_eq!(parse_sheet("Letter").unwrap(), (612.0, 792.0));
        assert_eq!(parse_sheet("8.5x11in").unwrap(), (612.0, 792.0));
        let (w, h) = parse_sheet("210x297mm").unwrap();
        assert!((w - 595.276).abs() < 0.01 && (h - 841.89).abs() < 0.01);
        assert_eq!(parse_sheet("8.5inx11in").unwrap(), (612.0, 792.0));
        assert!(parse_sheet("huge").is_err());
        assert_eq!(parse_grid("2x4").unwrap(), (2, 4));
        assert!(parse_grid("0x4").is_err());
    }

    #[test]
    fn two_a2_cards_on_letter_match_the_bench_geometry() {
        let imp = Imposition::plan((612.0, 792.0), (396.0, 306.0), None, 0.0, true).unwrap();
        assert_eq!((imp.cols, imp.rows), (1, 2));
        assert_eq!(imp.slot(0), [108.0, 90.0]);
        assert_eq!(imp.slot(1), [108.0, 396.0]);
        // 3 horizontal and 2 vertical trim lines, marks on both sides of each.
        assert_eq!(imp.crop_mark_strokes().len(), 10);
    }

    #[test]
    fn landscape_when_it_holds_more() {
        // 5x3.5 in cards on Letter: 1x3 upright, 2x2 turned.
        let imp = Imposition::plan((612.0, 792.0), (360.0, 252.0), None, 0.0, false).unwrap();
        assert!(imp.per_sheet() >= 4, "{imp:?}");
    }

    #[test]
    fn backs_turn_on_the_edge_across_the_text() {
        assert!(Duplex::Short.back_turned(612.0, 792.0));
        assert!(!Duplex::Long.back_turned(612.0, 792.0));
        assert!(Duplex::Long.back_turned(612.0, 396.0));
        assert!(!Duplex::Short.back_turned(612.0, 396.0));
    }
}
