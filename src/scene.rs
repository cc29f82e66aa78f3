//! The Scene: the one display list every exporter reads.
//!
//! Pages of absolutely positioned items in points, with the origin at the
//! top-left corner of the trim box and y growing downwards. It holds no PDF
//! operators: the PDF exporter flips the y-axis once, the PNG exporter
//! rasterises, and the report reads the same text runs and boxes.

use crate::spec::design::Rgb;
use crate::text::Font;
use std::sync::Arc;

/// A box `[x0, y0, x1, y1]` in points, top-left origin.
pub type Rect = [f32; 4];

/// What a text run is, for the report and the preview.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The greeting line(s).
    Greeting,
    /// A line of the message.
    Body,
    /// The closing line.
    Closing,
    /// The printed name under the signature area.
    Signer,
}

/// One glyph of a run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlacedGlyph {
    /// Glyph id in the run's font.
    pub id: u16,
    /// Horizontal position of the glyph origin, from the run's origin, in points.
    pub x: f32,
    /// Vertical offset from the baseline, in points, downwards.
    pub dy: f32,
    /// Byte offset into the run's text where this glyph's cluster starts.
    pub cluster: u32,
}

/// A line of text: glyphs at exact positions, and the text they show.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRun {
    /// Index into [`Scene::fonts`].
    pub font: usize,
    /// Font size in points.
    pub size: f32,
    /// Origin: left end of the baseline, in points.
    pub x: f32,
    /// Baseline, in points from the top.
    pub y: f32,
    /// Width of the run (origin to the end of the last advance), in points.
    pub width: f32,
    /// The text, as it extracts (spaces included).
    pub text: String,
    /// Glyphs in logical order.
    pub glyphs: Vec<PlacedGlyph>,
    /// Fill colour.
    pub color: Rgb,
    /// What the run is.
    pub role: Role,
}

/// A straight stroked line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stroke {
    /// Start point.
    pub from: [f32; 2],
    /// End point.
    pub to: [f32; 2],
    /// Line width in points.
    pub width: f32,
    /// Colour.
    pub color: Rgb,
}

/// Something drawn.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A line of text.
    Text(TextRun),
    /// A rule.
    Stroke(Stroke),
}

/// The boxes a card's layout decided, for the report and for preview guides.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CardBoxes {
    /// The body size chosen by fitting, in points.
    pub font_size: f32,
    /// The text area inside the margins.
    pub text_area: Rect,
    /// Where greeting, body and closing may go: the text area above the signature area.
    pub body_box: Rect,
    /// The signature area, kept free of text.
    pub signature_box: Rect,
}

/// One page.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Trim width in points.
    pub width: f32,
    /// Trim height in points.
    pub height: f32,
    /// Bleed beyond the trim on every side, in points (0 for none).
    pub bleed: f32,
    /// What is drawn, in painting order.
    pub items: Vec<Item>,
    /// The card's boxes, when the page is one card.
    pub card: Option<CardBoxes>,
    /// Clockwise rotation for display and printing, in degrees (0, 90, 180
    /// or 270; default 0). Used for the backs of duplex sheets.
    pub rotate: i32,
}

impl Page {
    /// An empty page of a trim size, with no bleed.
    pub fn blank(width: f32, height: f32) -> Page {
        Page {
            width,
            height,
            bleed: 0.0,
            items: Vec::new(),
            card: None,
            rotate: 0,
        }
    }
}

/// A document: pages and the fonts their text runs use.
#[derive(Debug, Clone)]
pub struct Scene {
    /// Fonts, referred to by index from text runs.
    pub fonts: Vec<Arc<Font>>,
    /// Pages in order.
    pub pages: Vec<Page>,
    /// Document title.
    pub title: String,
}

impl TextRun {
    /// Ascent of the run's font at its size, in points.
    pub fn ascent(&self, scene: &Scene) -> f32 {
        scene.fonts[self.font].ascent(self.size)
    }

    /// The run's box: `[x0, y0, x1, y1]` from the baseline, ascent and descent.
    pub fn bbox(&self, scene: &Scene) -> Rect {
        self.bbox_with(&scene.fonts)
    }

    /// The run's box, given the fonts its index refers to.
    pub fn bbox_with(&self, fonts: &[Arc<Font>]) -> Rect {
        let f = &fonts[self.font];
        [
            self.x,
            self.y - f.ascent(self.size),
            self.x + self.width,
            self.y + f.descent(self.size),
        ]
    }
}
