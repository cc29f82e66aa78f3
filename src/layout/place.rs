//! Placing: the fitted lines become text runs of absolutely positioned
//! glyphs in the Scene, over the design's elements, with the signature
//! area's optional guide line.

use super::decor::element_items;
use super::fit::{Fitted, SetLine};
use super::run::{set_pieces, LineStyle, Piece};
use super::Content;
use crate::input::design::Rgb;
use crate::input::Design;
use crate::scene::{Item, Page, Stroke, TextRun};
use crate::text::FontSet;

/// Colour of the faint signature guide line.
pub const GUIDE_GREY: Rgb = Rgb([0.72, 0.72, 0.72]);

/// Builds the card's page from a fitted layout: the design's elements
/// first (under the text), then the note's lines, then the guide line. On
/// pre-printed stationery the guide, like the elements, shows only in previews.
pub fn place(fitted: &Fitted, content: &Content, design: &Design, fonts: &FontSet) -> Page {
    let mut items = element_items(design, &content.lettering);
    items.reserve(fitted.lines.len() + 1);
    items.extend(
        fitted
            .lines
            .iter()
            .flat_map(|l| runs(l, content, design, fonts))
            .map(Item::Text),
    );
    if design.signature_guide {
        let [x0, _, x1, y1] = fitted.boxes.signature_box;
        let guide = Item::Stroke(Stroke {
            from: [x0, y1 - 0.5],
            to: [x1, y1 - 0.5],
            width: 0.4,
            color: GUIDE_GREY,
            registration: false,
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
        transform: None,
        fold_line: super::front::fold_line(design),
    }
}

/// A line's text runs: its word parts in display order (bidirectional
/// reordering), one run per stretch of one face, by the one line setter.
fn runs(line: &SetLine, content: &Content, design: &Design, fonts: &FontSet) -> Vec<TextRun> {
    let pieces: Vec<Piece> = line
        .parts
        .iter()
        .map(|p| Piece {
            word: &p.word,
            glyphs: p.glyphs.clone(),
            font: p.font,
            level: p.level,
            space_before: p.space_before,
        })
        .collect();
    let style = LineStyle {
        base: line.font,
        size: line.size,
        space: Some(line.space),
        tracking: 0.0,
        hyphen: line.hyphen,
        spacing: &content.spacing,
    };
    set_pieces(fonts, &pieces, &style).placed([line.x, line.baseline], design.color, line.role)
}

/// How far a character hangs into the margin, as fractions of its advance
/// `(at a line's start, at its end)`: microtype's default protrusion for
/// punctuation (full stop 0.7, comma 0.5, hyphen 0.7, dashes, quotes), so
/// justified edges look straight. Letters do not hang.
pub fn protrusion(c: char) -> (f32, f32) {
    match c {
        '.' => (0.0, 0.7),
        ',' => (0.0, 0.5),
        ':' | ';' => (0.0, 0.5),
        '!' | '?' => (0.0, 0.1),
        '-' | '\u{2010}' | '\u{2011}' => (0.0, 0.7),
        '\u{2013}' => (0.2, 0.2),
        '\u{2014}' => (0.15, 0.15),
        '\u{2018}' | '\u{2019}' | '\'' => (0.3, 0.4),
        '\u{201C}' | '\u{201D}' | '"' => (0.3, 0.3),
        '\u{00AB}' | '\u{00BB}' => (0.2, 0.2),
        _ => (0.0, 0.0),
    }
}
