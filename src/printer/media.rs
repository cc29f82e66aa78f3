//! What paper a print queue takes, asked over IPP before a job is sent
//! (`ipptool` and its bundled `get-printer-attributes.test`): the sizes of
//! `media-size-supported` (and its custom-size ranges) and `media-default`.
//! A card whose size the queue does not take would be printed by CUPS on
//! the default paper instead, turned and centred; [`placed_on_sheet`] puts
//! the card on a sheet the queue takes, where the printer's feed puts card
//! stock.

use crate::diag::{Diagnostic, Result};
use crate::printer::feed::{Align, Edge};
use std::path::Path;
use std::process::Command;

/// A queue's media capabilities, in points (`[width, height]`, portrait or
/// as listed).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MediaCaps {
    /// The fixed sizes it takes.
    pub sizes: Vec<[f32; 2]>,
    /// Custom-size ranges: `[min_w, max_w, min_h, max_h]`.
    pub ranges: Vec<[f32; 4]>,
    /// The default media's keyword (`na_letter_8.5x11in`).
    pub default: Option<String>,
}

/// Hundredths of a millimetre to points.
fn hmm(v: f32) -> f32 {
    v / 2540.0 * 72.0
}

/// Reads `ipptool -tv … get-printer-attributes.test` output.
pub fn parse_ipptool(text: &str) -> MediaCaps {
    let mut caps = MediaCaps::default();
    for line in text.lines() {
        let line = line.trim();
        if let Some(v) = line.strip_prefix("media-default (keyword) = ") {
            caps.default = Some(v.trim().to_string());
        }
        let Some(rest) = line.strip_prefix("media-size-supported (") else {
            continue;
        };
        let Some((_, list)) = rest.split_once(" = ") else {
            continue;
        };
        for entry in list.split('}') {
            let entry = entry.trim_start_matches([',', '{', ' ']);
            let dim = |key: &str| -> Option<(f32, f32)> {
                let v = entry
                    .split_whitespace()
                    .find_map(|kv| kv.strip_prefix(key))?;
                match v.split_once('-') {
                    Some((a, b)) => Some((a.parse().ok()?, b.parse().ok()?)),
                    None => v.parse().ok().map(|n: f32| (n, n)),
                }
            };
            if let (Some(x), Some(y)) = (dim("x-dimension="), dim("y-dimension=")) {
                if x.0 == x.1 && y.0 == y.1 {
                    caps.sizes.push([hmm(x.0), hmm(y.0)]);
                } else {
                    caps.ranges.push([hmm(x.0), hmm(x.1), hmm(y.0), hmm(y.1)]);
                }
            }
        }
    }
    caps
}

/// The size in a PWG media keyword (`na_letter_8.5x11in`, `iso_a4_210x297mm`).
pub fn keyword_size(keyword: &str) -> Option<[f32; 2]> {
    let dims = keyword.rsplit('_').next()?;
    let (unit, k) = if let Some(d) = dims.strip_suffix("in") {
        (d, 72.0)
    } else {
        (dims.strip_suffix("mm")?, 72.0 / 25.4)
    };
    let (w, h) = unit.split_once('x')?;
    Some([w.parse::<f32>().ok()? * k, h.parse::<f32>().ok()? * k])
}

impl MediaCaps {
    /// Whether the queue takes paper of this size, either way round
    /// (within 1 mm), as a listed size or in a custom range.
    pub fn takes(&self, [w, h]: [f32; 2]) -> bool {
        let tol = 72.0 / 25.4;
        let near = |a: f32, b: f32| (a - b).abs() <= tol;
        let listed = self
            .sizes
            .iter()
            .any(|s| (near(s[0], w) && near(s[1], h)) || (near(s[0], h) && near(s[1], w)));
        let ranged = self.ranges.iter().any(|r| {
            let within = |x: f32, y: f32| {
                (r[0] - tol..=r[1] + tol).contains(&x) && (r[2] - tol..=r[3] + tol).contains(&y)
            };
            within(w, h) || within(h, w)
        });
        listed || ranged
    }

    /// The default paper's size, when its keyword says.
    pub fn default_size(&self) -> Option<[f32; 2]> {
        self.default.as_deref().and_then(keyword_size)
    }
}

/// The IPP address of a queue on the CUPS server `$CUPS_SERVER` names (a
/// domain socket, `host[:port]`, or the local server).
pub fn queue_uri(queue: &str) -> String {
    let server = std::env::var("CUPS_SERVER").unwrap_or_default();
    let host = if server.starts_with('/') {
        server.replace('%', "%25").replace('/', "%2F")
    } else if server.is_empty() {
        "localhost".to_string()
    } else {
        server
    };
    format!("ipp://{host}/printers/{queue}")
}

/// Asks a queue what paper it takes (`ipptool`).
pub fn query(queue: &str) -> Result<MediaCaps> {
    let uri = queue_uri(queue);
    let out = Command::new("ipptool")
        .args(["-tv", &uri, "get-printer-attributes.test"])
        .output()
        .map_err(|e| {
            Diagnostic::new(format!(
                "cannot ask {queue} what paper it takes: ipptool: {e}"
            ))
            .hint("install ipptool (Debian: apt-get install cups-ipp-utils)")
        })?;
    let caps = parse_ipptool(&String::from_utf8_lossy(&out.stdout));
    if caps.sizes.is_empty() && caps.ranges.is_empty() {
        return Err(Diagnostic::new(format!(
            "cannot ask {queue} what paper it takes: no media-size-supported from {uri}"
        ))
        .into());
    }
    Ok(caps)
}

/// What CUPS does with a page the queue has no paper for: prints it on the
/// default paper, turned when the page's orientation differs from the
/// paper's, centred. In words.
pub fn fallback_words(caps: &MediaCaps, page: [f32; 2]) -> String {
    let Some(d) = caps.default_size() else {
        return "CUPS would print it on the queue's default paper instead".into();
    };
    let name = crate::paper::cups_media(d[0], d[1]);
    let turned = (page[0] > page[1]) != (d[0] > d[1]);
    format!(
        "CUPS would print it on {name} paper instead ({}), {}centred on the sheet",
        caps.default.as_deref().unwrap_or(""),
        if turned { "turned 90° and " } else { "" }
    )
}

/// Where a card of `card` size goes on a sheet of `sheet` size (portrait,
/// as it feeds): at the sheet's leading (top) edge, across as `align` says.
/// The card's top-left corner, points from the sheet's top-left; `None`
/// when the card is wider or longer than the sheet.
pub fn placement(card: [f32; 2], sheet: [f32; 2], align: Align) -> Option<[f32; 2]> {
    if card[0] > sheet[0] + 0.01 || card[1] > sheet[1] + 0.01 {
        return None;
    }
    let x = match align {
        Align::Center => (sheet[0] - card[0]) / 2.0,
        Align::Left => 0.0,
        Align::Right => sheet[0] - card[0],
    };
    Some([x, 0.0])
}

/// How far (clockwise, in degrees) a card is turned on the sheet so that
/// its `leading` edge is the sheet's leading (top) edge: the edge the
/// loading guide says goes into the printer first.
pub fn turn_for(leading: Edge) -> i64 {
    match leading {
        Edge::Top => 0,
        Edge::Left => 90,
        Edge::Bottom => 180,
        Edge::Right => 270,
    }
}

/// The card's size as it lies on the sheet when turned `turn` degrees.
pub fn turned_size(card: [f32; 2], turn: i64) -> [f32; 2] {
    match turn.rem_euclid(180) {
        0 => card,
        _ => [card[1], card[0]],
    }
}

/// A copy of a PDF with every page's boxes grown to the sheet, the card
/// turned `turn` degrees clockwise (see [`turn_for`]) and placed with its
/// top-left corner, as it lies on the sheet, at `at` (see [`placement`],
/// given the [`turned_size`]). A page already turned (a duplex back, 180°)
/// is turned further. The sheet is shown portrait, its top edge leading.
pub fn placed_on_sheet(
    name: &Path,
    pdf: &[u8],
    sheet: [f32; 2],
    at: [f32; 2],
    turn: i64,
) -> Result<Vec<u8>> {
    use lopdf::{Document, Object};
    let fail = |why: String| -> crate::diag::Error {
        Diagnostic::new(format!("cannot place {} on a sheet: {why}", name.display())).into()
    };
    let mut doc = Document::load_mem(pdf).map_err(|e| fail(e.to_string()))?;
    let pages: Vec<_> = doc.get_pages().values().copied().collect();
    for id in pages {
        // The media box and rotation are the page's own or inherited from
        // the page tree.
        let (media, rotate) = {
            let page = doc
                .get_object(id)
                .and_then(Object::as_dict)
                .map_err(|e| fail(e.to_string()))?;
            let media = super::pdfinfo::inherited(&doc, page, b"MediaBox")
                .and_then(|o| super::pdfinfo::rect(&doc, o))
                .ok_or_else(|| fail("a page has no MediaBox of four numbers".into()))?;
            let rotate = super::pdfinfo::inherited(&doc, page, b"Rotate")
                .and_then(|o| super::pdfinfo::number(&doc, o))
                .unwrap_or(0.0) as i64;
            (media, rotate)
        };
        let page = doc
            .get_object_mut(id)
            .and_then(Object::as_dict_mut)
            .map_err(|e| fail(e.to_string()))?;
        let (x0, y0, x1, y1) = (media[0], media[1], media[2], media[3]);
        let (sw, sh) = (sheet[0], sheet[1]);
        let [ox, oy] = at;
        let rotate = rotate.rem_euclid(360);
        if rotate % 180 != 0 {
            return Err(fail("a page is turned 90°".into()));
        }
        // The sheet's box in the page's own coordinates, chosen so that,
        // shown turned by `total` degrees clockwise, the card's top-left
        // corner as shown lies at `at` from the sheet's top-left corner.
        let total = (rotate + turn).rem_euclid(360);
        let b = match total {
            0 => [x0 - ox, y1 + oy - sh, x0 - ox + sw, y1 + oy],
            90 => [x0 - oy, y0 - ox, x0 - oy + sh, y0 - ox + sw],
            180 => [x1 + ox - sw, y0 - oy, x1 + ox, y0 - oy + sh],
            270 => [x1 + oy - sh, y1 + ox - sw, x1 + oy, y1 + ox],
            _ => return Err(fail(format!("a page is turned {total}°"))),
        };
        let arr = Object::Array(b.iter().map(|v| Object::Real(*v)).collect());
        // Every box is the sheet: CUPS's pdftopdf lays pages out by their
        // TrimBox, and would turn and centre a card-sized one.
        page.set("MediaBox", arr.clone());
        page.set("CropBox", arr.clone());
        page.set("TrimBox", arr.clone());
        page.set("BleedBox", arr);
        if total != rotate {
            page.set("Rotate", Object::Integer(total));
        }
    }
    let mut out = Vec::new();
    doc.save_to(&mut out).map_err(|e| fail(e.to_string()))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sizes_ranges_and_the_default() {
        let caps = parse_ipptool(
            "        media-default (keyword) = na_letter_8.5x11in\n\
             \x20       media-size-supported (1setOf collection) = {x-dimension=21590 y-dimension=27940},\
             {x-dimension=10500 y-dimension=14800},{x-dimension=7620-21590 y-dimension=12700-35560}\n",
        );
        assert_eq!(caps.sizes.len(), 2);
        assert_eq!(caps.ranges.len(), 1);
        assert!((caps.sizes[0][0] - 612.0).abs() < 0.01);
        assert_eq!(
            caps.default_size().map(|s| s.map(f32::round)),
            Some([612.0, 792.0])
        );
        assert!(caps.takes([792.0, 612.0]), "either way round");
        assert!(caps.takes([396.0, 306.0]), "in the custom range");
        let fixed = MediaCaps {
            ranges: Vec::new(),
            ..caps
        };
        assert!(!fixed.takes([396.0, 306.0]));
        assert!(fallback_words(&fixed, [396.0, 306.0]).contains("Letter paper instead"));
        assert!(fallback_words(&fixed, [396.0, 306.0]).contains("turned 90° and centred"));
        assert_eq!(
            placement([396.0, 306.0], [612.0, 792.0], Align::Center),
            Some([108.0, 0.0])
        );
        assert_eq!(
            placement([396.0, 306.0], [612.0, 792.0], Align::Right),
            Some([216.0, 0.0])
        );
        assert_eq!(placement([700.0, 306.0], [612.0, 792.0], Align::Left), None);
        assert_eq!(
            keyword_size("iso_a4_210x297mm").map(|s| s.map(f32::round)),
            Some([595.0, 842.0])
        );
    }
}
