//! Short lines of text set without fitting, for calibration sheets, contact
//! sheets and the like.

use crate::layout::place::RunBuilder;
use crate::scene::{Role, TextRun};
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
