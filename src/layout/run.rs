//! The one glyphs → `TextRun` builder, used by body text, lettering, labels,
//! calibration text, envelope addresses and the preview's guide labels;
//! and [`Setter`], which sets short lines without fitting.

use crate::input::design::{Rgb, Style};
use crate::input::note::words;
use crate::scene::{PlacedGlyph, Role, TextRun};
use crate::text::shape::MissingGlyph;
use crate::text::shape::Spacing;
use crate::text::{FontSet, ShapedWord, Shaper};
use std::ops::Range;

/// A line as set: one text run per stretch of one face, in display order,
/// their baselines on y = 0 and the line starting at x = 0; callers place,
/// colour and label them ([`LineRuns::placed`]).
#[derive(Debug, Clone, Default)]
pub struct LineRuns {
    /// The runs, left to right.
    pub runs: Vec<TextRun>,
    /// The line's width, in points.
    pub width: f32,
}

impl LineRuns {
    /// The runs with the line's baseline starting at `origin`, in a colour
    /// and a role.
    pub fn placed(self, origin: [f32; 2], color: Rgb, role: Role) -> Vec<TextRun> {
        self.runs
            .into_iter()
            .map(|r| TextRun {
                x: origin[0] + r.x,
                y: origin[1],
                color,
                role,
                ..r
            })
            .collect()
    }
}

/// A piece of a line: glyphs of a shaped word in one face, at its
/// bidirectional level, after a word space or glued to the piece before.
#[derive(Debug, Clone)]
pub struct Piece<'a> {
    /// The shaped word.
    pub word: &'a ShapedWord,
    /// Which of its glyphs.
    pub glyphs: Range<usize>,
    /// The face it is shaped in.
    pub font: usize,
    /// Its bidirectional embedding level (odd: right to left).
    pub level: u8,
    /// Whether a word space comes before it.
    pub space_before: bool,
}

/// A line of shaped words (see [`super::shape_words`]) as pieces: each
/// word whole, after a word space unless it is glued to the one before.
pub fn pieces_of(words: &[super::Word]) -> Vec<Piece<'_>> {
    words
        .iter()
        .enumerate()
        .map(|(i, w)| Piece {
            word: &w.shaped,
            glyphs: 0..w.shaped.glyphs.len(),
            font: w.font,
            level: w.level,
            space_before: i > 0 && !w.glued,
        })
        .collect()
}

/// How [`set_pieces`] sets a line.
#[derive(Debug, Clone, Copy)]
pub struct LineStyle<'s> {
    /// The line's own face; other faces are set at the size that matches
    /// its x-height.
    pub base: usize,
    /// Its size in points.
    pub size: f32,
    /// The width of a word space in points (justified text), or `None`
    /// for each face's own space.
    pub space: Option<f32>,
    /// Extra space after every glyph that advances, in ems (letter spacing).
    pub tracking: f32,
    /// Whether the line ends with an added hyphen.
    pub hyphen: bool,
    /// Space and hyphen glyphs per face.
    pub spacing: &'s [Spacing],
}

/// The one loop from a line's pieces to its runs: the pieces and the word
/// spaces between them in logical order, each at its level (a space at the
/// lower of its neighbours' levels, as the bidirectional algorithm resolves
/// it), put in display order — spaces move with the words around them —
/// and set run by run, a new run where the face changes.
pub fn set_pieces(fonts: &FontSet, pieces: &[Piece], style: &LineStyle) -> LineRuns {
    let mut items: Vec<(Option<usize>, u8)> = Vec::with_capacity(2 * pieces.len());
    for (i, p) in pieces.iter().enumerate() {
        if i > 0 && p.space_before {
            items.push((None, p.level.min(pieces[i - 1].level)));
        }
        items.push((Some(i), p.level));
    }
    let levels: Vec<u8> = items.iter().map(|it| it.1).collect();
    let order = crate::text::bidi::visual_order(&levels);
    let Some(first) = order.iter().find_map(|&k| items[k].0) else {
        return LineRuns::default();
    };
    let size = |font: usize| fonts.matched_size(font, style.base, style.size);
    // Room for the whole line (words, spaces and a hyphen) in every run.
    let glyphs = items.len() + 1 + pieces.iter().map(|p| p.glyphs.len()).sum::<usize>();
    let text = items.len() + 1 + pieces.iter().map(|p| p.word.text.len()).sum::<usize>();
    let builder = |font: usize| {
        let mut b = RunBuilder::new(fonts.fonts[font].scale(size(font)));
        b.glyphs.reserve_exact(glyphs);
        b.text.reserve_exact(text);
        b.tracking = style.tracking * size(font);
        b
    };
    let mut out = Vec::with_capacity(1);
    let mut font = pieces[first].font;
    let mut b = builder(font);
    // Where the current run starts, from the line's left end, in points.
    let mut start = 0.0;
    let mut pen = 0.0;
    let finish = |b: RunBuilder, font: usize, start: f32| {
        b.finish(font, size(font), [start, 0.0], Rgb::INK, Role::Body)
    };
    for &k in &order {
        let Some(i) = items[k].0 else {
            let (id, advance) = style.spacing[font].space;
            let width = style.space.unwrap_or(advance as f32 * b.scale);
            b.push_glyph(id, width, " ");
            pen += width + b.tracking;
            continue;
        };
        let piece = &pieces[i];
        if piece.font != font {
            let done = std::mem::replace(&mut b, builder(piece.font));
            out.push(finish(done, font, start));
            font = piece.font;
            start = pen;
        }
        let before = b.pen();
        // Letter spacing would pull joined Arabic letters apart: a
        // right-to-left word is set without it.
        let tracking = b.tracking;
        if piece.word.rtl {
            b.tracking = 0.0;
        }
        b.push_word(piece.word, piece.glyphs.clone());
        b.tracking = tracking;
        pen += b.pen() - before;
    }
    if style.hyphen {
        let (id, advance) = style.spacing[font].hyphen;
        b.push_glyph(id, advance as f32 * b.scale, "-");
    }
    out.push(finish(b, font, start));
    let width = out.last().map_or(0.0, |r| r.x + r.width);
    LineRuns { runs: out, width }
}

/// Sets one line of text in face `font` at `size` points: words split at
/// white space and joined by word spaces, each word in the first face of
/// the chain that has it (see [`super::shape_words`]), in display order,
/// with `tracking` ems of extra space after every glyph that advances
/// (none after the last, so a centred line stays centred). A character no
/// face has is an error giving its byte offset in `text`.
pub fn set_line(
    shaper: &mut Shaper,
    fonts: &FontSet,
    font: usize,
    text: &str,
    size: f32,
    tracking: f32,
) -> Result<LineRuns, MissingGlyph> {
    set_words(shaper, fonts, font, size, tracking, words(text), false)
}

/// Words to a line: shaped by [`super::shape_words`] and set by
/// [`set_pieces`] (a word space between words, also between empty ones, so
/// `"a  b"` keeps two spaces when split at `' '`). With `replace_missing`,
/// a character no face has is set as `?`.
fn set_words<'t>(
    shaper: &mut Shaper,
    fonts: &FontSet,
    font: usize,
    size: f32,
    tracking: f32,
    words: impl Iterator<Item = (usize, &'t str)>,
    replace_missing: bool,
) -> Result<LineRuns, MissingGlyph> {
    let words: Vec<(usize, &str)> = words.collect();
    let shaped = match super::shape_words(shaper, fonts, font, &words, false) {
        Ok(w) => w,
        Err(m) if !replace_missing => return Err(m),
        Err(_) => {
            let safe: Vec<String> = words
                .iter()
                .map(|(_, w)| {
                    w.chars()
                        .map(|c| {
                            let mut one = [0u8; 4];
                            let one = &*c.encode_utf8(&mut one);
                            match fonts.chain(font).any(|f| shaper.covers(f, one)) {
                                true => c,
                                false => '?',
                            }
                        })
                        .collect()
                })
                .collect();
            let safe: Vec<(usize, &str)> = words
                .iter()
                .zip(&safe)
                .map(|(&(offset, _), s)| (offset, s.as_str()))
                .collect();
            super::shape_words(shaper, fonts, font, &safe, false).unwrap_or_default()
        }
    };
    let spacing: Vec<Spacing> = (0..fonts.fonts.len()).map(|f| shaper.spacing(f)).collect();
    let pieces = pieces_of(&shaped);
    let style = LineStyle {
        base: font,
        size,
        space: None,
        tracking,
        hyphen: false,
        spacing: &spacing,
    };
    Ok(set_pieces(fonts, &pieces, &style))
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
        self.set(style, size, text).width
    }

    fn set(&mut self, style: Style, size: f32, text: &str) -> LineRuns {
        let font = self.fonts.index(style);
        let words = text
            .split(' ')
            .map(|w| (w.as_ptr() as usize - text.as_ptr() as usize, w));
        set_words(&mut self.shaper, self.fonts, font, size, 0.0, words, true)
            .expect("missing glyphs are replaced")
    }

    /// A line of text with its baseline's left end at `(x, y)`, split at
    /// single spaces, in ink, as body text. Characters no face has are set
    /// as `?`.
    pub fn run(&mut self, style: Style, size: f32, x: f32, y: f32, text: &str) -> Vec<TextRun> {
        self.set(style, size, text)
            .placed([x, y], Rgb::INK, Role::Body)
    }

    /// A line of text in face `font` (see [`set_line`]), at (0, 0).
    pub fn line(
        &mut self,
        font: usize,
        size: f32,
        tracking: f32,
        text: &str,
    ) -> Result<LineRuns, MissingGlyph> {
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
        assert_eq!(lettering.runs.len(), 1);
        let lettering = &lettering.runs[0];
        let label = Setter::new(&fonts).run(Style::Regular, 11.0, 0.0, 0.0, text);
        assert_eq!(label.len(), 1);
        let label = &label[0];
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
        let plain = &set_line(&mut shaper, &fonts, font, "AM", 15.0, 0.0)
            .unwrap()
            .runs[0];
        let spaced = &set_line(&mut shaper, &fonts, font, "AM", 15.0, 0.2)
            .unwrap()
            .runs[0];
        assert!((spaced.glyphs[1].x - plain.glyphs[1].x - 3.0).abs() < 1e-4);
        assert!((spaced.width - plain.width - 3.0).abs() < 1e-4);
        let missing = set_line(&mut shaper, &fonts, font, "ok 日本", 15.0, 0.0).unwrap_err();
        assert_eq!(missing.offset, 3);
    }

    #[test]
    fn a_line_of_two_scripts_takes_each_word_from_a_face_that_has_it() {
        // Lettering and envelope lines: a Hebrew name with a Latin suffix,
        // each word in a face that has it, the fallback at the size that
        // matches the design face's x-height, read right to left.
        let text = "Dr. דוד לוי, Jr.";
        let sources = crate::text::FontSources {
            paths: Vec::new(),
            system: false,
        };
        let fonts = FontSet::load_for(
            &FontChoice::Bundled("caladea".into()),
            Path::new("t"),
            &sources,
            text,
        )
        .unwrap();
        let font = fonts.index(Style::Regular);
        let mut shaper = Shaper::new(&fonts.fonts);
        let set = set_line(&mut shaper, &fonts, font, text, 11.0, 0.0).unwrap();
        assert_eq!(set.runs.len(), 3, "{:?}", set.runs);
        let [a, hebrew, c] = [&set.runs[0], &set.runs[1], &set.runs[2]];
        assert_eq!((a.font, c.font), (font, font));
        assert_ne!(hebrew.font, font);
        assert_eq!(hebrew.size, fonts.matched_size(hebrew.font, font, 11.0));
        // The name's second word is left of its first; the comma stays
        // with the English words.
        assert_eq!(hebrew.text, "לוי דוד");
        assert!(c.text.starts_with(", Jr."), "{:?}", c.text);
        assert!(a.x < hebrew.x && hebrew.x < c.x);
        assert!((set.width - (c.x + c.width)).abs() < 1e-4);
    }
}
