//! Layout: shaped words into lines (total-fit breaking), the largest size
//! that fits above the signature area, and the card's page in the Scene.
//!
//! `prepare` shapes the note once; `fit` tries sizes; `place` turns the
//! chosen layout into Scene items.

pub mod fit;
pub mod linebreak;
pub mod place;

use crate::diag::{Diagnostic, Place, Result};
use crate::spec::design::Style;
use crate::spec::note::{words, Field};
use crate::spec::{Design, Note};
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
}

impl Content {
    /// Number of words in the body.
    pub fn body_words(&self) -> usize {
        self.body.iter().map(Vec::len).sum()
    }
}

/// Shapes every field of a note in the design's faces. A character that no
/// face draws is an error naming the character, the field and its line.
pub fn prepare(
    note: &Note,
    design: &Design,
    fonts: &FontSet,
    shaper: &mut Shaper,
) -> Result<Content> {
    let mut shape_field = |key: &str,
                           field: &Field,
                           words: &[(usize, &str)],
                           style: Style,
                           hyphenate: bool| {
        let font = fonts.index(style);
        words
            .iter()
            .map(|&(offset, text)| {
                shaper
                    .word(font, text, hyphenate)
                    .map(|shaped| Word { shaped, font })
                    .map_err(|missing| {
                        let f = &fonts.fonts[font];
                        Diagnostic::at(
                            Place {
                                line: Some(field.line_of(offset + missing.offset)),
                                ..Place::file(&note.path)
                            },
                            format!(
                                "{key}: the character '{}' (U+{:04X}) in \"{text}\" is not in the font {}",
                                missing.ch, missing.ch as u32, f.family
                            ),
                        )
                        .hint("replace the character, or choose a design whose font has it")
                        .into()
                    })
            })
            .collect::<Result<Vec<Word>>>()
    };
    let greeting = match &note.greeting {
        Some(f) => shape_field(
            "greeting",
            f,
            &words(&f.text).collect::<Vec<_>>(),
            design.greeting_style,
            false,
        )?,
        None => Vec::new(),
    };
    let body = note
        .paragraphs()
        .iter()
        .map(|p| shape_field("body", &note.body, p, Style::Regular, design.hyphenate))
        .collect::<Result<Vec<_>>>()?;
    let closing = match &note.closing {
        Some(f) => shape_field(
            "closing",
            f,
            &words(&f.text).collect::<Vec<_>>(),
            design.closing_style,
            false,
        )?,
        None => Vec::new(),
    };
    let signer_words: Vec<(usize, &str)> = words(&note.signer.text).collect();
    let signer = shape_field(
        "signer",
        &note.signer,
        &signer_words,
        design.signer_style,
        false,
    )?;
    let spacing = (0..fonts.fonts.len()).map(|i| shaper.spacing(i)).collect();
    Ok(Content {
        greeting,
        body,
        closing,
        signer,
        spacing,
    })
}
