//! Design elements: a design's lettering (monogram, sender header) set
//! from the note, and every element turned into Scene items.
//!
//! Lettering is shaped with the note (it does not depend on the body size),
//! so [`set_lettering`] runs in `prepare` and can refuse a line that would
//! leave the card or reach into the text area; [`element_items`] runs in
//! `place`.

use super::run::set_line;
use crate::diag::{Diagnostic, Place, Result};
use crate::input::design::{
    border_frames, overlaps, Case, Design, ElementKind, HAlign, TextElement,
};
use crate::input::Note;
use crate::scene::{Item, Panel, Picture, Role, Stroke, TextRun};
use crate::text::{FontSet, Shaper};

/// The initials of a name: the first letter of each word, capitals, at most
/// three (first, second and last word). "Alex Morgan" gives "AM",
/// "Mary Ann de Vries" gives "MAV".
pub fn initials(name: &str) -> String {
    let letters: Vec<String> = name
        .split_whitespace()
        .filter_map(|w| w.chars().find(|c| c.is_alphabetic()))
        .map(|c| c.to_uppercase().collect())
        .collect();
    match letters.len() {
        0..=3 => letters.concat(),
        n => [&letters[0], &letters[1], &letters[n - 1]]
            .iter()
            .map(|s| s.as_str())
            .collect(),
    }
}

/// Text in capitals, as a typesetter sets them: Greek capitals drop their
/// accents and breathings (ΓΕΏΡΓΙΟΣ is set ΓΕΩΡΓΙΟΣ), keeping the
/// diaeresis; every other script as Unicode's upper case gives it.
pub fn capitals(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let upper = text.to_uppercase();
    if !upper
        .chars()
        .any(|c| ('\u{0370}'..='\u{03FF}').contains(&c) || ('\u{1F00}'..='\u{1FFF}').contains(&c))
    {
        return upper;
    }
    let mut out = String::with_capacity(upper.len());
    let mut greek = false;
    for c in upper.nfd() {
        let mark = unicode_normalization::char::is_combining_mark(c);
        if !mark {
            greek =
                ('\u{0370}'..='\u{03FF}').contains(&c) || ('\u{1F00}'..='\u{1FFF}').contains(&c);
        }
        // Acute (tonos), grave, circumflex (perispomeni), breathings and
        // the iota subscript's accents go; the diaeresis stays.
        if mark
            && greek
            && matches!(
                c,
                '\u{0300}' | '\u{0301}' | '\u{0342}' | '\u{0313}' | '\u{0314}' | '\u{0345}'
            )
        {
            continue;
        }
        out.push(c);
    }
    out.nfc().collect()
}

/// Sets the design's lettering for a note: one text run per text element
/// whose text is not empty, with the element's index. A line that runs off
/// the card, or into the text area (unless the element is a background), is
/// an error at the element's place in the design.
pub fn set_lettering(
    note: &Note,
    design: &Design,
    fonts: &FontSet,
    shaper: &mut Shaper,
) -> Result<Vec<(usize, TextRun)>> {
    let mut runs = Vec::new();
    let signer = note.signer.text.trim();
    let contact = note.contact.as_ref().map_or("", |c| c.text.trim());
    for (index, e) in design.elements.iter().enumerate() {
        let ElementKind::Text(t) = &e.kind else {
            continue;
        };
        // The design's parser admits only known placeholders; an empty
        // `{contact}` leaves the line out.
        let text = t
            .template
            .fill(|f| match f.name.as_str() {
                "initials" => initials(signer),
                "signer" => signer.to_string(),
                "contact" => contact.to_string(),
                _ => String::new(),
            })
            .text;
        let text = match t.case {
            Case::Keep => text,
            Case::Upper => capitals(&text),
        };
        if text.trim().is_empty() {
            continue;
        }
        for run in run_for(&text, t, fonts, shaper, &e.place)? {
            check_lettering(&run, fonts, design, &e.place, e.background)?;
            runs.push((index, run));
        }
    }
    Ok(runs)
}

fn run_for(
    text: &str,
    t: &TextElement,
    fonts: &FontSet,
    shaper: &mut Shaper,
    place: &Place,
) -> Result<Vec<TextRun>> {
    let font = fonts.index(t.style);
    let set = set_line(shaper, fonts, font, text, t.size, t.tracking).map_err(|m| {
        Diagnostic::at(
            place.clone(),
            format!(
                "text: the character '{}' (U+{:04X}) in {} is in none of the fonts ({} and the bundled fallbacks)",
                crate::diag::escape(&m.ch.to_string(), 8),
                m.ch as u32,
                crate::diag::quote(text),
                fonts.fonts[font].family
            ),
        )
        .hint("it comes from the note's signer or contact; add a font that has it with the font path option, or choose a design whose font has it")
    })?;
    let x = match t.align {
        HAlign::Left => t.at[0],
        HAlign::Center => t.at[0] - set.width / 2.0,
        HAlign::Right => t.at[0] - set.width,
    };
    Ok(set.placed([x, t.at[1]], t.color, Role::Decoration))
}

fn check_lettering(
    run: &TextRun,
    fonts: &FontSet,
    design: &Design,
    place: &Place,
    background: bool,
) -> Result<()> {
    let b = run.bbox_with(&fonts.fonts);
    let bleed = design.bleed.0;
    let (w, h) = (design.width.0, design.height.0);
    let past = [
        -bleed - b[0],
        -bleed - b[1],
        b[2] - w - bleed,
        b[3] - h - bleed,
    ];
    const EDGES: [&str; 4] = ["left", "top", "right", "bottom"];
    if let Some(i) = (0..4).find(|&i| past[i] > 0.05) {
        return Err(Diagnostic::at(
            place.clone(),
            format!(
                "text: {} runs {} past the card's {} edge",
                crate::diag::quote(&run.text),
                crate::units::Pt(past[i]).show(design.unit),
                EDGES[i]
            ),
        )
        .hint("shorten the note's signer or contact, or give the design's text a smaller size")
        .into());
    }
    let area = design.text_area();
    if !background && overlaps(b, area) {
        return Err(Diagnostic::at(
            place.clone(),
            format!(
                "text: {} reaches into the text area",
                crate::diag::quote(&run.text)
            ),
        )
        .hint("shorten the note's signer or contact, or move the design's text into the margins")
        .into());
    }
    Ok(())
}

/// The Scene items of a design's elements, in painting order, with the
/// lettering set by [`set_lettering`]. Preview-only elements (all of them on
/// a pre-printed design) are wrapped in [`Item::Preview`].
pub fn element_items(design: &Design, lettering: &[(usize, TextRun)]) -> Vec<Item> {
    let (w, h) = (design.width.0, design.height.0);
    let mut items = Vec::new();
    for (index, e) in design.elements.iter().enumerate() {
        let drawn: Vec<Item> = match &e.kind {
            ElementKind::Border {
                inset,
                width,
                double,
                color,
            } => border_frames(*inset, *width, *double, w, h)
                .into_iter()
                .map(|rect| {
                    Item::Panel(Panel {
                        rect,
                        fill: None,
                        stroke: Some((*color, *width)),
                    })
                })
                .collect(),
            ElementKind::Rule {
                from,
                to,
                width,
                color,
            } => vec![Item::Stroke(Stroke {
                from: *from,
                to: *to,
                width: *width,
                color: *color,
                registration: false,
            })],
            ElementKind::Panel { rect, fill, stroke } => vec![Item::Panel(Panel {
                rect: *rect,
                fill: *fill,
                stroke: *stroke,
            })],
            ElementKind::Image { image, rect } => vec![Item::Image(Picture {
                image: image.clone(),
                rect: *rect,
            })],
            ElementKind::Text(_) => lettering
                .iter()
                .filter(|(i, _)| *i == index)
                .map(|(_, run)| Item::Text(run.clone()))
                .collect(),
        };
        items.extend(drawn.into_iter().map(|item| {
            if e.preview_only {
                Item::Preview(Box::new(item))
            } else {
                item
            }
        }));
    }
    items
}

#[cfg(test)]
mod tests {

    #[test]
    fn greek_capitals_drop_their_accents() {
        assert_eq!(super::capitals("Γεώργιος Νικολάου"), "ΓΕΩΡΓΙΟΣ ΝΙΚΟΛΑΟΥ");
        assert_eq!(super::capitals("Ϊάσων"), "ΪΑΣΩΝ");
        assert_eq!(super::capitals("Zoë Brontë"), "ZOË BRONTË");
        assert_eq!(super::capitals("Ольга"), "ОЛЬГА");
    }
    use super::*;

    #[test]
    fn initials_take_first_middle_and_last() {
        assert_eq!(initials("Alex Morgan"), "AM");
        assert_eq!(initials("zoë brontë"), "ZB");
        assert_eq!(initials("Mary Ann de Vries"), "MAV");
        assert_eq!(initials("Prince"), "P");
        assert_eq!(initials("  "), "");
    }
}
