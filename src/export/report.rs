//! The report (`--report`): every card's size, boxes and lines as JSON,
//! read from the Scene (DESIGN.md "The report").

use crate::scene::{Item, Rect, Scene};
use serde::Serialize;

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
        .filter_map(|(i, page)| {
            let card = page.card?;
            let lines = page
                .items
                .iter()
                .filter_map(|item| match item {
                    Item::Text(run) => Some(LineReport {
                        text: run.text.clone(),
                        bbox: round(run.bbox(scene)),
                    }),
                    _ => None,
                })
                .collect();
            Some(CardReport {
                page: i + 1,
                width: page.width,
                height: page.height,
                font_size: (card.font_size * 100.0).round() / 100.0,
                body_box: round(card.body_box),
                signature_box: round(card.signature_box),
                lines,
            })
        })
        .collect();
    Report { cards }
}

/// The report as pretty-printed JSON.
pub fn write_report(scene: &Scene) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(&report(scene)).unwrap_or_default();
    out.push(b'\n');
    out
}
