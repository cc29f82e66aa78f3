//! Placing: the fitted lines become text runs of absolutely positioned
//! glyphs in the Scene, over the design's elements, with the signature
//! area's optional guide line.

use super::decor::element_items;
use super::fit::{Fitted, SetLine};
use super::Content;
use crate::scene::{Item, Page, PlacedGlyph, Role, Stroke, TextRun};
use crate::spec::design::Rgb;
use crate::spec::Design;
use crate::text::{FontSet, ShapedWord};
use std::ops::Range;

/// Colour of the faint signature guide line.
pub const GUIDE_GREY: Rgb = Rgb([0.72, 0.72, 0.72]);

/// Builds the card's page from a fitted layout: the design's elements
/// first (under the text), then the note's lines, then the guide line. On
/// pre-printed stationery the guide, like the elements, shows only in previews.
pub fn place(fitted: &Fitted, content: &Content, design: &Design, fonts: &FontSet) -> Page {
    let mut items = element_items(design, &content.lettering);
    items.extend(
        fitted
            .lines
            .iter()
            .map(|l| Item::Text(run(l, content, design, fonts))),
    );
    if design.signature_guide {
        let [x0, _, x1, y1] = fitted.boxes.signature_box;
        let guide = Item::Stroke(Stroke {
            from: [x0, y1 - 0.5],
            to: [x1, y1 - 0.5],
            width: 0.4,
            color: GUIDE_GREY,
        });
        items.push(if design.preprinted {
            Item::Preview(Box::new(guide))
        } else {
            guide
        });
    }
    Page {
        width: design.width.0,
        height: design.height.0,
        bleed: design.bleed.0,
        items,
        card: Some(fitted.boxes),
        rotate: 0,
    }
}

fn run(line: &SetLine, content: &Content, design: &Design, fonts: &FontSet) -> TextRun {
    let spacing = content.spacing[line.font];
    let mut b = RunBuilder::new(fonts.fonts[line.font].scale(line.size));
    for part in &line.parts {
        if part.space_before {
            b.push_glyph(spacing.space.0, line.space, " ");
        }
        b.push_word(&part.word, part.glyphs.clone());
    }
    if line.hyphen {
        b.push_glyph(spacing.hyphen.0, spacing.hyphen.1 as f32 * b.scale, "-");
    }
    b.finish(
        line.font,
        line.size,
        [line.x, line.baseline],
        design.color,
        line.role,
    )
}

/// Builds a text run glyph by glyph, keeping its text and each glyph's
/// cluster offset in step.
#[derive(Debug, Default)]
pub struct RunBuilder {
    text: String,
    glyphs: Vec<PlacedGlyph>,
    /// Pen position from the run's origin, in points.
    pen: f32,
    /// Points per font unit.
    pub scale: f32,
}

impl RunBuilder {
    /// A run in a face at a scale (points per font unit).
    pub fn new(scale: f32) -> RunBuilder {
        RunBuilder {
            scale,
            ..RunBuilder::default()
        }
    }

    /// One glyph standing for `text` (a word space, an added hyphen),
    /// moving the pen `advance` points.
    pub fn push_glyph(&mut self, id: u16, advance: f32, text: &str) {
        self.glyphs.push(PlacedGlyph {
            id,
            x: self.pen,
            dy: 0.0,
            cluster: self.text.len() as u32,
        });
        self.text.push_str(text);
        self.pen += advance;
    }

    /// Glyphs `range` of a shaped word, with the text of their clusters.
    pub fn push_word(&mut self, word: &ShapedWord, range: Range<usize>) {
        let Some(first) = word.glyphs.get(range.start) else {
            return;
        };
        let cluster_start = first.cluster as usize;
        let cluster_end = word
            .glyphs
            .get(range.end)
            .map_or(word.text.len(), |g| g.cluster as usize);
        let base = self.text.len();
        self.text.push_str(&word.text[cluster_start..cluster_end]);
        for g in &word.glyphs[range] {
            self.glyphs.push(PlacedGlyph {
                id: g.id,
                x: self.pen + g.x_offset as f32 * self.scale,
                dy: -(g.y_offset as f32) * self.scale,
                cluster: (base + g.cluster as usize - cluster_start) as u32,
            });
            self.pen += g.advance as f32 * self.scale;
        }
    }

    /// The run, its baseline's left end at `origin`.
    pub fn finish(
        self,
        font: usize,
        size: f32,
        origin: [f32; 2],
        color: Rgb,
        role: Role,
    ) -> TextRun {
        TextRun {
            font,
            size,
            x: origin[0],
            y: origin[1],
            width: self.pen,
            text: self.text,
            glyphs: self.glyphs,
            color,
            role,
        }
    }
}
