//! The outside of a folded card: the design's `[front]` (monogram, rule,
//! lettering) set from the note by the one lettering setter
//! ([`decor::set_lettering`]) and drawn by [`decor::element_items`] on a
//! page the size of the flat sheet.

use super::decor;
use crate::diag::Result;
use crate::input::{Design, Note};
use crate::scene::Page;
use crate::text::{FontSet, Shaper};

/// The design whose elements are its front: what the outside page is drawn
/// from (`None` when the design has no front).
pub fn front_design(design: &Design) -> Option<Design> {
    if design.front.is_empty() {
        return None;
    }
    let mut d = design.clone();
    d.elements = design.front.clone();
    d.front = Vec::new();
    Some(d)
}

/// The outside page of a folded card for a note, from [`front_design`]'s
/// design. It carries no card boxes (it is not where the message goes) and
/// the fold line, for guides.
pub fn outside_page(
    note: &Note,
    front: &Design,
    fonts: &FontSet,
    shaper: &mut Shaper,
) -> Result<Page> {
    let lettering = decor::set_lettering(note, front, fonts, shaper)?;
    let mut page = Page::blank(front.width.0, front.height.0);
    page.bleed = front.bleed.0;
    page.items = decor::element_items(front, &lettering);
    page.fold_line = fold_line(front);
    Ok(page)
}

/// A folded design's fold, from one end to the other, in the sheet's
/// coordinates.
pub fn fold_line(design: &Design) -> Option<[[f32; 2]; 2]> {
    use crate::input::design::Fold;
    let (w, h) = (design.width.0, design.height.0);
    design.fold.map(|f| match f {
        Fold::Side => [[w / 2.0, 0.0], [w / 2.0, h]],
        Fold::Top => [[0.0, h / 2.0], [w, h / 2.0]],
    })
}
