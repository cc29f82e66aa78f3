//! Placing: the fitted lines become text runs of absolutely positioned
//! glyphs in the Scene, over the design's elements, with the signature
//! area's optional guide line.

use super::decor::element_items;
use super::fit::{Fitted, SetLine};
use super::run::RunBuilder;
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
/// reordering of the line's words), one run per stretch of one face. A
/// line in the design's own face only is one run.
fn runs(line: &SetLine, content: &Content, design: &Design, fonts: &FontSet) -> Vec<TextRun> {
    // The line's parts and word spaces in logical order, each at its
    // level (a space between two parts at the lower of their levels, as
    // the bidirectional algorithm resolves it), then in display order:
    // spaces move with the words around them.
    let mut items: Vec<(Option<usize>, u8)> = Vec::new();
    for (i, p) in line.parts.iter().enumerate() {
        if i > 0 && p.space_before {
            items.push((None, p.level.min(line.parts[i - 1].level)));
        }
        items.push((Some(i), p.level));
    }
    let levels: Vec<u8> = items.iter().map(|it| it.1).collect();
    let order = crate::text::bidi::visual_order(&levels);
    let mut out = Vec::new();
    let Some(first) = order.iter().find_map(|&k| items[k].0) else {
        return out;
    };
    let size = |font: usize| fonts.matched_size(font, line.font, line.size);
    let mut font = line.parts[first].font;
    let mut b = RunBuilder::new(fonts.fonts[font].scale(size(font)));
    // Where the current run starts, from the line's left end, in points.
    let mut start = 0.0;
    let mut pen = 0.0;
    let finish = |b: RunBuilder, font: usize, start: f32| {
        b.finish(
            font,
            size(font),
            [line.x + start, line.baseline],
            design.color,
            line.role,
        )
    };
    for &k in &order {
        let Some(i) = items[k].0 else {
            b.push_glyph(content.spacing[font].space.0, line.space, " ");
            pen += line.space;
            continue;
        };
        let part = &line.parts[i];
        if part.font != font {
            let done = std::mem::replace(
                &mut b,
                RunBuilder::new(fonts.fonts[part.font].scale(size(part.font))),
            );
            out.push(finish(done, font, start));
            font = part.font;
            start = pen;
        }
        let before = b.pen();
        b.push_word(&part.word, part.glyphs.clone());
        pen += b.pen() - before;
    }
    if line.hyphen {
        let spacing = content.spacing[font];
        b.push_glyph(spacing.hyphen.0, spacing.hyphen.1 as f32 * b.scale, "-");
    }
    out.push(finish(b, font, start));
    out
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
