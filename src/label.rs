//! Short lines of text set without fitting, for calibration sheets, contact
//! sheets and the like.

use crate::scene::{PlacedGlyph, Role, TextRun};
use crate::spec::design::{Rgb, Style};
use crate::text::{FontSet, Shaper};

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
        let scale = self.fonts.fonts[font].scale(size);
        let spacing = self.shaper.spacing(font);
        let mut out = String::new();
        let mut glyphs = Vec::new();
        let mut pen = 0.0f32;
        for (i, word) in text.split(' ').enumerate() {
            if i > 0 {
                glyphs.push(PlacedGlyph {
                    id: spacing.space.0,
                    x: pen,
                    dy: 0.0,
                    cluster: out.len() as u32,
                });
                out.push(' ');
                pen += spacing.space.1 as f32 * scale;
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
            let base = out.len();
            out.push_str(&shaped.text);
            for g in &shaped.glyphs {
                glyphs.push(PlacedGlyph {
                    id: g.id,
                    x: pen + g.x_offset as f32 * scale,
                    dy: -(g.y_offset as f32) * scale,
                    cluster: (base + g.cluster as usize) as u32,
                });
                pen += g.advance as f32 * scale;
            }
        }
        TextRun {
            font,
            size,
            x,
            y,
            width: pen,
            text: out,
            glyphs,
            color: Rgb::INK,
            role: Role::Body,
        }
    }
}
