//! Every named size in one table: card sizes, the sheets cards are imposed
//! on (and calibration sheets are printed on), envelopes, and the CUPS media
//! name of each size a printer knows by name; and the one `WxH` parser.

use crate::units::{LengthError, Pt};

/// What a size is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    /// A card design's `[card] size` (landscape as named).
    Card,
    /// A sheet that goes through the printer (portrait as named).
    Sheet,
    /// An envelope (landscape as named).
    Envelope,
}

/// A named size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Paper {
    /// The name users write (`us-a2`, `letter`, `c6`), lower case.
    pub name: &'static str,
    /// What it is for.
    pub used_for: Use,
    /// Width as named (landscape for cards and envelopes, portrait for
    /// sheets), in points.
    pub width: Pt,
    /// Height as named, in points.
    pub height: Pt,
    /// The size as people say it (`5.5 x 4.25 in`).
    pub label: &'static str,
    /// The standard CUPS media name, when a printer knows the size by name.
    pub cups: Option<&'static str>,
}

const fn inch(v: f32) -> Pt {
    Pt(v * Pt::PER_INCH)
}

const fn mm(v: f32) -> Pt {
    Pt(v * Pt::PER_MM)
}

macro_rules! paper {
    ($name:literal, $use:ident, $w:expr, $h:expr, $label:literal, $cups:expr) => {
        Paper {
            name: $name,
            used_for: Use::$use,
            width: $w,
            height: $h,
            label: $label,
            cups: $cups,
        }
    };
}

/// Every named size.
pub const PAPERS: &[Paper] = &[
    paper!("us-a2", Card, inch(5.5), inch(4.25), "5.5 x 4.25 in", None),
    paper!("us-a6", Card, inch(6.25), inch(4.5), "6.25 x 4.5 in", None),
    paper!("us-a7", Card, inch(7.0), inch(5.0), "7 x 5 in", None),
    paper!("card-5x3.5", Card, inch(5.0), inch(3.5), "5 x 3.5 in", None),
    paper!(
        "iso-a6",
        Card,
        mm(148.0),
        mm(105.0),
        "148 x 105 mm",
        Some("A6")
    ),
    paper!("iso-a7", Card, mm(105.0), mm(74.0), "105 x 74 mm", None),
    paper!(
        "us-a2-folded",
        Card,
        inch(8.5),
        inch(5.5),
        "8.5 x 5.5 in",
        None
    ),
    paper!(
        "letter",
        Sheet,
        inch(8.5),
        inch(11.0),
        "8.5 x 11 in",
        Some("Letter")
    ),
    paper!(
        "legal",
        Sheet,
        inch(8.5),
        inch(14.0),
        "8.5 x 14 in",
        Some("Legal")
    ),
    paper!(
        "a4",
        Sheet,
        mm(210.0),
        mm(297.0),
        "210 x 297 mm",
        Some("A4")
    ),
    paper!(
        "a5",
        Sheet,
        mm(148.0),
        mm(210.0),
        "148 x 210 mm",
        Some("A5")
    ),
    paper!("tabloid", Sheet, inch(11.0), inch(17.0), "11 x 17 in", None),
    paper!(
        "us-a2",
        Envelope,
        inch(5.75),
        inch(4.375),
        "5.75 x 4.375 in",
        None
    ),
    paper!(
        "us-a6",
        Envelope,
        inch(6.5),
        inch(4.75),
        "6.5 x 4.75 in",
        None
    ),
    paper!(
        "us-a7",
        Envelope,
        inch(7.25),
        inch(5.25),
        "7.25 x 5.25 in",
        None
    ),
    paper!("c6", Envelope, mm(162.0), mm(114.0), "162 x 114 mm", None),
    paper!("dl", Envelope, mm(220.0), mm(110.0), "220 x 110 mm", None),
];

/// The named size `name` (any case) for a use.
pub fn find(used_for: Use, name: &str) -> Option<&'static Paper> {
    let name = name.trim();
    PAPERS
        .iter()
        .find(|p| p.used_for == used_for && p.name.eq_ignore_ascii_case(name))
}

/// The names of the sizes for a use, in the table's order.
pub fn names(used_for: Use) -> Vec<&'static str> {
    PAPERS
        .iter()
        .filter(|p| p.used_for == used_for)
        .map(|p| p.name)
        .collect()
}

/// The papers for a use, in the table's order.
pub fn papers(used_for: Use) -> impl Iterator<Item = &'static Paper> {
    PAPERS.iter().filter(move |p| p.used_for == used_for)
}

/// Parses `WxH` with a unit: `8.5x11in`, `210x297mm`, `8.5inx11in`,
/// `6 x 6 in` (the unit of the second side serves both when the first has
/// none). Returns (width, height) as written.
pub fn parse_wxh(s: &str) -> Result<(Pt, Pt), LengthError> {
    let lower = s.trim().to_ascii_lowercase();
    for (i, _) in lower.match_indices('x') {
        let (a, b) = (&lower[..i], &lower[i + 1..]);
        let Ok(h) = b.parse::<Pt>() else { continue };
        let unit: String = b
            .trim()
            .chars()
            .skip_while(|c| !c.is_ascii_alphabetic())
            .collect();
        let w = a
            .parse::<Pt>()
            .or_else(|_| format!("{}{unit}", a.trim()).parse::<Pt>());
        if let Ok(w) = w {
            return Ok((w, h));
        }
    }
    Err(LengthError(format!(
        "{} is not WxH with a unit, such as 8.5x11in or 210x297mm",
        crate::diag::quote(s)
    )))
}

/// The CUPS media for a page `width` x `height` points: a standard name when
/// the page is that size (within 1pt, either way round), else a custom size
/// in the page's orientation, in inches (`Custom.5.5x4.25in`) when both sides
/// are whole hundredths of an inch, else millimetres (`Custom.105x148mm`) when
/// whole tenths of a millimetre, else points (`Custom.400x300`).
pub fn cups_media(width: f32, height: f32) -> String {
    let (short, long) = (width.min(height), width.max(height));
    for p in PAPERS {
        let Some(name) = p.cups else { continue };
        let (w, h) = (p.width.0.min(p.height.0), p.width.0.max(p.height.0));
        if (short - w).abs() <= 1.0 && (long - h).abs() <= 1.0 {
            return name.to_string();
        }
    }
    let whole = |v: f32, per: f32, steps: f32| {
        let n = v / per * steps;
        ((n - n.round()).abs() * per / steps < 0.05).then(|| format!("{}", n.round() / steps))
    };
    let inch = |v| whole(v, 72.0, 100.0);
    let mm = |v| whole(v, 72.0 / 25.4, 10.0);
    match (inch(width), inch(height), mm(width), mm(height)) {
        (Some(w), Some(h), _, _) => format!("Custom.{w}x{h}in"),
        (_, _, Some(w), Some(h)) => format!("Custom.{w}x{h}mm"),
        _ => format!(
            "Custom.{}x{}",
            (width * 100.0).round() / 100.0,
            (height * 100.0).round() / 100.0
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_per_use() {
        for p in PAPERS {
            let same = PAPERS
                .iter()
                .filter(|q| q.used_for == p.used_for && q.name == p.name)
                .count();
            assert_eq!(same, 1, "{}", p.name);
        }
    }

    #[test]
    fn labels_match_sizes() {
        for p in PAPERS {
            let (w, h) = parse_wxh(&p.label.replace(' ', "")).unwrap();
            assert!((w.0 - p.width.0).abs() < 0.01, "{}", p.name);
            assert!((h.0 - p.height.0).abs() < 0.01, "{}", p.name);
        }
    }

    #[test]
    fn wxh_takes_units_on_either_side() {
        assert_eq!(parse_wxh("8.5x11in").unwrap(), (Pt(612.0), Pt(792.0)));
        assert_eq!(parse_wxh("8.5inx11in").unwrap(), (Pt(612.0), Pt(792.0)));
        assert_eq!(parse_wxh("6 x 6 in").unwrap(), (Pt(432.0), Pt(432.0)));
        assert_eq!(parse_wxh("72ptX1in").unwrap(), (Pt(72.0), Pt(72.0)));
        for bad in ["8.5x11", "letter", "x11in", "8.5in", ""] {
            assert!(parse_wxh(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn cups_names_standard_sizes_either_way_round() {
        assert_eq!(cups_media(612.0, 792.0), "Letter");
        assert_eq!(cups_media(792.0, 612.0), "Letter");
        assert_eq!(cups_media(mm(148.0).0, mm(105.0).0), "A6");
        assert_eq!(cups_media(396.0, 306.0), "Custom.5.5x4.25in");
        assert_eq!(cups_media(mm(105.0).0, mm(74.0).0), "Custom.105x74mm");
    }
}
