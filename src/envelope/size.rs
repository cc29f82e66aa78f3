//! Envelope sizes: named ones from the one paper table ([`crate::paper`]),
//! `WxH` through its one parser, the envelope that takes a design's card,
//! and warnings for sizes outside US letter-mail limits.

use crate::diag::{Diagnostic, Result};
use crate::input::design::Fold;
use crate::input::Design;
use crate::paper::{self, Use};
use crate::units::Pt;

/// Room an envelope leaves around its card each way, at least: 1/8 in.
pub const SPARE: f32 = 9.0;

/// An envelope size: name and landscape size in points.
#[derive(Debug, Clone, PartialEq)]
pub struct EnvelopeSize {
    /// The name (`us-a2`, …) or the size as given (`6x6in`).
    pub name: String,
    /// Width (the longer side), in points.
    pub width: f32,
    /// Height, in points.
    pub height: f32,
}

impl EnvelopeSize {
    fn named(p: &paper::Paper) -> EnvelopeSize {
        EnvelopeSize {
            name: p.name.into(),
            width: p.width.0.max(p.height.0),
            height: p.width.0.min(p.height.0),
        }
    }
}

/// Reads an envelope size (the option `size`): a name of the paper table's
/// envelopes (`us-a2`, `c6`, …) or `WxH` with a unit (`6x6in`, `160x160mm`,
/// `9inx4in`); turned landscape. 2 to 20 in a side.
pub fn parse_size(s: &str) -> Result<EnvelopeSize> {
    if let Some(p) = paper::find(Use::Envelope, s) {
        return Ok(EnvelopeSize::named(p));
    }
    let (a, b) = paper::parse_wxh(s).map_err(|_| {
        Diagnostic::for_option(
            "size",
            format!(
                "{} is not an envelope size; give one of {} or WxH with a unit, e.g. 6x6in",
                crate::diag::quote(s),
                paper::names(Use::Envelope).join(", ")
            ),
        )
    })?;
    let (w, h) = (a.0.max(b.0), a.0.min(b.0));
    if !(Pt::inches(2.0).0..=Pt::inches(20.0).0).contains(&h) || w > Pt::inches(20.0).0 {
        return Err(Diagnostic::for_option(
            "size",
            format!("{s} is not an envelope (2 to 20 in a side)"),
        )
        .into());
    }
    Ok(EnvelopeSize {
        name: s.trim().into(),
        width: w,
        height: h,
    })
}

/// The smallest envelope of the paper table that takes a design's card
/// (folded, for a folded design) with at least [`SPARE`] each way.
pub fn matching_size(design: &Design) -> Result<EnvelopeSize> {
    let (long, short) = card_size(design);
    let fits = paper::papers(Use::Envelope)
        .map(EnvelopeSize::named)
        .filter(|z| takes(z, long, short))
        .min_by(|a, b| (a.width * a.height).total_cmp(&(b.width * b.height)));
    fits.ok_or_else(|| {
        Diagnostic::for_option(
            "size",
            format!(
                "no listed envelope takes a {} x {} in card",
                round2(long / 72.0),
                round2(short / 72.0)
            ),
        )
        .hint("give the envelope's size as WxH with a unit, e.g. 9x6in")
        .into()
    })
}

/// A design's card as it goes into an envelope (folded, for a folded
/// design): the long and the short side, in points.
pub fn card_size(design: &Design) -> (f32, f32) {
    let (w, h) = match design.fold {
        None => (design.width.0, design.height.0),
        Some(Fold::Side) => (design.width.0 / 2.0, design.height.0),
        Some(Fold::Top) => (design.width.0, design.height.0 / 2.0),
    };
    (w.max(h), w.min(h))
}

/// Whether an envelope takes a card `long` x `short` points with [`SPARE`]
/// to spare each way.
fn takes(size: &EnvelopeSize, long: f32, short: f32) -> bool {
    size.width >= long + SPARE && size.height >= short + SPARE
}

/// Whether a design's card goes into an envelope with 1/8 in to spare.
pub fn card_fits(design: &Design, size: &EnvelopeSize) -> bool {
    let (long, short) = card_size(design);
    takes(size, long, short)
}

/// A warning when a card `long` x `short` points does not go into an
/// envelope with 1/8 in to spare.
pub fn card_warning(long: f32, short: f32, size: &EnvelopeSize) -> Option<Diagnostic> {
    (!takes(size, long, short)).then(|| {
        Diagnostic::new(format!(
            "a {} x {} in card does not fit a {} envelope with 1/8 in to spare",
            round2(long / 72.0),
            round2(short / 72.0),
            size.name
        ))
        .warning()
    })
}

/// Warnings for an envelope outside US letter-mail limits: 3.5 to 6.125 in
/// high, 5 to 11.5 in long, length 1.3 to 2.5 times the height.
pub fn postal_warnings(size: &EnvelopeSize) -> Vec<Diagnostic> {
    let (l, h) = (size.width / 72.0, size.height / 72.0);
    let aspect = l / h;
    let mut out = Vec::new();
    let what = format!("a {} x {} in envelope", round2(l), round2(h));
    if !(3.5..=6.125).contains(&h) || !(5.0..=11.5).contains(&l) {
        out.push(format!(
            "{what} is outside US letter-mail sizes (3.5 to 6.125 in high, 5 to 11.5 in long); \
             it may be refused or cost more to post"
        ));
    }
    if !(1.3..=2.5).contains(&aspect) {
        out.push(format!(
            "{what} has an aspect ratio of {:.2}; US machinable letters run 1.3 to 2.5 \
             (a square envelope costs a non-machinable surcharge)",
            aspect
        ));
    }
    out.into_iter()
        .map(|m| Diagnostic::new(m).warning())
        .collect()
}

pub(crate) fn round2(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_by_name_and_measure() {
        let a2 = parse_size("us-a2").unwrap();
        assert_eq!((a2.width, a2.height), (414.0, 315.0));
        assert_eq!(parse_size(" US-A2 ").unwrap(), a2);
        let sq = parse_size("6x6in").unwrap();
        assert_eq!((sq.width, sq.height), (432.0, 432.0));
        let mm = parse_size("110x220mm").unwrap();
        assert!((mm.width - 623.6).abs() < 0.1 && (mm.height - 311.8).abs() < 0.1);
        assert_eq!(parse_size("9inx4in").unwrap().width, 648.0);
        for bad in ["huge", "1x1in", "6x6", "30x6in"] {
            let e = parse_size(bad).unwrap_err();
            assert_eq!(e.0[0].option, Some("size"), "{bad}");
            assert!(!e.0[0].message.contains("--"), "{bad}: {e}");
        }
        let e = parse_size("huge").unwrap_err();
        assert!(
            e.0[0].message.contains("us-a2, us-a6, us-a7, c6, dl"),
            "{e}"
        );
    }

    #[test]
    fn every_envelope_of_the_paper_table_parses_by_name() {
        for p in paper::papers(Use::Envelope) {
            let z = parse_size(p.name).unwrap();
            assert_eq!((z.width, z.height), (p.width.0, p.height.0), "{}", p.name);
        }
    }

    #[test]
    fn only_odd_sizes_warn() {
        for name in paper::names(Use::Envelope) {
            assert!(
                postal_warnings(&parse_size(name).unwrap()).is_empty(),
                "{name}"
            );
        }
        let w = postal_warnings(&parse_size("6x6in").unwrap());
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].severity, crate::diag::Severity::Warning);
        assert_eq!(postal_warnings(&parse_size("12x4in").unwrap()).len(), 2);
    }
}
