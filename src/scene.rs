//! The Scene: the one display list every exporter reads.
//!
//! Pages of absolutely positioned items in points, with the origin at the
//! top-left corner of the trim box and y growing downwards. It holds no PDF
//! operators: the PDF exporter flips the y-axis once, the PNG exporter
//! rasterises, and the report reads the same text runs and boxes.

use crate::input::design::Rgb;
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
    /// A design element set in type (a monogram, a sender header): not part
    /// of the note, so not in the report's lines.
    Decoration,
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
    /// A crop or registration mark: printed on every separation (the PDF
    /// draws it in the `/All` separation; `color` is its preview colour).
    pub registration: bool,
}

/// A rectangle, filled, stroked or both.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Panel {
    /// The rectangle: for a stroke, the line's centre runs along its edges.
    pub rect: Rect,
    /// Fill colour (none: not filled).
    pub fill: Option<Rgb>,
    /// Outline colour and line width in points (none: not stroked). Corners are mitred.
    pub stroke: Option<(Rgb, f32)>,
}

pub use crate::input::image::ImageData;

/// An image placed on the page, stretched to a rectangle.
#[derive(Debug, Clone, PartialEq)]
pub struct Picture {
    /// The image.
    pub image: Arc<ImageData>,
    /// Where it goes: `[x0, y0, x1, y1]`, points.
    pub rect: Rect,
}

/// Something drawn.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A line of text.
    Text(TextRun),
    /// A rule.
    Stroke(Stroke),
    /// A rectangle (a tint, a frame).
    Panel(Panel),
    /// A logo or artwork.
    Image(Picture),
    /// An item drawn in previews only, never printed: the design of
    /// pre-printed stationery, or an element marked `preview_only`.
    Preview(Box<Item>),
}

impl Item {
    /// Whether the item prints (is not [`Item::Preview`]).
    pub fn prints(&self) -> bool {
        !matches!(self, Item::Preview(_))
    }

    /// The item moved by `dx`, `dy` points.
    pub fn translated(&self, dx: f32, dy: f32) -> Item {
        let shift = |r: Rect| [r[0] + dx, r[1] + dy, r[2] + dx, r[3] + dy];
        match self {
            Item::Text(run) => Item::Text(TextRun {
                x: run.x + dx,
                y: run.y + dy,
                ..run.clone()
            }),
            Item::Stroke(s) => Item::Stroke(Stroke {
                from: [s.from[0] + dx, s.from[1] + dy],
                to: [s.to[0] + dx, s.to[1] + dy],
                ..*s
            }),
            Item::Panel(b) => Item::Panel(Panel {
                rect: shift(b.rect),
                ..*b
            }),
            Item::Image(p) => Item::Image(Picture {
                image: p.image.clone(),
                rect: shift(p.rect),
            }),
            Item::Preview(inner) => Item::Preview(Box::new(inner.translated(dx, dy))),
        }
    }

    /// The area the item's ink can cover, `[x0, y0, x1, y1]`: a text run's
    /// box (advance width, ascent, descent), a stroke with half its width
    /// around it, a box with half its outline.
    pub fn bbox(&self, fonts: &[Arc<Font>]) -> Rect {
        match self {
            Item::Text(run) => run.bbox_with(fonts),
            Item::Stroke(s) => {
                let h = s.width / 2.0;
                [
                    s.from[0].min(s.to[0]) - h,
                    s.from[1].min(s.to[1]) - h,
                    s.from[0].max(s.to[0]) + h,
                    s.from[1].max(s.to[1]) + h,
                ]
            }
            Item::Panel(b) => {
                let h = b.stroke.map_or(0.0, |s| s.1 / 2.0);
                [b.rect[0] - h, b.rect[1] - h, b.rect[2] + h, b.rect[3] + h]
            }
            Item::Image(p) => p.rect,
            Item::Preview(inner) => inner.bbox(fonts),
        }
    }
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
    /// Where the items are drawn, when not where they say (default none):
    /// every exporter that draws the page (PDF and PNG) maps each point of
    /// every item through it; the page's size and boxes stay. The report
    /// reads the items as they are, so it keeps their intended places.
    pub transform: Option<Transform>,
    /// A folded card's fold, end to end (points from the trim box's top-left
    /// corner): drawn by the preview's guides, never printed.
    pub fold_line: Option<[[f32; 2]; 2]>,
}

/// An axis-aligned scale and move of a page's items: a point `(x, y)`
/// (points from the trim box's top-left corner, y down) is drawn at
/// `(x * scale[0] + offset[0], y * scale[1] + offset[1])`.
///
/// No rotation or shear: both exporters draw such a map exactly (text
/// included). Build one given on the sheet as it is shown with
/// [`Transform::on_page`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Transform {
    /// Scale across and down; 1 is none.
    pub scale: [f32; 2],
    /// Move across (positive right) and down (positive down), in points.
    pub offset: [f32; 2],
}

impl Transform {
    /// The transform that changes nothing.
    pub const IDENTITY: Transform = Transform {
        scale: [1.0, 1.0],
        offset: [0.0, 0.0],
    };

    /// Where a point is drawn.
    pub fn apply(&self, [x, y]: [f32; 2]) -> [f32; 2] {
        [
            x * self.scale[0] + self.offset[0],
            y * self.scale[1] + self.offset[1],
        ]
    }

    /// Where a box is drawn: `[x0, y0, x1, y1]` with `x0 <= x1`, `y0 <= y1`.
    pub fn apply_rect(&self, r: Rect) -> Rect {
        let [a, b] = [self.apply([r[0], r[1]]), self.apply([r[2], r[3]])];
        [
            a[0].min(b[0]),
            a[1].min(b[1]),
            a[0].max(b[0]),
            a[1].max(b[1]),
        ]
    }

    /// This transform, given on the sheet as a page is shown (its clockwise
    /// `rotate` applied; points from the top-left corner of the whole page,
    /// bleed included; y down), as a transform of the page's items.
    pub fn on_page(&self, page: &Page) -> Transform {
        let b = page.bleed as f64;
        let (w, h) = (page.width as f64 + 2.0 * b, page.height as f64 + 2.0 * b);
        let r = page.rotate.rem_euclid(360);
        // Item coordinates (bleed added) to the sheet as shown, and back.
        let to_shown = |x: f64, y: f64| match r {
            90 => (h - y, x),
            180 => (w - x, h - y),
            270 => (y, w - x),
            _ => (x, y),
        };
        let from_shown = |u: f64, v: f64| match r {
            90 => (v, h - u),
            180 => (w - u, h - v),
            270 => (w - v, u),
            _ => (u, v),
        };
        let map = |x: f64, y: f64| {
            let (u, v) = to_shown(x + b, y + b);
            let u = u * self.scale[0] as f64 + self.offset[0] as f64;
            let v = v * self.scale[1] as f64 + self.offset[1] as f64;
            let (x, y) = from_shown(u, v);
            (x - b, y - b)
        };
        let (e, f) = map(0.0, 0.0);
        let (ax, _) = map(1.0, 0.0);
        let (_, dy) = map(0.0, 1.0);
        Transform {
            scale: [(ax - e) as f32, (dy - f) as f32],
            offset: [e as f32, f as f32],
        }
    }
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
            transform: None,
            fold_line: None,
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
    /// Who the document is from (the signer), empty when nobody in
    /// particular: the PDF's author.
    pub author: String,
}

impl Scene {
    /// Sets every page's [`Page::transform`] from transforms given on the
    /// sheet as shown (see [`Transform::on_page`]): `odd` for pages 1, 3, …,
    /// `even` for pages 2, 4, … (the backs of sheets printed two-sided).
    pub fn place_on_sheets(&mut self, odd: Transform, even: Transform) {
        for (i, page) in self.pages.iter_mut().enumerate() {
            let t = if i % 2 == 0 { odd } else { even };
            page.transform = Some(t.on_page(page));
        }
    }
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
