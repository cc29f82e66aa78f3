//! The card design (a layout TOML file): card size, margins, body text,
//! signature area. See the README's "Designs" section for the format.

use super::{at_span, toml_error};
use crate::diag::{Diagnostic, Place, Result};
use crate::input::image::ImageData;
use crate::paper;
use crate::template::{self, Template, TemplateError};
use crate::units::{Pt, Unit};
use serde::Deserialize;
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
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
    /// At the optical centre: a little above the middle, two fifths of the
    /// free space above the text and three fifths below.
    Optical,
}

/// Default of `body.max_space`: the widest a justified word space may be, in ems.
pub const MAX_SPACE_EM: f32 = 0.5;
/// Default of `body.min_space`: the narrowest, in ems.
pub const MIN_SPACE_EM: f32 = 0.16;

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
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
    /// Black, the default ink: the PDF writes it as black ink alone
    /// (DeviceGray 0), not as a four-colour near-black that a print shop's
    /// RIP would spread over every plate on a hairline serif.
    pub const INK: Rgb = Rgb([0.0, 0.0, 0.0]);

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

/// Horizontal alignment of a line of text at its anchor point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HAlign {
    /// The anchor is the line's left end (the default).
    Left,
    /// The anchor is the line's centre.
    Center,
    /// The anchor is the line's right end.
    Right,
}

/// Letter case of a text element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Case {
    /// As written (the default).
    Keep,
    /// Capitals.
    Upper,
}

/// A line of type that is part of the design: a monogram, a sender header.
#[derive(Debug, Clone, PartialEq)]
pub struct TextElement {
    /// The text, with `{initials}`, `{signer}` and `{contact}` filled in from
    /// the note; `{{` and `}}` are literal braces.
    pub template: Template,
    /// The anchor: on the baseline, at the left end, centre or right end
    /// (see `align`); points from the trim box's top-left corner.
    pub at: [f32; 2],
    /// Which point of the line `at` is (default left).
    pub align: HAlign,
    /// Size in points (default 9).
    pub size: f32,
    /// Face of the design's font (default regular).
    pub style: Style,
    /// Letter case (default as written).
    pub case: Case,
    /// Extra space after every letter but the last, in ems (default 0).
    pub tracking: f32,
    /// Colour (default the body colour).
    pub color: Rgb,
}

/// What a design element draws. Lengths in points, positions from the trim
/// box's top-left corner, y down.
#[derive(Debug, Clone, PartialEq)]
pub enum ElementKind {
    /// A frame parallel to the trim edges: one line, or two.
    Border {
        /// Trim edge to the centre of the (outer) line.
        inset: f32,
        /// Line width.
        width: f32,
        /// For a double border: the space between the two lines (edge to edge).
        double: Option<f32>,
        /// Colour.
        color: Rgb,
    },
    /// A straight line.
    Rule {
        /// Start point.
        from: [f32; 2],
        /// End point.
        to: [f32; 2],
        /// Line width.
        width: f32,
        /// Colour.
        color: Rgb,
    },
    /// A rectangle: a tint, a band of colour, a frame.
    Panel {
        /// `[x0, y0, x1, y1]`.
        rect: [f32; 4],
        /// Fill colour, if filled.
        fill: Option<Rgb>,
        /// Outline colour and width, if outlined.
        stroke: Option<(Rgb, f32)>,
    },
    /// A line of type.
    Text(TextElement),
    /// A logo or artwork.
    Image {
        /// The decoded image, shared by every card.
        image: Arc<ImageData>,
        /// Where it goes, `[x0, y0, x1, y1]`.
        rect: [f32; 4],
    },
}

/// A design element: drawn on every card, outside the text area.
#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    /// What it draws.
    pub kind: ElementKind,
    /// Drawn only in previews, never printed (default false; always true on
    /// a pre-printed design).
    pub preview_only: bool,
    /// Allowed to lie under the text area, like a pale tint (default false:
    /// an element that overlaps the text area is an error).
    pub background: bool,
    /// Where the element is written, for messages.
    pub place: Place,
    /// Its table's name: `border`, `rule`, `panel`, `text` or `image`.
    pub key: &'static str,
}

impl Element {
    /// The boxes the element's ink covers, before any text is set (none for
    /// a text element, whose extent depends on the note): `[x0, y0, x1, y1]`.
    pub fn boxes(&self, card_w: f32, card_h: f32) -> Vec<[f32; 4]> {
        let line = |a: [f32; 2], b: [f32; 2], w: f32| {
            let h = w / 2.0;
            [
                a[0].min(b[0]) - h,
                a[1].min(b[1]) - h,
                a[0].max(b[0]) + h,
                a[1].max(b[1]) + h,
            ]
        };
        match &self.kind {
            ElementKind::Border {
                inset,
                width,
                double,
                ..
            } => border_frames(*inset, *width, *double, card_w, card_h)
                .into_iter()
                .flat_map(|r| {
                    let [x0, y0, x1, y1] = r;
                    [
                        line([x0, y0], [x1, y0], *width),
                        line([x1, y0], [x1, y1], *width),
                        line([x0, y1], [x1, y1], *width),
                        line([x0, y0], [x0, y1], *width),
                    ]
                })
                .collect(),
            ElementKind::Rule {
                from, to, width, ..
            } => vec![line(*from, *to, *width)],
            ElementKind::Panel { rect, stroke, .. } => {
                let h = stroke.map_or(0.0, |s| s.1 / 2.0);
                vec![[rect[0] - h, rect[1] - h, rect[2] + h, rect[3] + h]]
            }
            ElementKind::Text(_) => Vec::new(),
            ElementKind::Image { rect, .. } => vec![*rect],
        }
    }
}

/// The rectangles (line centres) of a border: one, or two for a double border.
pub fn border_frames(
    inset: f32,
    width: f32,
    double: Option<f32>,
    card_w: f32,
    card_h: f32,
) -> Vec<[f32; 4]> {
    let frame = |i: f32| [i, i, card_w - i, card_h - i];
    let mut frames = vec![frame(inset)];
    if let Some(gap) = double {
        frames.push(frame(inset + width + gap));
    }
    frames
}

/// Where fonts beyond the bundled ones are looked for, for characters no
/// bundled face has (CJK, Indic scripts, ...).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FontSources {
    /// Directories searched for font files (recursively), in order.
    pub paths: Vec<std::path::PathBuf>,
    /// Whether the system's installed fonts are searched too.
    pub system: bool,
}

impl FontSources {
    /// Whether any source beyond the bundled faces is named.
    pub fn is_empty(&self) -> bool {
        self.paths.is_empty() && !self.system
    }
}

/// A validated card design; every length in points.
#[derive(Debug, Clone, PartialEq)]
pub struct Design {
    /// Where it came from.
    pub source: DesignSource,
    /// The unit most of its lengths are written in, for messages.
    pub unit: Unit,
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
    /// Where fonts for characters no bundled face has are looked for (none
    /// unless the caller names some: the command line passes its font
    /// path and system fonts here).
    pub font_sources: FontSources,
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
    /// The widest a word space in justified text may be set, in ems: a
    /// wider one is a fault that fitting avoids (default 0.5).
    pub max_space: f32,
    /// The narrowest a word space in justified text may be set, in ems (default 0.16).
    pub min_space: f32,
    /// Optical margins: punctuation at a line's end (and opening quotes at
    /// its start) hangs into the margin (default true).
    pub protrusion: bool,
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
    /// Card stock that already carries the design: only the text prints;
    /// elements and the guide line show in previews only (default false).
    pub preprinted: bool,
    /// Design elements, in painting order (under the text): panels, images,
    /// the border, rules, then text elements.
    pub elements: Vec<Element>,
    /// A folded design's front (its `[front]` table): elements drawn on the
    /// outside of the sheet, on the front cover (the right half of the
    /// outside for a side fold, the bottom half for a top fold), in painting
    /// order. Empty: the outside is blank.
    pub front: Vec<Element>,
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

/// The names of the card sizes a design can use.
pub fn size_names() -> Vec<&'static str> {
    paper::names(paper::Use::Card)
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
    border: Option<Spanned<RawBorder>>,
    rule: Option<Vec<Spanned<RawRule>>>,
    panel: Option<Vec<Spanned<RawPanel>>>,
    text: Option<Vec<Spanned<RawText>>>,
    image: Option<Vec<Spanned<RawImage>>>,
    front: Option<Spanned<RawFront>>,
}

/// `[front]`: the front cover of a folded card, centred on it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFront {
    /// Large letters above the rule, e.g. "{initials}".
    monogram: Option<Spanned<String>>,
    /// A line below the rule, e.g. "Thank you".
    lettering: Option<Spanned<String>>,
    /// A short rule between the two (default true when both are given).
    rule: Option<bool>,
    /// The lettering's size (default 18pt; the monogram is twice that).
    size: Option<Spanned<Pt>>,
    /// The lettering's face (default italic; the monogram is regular).
    style: Option<Style>,
    /// Extra space between the monogram's letters, in ems (default 0.12).
    tracking: Option<Spanned<f32>>,
    color: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBorder {
    inset: Spanned<Pt>,
    width: Option<Spanned<Pt>>,
    style: Option<Spanned<String>>,
    gap: Option<Spanned<Pt>>,
    color: Option<Spanned<String>>,
    preview_only: Option<bool>,
    background: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    from: Spanned<[Pt; 2]>,
    to: Spanned<[Pt; 2]>,
    width: Option<Spanned<Pt>>,
    color: Option<Spanned<String>>,
    preview_only: Option<bool>,
    background: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPanel {
    #[serde(rename = "box")]
    rect: Spanned<[Pt; 4]>,
    fill: Option<Spanned<String>>,
    stroke: Option<Spanned<String>>,
    width: Option<Spanned<Pt>>,
    preview_only: Option<bool>,
    background: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawText {
    text: Spanned<String>,
    at: Spanned<[Pt; 2]>,
    align: Option<HAlign>,
    size: Option<Spanned<Pt>>,
    style: Option<Style>,
    case: Option<Case>,
    tracking: Option<Spanned<f32>>,
    color: Option<Spanned<String>>,
    preview_only: Option<bool>,
    background: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawImage {
    file: Spanned<String>,
    at: Spanned<[Pt; 2]>,
    width: Option<Spanned<Pt>>,
    height: Option<Spanned<Pt>>,
    preview_only: Option<bool>,
    background: Option<bool>,
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
    preprinted: Option<bool>,
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
    max_space: Option<Spanned<f32>>,
    min_space: Option<Spanned<f32>>,
    protrusion: Option<bool>,
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
    // Lengths in messages are given in the unit the user wrote them in:
    // that of the value the message is about, or the design's usual one.
    let unit_at = |span: std::ops::Range<usize>| {
        Unit::of(
            text.get(span)
                .unwrap_or("")
                .trim_end_matches([']', ' ', '\n']),
        )
    };
    let du = written_unit(text);

    // Card size.
    let (mut width, mut height) = match (&raw.card.size, &raw.card.width, &raw.card.height) {
        (Some(name), None, None) => {
            let Some(p) = paper::find(paper::Use::Card, name.get_ref()) else {
                return Err(err(
                    name.span(),
                    format!(
                        "card.size: unknown size {}",
                        crate::diag::quote(name.get_ref())
                    ),
                )
                .hint(format!(
                    "named sizes: {}; or give card.width and card.height",
                    size_names().join(", ")
                ))
                .into());
            };
            (p.width, p.height)
        }
        (None, Some(w), Some(h)) => (*w.get_ref(), *h.get_ref()),
        _ => {
            return Err(Diagnostic::at(
                Place {
                    line: Some(super::key_line(text, "card").unwrap_or(1)),
                    ..Place::file(&path)
                },
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
                        "card.orientation: {} is neither \"landscape\" nor \"portrait\"",
                        crate::diag::quote(other)
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
                "card: size {} x {} is outside what a printer takes ({} to {} a side)",
                width.show(du),
                height.show(du),
                min_card.show(du),
                max_card.show(du)
            ),
        )
        .into());
    }
    let bleed = match &raw.card.bleed {
        Some(b) if b.get_ref().0 < 0.0 || b.get_ref().0 > Pt::inches(0.5).0 => {
            return Err(err(
                b.span(),
                format!(
                    "card.bleed: must be between 0 and {} (got {})",
                    Pt::inches(0.5).show(unit_at(b.span())),
                    b.get_ref().show(unit_at(b.span()))
                ),
            )
            .into())
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
                        "margins: left {} + right {} leave less than {} of the card's width {}",
                        m.left.get_ref().show(unit_at(m.left.span())),
                        m.right.get_ref().show(unit_at(m.right.span())),
                        Pt(36.0).show(unit_at(m.left.span())),
                        panel_w.show(unit_at(m.left.span()))
                    ),
                )
                .into());
            }
            if m.top.get_ref().0 + m.bottom.get_ref().0 >= panel_h.0 - 36.0 {
                return Err(err(
                    m.top.span(),
                    format!(
                        "margins: top {} + bottom {} leave less than {} of the card's height {}",
                        m.top.get_ref().show(unit_at(m.top.span())),
                        m.bottom.get_ref().show(unit_at(m.bottom.span())),
                        Pt(36.0).show(unit_at(m.top.span())),
                        panel_h.show(unit_at(m.top.span()))
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
    let su = unit_at(b.size.span());
    if size_min < 4.0 || size_max > 72.0 {
        return Err(err(
            b.size.span(),
            format!(
                "body.size: sizes must lie between {} and {} (got {} to {})",
                Pt(4.0).show(su),
                Pt(72.0).show(su),
                min.show(su),
                max.show(su)
            ),
        )
        .into());
    }
    if size_min > size_max {
        return Err(err(
            b.size.span(),
            format!(
                "body.size: the minimum {} is larger than the maximum {}",
                min.show(su),
                max.show(su)
            ),
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
    let em = |v: &Option<Spanned<f32>>, default: f32| v.as_ref().map_or(default, |s| *s.get_ref());
    let (min_space, max_space) = (
        em(&b.min_space, MIN_SPACE_EM),
        em(&b.max_space, MAX_SPACE_EM),
    );
    if !(min_space > 0.0 && min_space < max_space && max_space <= 2.0) {
        let span = b
            .max_space
            .as_ref()
            .or(b.min_space.as_ref())
            .map(|s| s.span())
            .unwrap_or(0..0);
        return Err(err(
            span,
            format!("body.min_space {min_space} and body.max_space {max_space}: need 0 < min_space < max_space <= 2 (ems)"),
        )
        .into());
    }
    let color = match &b.color {
        Some(c) => Rgb::parse(c.get_ref()).ok_or_else(|| {
            err(
                c.span(),
                format!(
                    "body.color: {} is not a colour",
                    crate::diag::quote(c.get_ref())
                ),
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
                    w.get_ref().show(unit_at(w.span())),
                    Pt(text_w).show(unit_at(w.span()))
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
                signature_height.show(unit_at(sig.height.span())),
                Pt(text_h).show(unit_at(sig.height.span()))
            ),
        )
        .hint(format!(
            "the signature area, the printed name and two lines of text need {}",
            Pt(needed).show(unit_at(sig.height.span()))
        ))
        .into());
    }

    let mut design = Design {
        source,
        unit: du,
        description: raw.description.clone().unwrap_or_default(),
        width,
        height,
        bleed,
        fold,
        margins,
        font,
        font_sources: FontSources::default(),
        size_min,
        size_max,
        leading,
        align: b.align.unwrap_or(Align::Ragged),
        paragraph_gap,
        hyphenate: b.hyphenate.unwrap_or(true),
        valign: b.valign.unwrap_or(VAlign::Top),
        max_space,
        min_space,
        protrusion: b.protrusion.unwrap_or(true),
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
        preprinted: raw.card.preprinted.unwrap_or(false),
        elements: Vec::new(),
        front: Vec::new(),
    };
    design.elements = elements(&raw, &design, &path, text)?;
    design.front = front(&raw, &design, &path, text)?;
    Ok(design)
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
                    format!(
                        "body.{key}: {} is not a .ttf or .otf file",
                        crate::diag::quote(s.get_ref())
                    ),
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
            format!("body.font: unknown font {}", crate::diag::quote(name)),
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

/// The most elements (`[[rule]]`, `[[panel]]`, `[[text]]` and `[[image]]`
/// tables together) a design may have.
pub const MAX_ELEMENTS: usize = 1_000;

/// The most image pixels a design may hold: the pixels of every
/// `[[image]]` entry's file added up (an entry naming a file another entry
/// names counts again, although the file is decoded once).
pub const MAX_IMAGE_PIXELS: u64 = 80_000_000;

/// The placeholders a text element may use.
pub const TEXT_PLACEHOLDERS: &[&str] = &["initials", "signer", "contact"];

/// Design elements from their tables, checked: on the card, sizes in range,
/// images readable, and nothing over the text area unless marked
/// `background`. In painting order: panels, images, the border, rules, text.
fn elements(raw: &RawDesign, d: &Design, path: &Path, text: &str) -> Result<Vec<Element>> {
    let unit_at = |span: std::ops::Range<usize>| {
        Unit::of(
            text.get(span)
                .unwrap_or("")
                .trim_end_matches([']', ' ', '\n']),
        )
    };
    // Every element has a place: its line comes from one index of the
    // source's line starts, not a scan from the top per element.
    let lines = crate::diag::LineIndex::new(text);
    let place =
        |span: std::ops::Range<usize>| Place::at_line_col(path, lines.line_col(text, span.start));
    let err = |span: std::ops::Range<usize>, msg: String| Diagnostic::at(place(span), msg);
    let count = raw.rule.as_ref().map_or(0, Vec::len)
        + raw.panel.as_ref().map_or(0, Vec::len)
        + raw.text.as_ref().map_or(0, Vec::len)
        + raw.image.as_ref().map_or(0, Vec::len);
    if count > MAX_ELEMENTS {
        return Err(Diagnostic::at(
            Place::file(path),
            format!(
                "the design has {count} elements ([[rule]], [[panel]], [[text]], [[image]]); the limit is {MAX_ELEMENTS}"
            ),
        )
        .hint("a card has room for a few dozen; merge or remove elements")
        .into());
    }
    let (w, h, bleed) = (d.width.0, d.height.0, d.bleed.0);
    let color = |c: &Option<Spanned<String>>, key: &str, default: Rgb| -> Result<Rgb> {
        match c {
            Some(c) => Ok(Rgb::parse(c.get_ref()).ok_or_else(|| {
                err(
                    c.span(),
                    format!("{key}: {} is not a colour", crate::diag::quote(c.get_ref())),
                )
                .hint("write colours as \"#rrggbb\"")
            })?),
            None => Ok(default),
        }
    };
    let line_width = |v: &Option<Spanned<Pt>>, key: &str, default: f32| -> Result<f32> {
        match v {
            Some(v) if !(0.1..=36.0).contains(&v.get_ref().0) => Err(err(
                v.span(),
                format!(
                    "{key}: {} is not a line width ({} to {})",
                    v.get_ref().show(unit_at(v.span())),
                    Pt(0.1).show(unit_at(v.span())),
                    Pt(36.0).show(unit_at(v.span()))
                ),
            )
            .into()),
            Some(v) => Ok(v.get_ref().0),
            None => Ok(default),
        }
    };
    let on_card = |x: f32, y: f32| {
        (-bleed - 1e-3..=w + bleed + 1e-3).contains(&x)
            && (-bleed - 1e-3..=h + bleed + 1e-3).contains(&y)
    };
    let point = |p: &Spanned<[Pt; 2]>, key: &str| -> Result<[f32; 2]> {
        let [x, y] = p.get_ref().map(|v| v.0);
        if !on_card(x, y) {
            return Err(err(
                p.span(),
                format!(
                    "{key}: the point ({}, {}) is off the card ({} x {})",
                    Pt(x).show(unit_at(p.span())),
                    Pt(y).show(unit_at(p.span())),
                    d.width.show(unit_at(p.span())),
                    d.height.show(unit_at(p.span()))
                ),
            )
            .hint("positions are measured from the card's top-left corner")
            .into());
        }
        Ok([x, y])
    };
    let flags = |preview_only: Option<bool>, background: Option<bool>| {
        (
            preview_only.unwrap_or(false) || d.preprinted,
            background.unwrap_or(false),
        )
    };
    let mut out = Vec::new();

    for p in raw.panel.iter().flatten() {
        let (span, p) = (p.span(), p.get_ref());
        let [x0, y0, x1, y1] = p.rect.get_ref().map(|v| v.0);
        let ordered = x0 < x1 && y0 < y1;
        if !(ordered && on_card(x0, y0) && on_card(x1, y1)) {
            return Err(err(
                p.rect.span(),
                "panel.box: give [x0, y0, x1, y1] on the card, left before right and top before bottom".into(),
            )
            .into());
        }
        let fill = match &p.fill {
            Some(_) => Some(color(&p.fill, "panel.fill", Rgb::INK)?),
            None => None,
        };
        let stroke = match &p.stroke {
            Some(_) => Some((
                color(&p.stroke, "panel.stroke", Rgb::INK)?,
                line_width(&p.width, "panel.width", 0.5)?,
            )),
            None => None,
        };
        if fill.is_none() && stroke.is_none() {
            return Err(err(
                span,
                "panel: give a `fill` colour, a `stroke` colour or both".into(),
            )
            .into());
        }
        let (preview_only, background) = flags(p.preview_only, p.background);
        out.push(Element {
            kind: ElementKind::Panel {
                rect: [x0, y0, x1, y1],
                fill,
                stroke,
            },
            preview_only,
            background,
            place: place(span),
            key: "panel",
        });
    }

    // Images: each file is read and its header checked once, however many
    // entries name it (by its canonical path), and the pixels of all entries
    // together are held to a budget before anything is decoded; then each
    // file is decoded once and shared.
    let at_file = |span: std::ops::Range<usize>| {
        move |e: crate::diag::Error| {
            crate::diag::Error(
                e.0.into_iter()
                    .map(|diag| Diagnostic {
                        place: Some(place(span.clone())),
                        message: format!("image.file: {}", diag.message),
                        ..diag
                    })
                    .collect(),
            )
        }
    };
    let mut probes: HashMap<PathBuf, super::image::Probe> = HashMap::new();
    let mut decoded: HashMap<PathBuf, Arc<ImageData>> = HashMap::new();
    let mut keys = Vec::new();
    let mut pixels = 0u64;
    for im in raw.image.iter().flatten() {
        let file = im.get_ref().file.get_ref();
        let span = im.get_ref().file.span();
        let base = match &d.source {
            DesignSource::File(p) => p.parent().unwrap_or(Path::new("")),
            DesignSource::Bundled(_) => {
                return Err(err(
                    span,
                    "image.file: a bundled design cannot name an image file".into(),
                )
                .into())
            }
        };
        let path = base.join(file);
        let key = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if !probes.contains_key(&key) {
            let p = super::image::probe(&path, "image", &super::image::ARTWORK_LIMITS)
                .map_err(at_file(span.clone()))?;
            probes.insert(key.clone(), p);
        }
        pixels += probes[&key].pixels();
        if pixels > MAX_IMAGE_PIXELS {
            return Err(err(
                span,
                format!(
                    "image.file: the design's images come to {} megapixels; the limit for a design is {} (each [[image]] counts)",
                    pixels / 1_000_000,
                    MAX_IMAGE_PIXELS / 1_000_000
                ),
            )
            .hint("scale the images down; 300 dpi is plenty for a card")
            .into());
        }
        keys.push((key, path));
    }

    for (im, (key, path)) in raw.image.iter().flatten().zip(keys) {
        let (span, im) = (im.span(), im.get_ref());
        let at = point(&im.at, "image.at")?;
        let image = match decoded.get(&key) {
            Some(image) => image.clone(),
            None => {
                let probe = probes.remove(&key).expect("every image file was probed");
                let image =
                    Arc::new(super::image::artwork(probe, &path).map_err(at_file(im.file.span()))?);
                decoded.insert(key, image.clone());
                image
            }
        };
        let ratio = image.height as f32 / image.width as f32;
        let size = |v: &Option<Spanned<Pt>>, key: &str| -> Result<Option<f32>> {
            match v {
                Some(v) if v.get_ref().0 <= 0.0 => {
                    Err(err(v.span(), format!("image.{key}: must be more than 0")).into())
                }
                Some(v) => Ok(Some(v.get_ref().0)),
                None => Ok(None),
            }
        };
        let (iw, ih) = match (size(&im.width, "width")?, size(&im.height, "height")?) {
            (Some(a), Some(b)) => (a, b),
            (Some(a), None) => (a, a * ratio),
            (None, Some(b)) => (b / ratio, b),
            (None, None) => {
                return Err(
                    err(span, "image: give its `width`, its `height` or both".into())
                        .hint("with one of them, the other follows the image's proportions")
                        .into(),
                )
            }
        };
        let rect = [at[0], at[1], at[0] + iw, at[1] + ih];
        if !on_card(rect[2], rect[3]) {
            return Err(err(
                im.at.span(),
                format!(
                    "image: a {} x {} image at ({}, {}) runs off the card",
                    Pt(iw).show(unit_at(im.at.span())),
                    Pt(ih).show(unit_at(im.at.span())),
                    Pt(at[0]).show(unit_at(im.at.span())),
                    Pt(at[1]).show(unit_at(im.at.span()))
                ),
            )
            .into());
        }
        let (preview_only, background) = flags(im.preview_only, im.background);
        out.push(Element {
            kind: ElementKind::Image { image, rect },
            preview_only,
            background,
            place: place(span),
            key: "image",
        });
    }

    if let Some(b) = &raw.border {
        let (span, b) = (b.span(), b.get_ref());
        let width = line_width(&b.width, "border.width", 0.5)?;
        let inset = b.inset.get_ref().0;
        let double = match b.style.as_ref().map(|s| (s.get_ref().as_str(), s.span())) {
            None | Some(("single", _)) => None,
            Some(("double", _)) => Some(match &b.gap {
                Some(g) if !(0.0..=36.0).contains(&g.get_ref().0) => {
                    return Err(err(
                        g.span(),
                        format!(
                            "border.gap: must be between 0 and {}",
                            Pt(36.0).show(unit_at(g.span()))
                        ),
                    )
                    .into())
                }
                Some(g) => g.get_ref().0,
                None => 1.5,
            }),
            Some((other, s)) => {
                return Err(err(
                    s,
                    format!(
                        "border.style: {} is neither \"single\" nor \"double\"",
                        crate::diag::quote(other)
                    ),
                )
                .into())
            }
        };
        let inner = inset + double.map_or(0.0, |g| g + width);
        if inset < -bleed || inner * 2.0 >= w.min(h) {
            return Err(err(
                b.inset.span(),
                format!(
                    "border.inset: {} leaves no card inside the border",
                    b.inset.get_ref().show(unit_at(b.inset.span()))
                ),
            )
            .into());
        }
        let (preview_only, background) = flags(b.preview_only, b.background);
        out.push(Element {
            kind: ElementKind::Border {
                inset,
                width,
                double,
                color: color(&b.color, "border.color", d.color)?,
            },
            preview_only,
            background,
            place: place(span),
            key: "border",
        });
    }

    for r in raw.rule.iter().flatten() {
        let (span, r) = (r.span(), r.get_ref());
        let from = point(&r.from, "rule.from")?;
        let to = point(&r.to, "rule.to")?;
        let (preview_only, background) = flags(r.preview_only, r.background);
        out.push(Element {
            kind: ElementKind::Rule {
                from,
                to,
                width: line_width(&r.width, "rule.width", 0.5)?,
                color: color(&r.color, "rule.color", d.color)?,
            },
            preview_only,
            background,
            place: place(span),
            key: "rule",
        });
    }

    for t in raw.text.iter().flatten() {
        let (span, t) = (t.span(), t.get_ref());
        let template = lettering_template(t.text.get_ref())
            .map_err(|why| err(t.text.span(), format!("text.text: {why}")))?;
        let size = match &t.size {
            Some(s) if !(4.0..=72.0).contains(&s.get_ref().0) => {
                return Err(err(s.span(), "text.size: must lie between 4pt and 72pt".into()).into())
            }
            Some(s) => s.get_ref().0,
            None => 9.0,
        };
        let tracking = match &t.tracking {
            Some(v) if !(-0.1..=1.0).contains(v.get_ref()) => {
                return Err(err(
                    v.span(),
                    "text.tracking: must be between -0.1 and 1 (ems)".into(),
                )
                .into())
            }
            Some(v) => *v.get_ref(),
            None => 0.0,
        };
        let (preview_only, background) = flags(t.preview_only, t.background);
        out.push(Element {
            kind: ElementKind::Text(TextElement {
                template: template.clone(),
                at: point(&t.at, "text.at")?,
                align: t.align.unwrap_or(HAlign::Left),
                size,
                style: t.style.unwrap_or(Style::Regular),
                case: t.case.unwrap_or(Case::Keep),
                tracking,
                color: color(&t.color, "text.color", d.color)?,
            }),
            preview_only,
            background,
            place: place(span),
            key: "text",
        });
    }

    let area = d.text_area();
    for e in out.iter().filter(|e| !e.background) {
        if let Some(b) = e.boxes(w, h).into_iter().find(|b| overlaps(*b, area)) {
            return Err(Diagnostic::at(
                e.place.clone(),
                format!(
                    "{}: it reaches into the text area (it covers {}, the text area is {})",
                    e.key,
                    show_box(b, d.unit),
                    show_box(area, d.unit)
                ),
            )
            .hint("move it into the margins or widen the margins; an element meant to lie under the text takes `background = true`")
            .into());
        }
    }
    Ok(out)
}

/// Whether two boxes share more than an edge.
pub fn overlaps(a: [f32; 4], b: [f32; 4]) -> bool {
    const EPS: f32 = 1e-3;
    a[0] < b[2] - EPS && b[0] < a[2] - EPS && a[1] < b[3] - EPS && b[1] < a[3] - EPS
}

/// A box as `[x0, y0, x1, y1]` in `unit`.
fn show_box(b: [f32; 4], unit: Unit) -> String {
    let v: Vec<String> = b.iter().map(|&v| Pt(v).show(unit)).collect();
    format!("[{}]", v.join(", "))
}

/// The unit most lengths of a design are written in (inches when it
/// writes none): every quoted string that reads as a length counts.
fn written_unit(text: &str) -> Unit {
    let mut counts = [0usize; 4];
    for (i, piece) in text.split('"').enumerate() {
        if i % 2 == 1 && piece.len() < 40 && piece.parse::<Pt>().is_ok() {
            counts[Unit::of(piece) as usize] += 1;
        }
    }
    let units = [Unit::In, Unit::Mm, Unit::Cm, Unit::Pt];
    let best = (0..4).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
    if counts[best] == 0 {
        Unit::In
    } else {
        units[best]
    }
}

/// Parses a text element's template: one line, known placeholders (see
/// [`TEXT_PLACEHOLDERS`]), braces paired.
/// The front cover's elements from `[front]`, centred on the cover: the
/// monogram above the middle, a rule at it, the lettering below. `[front]`
/// on a flat design is an error: it has no outside.
fn front(raw: &RawDesign, d: &Design, path: &Path, text: &str) -> Result<Vec<Element>> {
    let Some(f) = &raw.front else {
        return Ok(Vec::new());
    };
    let err = |span: std::ops::Range<usize>, msg: String| at_span(path, text, span, msg);
    let place = Place::at_offset(path, text, f.span().start);
    let Some(fold) = d.fold else {
        return Err(err(
            f.span(),
            "front: only a folded design has a front (give [card] fold = \"side\" or \"top\")"
                .into(),
        )
        .into());
    };
    let f = f.get_ref();
    let (w, h) = (d.width.0, d.height.0);
    let [x0, y0, x1, y1] = match fold {
        Fold::Side => [w / 2.0, 0.0, w, h],
        Fold::Top => [0.0, h / 2.0, w, h],
    };
    let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
    let size = match &f.size {
        Some(s) if !(6.0..=36.0).contains(&s.get_ref().0) => {
            return Err(err(s.span(), "front.size: must lie between 6pt and 36pt".into()).into())
        }
        Some(s) => s.get_ref().0,
        None => 18.0,
    };
    let tracking = match &f.tracking {
        Some(v) if !(-0.1..=1.0).contains(v.get_ref()) => {
            return Err(err(
                v.span(),
                "front.tracking: must be between -0.1 and 1 (ems)".into(),
            )
            .into())
        }
        Some(v) => *v.get_ref(),
        None => 0.12,
    };
    let color = match &f.color {
        Some(c) => Rgb::parse(c.get_ref()).ok_or_else(|| {
            err(
                c.span(),
                format!("front.color: \"{}\" is not a colour", c.get_ref()),
            )
            .hint("write colours as \"#rrggbb\"")
        })?,
        None => d.color,
    };
    let template = |s: &Spanned<String>, key: &str| {
        lettering_template(s.get_ref()).map_err(|why| err(s.span(), format!("front.{key}: {why}")))
    };
    let element = |kind: ElementKind, key: &'static str| Element {
        kind,
        preview_only: d.preprinted,
        // The front is on the outside: the inside's text area is not under it.
        background: true,
        place: place.clone(),
        key,
    };
    let mut out = Vec::new();
    let mono = size * 2.0;
    if let Some(m) = &f.monogram {
        out.push(element(
            ElementKind::Text(TextElement {
                template: template(m, "monogram")?,
                at: [cx, cy - 0.45 * size],
                align: HAlign::Center,
                size: mono,
                style: Style::Regular,
                case: Case::Keep,
                tracking,
                color,
            }),
            "text",
        ));
    }
    if f.rule
        .unwrap_or(f.monogram.is_some() && f.lettering.is_some())
    {
        let half = (x1 - x0) * 0.12;
        out.push(element(
            ElementKind::Rule {
                from: [cx - half, cy],
                to: [cx + half, cy],
                width: 0.6,
                color,
            },
            "rule",
        ));
    }
    if let Some(l) = &f.lettering {
        out.push(element(
            ElementKind::Text(TextElement {
                template: template(l, "lettering")?,
                at: [cx, cy + 1.5 * size],
                align: HAlign::Center,
                size,
                style: f.style.unwrap_or(Style::Italic),
                case: Case::Keep,
                tracking: 0.0,
                color,
            }),
            "text",
        ));
    }
    Ok(out)
}

fn lettering_template(source: &str) -> std::result::Result<Template, TemplateError> {
    let whole = |message: &str| TemplateError {
        offset: 0,
        message: message.into(),
        hint: String::new(),
    };
    if source.trim().is_empty() {
        return Err(whole("the text is empty"));
    }
    if source.contains(['\n', '\r']) {
        return Err(whole("the text must be a single line"));
    }
    let template = template::parse(source)?;
    if let Some(f) = template
        .fields()
        .find(|f| !TEXT_PLACEHOLDERS.contains(&f.name.as_str()))
    {
        return Err(TemplateError {
            offset: f.offset,
            message: format!(
                "unknown placeholder {{{}}}; the text may use {}",
                f.name,
                TEXT_PLACEHOLDERS
                    .iter()
                    .map(|p| format!("{{{p}}}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            hint: String::new(),
        });
    }
    Ok(template)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "[card]\nsize = \"us-a2\"\n[body]\nsize = [\"10pt\", \"12pt\"]\n[signature]\nheight = \"0.5in\"\n";

    #[test]
    fn an_image_named_by_many_entries_is_decoded_once() {
        let dir = tempfile::tempdir().unwrap();
        image::RgbImage::from_pixel(40, 20, image::Rgb([200, 10, 10]))
            .save(dir.path().join("logo.png"))
            .unwrap();
        let mut text = BASE.to_string();
        for i in 0..5 {
            // The same file, once through another spelling of its path.
            let file = if i == 3 { "./logo.png" } else { "logo.png" };
            text.push_str(&format!(
                "[[image]]\nfile = \"{file}\"\nat = [\"{}in\", \"0.05in\"]\nheight = \"0.1in\"\n",
                0.1 + 0.3 * i as f32
            ));
        }
        let d = parse_design(DesignSource::File(dir.path().join("d.toml")), &text).unwrap();
        let images: Vec<&Arc<ImageData>> = d
            .elements
            .iter()
            .filter_map(|e| match &e.kind {
                ElementKind::Image { image, .. } => Some(image),
                _ => None,
            })
            .collect();
        assert_eq!(images.len(), 5);
        assert!(images.iter().all(|i| Arc::ptr_eq(i, images[0])));
    }

    fn parse(extra: &str) -> Result<Design> {
        parse_design(
            DesignSource::File("d.toml".into()),
            &format!("{BASE}{extra}"),
        )
    }

    #[test]
    fn lettering_templates_take_known_placeholders_and_literal_braces() {
        let t = lettering_template("{{{initials}}} {signer}").unwrap();
        let filled = t.fill(|f| format!("<{}>", f.name));
        assert_eq!(filled.text, "{<initials>} <signer>");
        let e = lettering_template("{nick}").unwrap_err();
        assert!(e.message.contains("{nick}"), "{e:?}");
        assert!(lettering_template("{signer").is_err());
        assert!(lettering_template("a } b").is_err());
        assert!(lettering_template("a\nb").is_err());
    }

    #[test]
    fn elements_come_in_painting_order_and_preprinted_hides_them() {
        let extra = "[[text]]\ntext = \"{initials}\"\nat = [\"1in\", \"0.3in\"]\n\
                     [[rule]]\nfrom = [\"0.5in\", \"0.4in\"]\nto = [\"5in\", \"0.4in\"]\n\
                     [border]\ninset = \"0.2in\"\nstyle = \"double\"\n\
                     [[panel]]\nbox = [\"0in\", \"0in\", \"0.25in\", \"0.25in\"]\nfill = \"#204060\"\n";
        let d = parse(extra).unwrap();
        let keys: Vec<&str> = d.elements.iter().map(|e| e.key).collect();
        assert_eq!(keys, ["panel", "border", "rule", "text"]);
        assert!(d.elements.iter().all(|e| !e.preview_only));
        let ElementKind::Border { double, width, .. } = d.elements[1].kind else {
            panic!()
        };
        assert_eq!((double, width), (Some(1.5), 0.5));
        assert_eq!(
            border_frames(14.4, 0.5, double, 396.0, 306.0)[1],
            [16.4, 16.4, 379.6, 289.6]
        );
        let pre = parse_design(
            DesignSource::File("d.toml".into()),
            &format!(
                "{}{extra}",
                BASE.replace("[body]", "preprinted = true\n[body]")
            ),
        );
        assert!(pre.unwrap().elements.iter().all(|e| e.preview_only));
    }

    #[test]
    fn an_element_over_the_text_area_is_refused_unless_a_background() {
        let rule = "[[rule]]\nfrom = [\"1in\", \"1in\"]\nto = [\"4in\", \"1in\"]\n";
        let e = parse(rule).unwrap_err().to_string();
        assert!(e.contains("d.toml:7:1") && e.contains("text area"), "{e}");
        assert!(parse(&format!("{rule}background = true\n")).is_ok());
        let e = parse("[[image]]\nfile = \"nope.png\"\nat = [\"0in\", \"0in\"]\nwidth = \"1pt\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("d.toml:8:8") && e.contains("nope.png"), "{e}");
    }
}
