//! The one glyphs → `TextRun` builder, used by body text, lettering, labels,
//! calibration text, envelope addresses and the preview's guide labels;
//! and [`Setter`], which sets short lines without fitting.

use crate::input::design::{Rgb, Style};
use crate::scene::{PlacedGlyph, Role, TextRun};
use crate::text::{FontSet, ShapedWord, Shaper};
use std::ops::Range;

/// Sets short lines of text — labels, instructions — without fitting:
/// each word shaped, spaces at their natural width.
pub struct Setter<'f> {
    fonts: &'f FontSet,
    shaper: Shaper<'f>,
}

impl<'f> Setter<'f> {
    /// A setter for a font set.
    pub fn new(fonts: &'f FontSet) -> Setter<'f> {
        Setter {
            fonts,
            shaper: Shaper::new(&fonts.fonts),
        }
    }

    /// Width of a line of text, in points.
    pub fn width(&mut self, style: Style, size: f32, text: &str) -> f32 {
        self.run(style, size, 0.0, 0.0, text).width
    }

    /// A line of text with its baseline's left end at `(x, y)`. Characters
    /// the face lacks are set as `?`.
    pub fn run(&mut self, style: Style, size: f32, x: f32, y: f32, text: &str) -> TextRun {
        let font = self.fonts.index(style);
        let spacing = self.shaper.spacing(font);
        let mut b = RunBuilder::new(self.fonts.fonts[font].scale(size));
        for (i, word) in text.split(' ').enumerate() {
            if i > 0 {
                b.push_glyph(spacing.space.0, spacing.space.1 as f32 * b.scale, " ");
            }
            if word.is_empty() {
                continue;
            }
            let shaped = match self.shaper.word(font, word, false) {
                Ok(w) => w,
                Err(_) => {
                    let safe: String = word
                        .chars()
                        .map(|c| if c.is_ascii_graphic() { c } else { '?' })
                        .collect();
                    match self.shaper.word(font, &safe, false) {
                        Ok(w) => w,
                        Err(_) => continue,
                    }
                }
            };
            b.push_word(&shaped, 0..shaped.glyphs.len());
        }
        b.finish(font, size, [x, y], Rgb::INK, Role::Body)
    }
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
