//! Placing: the fitted lines become text runs of absolutely positioned
//! glyphs in the Scene, over the design's elements, with the signature
//! area's optional guide line.

use super::decor::element_items;
use super::fit::{Fitted, SetLine};
use super::Content;
use crate::scene::{Item, Page, PlacedGlyph, Stroke, TextRun};
use crate::spec::design::Rgb;
use crate::spec::Design;
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
            .map(|l| Item::Text(run(l, content, design, fonts))),
    );
    if design.signature_guide {
        let [x0, _, x1, y1] = fitted.boxes.signature_box;
        let guide = Item::Stroke(Stroke {
            from: [x0, y1 - 0.5],
            to: [x1, y1 - 0.5],
            width: 0.4,
            color: GUIDE_GREY,
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
    }
}

fn run(line: &SetLine, content: &Content, design: &Design, fonts: &FontSet) -> TextRun {
    let scale = fonts.fonts[line.font].scale(line.size);
    let spacing = content.spacing[line.font];
    let mut text = String::new();
    let mut glyphs = Vec::new();
    let mut pen = 0.0f32;
    for part in &line.parts {
        if part.space_before {
            glyphs.push(PlacedGlyph {
                id: spacing.space.0,
                x: pen,
                dy: 0.0,
                cluster: text.len() as u32,
            });
            text.push(' ');
            pen += line.space;
        }
        let word = &part.word;
        let cluster_start = word.glyphs[part.glyphs.start].cluster as usize;
        let cluster_end = word
            .glyphs
            .get(part.glyphs.end)
            .map_or(word.text.len(), |g| g.cluster as usize);
        let base = text.len();
        text.push_str(&word.text[cluster_start..cluster_end]);
        for g in &word.glyphs[part.glyphs.clone()] {
            glyphs.push(PlacedGlyph {
                id: g.id,
                x: pen + g.x_offset as f32 * scale,
                dy: -(g.y_offset as f32) * scale,
                cluster: (base + g.cluster as usize - cluster_start) as u32,
            });
            pen += g.advance as f32 * scale;
        }
    }
    if line.hyphen {
        glyphs.push(PlacedGlyph {
            id: spacing.hyphen.0,
            x: pen,
            dy: 0.0,
            cluster: text.len() as u32,
        });
        text.push('-');
        pen += spacing.hyphen.1 as f32 * scale;
    }
    TextRun {
        font: line.font,
        size: line.size,
        x: line.x,
        y: line.baseline,
        width: pen,
        text,
        glyphs,
        color: design.color,
        role: line.role,
    }
}
