//! The card design (a layout TOML file): card size, margins, body text,
//! signature area. See the README's "Designs" section for the format.

use super::{at_span, toml_error};
use crate::diag::{Diagnostic, Place, Result};
use crate::units::Pt;
use serde::Deserialize;
use std::fmt;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// Where a design came from.
#[derive(Debug, Clone, PartialEq)]
pub enum DesignSource {
    /// A design bundled in the binary, by name.
    Bundled(&'static str),
    /// A design file of the user's.
    File(PathBuf),
}

impl DesignSource {
    /// The path used in messages (`layouts/NAME.toml` for bundled designs).
    pub fn display_path(&self) -> PathBuf {
        match self {
            DesignSource::Bundled(name) => PathBuf::from(format!("layouts/{name}.toml")),
            DesignSource::File(p) => p.clone(),
        }
    }
}

/// Horizontal alignment of the body text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    /// Ragged right (the default).
    Ragged,
    /// Justified, the last line of each paragraph ragged.
    Justified,
}

/// A side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// The left edge of the text area.
    Left,
    /// The right edge of the text area.
    Right,
}

/// Where the signature area sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Anchor {
    /// Directly below the closing line (the default).
    Flow,
    /// At the bottom of the text area, the printed name on the bottom margin.
    Bottom,
}

/// Where the text block sits vertically in the text area when it does not fill it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VAlign {
    /// At the top (the default).
    Top,
    /// Centred, the free space shared above and below.
    Center,
}

/// How a folded card folds; the message goes on the inside panel that
/// faces the reader (the right one, or the bottom one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Fold {
    /// Folds down the middle, left to right: the message on the right half.
    Side,
    /// Folds across the middle: the message on the bottom half.
    Top,
}

/// A face of a family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Style {
    /// Upright.
    Regular,
    /// Italic.
    Italic,
    /// Bold.
    Bold,
}

/// The text font: a bundled family or the user's own files.
#[derive(Debug, Clone, PartialEq)]
pub enum FontChoice {
    /// A family built into the binary (`caladea`, `libertine`).
    Bundled(String),
    /// TTF/OTF files of the user's; italic and bold fall back to regular.
    Files {
        /// The upright face.
        regular: PathBuf,
        /// The italic face, if given.
        italic: Option<PathBuf>,
        /// The bold face, if given.
        bold: Option<PathBuf>,
    },
}

/// Distance between baselines.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Leading {
    /// A multiple of the font size, e.g. 1.25.
    Ratio(f32),
    /// A fixed length, e.g. 14pt.
    Fixed(Pt),
}

impl Leading {
    /// Baseline-to-baseline distance at a font size, in points.
    pub fn at(self, size: f32) -> f32 {
        match self {
            Leading::Ratio(r) => r * size,
            Leading::Fixed(p) => p.0,
        }
    }
}

impl<'de> Deserialize<'de> for Leading {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Leading, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Leading;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a multiple of the font size (1.25) or a length (\"14pt\")")
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> std::result::Result<Leading, E> {
                Ok(Leading::Ratio(v as f32))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<Leading, E> {
                Ok(Leading::Ratio(v as f32))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Leading, E> {
                v.parse()
                    .map(Leading::Fixed)
                    .map_err(|e: crate::units::LengthError| E::custom(e.0))
            }
        }
        d.deserialize_any(V)
    }
}

/// An sRGB colour, components 0..=1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgb(pub [f32; 3]);

impl Rgb {
    /// Near-black, the default ink.
    pub const INK: Rgb = Rgb([0.1, 0.1, 0.12]);

    fn parse(s: &str) -> Option<Rgb> {
        let hex = s.strip_prefix('#')?;
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let c = |i: usize| {
            u8::from_str_radix(&hex[i..i + 2], 16)
                .ok()
                .map(|v| v as f32 / 255.0)
        };
        Some(Rgb([c(0)?, c(2)?, c(4)?]))
    }
}

/// A validated card design; every length in points.
#[derive(Debug, Clone, PartialEq)]
pub struct Design {
    /// Where it came from.
    pub source: DesignSource,
    /// One line shown by `stationer layouts`.
    pub description: String,
    /// Trim width.
    pub width: Pt,
    /// Trim height.
    pub height: Pt,
    /// Bleed on every side (0 when the design has none).
    pub bleed: Pt,
    /// For a folded card: how it folds (width and height are then the flat sheet's).
    pub fold: Option<Fold>,
    /// Margins from the trim edge to the text area: top, right, bottom, left.
    pub margins: [Pt; 4],
    /// The text font.
    pub font: FontChoice,
    /// Body size range in points: the largest that fits is used.
    pub size_min: f32,
    /// See `size_min`.
    pub size_max: f32,
    /// Baseline-to-baseline distance.
    pub leading: Leading,
    /// Ragged or justified.
    pub align: Align,
    /// Extra space between paragraphs, in lines (default 0.5).
    pub paragraph_gap: f32,
    /// Hyphenate as a last resort (default true).
    pub hyphenate: bool,
    /// Where the text sits when it does not fill the card (default top).
    pub valign: VAlign,
    /// Text colour.
    pub color: Rgb,
    /// The greeting's face.
    pub greeting_style: Style,
    /// Space after the greeting, in lines (default 0.5).
    pub greeting_gap: f32,
    /// The closing's face.
    pub closing_style: Style,
    /// Space before the closing, in lines (default 0.5).
    pub closing_gap: f32,
    /// The printed name's face.
    pub signer_style: Style,
    /// The printed name's size; the body size when absent.
    pub signer_size: Option<f32>,
    /// Height of the signature area.
    pub signature_height: Pt,
    /// Width of the signature area.
    pub signature_width: Pt,
    /// Which side of the text area the signature area (with closing and name) sits on.
    pub signature_side: Side,
    /// Where the signature area sits vertically.
    pub signature_anchor: Anchor,
    /// Draw a faint guide line at the foot of the signature area (default false).
    pub signature_guide: bool,
}

impl Design {
    /// The panel that carries the message: the whole card, or for a folded
    /// card the inside half that faces the reader. `[x0, y0, x1, y1]`.
    pub fn panel(&self) -> [f32; 4] {
        let (w, h) = (self.width.0, self.height.0);
        match self.fold {
            None => [0.0, 0.0, w, h],
            Some(Fold::Side) => [w / 2.0, 0.0, w, h],
            Some(Fold::Top) => [0.0, h / 2.0, w, h],
        }
    }

    /// The text area: `[x0, y0, x1, y1]` from the trim box's top-left corner.
    pub fn text_area(&self) -> [f32; 4] {
        let [t, r, b, l] = self.margins;
        let [x0, y0, x1, y1] = self.panel();
        [x0 + l.0, y0 + t.0, x1 - r.0, y1 - b.0]
    }
}

/// Named card sizes, landscape (width, height) in inches or millimetres.
const SIZES: &[(&str, f32, f32, bool)] = &[
    // name, long side, short side, in inches (false: millimetres)
    ("us-a2", 5.5, 4.25, true),
    ("us-a6", 6.25, 4.5, true),
    ("us-a7", 7.0, 5.0, true),
    ("card-5x3.5", 5.0, 3.5, true),
    ("iso-a6", 148.0, 105.0, false),
    ("iso-a7", 105.0, 74.0, false),
    ("us-a2-folded", 8.5, 5.5, true),
];

/// The names of the card sizes a design can use.
pub fn size_names() -> Vec<&'static str> {
    SIZES.iter().map(|s| s.0).collect()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDesign {
    description: Option<String>,
    card: RawCard,
    margins: Option<RawMargins>,
    body: RawBody,
    greeting: Option<RawLine>,
    closing: Option<RawLine>,
    signer: Option<RawSigner>,
    signature: RawSignature,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCard {
    size: Option<Spanned<String>>,
    orientation: Option<Spanned<String>>,
    width: Option<Spanned<Pt>>,
    height: Option<Spanned<Pt>>,
    bleed: Option<Spanned<Pt>>,
    fold: Option<Fold>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMargins {
    top: Spanned<Pt>,
    right: Spanned<Pt>,
    bottom: Spanned<Pt>,
    left: Spanned<Pt>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBody {
    font: Option<Spanned<String>>,
    font_italic: Option<Spanned<String>>,
    font_bold: Option<Spanned<String>>,
    size: Spanned<[Pt; 2]>,
    leading: Option<Spanned<Leading>>,
    align: Option<Align>,
    paragraph_gap: Option<Spanned<f32>>,
    hyphenate: Option<bool>,
    valign: Option<VAlign>,
    color: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLine {
    style: Option<Style>,
    gap: Option<Spanned<f32>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSigner {
    style: Option<Style>,
    size: Option<Spanned<Pt>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSignature {
    height: Spanned<Pt>,
    width: Option<Spanned<Pt>>,
    side: Option<Side>,
    anchor: Option<Anchor>,
    guide: Option<bool>,
}

/// The bundled font families.
pub const BUNDLED_FAMILIES: &[&str] = &["caladea", "libertine"];

/// Parses and validates a design. `path` is used in messages and to resolve
/// font files named in the design (relative to the design's folder).
pub fn parse_design(source: DesignSource, text: &str) -> Result<Design> {
    let path = source.display_path();
    let raw: RawDesign = toml::from_str(text).map_err(|e| toml_error(&path, text, &e))?;
    let err = |span: std::ops::Range<usize>, msg: String| at_span(&path, text, span, msg);

    // Card size.
    let (mut width, mut height) = match (&raw.card.size, &raw.card.width, &raw.card.height) {
        (Some(name), None, None) => {
            let Some(&(_, long, short, inches)) = SIZES.iter().find(|s| s.0 == name.get_ref())
            else {
                return Err(err(
                    name.span(),
                    format!("card.size: unknown size \"{}\"", name.get_ref()),
                )
                .hint(format!(
                    "named sizes: {}; or give card.width and card.height",
                    size_names().join(", ")
                ))
                .into());
            };
            let to_pt = |v| if inches { Pt::inches(v) } else { Pt::mm(v) };
            (to_pt(long), to_pt(short))
        }
        (None, Some(w), Some(h)) => (*w.get_ref(), *h.get_ref()),
        _ => {
            return Err(Diagnostic::at(
                Place::file(&path),
                "card: give either `size` (a named size) or both `width` and `height`",
            )
            .hint(format!("named sizes: {}", size_names().join(", ")))
            .into())
        }
    };
    let card_span = raw
        .card
        .size
        .as_ref()
        .map(|s| s.span())
        .or_else(|| raw.card.width.as_ref().map(|w| w.span()))
        .unwrap_or(0..0);
    if let Some(o) = &raw.card.orientation {
        match o.get_ref().as_str() {
            "landscape" if width < height => std::mem::swap(&mut width, &mut height),
            "portrait" if width > height => std::mem::swap(&mut width, &mut height),
            "landscape" | "portrait" => {}
            other => {
                return Err(err(
                    o.span(),
                    format!(
                        "card.orientation: \"{other}\" is neither \"landscape\" nor \"portrait\""
                    ),
                )
                .into())
            }
        }
    }
    let (min_card, max_card) = (Pt::inches(1.0), Pt::inches(48.0));
    if width < min_card || height < min_card || width > max_card || height > max_card {
        return Err(err(
            card_span,
            format!(
                "card: size {width} x {height} is outside what a printer takes (1in to 48in a side)"
            ),
        )
        .into());
    }
    let bleed = match &raw.card.bleed {
        Some(b) if b.get_ref().0 < 0.0 || b.get_ref().0 > Pt::inches(0.5).0 => {
            return Err(err(b.span(), "card.bleed: must be between 0 and 0.5in".into()).into())
        }
        Some(b) => *b.get_ref(),
        None => Pt(0.0),
    };

    // Margins, within the panel that carries the message.
    let fold = raw.card.fold;
    let (panel_w, panel_h) = match fold {
        None => (width, height),
        Some(Fold::Side) => (Pt(width.0 / 2.0), height),
        Some(Fold::Top) => (width, Pt(height.0 / 2.0)),
    };
    let margins = match &raw.margins {
        Some(m) => {
            for (name, v) in [
                ("top", &m.top),
                ("right", &m.right),
                ("bottom", &m.bottom),
                ("left", &m.left),
            ] {
                if v.get_ref().0 < 0.0 {
                    return Err(
                        err(v.span(), format!("margins.{name}: must not be negative")).into(),
                    );
                }
            }
            if m.left.get_ref().0 + m.right.get_ref().0 >= panel_w.0 - 36.0 {
                return Err(err(
                    m.left.span(),
                    format!(
                        "margins: left {} + right {} leave less than 0.5in of the card's width {panel_w}",
                        m.left.get_ref(),
                        m.right.get_ref()
                    ),
                )
                .into());
            }
            if m.top.get_ref().0 + m.bottom.get_ref().0 >= panel_h.0 - 36.0 {
                return Err(err(
                    m.top.span(),
                    format!(
                        "margins: top {} + bottom {} leave less than 0.5in of the card's height {panel_h}",
                        m.top.get_ref(),
                        m.bottom.get_ref()
                    ),
                )
                .into());
            }
            [
                *m.top.get_ref(),
                *m.right.get_ref(),
                *m.bottom.get_ref(),
                *m.left.get_ref(),
            ]
        }
        None => [Pt::inches(0.5); 4],
    };
    let text_w = panel_w.0 - margins[1].0 - margins[3].0;
    let text_h = panel_h.0 - margins[0].0 - margins[2].0;

    // Body text.
    let b = &raw.body;
    let [min, max] = *b.size.get_ref();
    let (size_min, size_max) = (min.0, max.0);
    if size_min < 4.0 || size_max > 72.0 {
        return Err(err(
            b.size.span(),
            format!("body.size: sizes must lie between 4pt and 72pt (got {min} to {max})"),
        )
        .into());
    }
    if size_min > size_max {
        return Err(err(
            b.size.span(),
            format!("body.size: the minimum {min} is larger than the maximum {max}"),
        )
        .hint("write the range as [min, max], e.g. [\"10pt\", \"12.5pt\"]")
        .into());
    }
    let leading = match &b.leading {
        Some(l) => {
            let ok = match *l.get_ref() {
                Leading::Ratio(r) => (0.8..=3.0).contains(&r),
                Leading::Fixed(p) => p.0 >= size_max * 0.8 && p.0 <= size_max * 3.0,
            };
            if !ok {
                return Err(err(
                    l.span(),
                    "body.leading: must be 0.8 to 3 times the font size".into(),
                )
                .into());
            }
            *l.get_ref()
        }
        None => Leading::Ratio(1.3),
    };
    let unit = |v: &Option<Spanned<f32>>, key: &str, default: f32| -> Result<f32> {
        match v {
            Some(s) if !(0.0..=4.0).contains(s.get_ref()) => {
                Err(err(s.span(), format!("{key}: must be between 0 and 4 (lines)")).into())
            }
            Some(s) => Ok(*s.get_ref()),
            None => Ok(default),
        }
    };
    let paragraph_gap = unit(&b.paragraph_gap, "body.paragraph_gap", 0.5)?;
    let color = match &b.color {
        Some(c) => Rgb::parse(c.get_ref()).ok_or_else(|| {
            err(
                c.span(),
                format!("body.color: \"{}\" is not a colour", c.get_ref()),
            )
            .hint("write colours as \"#rrggbb\"")
        })?,
        None => Rgb::INK,
    };
    let font = resolve_font(&path, text, b)?;

    let greeting = raw.greeting.as_ref();
    let closing = raw.closing.as_ref();
    let greeting_gap = unit(&greeting.and_then(|g| g.gap.clone()), "greeting.gap", 0.5)?;
    let closing_gap = unit(&closing.and_then(|g| g.gap.clone()), "closing.gap", 0.5)?;
    let signer_size = match raw.signer.as_ref().and_then(|s| s.size.as_ref()) {
        Some(s) if !(4.0..=72.0).contains(&s.get_ref().0) => {
            return Err(err(
                s.span(),
                "signer.size: must lie between 4pt and 72pt".into(),
            )
            .into())
        }
        Some(s) => Some(s.get_ref().0),
        None => None,
    };

    // The signature area.
    let sig = &raw.signature;
    let signature_height = *sig.height.get_ref();
    let signature_width = match &sig.width {
        Some(w) if w.get_ref().0 <= 0.0 || w.get_ref().0 > text_w => {
            return Err(err(
                w.span(),
                format!(
                    "signature.width: {} does not fit the text area's width {}",
                    w.get_ref(),
                    Pt(text_w)
                ),
            )
            .into())
        }
        Some(w) => *w.get_ref(),
        None => Pt(text_w * 0.5),
    };
    // The signature area, a printed name and at least two lines of text at the
    // smallest size must fit in the text area.
    let line_min = leading.at(size_min);
    let needed = signature_height.0 + line_min * 3.0;
    if signature_height.0 <= 0.0 || needed > text_h {
        return Err(err(
            sig.height.span(),
            format!(
                "signature.height: {} leaves no room for text in a text area {} high",
                signature_height,
                Pt(text_h)
            ),
        )
        .hint(format!(
            "the signature area, the printed name and two lines of text need {}",
            Pt(needed)
        ))
        .into());
    }

    Ok(Design {
        source,
        description: raw.description.clone().unwrap_or_default(),
        width,
        height,
        bleed,
        fold,
        margins,
        font,
        size_min,
        size_max,
        leading,
        align: b.align.unwrap_or(Align::Ragged),
        paragraph_gap,
        hyphenate: b.hyphenate.unwrap_or(true),
        valign: b.valign.unwrap_or(VAlign::Top),
        color,
        greeting_style: greeting.and_then(|g| g.style).unwrap_or(Style::Regular),
        greeting_gap,
        closing_style: closing.and_then(|g| g.style).unwrap_or(Style::Regular),
        closing_gap,
        signer_style: raw
            .signer
            .as_ref()
            .and_then(|s| s.style)
            .unwrap_or(Style::Regular),
        signer_size,
        signature_height,
        signature_width,
        signature_side: sig.side.unwrap_or(Side::Right),
        signature_anchor: sig.anchor.unwrap_or(Anchor::Flow),
        signature_guide: sig.guide.unwrap_or(false),
    })
}

fn resolve_font(path: &Path, text: &str, b: &RawBody) -> Result<FontChoice> {
    let Some(font) = &b.font else {
        return Ok(FontChoice::Bundled("caladea".into()));
    };
    let name = font.get_ref();
    let is_file = |s: &str| {
        let l = s.to_ascii_lowercase();
        l.ends_with(".ttf") || l.ends_with(".otf")
    };
    let base = path.parent().unwrap_or(Path::new(""));
    if is_file(name) {
        let file = |s: &Option<Spanned<String>>, key: &str| -> Result<Option<PathBuf>> {
            match s {
                Some(s) if !is_file(s.get_ref()) => Err(at_span(
                    path,
                    text,
                    s.span(),
                    format!("body.{key}: \"{}\" is not a .ttf or .otf file", s.get_ref()),
                )
                .into()),
                Some(s) => Ok(Some(base.join(s.get_ref()))),
                None => Ok(None),
            }
        };
        return Ok(FontChoice::Files {
            regular: base.join(name),
            italic: file(&b.font_italic, "font_italic")?,
            bold: file(&b.font_bold, "font_bold")?,
        });
    }
    if !BUNDLED_FAMILIES.contains(&name.as_str()) {
        return Err(at_span(
            path,
            text,
            font.span(),
            format!("body.font: unknown font \"{name}\""),
        )
        .hint(format!(
            "bundled fonts: {}; or give the path of a .ttf or .otf file",
            BUNDLED_FAMILIES.join(", ")
        ))
        .into());
    }
    if let Some(extra) = b.font_italic.as_ref().or(b.font_bold.as_ref()) {
        return Err(at_span(
            path,
            text,
            extra.span(),
            "body.font_italic and body.font_bold go with a font file, not a bundled family",
        )
        .into());
    }
    Ok(FontChoice::Bundled(name.clone()))
}
