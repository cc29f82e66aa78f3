//! Preflight: checks what will be printed, where it will be printed.
//!
//! It reads a Scene after [`Profile::correct`](crate::printer::profile::Profile::correct)
//! has set its pages' transforms, so it looks at the corrected positions —
//! where the PDF draws each thing on the sheet — and compares them with the
//! positions the layout meant.
//!
//! - The note's text (greeting, body, closing, printed name) or the
//!   signature area put off the card by the correction is an **error**.
//! - The note's text or the signature area moved by the correction into an
//!   unprintable margin of the profile (closer to an edge of the sheet than
//!   the printer can print) is an **error**.
//! - Anything else closer to an edge than the printer can print — text the
//!   layout itself put there, a design element, a rule or crop mark — is a
//!   **warning**, as it was laid out that way.
//!
//! The command line stops on an error unless told to go on, and then shows
//! the errors as warnings.

use crate::diag::Diagnostic;
use crate::printer::profile::{mm1, Profile};
use crate::scene::{Item, Page, Rect, Role, Scene};
use crate::text::Font;
use crate::units::Pt;
use std::sync::Arc;

const EDGES: [&str; 4] = ["top", "right", "bottom", "left"];
/// Slack for comparisons, in points.
const EPS: f32 = 0.01;

/// One thing on a page and how close it comes to each edge of the sheet
/// (top, right, bottom, left, in points; negative: past the edge).
struct Seen {
    what: &'static str,
    /// The note's text or the signature area: what must print.
    must_print: bool,
    /// As drawn (the page's transform applied).
    corrected: [f32; 4],
    /// As laid out.
    intended: [f32; 4],
}

/// Checks a (corrected) Scene against a profile: the card's edges and the
/// profile's unprintable margins. Returns errors and warnings (see the
/// module's documentation), one per thing and edge, in page order, e.g.
/// "the printed name comes within 3.2 mm of the bottom edge; this printer
/// cannot print closer than 5 mm".
pub fn preflight(scene: &Scene, profile: &Profile) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (n, page) in scene.pages.iter().enumerate() {
        let page_note = if scene.pages.len() > 1 {
            format!("page {}: ", n + 1)
        } else {
            String::new()
        };
        out.extend(preflight_page(&scene.fonts, page, profile, &page_note));
    }
    out
}

/// [`preflight`] of one page whose text runs use `fonts`, each message
/// starting with `page_note` (`"page 3: "`, or nothing).
pub fn preflight_page(
    fonts: &[Arc<Font>],
    page: &Page,
    profile: &Profile,
    page_note: &str,
) -> Vec<Diagnostic> {
    let m = profile.margins;
    let limits = [m.top.0, m.right.0, m.bottom.0, m.left.0];
    let mut out = Vec::new();
    for seen in survey(fonts, page) {
        for i in 0..4 {
            let (c, w) = (seen.corrected[i], seen.intended[i]);
            let (what, edge) = (seen.what, EDGES[i]);
            // Off the card: past the trim (the sheet less the bleed).
            let b = page.bleed;
            if seen.must_print && c - b < -EPS && w - b >= -EPS {
                out.push(
                    Diagnostic::new(format!(
                        "{page_note}{what} runs {} mm off the card at the {edge} edge once \
                         corrected for printer profile {}",
                        mm1(Pt(b - c)),
                        profile.name
                    ))
                    .hint(moved_hint(profile)),
                );
                continue;
            }
            let limit = limits[i];
            if limit <= 0.0 || c >= limit - EPS {
                continue;
            }
            let how = if c < 0.0 {
                format!("runs {} mm past the {edge} edge", mm1(Pt(-c)))
            } else {
                format!("comes within {} mm of the {edge} edge", mm1(Pt(c)))
            };
            let message = format!(
                "{page_note}{what} {how}; this printer cannot print closer than {} mm",
                mm1(Pt(limit))
            );
            if seen.must_print && w >= limit - EPS {
                out.push(Diagnostic::new(message).hint(moved_hint(profile)));
            } else {
                out.push(Diagnostic::new(message).warning());
            }
        }
    }
    out
}

fn moved_hint(profile: &Profile) -> String {
    format!(
        "the layout keeps it clear; printer profile {}'s offsets and scales move it there: \
         check them",
        profile.name
    )
}

/// The things of a page, each with its closest distances to the sheet's
/// edges, corrected and as laid out, in order of first appearance.
fn survey(fonts: &[Arc<Font>], page: &Page) -> Vec<Seen> {
    let b = page.bleed;
    let (w, h) = (page.width + 2.0 * b, page.height + 2.0 * b);
    let (pw, ph) = if page.rotate.rem_euclid(180) == 90 {
        (h, w)
    } else {
        (w, h)
    };
    let distances = |r: Rect| {
        let r = printed_box([r[0] + b, r[1] + b, r[2] + b, r[3] + b], w, h, page.rotate);
        [r[1], pw - r[2], ph - r[3], r[0]]
    };
    let mut seen: Vec<Seen> = Vec::new();
    let mut note = |what: &'static str, must_print: bool, r: Rect| {
        let drawn = page.transform.map_or(r, |t| t.apply_rect(r));
        let (c, i) = (distances(drawn), distances(r));
        match seen.iter_mut().find(|s| s.what == what) {
            Some(s) => {
                for k in 0..4 {
                    s.corrected[k] = s.corrected[k].min(c[k]);
                    s.intended[k] = s.intended[k].min(i[k]);
                }
            }
            None => seen.push(Seen {
                what,
                must_print,
                corrected: c,
                intended: i,
            }),
        }
    };
    for item in page.items.iter().filter(|i| i.prints()) {
        let (what, must_print) = match item {
            Item::Text(run) => (role_name(run.role), run.role != Role::Decoration),
            Item::Stroke(_) => ("a printed line (rule or crop mark)", false),
            _ => ("a design element", false),
        };
        note(what, must_print, item.bbox(fonts));
    }
    if let Some(card) = page.card {
        note("the signature area", true, card.signature_box);
    }
    seen
}

/// A box on a page (points, top-left origin, bleed included) as it sits on
/// the sheet once the page's clockwise rotation is applied.
fn printed_box(r: Rect, w: f32, h: f32, rotate: i32) -> Rect {
    let [x0, y0, x1, y1] = r;
    match rotate.rem_euclid(360) {
        90 => [h - y1, x0, h - y0, x1],
        180 => [w - x1, h - y1, w - x0, h - y0],
        270 => [y0, w - x1, y1, w - x0],
        _ => r,
    }
}

fn role_name(role: Role) -> &'static str {
    match role {
        Role::Greeting => "the greeting",
        Role::Body => "the body text",
        Role::Closing => "the closing",
        Role::Signer => "the printed name",
        Role::Decoration => "a line of the design",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Severity;
    use crate::scene::{CardBoxes, Page, Panel, Scene};

    #[test]
    fn rotated_boxes() {
        // A 100 x 50 page; a box at its top-left corner.
        let r = [0.0, 0.0, 10.0, 5.0];
        assert_eq!(printed_box(r, 100.0, 50.0, 0), r);
        assert_eq!(printed_box(r, 100.0, 50.0, 180), [90.0, 45.0, 100.0, 50.0]);
        // Turned clockwise: the top-left corner goes to the top-right.
        assert_eq!(printed_box(r, 100.0, 50.0, 90), [45.0, 0.0, 50.0, 10.0]);
        assert_eq!(printed_box(r, 100.0, 50.0, 270), [0.0, 90.0, 5.0, 100.0]);
    }

    /// A 200 x 100 pt card whose signature area is `sig`, with a panel
    /// filling the card (a design element).
    fn card(sig: Rect) -> Scene {
        let mut page = Page::blank(200.0, 100.0);
        page.items.push(Item::Panel(Panel {
            rect: [0.0, 0.0, 200.0, 100.0],
            fill: Some(crate::input::design::Rgb::INK),
            stroke: None,
        }));
        page.card = Some(CardBoxes {
            font_size: 10.0,
            text_area: [10.0, 10.0, 190.0, 90.0],
            body_box: [10.0, 10.0, 190.0, 50.0],
            signature_box: sig,
        });
        Scene {
            fonts: Vec::new(),
            pages: vec![page],
            title: String::new(),
            author: String::new(),
        }
    }

    fn severities(d: &[Diagnostic]) -> Vec<(Severity, &str)> {
        d.iter().map(|d| (d.severity, d.message.as_str())).collect()
    }

    #[test]
    fn a_correction_that_moves_the_signature_off_the_card_is_an_error() {
        let mut scene = card([120.0, 60.0, 190.0, 90.0]);
        let mut p = Profile::new("far");
        p.offset_x = Pt::mm(50.0);
        p.scale_x = 2.0;
        p.scale_y = 2.0;
        p.correct(&mut scene, false);
        let found = preflight(&scene, &p);
        let errors: Vec<_> = found
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        assert_eq!(errors.len(), 2, "{:?}", severities(&found));
        // x: 120 * 2 + 141.7 = 381.7 .. 521.7 pt on a 200 pt card: 321.7 pt off.
        assert!(errors[0]
            .message
            .starts_with("the signature area runs 113.5 mm off the card at the right edge"));
        assert!(errors[1]
            .message
            .starts_with("the signature area runs 28.2 mm off the card at the bottom edge"));
        // The panel fills the card: it goes off too, but it is the design's.
        assert!(found.iter().all(|d| !d.message.contains("design element")));
    }

    #[test]
    fn margins_are_errors_only_where_the_correction_moves_text_in() {
        // The signature area is 10 pt from the bottom as laid out.
        let mut p = Profile::new("tight");
        p.margins.bottom = Pt(15.0);
        let scene = card([120.0, 60.0, 190.0, 90.0]);
        let found = preflight(&scene, &p);
        // As laid out: warnings (the panel and the signature area).
        assert!(
            found.iter().all(|d| d.severity == Severity::Warning) && found.len() == 2,
            "{:?}",
            severities(&found)
        );
        // A signature area clear of the margin, moved into it by 8 pt.
        let mut scene = card([120.0, 60.0, 190.0, 80.0]);
        p.offset_y = Pt(8.0);
        p.correct(&mut scene, false);
        let found = preflight(&scene, &p);
        let sig = found
            .iter()
            .find(|d| d.message.starts_with("the signature area"))
            .expect("the signature area is too close");
        assert_eq!(sig.severity, Severity::Error);
        assert_eq!(
            sig.message,
            "the signature area comes within 4.2 mm of the bottom edge; this printer cannot \
             print closer than 5.3 mm"
        );
        // No margins and no correction: nothing to say.
        let found = preflight(&card([120.0, 60.0, 190.0, 80.0]), &Profile::new("none"));
        assert!(found.is_empty());
    }
}
