//! Layout: shaped words into lines (total-fit breaking), the largest size
//! that fits above the signature area, and the card's page in the Scene.
//!
//! `prepare` shapes the note once; `fit` tries sizes; `place` turns the
//! chosen layout into Scene items. [`lay_out`] is that chain, the one
//! every product uses (render, preview, batch, contact sheets).

pub mod decor;
pub mod fit;
pub mod front;
pub mod linebreak;
pub mod place;
pub mod run;

use crate::diag::{Diagnostic, Error, Place, Result};
use crate::input::design::Style;
use crate::input::note::{words, Field};
use crate::input::{Design, Note};
use crate::scene::{Page, Scene};
use crate::text::shape::MissingGlyph;
use crate::text::shape::Spacing;
use crate::text::{bidi, FontSet, ShapedWord, Shaper};
use std::sync::Arc;

pub use fit::{fit, Fitted};
pub use place::place;

/// A shaped word and the face it is set in.
#[derive(Debug, Clone)]
pub struct Word {
    /// The shaped word.
    pub shaped: Arc<ShapedWord>,
    /// Index of the face in the font set: the block's own face when it has
    /// every character of the word, else the first fallback that has them
    /// all (a word is set in one face wherever one face can set it).
    pub font: usize,
    /// The block's own face (its word spaces and hyphens).
    pub base: usize,
    /// Bidirectional embedding level (odd: right to left).
    pub level: u8,
    /// Whether the word continues the one before it without a space or a
    /// break: a part of a word no single face could set.
    pub glued: bool,
    /// Whether its paragraph is right to left (set flush right).
    pub rtl_paragraph: bool,
}

/// A note shaped in a design's faces, before any size is chosen.
#[derive(Debug, Clone)]
pub struct Content {
    /// The greeting's words (may be empty).
    pub greeting: Vec<Word>,
    /// The body's paragraphs.
    pub body: Vec<Vec<Word>>,
    /// The closing's words (may be empty).
    pub closing: Vec<Word>,
    /// The printed name's words.
    pub signer: Vec<Word>,
    /// Space and hyphen glyphs per face.
    pub spacing: Vec<Spacing>,
    /// The design's lettering (monogram, header), set from the note: the
    /// index of its element in the design and its run.
    pub lettering: Vec<(usize, crate::scene::TextRun)>,
}

impl Content {
    /// Number of words in the body.
    pub fn body_words(&self) -> usize {
        self.body.iter().map(Vec::len).sum()
    }
}

/// A run of words to shape: which field, its words (with byte offsets into
/// the field), the face and whether to find hyphenation points.
struct Block<'n> {
    key: &'static str,
    field: &'n Field,
    words: Vec<(usize, &'n str)>,
    style: Style,
    hyphenate: bool,
}

/// The note's text in reading order: greeting, body paragraphs, closing, signer.
fn blocks<'n>(note: &'n Note, design: &Design) -> Vec<Block<'n>> {
    let single = |key, field: &'n Field, style| Block {
        key,
        field,
        words: words(&field.text).collect(),
        style,
        hyphenate: false,
    };
    let mut blocks = Vec::new();
    if let Some(f) = &note.greeting {
        blocks.push(single("greeting", f, design.greeting_style));
    }
    for p in note.paragraphs() {
        blocks.push(Block {
            key: "body",
            field: &note.body,
            words: p,
            style: Style::Regular,
            hyphenate: design.hyphenate,
        });
    }
    if let Some(f) = &note.closing {
        blocks.push(single("closing", f, design.closing_style));
    }
    blocks.push(single("signer", &note.signer, design.signer_style));
    blocks
}

/// Every word a note needs shaped, block by block: the block's style,
/// whether its words may be hyphenated, and its words (see
/// [`face_of_word`] for a word's face).
pub fn words_to_shape<'n>(
    note: &'n Note,
    design: &Design,
) -> impl Iterator<Item = (Style, bool, impl Iterator<Item = &'n str>)> {
    blocks(note, design)
        .into_iter()
        .map(|b| (b.style, b.hyphenate, b.words.into_iter().map(|(_, w)| w)))
}

/// The face a word of a block in `style` is shaped in first: the style's
/// own face, else the first fallback that has all its characters.
pub fn face_of_word(fonts: &FontSet, style: Style, word: &str) -> usize {
    let font = fonts.index(style);
    fonts
        .chain(font)
        .find(|&f| fonts.fonts[f].covers(word))
        .unwrap_or(font)
}

/// Shapes the words of one paragraph or line set in face `base`: each word
/// in the first face of the chain that has all its characters, or, when
/// none has, cut into parts of one face each; with bidirectional levels.
/// A character no face has is returned with its byte offset from the
/// offsets of `words`.
pub fn shape_words(
    shaper: &mut Shaper,
    fonts: &FontSet,
    base: usize,
    words: &[(usize, &str)],
    hyphenate: bool,
) -> std::result::Result<Vec<Word>, MissingGlyph> {
    let levels = bidi::levels(words.iter().map(|w| w.1));
    let mut out = Vec::with_capacity(words.len());
    // Each word's pieces (most words: one), in a buffer reused.
    let mut pieces = Vec::new();
    for (k, &(offset, text)) in words.iter().enumerate() {
        // A word whose characters the bidirectional algorithm puts at
        // different levels is set as glued parts, one per level; without a
        // right-to-left letter in the paragraph, every word is one run.
        let one = [(0..text.len(), levels.words[k])];
        let runs: &[(std::ops::Range<usize>, u8)] = levels.runs.get(k).map_or(&one, |r| r);
        let single = runs.len() == 1;
        for (j, (range, level)) in runs.iter().enumerate() {
            let hyphenate = hyphenate && single;
            pieces.clear();
            shape_piece(
                shaper,
                fonts,
                base,
                &text[range.clone()],
                hyphenate,
                &mut pieces,
            )
            .map_err(|m| MissingGlyph {
                offset: offset + range.start + m.offset,
                ..m
            })?;
            for (n, (shaped, font)) in pieces.drain(..).enumerate() {
                out.push(Word {
                    shaped,
                    font,
                    base,
                    level: *level,
                    glued: j > 0 || n > 0,
                    rtl_paragraph: levels.rtl,
                });
            }
        }
    }
    Ok(out)
}

/// Shapes one word (or a run of one level in it) into `out`: in the first
/// face of the chain that has all its characters, or, when none has, as
/// parts of one face each. A missing character's offset is from the start
/// of `text`.
fn shape_piece(
    shaper: &mut Shaper,
    fonts: &FontSet,
    base: usize,
    text: &str,
    hyphenate: bool,
    out: &mut Vec<(Arc<ShapedWord>, usize)>,
) -> std::result::Result<(), MissingGlyph> {
    // The first face that shapes the whole word (a word shaped before is
    // found in the cache at once).
    for font in fonts.chain(base) {
        if font != base && !shaper.covers(font, text) {
            continue;
        }
        if let Ok(shaped) = shaper.word(font, text, hyphenate) {
            out.push((shaped, font));
            return Ok(());
        }
    }
    // The last resort: runs of characters of one face each.
    let mut parts: Vec<(usize, usize, usize)> = Vec::new(); // font, start, end
    for (i, c) in text.char_indices() {
        let end = i + c.len_utf8();
        let mut one = [0u8; 4];
        let one = &*c.encode_utf8(&mut one);
        let same = parts.last().is_some_and(|&(f, _, _)| shaper.covers(f, one));
        if same {
            parts.last_mut().expect("checked").2 = end;
            continue;
        }
        let Some(font) = fonts.chain(base).find(|&f| shaper.covers(f, one)) else {
            return Err(MissingGlyph { ch: c, offset: i });
        };
        parts.push((font, i, end));
    }
    for (font, start, end) in parts {
        let shaped = shaper
            .word(font, &text[start..end], false)
            .map_err(|m| MissingGlyph {
                offset: start + m.offset,
                ..m
            })?;
        out.push((shaped, font));
    }
    Ok(())
}

/// The message for a character no face has: which, where, and how to add
/// a font that has it.
pub fn missing_message(
    fonts: &FontSet,
    base: usize,
    key: &str,
    text: &str,
    m: MissingGlyph,
) -> String {
    let mut at = m.offset.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let word = text[..at]
        .char_indices()
        .rev()
        .find(|&(_, c)| crate::input::note::is_word_space(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = text[at..]
        .find(crate::input::note::is_word_space)
        .map_or(text.len(), |i| at + i);
    format!(
        "{key}: the character '{}' (U+{:04X}) in {} is in none of the fonts ({} and the bundled fallbacks)",
        crate::diag::escape(&m.ch.to_string(), 8),
        m.ch as u32,
        crate::diag::quote(&text[word..end]),
        fonts.fonts[base].family
    )
}

/// The hint for a character no face has.
pub const MISSING_HINT: &str = "add a font that has it: install it on the system, or name its folder \
     with the font path option or the STATIONER_FONT_PATH environment variable; or replace the character";

/// Shapes every field of a note in the design's faces, and the design's
/// lettering. A character that no face draws is an error naming the
/// character, the field and its line.
pub fn prepare(
    note: &Note,
    design: &Design,
    fonts: &FontSet,
    shaper: &mut Shaper,
) -> Result<Content> {
    let mut content = Content {
        greeting: Vec::new(),
        body: Vec::new(),
        closing: Vec::new(),
        signer: Vec::new(),
        spacing: (0..fonts.fonts.len()).map(|i| shaper.spacing(i)).collect(),
        lettering: decor::set_lettering(note, design, fonts, shaper)?,
    };
    shaper.lang = note.lang.clone();
    for block in blocks(note, design) {
        let font = fonts.index(block.style);
        let shaped = shape_words(shaper, fonts, font, &block.words, block.hyphenate).map_err(
            |missing| -> Error {
                Diagnostic::at(
                    Place {
                        line: Some(block.field.line_of(missing.offset)),
                        ..Place::file(&note.path)
                    },
                    missing_message(fonts, font, block.key, &block.field.text, missing),
                )
                .hint(MISSING_HINT)
                .into()
            },
        )?;
        match block.key {
            "greeting" => content.greeting = shaped,
            "body" => content.body.push(shaped),
            "closing" => content.closing = shaped,
            _ => content.signer = shaped,
        }
    }
    Ok(content)
}

/// The stage chain, written once and used by render, preview and batch:
/// shape the note (`prepare`), choose the largest size that fits (`fit`),
/// and set the chosen layout as the card's page (`place`).
///
/// The shaper is the caller's, so a batch can lend every card one cache of
/// words shaped beforehand ([`Shaper::with_shared`]); a single card passes
/// a fresh [`Shaper::new`].
pub fn lay_out(
    note: &Note,
    design: &Design,
    fonts: &FontSet,
    shaper: &mut Shaper,
) -> Result<(Page, Fitted)> {
    let content = prepare(note, design, fonts, shaper)?;
    let fitted = fit(&content, design, fonts, &note.path)?;
    let page = place(&fitted, &content, design, fonts);
    Ok((page, fitted))
}

/// A card laid out: the Scene (one page) and the layout decisions.
#[derive(Debug, Clone)]
pub struct Card {
    /// The display list every exporter reads.
    pub scene: Scene,
    /// Size, lines and boxes chosen by fitting.
    pub fitted: Fitted,
}

/// Lays out one card in its design's faces ([`lay_out`]) as a Scene.
pub fn layout_card(note: &Note, design: &Design) -> Result<Card> {
    let fonts = FontSet::load_for(
        &design.font,
        &design.source.display_path(),
        &design.font_sources,
        &note_text(note),
    )?;
    let (page, fitted) = lay_out(note, design, &fonts, &mut Shaper::new(&fonts.fonts))?;
    Ok(Card {
        scene: Scene {
            fonts: fonts.fonts.clone(),
            pages: vec![page],
            title: card_title(note),
            author: note.signer.text.trim().to_string(),
        },
        fitted,
    })
}

/// All the text of a note, for finding fonts that have its characters.
pub fn note_text(note: &Note) -> String {
    let mut text: String = note.fields().map(|(_, f)| f.text.as_str()).collect();
    if let Some(c) = &note.contact {
        text.push_str(&c.text);
    }
    text
}

/// The document title of one card: "Dear Ann — Alex Morgan", or "A note
/// from Alex Morgan" without a greeting.
pub fn card_title(note: &Note) -> String {
    match &note.greeting {
        Some(g) => format!(
            "{} — {}",
            g.text.trim().trim_end_matches(','),
            note.signer.text.trim()
        ),
        None => format!("A note from {}", note.signer.text.trim()),
    }
}
