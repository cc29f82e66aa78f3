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
use crate::text::shape::Spacing;
use crate::text::{FontSet, ShapedWord, Shaper};
use std::sync::Arc;

pub use fit::{fit, Fitted};
pub use place::place;

/// A shaped word and the face it is set in.
#[derive(Debug, Clone)]
pub struct Word {
    /// The shaped word.
    pub shaped: Arc<ShapedWord>,
    /// Index of the face in the font set.
    pub font: usize,
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

/// Every word a note needs shaped: face index, hyphenation, text.
pub fn words_to_shape<'n>(
    note: &'n Note,
    design: &Design,
    fonts: &FontSet,
) -> Vec<(usize, bool, &'n str)> {
    blocks(note, design)
        .into_iter()
        .flat_map(|b| {
            let font = fonts.index(b.style);
            b.words
                .into_iter()
                .map(move |(_, w)| (font, b.hyphenate, w))
        })
        .collect()
}

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
    for block in blocks(note, design) {
        let font = fonts.index(block.style);
        let shaped = block
            .words
            .iter()
            .map(|&(offset, text)| {
                shaper
                    .word(font, text, block.hyphenate)
                    .map(|shaped| Word { shaped, font })
                    .map_err(|missing| -> Error {
                        Diagnostic::at(
                            Place {
                                line: Some(block.field.line_of(offset + missing.offset)),
                                ..Place::file(&note.path)
                            },
                            format!(
                                "{}: the character '{}' (U+{:04X}) in {} is not in the font {}",
                                block.key,
                                crate::diag::escape(&missing.ch.to_string(), 8),
                                missing.ch as u32,
                                crate::diag::quote(text),
                                fonts.fonts[font].family
                            ),
                        )
                        .hint("replace the character, or choose a design whose font has it")
                        .into()
                    })
            })
            .collect::<Result<Vec<Word>>>()?;
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
    let fonts = FontSet::load(&design.font, &design.source.display_path())?;
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
