//! The one glyphs → `TextRun` builder, used by body text, lettering, labels,
//! calibration text, envelope addresses and the preview's guide labels;
//! and [`Setter`], which sets short lines without fitting.

use crate::input::design::{Rgb, Style};
use crate::input::note::words;
use crate::scene::{PlacedGlyph, Role, TextRun};
use crate::text::shape::MissingGlyph;
use crate::text::{FontSet, ShapedWord, Shaper};
use std::ops::Range;

/// Sets one line of text in face `font` at `size` points: words split at
/// white space and joined by single word spaces, with `tracking` ems of extra
/// space after every glyph that advances (none after the last, so a centred
/// line stays centred). The run's baseline starts at (0, 0), in the ink
/// colour, as body text; callers place and colour it. A character the face
/// lacks is an error giving its byte offset in `text`.
pub fn set_line(
    shaper: &mut Shaper,
    fonts: &FontSet,
    font: usize,
    text: &str,
    size: f32,
    tracking: f32,
) -> Result<TextRun, MissingGlyph> {
    set_words(shaper, fonts, font, size, tracking, words(text), false)
}

/// The one loop from words to a run: a word space between words (also
/// between empty ones, so `"a  b"` keeps two spaces when split at `' '`),
/// each word shaped once. With `replace_missing`, a word with a character
/// the face lacks is set with `?` for every character that is not
/// printable ASCII, and left out if even that fails.
fn set_words<'t>(
    shaper: &mut Shaper,
    fonts: &FontSet,
    font: usize,
    size: f32,
    tracking: f32,
    words: impl Iterator<Item = (usize, &'t str)>,
    replace_missing: bool,
) -> Result<TextRun, MissingGlyph> {
    // One face for the whole line: the first of the chain that has every
    // character; words in display order.
    let words: Vec<(usize, &str)> = words.collect();
    let all: String = words.iter().map(|w| w.1).collect();
    let font = fonts.covering(font, &all).unwrap_or(font);
    let levels = crate::text::bidi::levels(words.iter().map(|w| w.1));
    let words = crate::text::bidi::visual_order(&levels.words)
        .into_iter()
        .map(|i| words[i]);
    let space = shaper.spacing(font).space;
    let mut b = RunBuilder::new(fonts.fonts[font].scale(size));
    b.tracking = tracking * size;
    for (i, (offset, word)) in words.enumerate() {
        if i > 0 {
            b.push_glyph(space.0, space.1 as f32 * b.scale, " ");
        }
        if word.is_empty() {
            continue;
        }
        let shaped = match shaper.word(font, word, false) {
            Ok(w) => w,
            Err(m) if !replace_missing => {
                return Err(MissingGlyph {
                    offset: offset + m.offset,
                    ..m
                })
            }
            Err(_) => {
                let safe: String = word
                    .chars()
                    .map(|c| if c.is_ascii_graphic() { c } else { '?' })
                    .collect();
                match shaper.word(font, &safe, false) {
                    Ok(w) => w,
                    Err(_) => continue,
                }
            }
        };
        b.push_word(&shaped, 0..shaped.glyphs.len());
    }
    Ok(b.finish(font, size, [0.0, 0.0], Rgb::INK, Role::Body))
}

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

    /// A line of text with its baseline's left end at `(x, y)`, split at
    /// single spaces. Characters the face lacks are set as `?`.
    pub fn run(&mut self, style: Style, size: f32, x: f32, y: f32, text: &str) -> TextRun {
        let font = self.fonts.index(style);
        let words = text
            .split(' ')
            .map(|w| (w.as_ptr() as usize - text.as_ptr() as usize, w));
        let run = set_words(&mut self.shaper, self.fonts, font, size, 0.0, words, true);
        TextRun {
            x,
            y,
            ..run.expect("missing glyphs are replaced")
        }
    }

    /// A line of text in face `font` (see [`set_line`]), at (0, 0).
    pub fn line(
        &mut self,
        font: usize,
        size: f32,
        tracking: f32,
        text: &str,
    ) -> Result<TextRun, MissingGlyph> {
        set_line(&mut self.shaper, self.fonts, font, text, size, tracking)
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
    /// Extra space after every glyph that advances, in points (letter
    /// spacing); the run's width leaves out the last one.
    pub tracking: f32,
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
        self.pen += advance + self.tracking;
    }

    /// The pen's position from the run's origin, in points.
    pub fn pen(&self) -> f32 {
        self.pen
    }

    /// Glyphs `range` of a shaped word, with the text of their clusters. A
    /// right-to-left word (glyphs in visual order) is always whole: its
    /// text is kept in logical order, each glyph pointing at its cluster.
    pub fn push_word(&mut self, word: &ShapedWord, range: Range<usize>) {
        let Some(first) = word.glyphs.get(range.start) else {
            return;
        };
        let (cluster_start, cluster_end) = if word.rtl {
            (0, word.text.len())
        } else {
            (
                first.cluster as usize,
                word.glyphs
                    .get(range.end)
                    .map_or(word.text.len(), |g| g.cluster as usize),
            )
        };
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
            if g.advance != 0 {
                self.pen += self.tracking;
            }
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
            width: if self.glyphs.is_empty() {
                0.0
            } else {
                (self.pen - self.tracking).max(0.0)
            },
            text: self.text,
            glyphs: self.glyphs,
            color,
            role,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::design::FontChoice;
    use std::path::Path;

    fn caladea() -> FontSet {
        FontSet::load(&FontChoice::Bundled("caladea".into()), Path::new("t")).unwrap()
    }

    #[test]
    fn labels_lettering_and_body_text_place_glyphs_alike() {
        let fonts = caladea();
        let font = fonts.index(Style::Regular);
        let text = "AVAST Yoyo, Tomorrow";
        // Lettering (set_line) and a label (Setter::run) of the same text.
        let mut shaper = Shaper::new(&fonts.fonts);
        let lettering = set_line(&mut shaper, &fonts, font, text, 11.0, 0.0).unwrap();
        let label = Setter::new(&fonts).run(Style::Regular, 11.0, 0.0, 0.0, text);
        assert_eq!(lettering.glyphs, label.glyphs);
        assert_eq!(lettering.text, label.text);
        assert_eq!(lettering.width, label.width);
        // Body text builds its runs word by word with the same builder.
        let mut b = RunBuilder::new(fonts.fonts[font].scale(11.0));
        let space = shaper.spacing(font).space;
        for (i, w) in text.split(' ').enumerate() {
            if i > 0 {
                b.push_glyph(space.0, space.1 as f32 * b.scale, " ");
            }
            let shaped = shaper.word(font, w, false).unwrap();
            b.push_word(&shaped, 0..shaped.glyphs.len());
        }
        let body = b.finish(font, 11.0, [0.0, 0.0], Rgb::INK, Role::Body);
        assert_eq!(body.glyphs, label.glyphs);
        // And it is kerned: "AV" sits closer than the two advances.
        let face = ttf_parser::Face::parse(fonts.fonts[font].data(), 0).unwrap();
        let a = face.glyph_index('A').unwrap();
        let unkerned = face.glyph_hor_advance(a).unwrap() as f32 * fonts.fonts[font].scale(11.0);
        assert!(
            label.glyphs[1].x < unkerned - 0.05,
            "{:?}",
            &label.glyphs[..2]
        );
    }

    #[test]
    fn tracking_spaces_letters_but_not_after_the_last() {
        let fonts = caladea();
        let font = fonts.index(Style::Regular);
        let mut shaper = Shaper::new(&fonts.fonts);
        let plain = set_line(&mut shaper, &fonts, font, "AM", 15.0, 0.0).unwrap();
        let spaced = set_line(&mut shaper, &fonts, font, "AM", 15.0, 0.2).unwrap();
        assert!((spaced.glyphs[1].x - plain.glyphs[1].x - 3.0).abs() < 1e-4);
        assert!((spaced.width - plain.width - 3.0).abs() < 1e-4);
        let missing = set_line(&mut shaper, &fonts, font, "ok 日本", 15.0, 0.0).unwrap_err();
        assert_eq!(missing.offset, 3);
    }
}
