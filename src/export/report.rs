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
}

/// One card.
#[derive(Debug, Serialize)]
pub struct CardReport {
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
    Report { cards }
}

/// The entry of one card page (`None` for a page that is not a card).
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

fn round1(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}

/// The report as pretty-printed JSON.
pub fn write_report(scene: &Scene) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(&report(scene)).unwrap_or_default();
    out.push(b'\n');
    out
}
