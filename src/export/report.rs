//! The report (`--report`): every card's size, boxes and lines as JSON,
//! read from the Scene (DESIGN.md "The report").

use crate::scene::{Item, Page, Rect, Role, Scene};
use crate::text::Font;
use serde::Serialize;
use std::sync::Arc;

/// The whole report.
#[derive(Debug, Serialize)]
pub struct Report {
    /// One entry per card, in output order.
    pub cards: Vec<CardReport>,
    /// A batch made with `keep_going`: the rows that made no card, and why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skipped: Option<Vec<SkippedReport>>,
}

/// A row of a batch that made no card.
#[derive(Debug, Serialize)]
pub struct SkippedReport {
    /// The CSV data row (1-based).
    pub row: usize,
    /// Why, in one line.
    pub reason: String,
}

/// One card.
#[derive(Debug, Serialize)]
pub struct CardReport {
    /// A batch's card: the CSV data row it was made from (1-based).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<usize>,
    /// A batch's card: which copy of its row (1-based).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub copy: Option<usize>,
    /// 1-based page of the card in the PDF.
    pub page: usize,
    /// Trim width in points.
    pub width: f32,
    /// Trim height in points.
    pub height: f32,
    /// The body size chosen.
    pub font_size: f32,
    /// Where greeting, body and closing may go.
    pub body_box: Rect,
    /// The signature area, kept free of text.
    pub signature_box: Rect,
    /// Every line of text.
    pub lines: Vec<LineReport>,
    /// For a card imposed on a sheet: the sheet's page (1-based).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet_page: Option<usize>,
    /// For a card imposed on a sheet: the top-left corner of its trim box on the sheet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<[f32; 2]>,
}

/// One line of text.
#[derive(Debug, Serialize)]
pub struct LineReport {
    /// The text as it extracts.
    pub text: String,
    /// Its box: left end to right end, ascent to descent.
    #[serde(rename = "box")]
    pub bbox: Rect,
}

fn round(r: Rect) -> Rect {
    r.map(|v| (v * 100.0).round() / 100.0)
}

/// Builds the report of a Scene: one entry per card page.
pub fn report(scene: &Scene) -> Report {
    let cards = scene
        .pages
        .iter()
        .enumerate()
        .filter_map(|(i, page)| card_report(&scene.fonts, page, i + 1, None))
        .collect();
    Report {
        cards,
        skipped: None,
    }
}

/// The entry of one card page (`None` for a page that is not a card), in
/// the page's own coordinates (see [`CardReport::turned`] for a page shown
/// turned).
/// `page` is the card's 1-based page in the PDF; `placement` the sheet page
/// and offset when the card is imposed on a sheet.
pub fn card_report(
    fonts: &[Arc<Font>],
    card_page: &Page,
    page: usize,
    placement: Option<(usize, [f32; 2])>,
) -> Option<CardReport> {
    let card = card_page.card?;
    // A line set in more than one face is several runs on one baseline,
    // one after another: reported as the one line it is.
    let mut lines: Vec<LineReport> = Vec::new();
    let mut last: Option<(f32, Role)> = None;
    for item in &card_page.items {
        let Item::Text(run) = item else {
            last = None;
            continue;
        };
        if run.role == Role::Decoration {
            last = None;
            continue;
        }
        let bbox = run.bbox_with(fonts);
        match lines.last_mut() {
            Some(line) if last == Some((run.y, run.role)) => {
                line.text.push_str(&run.text);
                let b = &mut line.bbox;
                *b = round([
                    b[0].min(bbox[0]),
                    b[1].min(bbox[1]),
                    b[2].max(bbox[2]),
                    b[3].max(bbox[3]),
                ]);
            }
            _ => lines.push(LineReport {
                text: run.text.clone(),
                bbox: round(bbox),
            }),
        }
        last = Some((run.y, run.role));
    }
    Some(CardReport {
        row: None,
        copy: None,
        page,
        width: card_page.width,
        height: card_page.height,
        font_size: (card.font_size * 100.0).round() / 100.0,
        body_box: round(card.body_box),
        signature_box: round(card.signature_box),
        lines,
        sheet_page: placement.map(|p| p.0),
        offset: placement.map(|p| [round1(p.1[0]), round1(p.1[1])]),
    })
}

/// A box given on a page of `w` x `h` points (top-left origin, y down) as it
/// is on that page shown turned clockwise by `rotate` degrees, the way
/// poppler (`pdftotext -bbox`) and viewers report it.
pub fn shown(r: Rect, w: f32, h: f32, rotate: i32) -> Rect {
    let map = |x: f32, y: f32| match rotate.rem_euclid(360) {
        90 => [h - y, x],
        180 => [w - x, h - y],
        270 => [y, w - x],
        _ => [x, y],
    };
    let (a, b) = (map(r[0], r[1]), map(r[2], r[3]));
    [
        a[0].min(b[0]),
        a[1].min(b[1]),
        a[0].max(b[0]),
        a[1].max(b[1]),
    ]
}

impl CardReport {
    /// This entry for a card on a page (or sheet, of `sheet` size) that is
    /// shown turned clockwise by `rotate` degrees: boxes and offset in the
    /// coordinates of the page as displayed.
    pub fn turned(mut self, rotate: i32, sheet: Option<(f32, f32)>) -> CardReport {
        if rotate.rem_euclid(360) == 0 {
            return self;
        }
        let (w, h) = (self.width, self.height);
        let turn = |r: Rect| round(shown(r, w, h, rotate));
        self.body_box = turn(self.body_box);
        self.signature_box = turn(self.signature_box);
        for l in &mut self.lines {
            l.bbox = turn(l.bbox);
        }
        if rotate.rem_euclid(180) == 90 {
            std::mem::swap(&mut self.width, &mut self.height);
        }
        if let (Some([x, y]), Some((sw, sh))) = (self.offset, sheet) {
            let r = shown([x, y, x + w, y + h], sw, sh, rotate);
            self.offset = Some([round1(r[0]), round1(r[1])]);
        }
        self
    }
}

fn round1(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}

/// The report as pretty-printed JSON.
pub fn write_report(scene: &Scene) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(&report(scene)).unwrap_or_default();
    out.push(b'\n');
    out
}
