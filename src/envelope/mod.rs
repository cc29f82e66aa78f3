//! Envelopes: one per recipient of a CSV list, in the list's order (the
//! order of the cards `stationer batch` makes from it), each with the
//! recipient's address block and an optional return address, placed by
//! postal convention.
//!
//! Placement, on the envelope turned landscape (points from its top-left
//! corner): the return address at the top left, [`EDGE`] in from both
//! edges; the stamp area, [`STAMP_W`] x [`STAMP_H`] at the top right, kept
//! clear; the recipient's block centred at 55% of the width and 56% of the
//! height, so slightly right of and below the middle, moved to stay
//! [`EDGE`] from the sides, clear of the stamp area and the return address,
//! and out of the bottom [`BARCODE_CLEAR`] that US sorting machines print
//! their barcode into. A block too big for that space is set smaller, down
//! to [`MIN_SIZE`]; below that the row is refused.

use crate::batch::merge::{Recipients, Row};
use crate::diag::{Diagnostic, Error, Place, Result};
use crate::export::pdf::PdfWriter;
use crate::input::design::{Fold, Rgb};
use crate::input::{toml_error, Design};
use crate::layout::decor::{set_text, SetText};
use crate::scene::{Item, Page, PlacedGlyph, Role, TextRun};
use crate::text::{FontSet, Shaper};
use crate::units::Pt;
use serde::Deserialize;
use std::path::Path;

/// The envelope sizes by name: landscape width and height in points.
pub const SIZES: &[(&str, f32, f32, &str)] = &[
    ("us-a2", 5.75 * 72.0, 4.375 * 72.0, "5.75 x 4.375 in"),
    ("us-a6", 6.5 * 72.0, 4.75 * 72.0, "6.5 x 4.75 in"),
    ("us-a7", 7.25 * 72.0, 5.25 * 72.0, "7.25 x 5.25 in"),
    (
        "c6",
        162.0 * 72.0 / 25.4,
        114.0 * 72.0 / 25.4,
        "162 x 114 mm",
    ),
    (
        "dl",
        220.0 * 72.0 / 25.4,
        110.0 * 72.0 / 25.4,
        "220 x 110 mm",
    ),
];

/// Space between an envelope's edges and any text: 0.375 in.
pub const EDGE: f32 = 27.0;
/// Width of the stamp area at the top right: 1.5 in.
pub const STAMP_W: f32 = 108.0;
/// Height of the stamp area at the top right: 1.25 in.
pub const STAMP_H: f32 = 90.0;
/// The strip along the bottom kept free for a sorting barcode: 0.625 in.
pub const BARCODE_CLEAR: f32 = 45.0;
/// The recipient's block starts at this size, in points.
pub const ADDRESS_SIZE: f32 = 11.5;
/// The smallest size the recipient's block is set at, in points.
pub const MIN_SIZE: f32 = 9.0;
/// The return address's size, in points.
pub const RETURN_SIZE: f32 = 8.5;
/// Baseline to baseline, as a multiple of the size.
pub const LEADING: f32 = 1.28;
/// The default city line: `{city}, {region} {postcode}` (US style).
pub const DEFAULT_CITY_LINE: &str = "{city}, {region} {postcode}";

/// The address fields: CSV column (by default the field's own name) and
/// whether every row needs a value.
pub const FIELDS: &[(&str, bool)] = &[
    ("name", true),
    ("company", false),
    ("address1", true),
    ("address2", false),
    ("city", true),
    ("region", false),
    ("postcode", false),
    ("country", false),
];

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

/// Reads `--size`: a name from [`SIZES`] or `WxH` with a unit (`6x6in`,
/// `160x160mm`, `9inx4in`); turned landscape.
pub fn parse_size(s: &str) -> std::result::Result<EnvelopeSize, String> {
    let lower = s.trim().to_ascii_lowercase();
    if let Some(&(name, w, h, _)) = SIZES.iter().find(|z| z.0 == lower) {
        return Ok(EnvelopeSize {
            name: name.into(),
            width: w,
            height: h,
        });
    }
    let names: Vec<&str> = SIZES.iter().map(|z| z.0).collect();
    let bad = || {
        format!(
            "--size: {} is not an envelope size; give one of {} or WxH with a unit, e.g. 6x6in",
            crate::diag::quote(s),
            names.join(", ")
        )
    };
    let (a, b) = lower.split_once('x').ok_or_else(bad)?;
    let b: Pt = b.parse().map_err(|_| bad())?;
    let unit: String = lower
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let a: Pt = a
        .parse()
        .or_else(|_| format!("{a}{unit}").parse())
        .map_err(|_| bad())?;
    let (w, h) = (a.0.max(b.0), a.0.min(b.0));
    if !(Pt::inches(2.0).0..=Pt::inches(20.0).0).contains(&h) || w > Pt::inches(20.0).0 {
        return Err(format!(
            "--size: {s} is not an envelope (2 to 20 in a side)"
        ));
    }
    Ok(EnvelopeSize {
        name: s.trim().into(),
        width: w,
        height: h,
    })
}

/// The smallest listed envelope that takes a design's card (folded, for a
/// folded design) with at least 1/8 in to spare each way.
pub fn matching_size(design: &Design) -> Result<EnvelopeSize> {
    let (long, short) = card_size(design);
    let mut fits: Vec<&(&str, f32, f32, &str)> = SIZES
        .iter()
        .filter(|z| z.1 >= long + SPARE && z.2 >= short + SPARE)
        .collect();
    fits.sort_by(|a, b| (a.1 * a.2).total_cmp(&(b.1 * b.2)));
    match fits.first() {
        Some(&&(name, width, height, _)) => Ok(EnvelopeSize {
            name: name.into(),
            width,
            height,
        }),
        None => Err(Diagnostic::new(format!(
            "no listed envelope takes a {} x {} in card",
            round2(long / 72.0),
            round2(short / 72.0)
        ))
        .hint("give the envelope's size with --size WxH, e.g. --size 9x6in")
        .into()),
    }
}

/// Room an envelope leaves around its card each way, at least: 1/8 in.
const SPARE: f32 = 9.0;

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

/// Whether a design's card goes into an envelope with 1/8 in to spare.
pub fn card_fits(design: &Design, size: &EnvelopeSize) -> bool {
    let (long, short) = card_size(design);
    size.width >= long + SPARE && size.height >= short + SPARE
}

/// Warnings for an envelope outside US letter-mail limits: 3.5 to 6.125 in
/// high, 5 to 11.5 in long, length 1.3 to 2.5 times the height.
pub fn postal_warnings(size: &EnvelopeSize) -> Vec<String> {
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
    out
}

/// A postal address: the fields of [`FIELDS`], each possibly empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Address {
    /// The person.
    #[serde(default)]
    pub name: String,
    /// The organisation, if any.
    #[serde(default)]
    pub company: String,
    /// Street and number.
    #[serde(default)]
    pub address1: String,
    /// Suite, floor, building.
    #[serde(default)]
    pub address2: String,
    /// City or town.
    #[serde(default)]
    pub city: String,
    /// State, province or county.
    #[serde(default)]
    pub region: String,
    /// ZIP or postal code.
    #[serde(default)]
    pub postcode: String,
    /// Country; left off an envelope going to the return address's country.
    #[serde(default)]
    pub country: String,
}

impl Address {
    fn field_mut(&mut self, name: &str) -> Option<&mut String> {
        Some(match name {
            "name" => &mut self.name,
            "company" => &mut self.company,
            "address1" => &mut self.address1,
            "address2" => &mut self.address2,
            "city" => &mut self.city,
            "region" => &mut self.region,
            "postcode" => &mut self.postcode,
            "country" => &mut self.country,
            _ => return None,
        })
    }

    /// The lines of the address block: name, company, street lines, the city
    /// line from `city_line`, and the country in capitals unless it is
    /// `home` (compared without case). Empty lines are left out.
    pub fn lines(&self, city_line: &str, home: &str) -> Vec<String> {
        let city = city_line
            .replace("{city}", self.city.trim())
            .replace("{region}", self.region.trim())
            .replace("{postcode}", self.postcode.trim());
        let mut lines: Vec<String> = [&self.name, &self.company, &self.address1, &self.address2]
            .into_iter()
            .map(|s| s.trim().to_string())
            .collect();
        lines.push(tidy(&city));
        let country = self.country.trim();
        if !country.is_empty() && !country.eq_ignore_ascii_case(home.trim()) {
            lines.push(country.to_uppercase());
        }
        lines.retain(|l| !l.is_empty());
        lines
    }
}

/// A city line with empty parts taken out: no doubled spaces, no comma
/// before nothing or at either end.
fn tidy(line: &str) -> String {
    let words: Vec<&str> = line.split_whitespace().collect();
    let mut out = words.join(" ");
    loop {
        let before = out.len();
        out = out.replace(" ,", ",").replace(",,", ",");
        out = out
            .trim_matches(|c: char| c == ',' || c.is_whitespace())
            .to_string();
        if out.len() == before {
            return out;
        }
    }
}

/// Reads a return address from a TOML file with the keys of [`Address`].
pub fn read_return_address(path: &Path) -> Result<Address> {
    let text = crate::input::bundled::read_text(path, None)?;
    let a: Address = toml::from_str(&text).map_err(|e| toml_error(path, &text, &e))?;
    if a.name.trim().is_empty() && a.address1.trim().is_empty() {
        return Err(Diagnostic::at(
            Place::file(path),
            "the return address has neither a name nor an address1",
        )
        .into());
    }
    Ok(a)
}

/// Checks a `--city-line` template: only `{city}`, `{region}`, `{postcode}`.
pub fn check_city_line(template: &str) -> std::result::Result<(), String> {
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        let Some(j) = rest[i..].find('}') else {
            return Err(format!(
                "--city-line: a '{{' is never closed in {}",
                crate::diag::quote(template)
            ));
        };
        let name = &rest[i + 1..i + j];
        if !matches!(name, "city" | "region" | "postcode") {
            return Err(format!(
                "--city-line: unknown placeholder {{{name}}}; use {{city}}, {{region}} and {{postcode}}"
            ));
        }
        rest = &rest[i + j + 1..];
    }
    Ok(())
}

/// How to address envelopes.
#[derive(Debug, Clone, PartialEq)]
pub struct EnvelopeOptions {
    /// The envelope.
    pub size: EnvelopeSize,
    /// Columns renamed: (field, CSV column), e.g. `("name", "full_name")`.
    pub columns: Vec<(String, String)>,
    /// The city line's template (default [`DEFAULT_CITY_LINE`]).
    pub city_line: String,
    /// The sender's address, at the top left (default none).
    pub return_address: Option<Address>,
    /// Ink colour (default near-black).
    pub color: Rgb,
}

/// Finished envelopes.
#[derive(Debug)]
pub struct Envelopes {
    /// The PDF, one envelope a page in the list's order.
    pub pdf: Vec<u8>,
    /// How many.
    pub count: usize,
}

/// Where each field's values are: its column index, if the list has it.
fn field_columns(recipients: &Recipients, options: &EnvelopeOptions) -> Result<Vec<Option<usize>>> {
    let mut problems = Vec::new();
    for (field, _) in &options.columns {
        if !FIELDS.iter().any(|f| f.0 == field) {
            problems.push(
                Diagnostic::new(format!(
                    "--column {}=…: there is no address field {}",
                    crate::diag::escape(field, crate::diag::QUOTE_MAX_CHARS),
                    crate::diag::quote(field)
                ))
                .hint(format!(
                    "the fields are {}",
                    FIELDS.iter().map(|f| f.0).collect::<Vec<_>>().join(", ")
                )),
            );
        }
    }
    let mut cols = Vec::new();
    for &(field, required) in FIELDS {
        let renamed = options
            .columns
            .iter()
            .rev()
            .find(|(f, _)| f == field)
            .map(|(_, c)| c.as_str());
        let column = renamed.unwrap_or(field);
        let index = recipients.column(column);
        if index.is_none() && (required || renamed.is_some()) {
            let why = if renamed.is_some() {
                format!("(given for {field} with --column)")
            } else {
                "(the recipient's address needs it)".to_string()
            };
            problems.push(
                Diagnostic::at(
                    Place::file(&recipients.path),
                    format!(
                        "the recipient list has no column {} {why}",
                        crate::diag::quote(column)
                    ),
                )
                .hint(format!(
                    "columns: {}",
                    crate::diag::list(recipients.headers.iter().map(|h| h.as_str()), 12)
                ))
                .hint(format!(
                    "name the column that holds it with --column {field}=COLUMN"
                )),
            );
        }
        cols.push(index);
    }
    if problems.is_empty() {
        Ok(cols)
    } else {
        Err(Error(problems))
    }
}

/// Makes one envelope per recipient row, in order. Every row is checked;
/// problems are reported together (by row and column), and then no PDF is made.
pub fn make_envelopes(
    recipients: &Recipients,
    fonts: &FontSet,
    options: &EnvelopeOptions,
) -> Result<Envelopes> {
    if let Err(why) = check_city_line(&options.city_line) {
        return Err(Diagnostic::new(why).into());
    }
    let cols = field_columns(recipients, options)?;
    if recipients.rows.is_empty() {
        return Err(Diagnostic::at(
            Place::file(&recipients.path),
            "the recipient list has no rows",
        )
        .into());
    }
    let mut shaper = Shaper::new(&fonts.fonts);
    let sender = options.return_address.clone().unwrap_or_default();
    let home = sender.country.clone();
    let regular = fonts.index(crate::input::design::Style::Regular);

    // The return address: without its country on mail within that
    // country, with it on mail abroad.
    let mut blocks = Vec::new();
    for abroad in [false, true] {
        let mut block = ReturnBlock::default();
        if let Some(a) = &options.return_address {
            let font = &fonts.fonts[regular];
            let mut baseline = EDGE + font.ascent(RETURN_SIZE);
            let home = if abroad { "" } else { a.country.as_str() };
            for line in a.lines(&options.city_line, home) {
                let set = set_text(&mut shaper, fonts, regular, &line, RETURN_SIZE, 0.0)
                    .map_err(|m| {
                        Diagnostic::new(format!(
                            "return address: the character '{}' (U+{:04X}) in {} is not in the font {}",
                            crate::diag::escape(&m.ch.to_string(), 8),
                            m.ch as u32,
                            crate::diag::quote(&line),
                            font.family
                        ))
                    })?;
                block.runs.push(run(
                    regular,
                    RETURN_SIZE,
                    EDGE,
                    baseline,
                    set,
                    options.color,
                ));
                block.bottom = baseline + font.descent(RETURN_SIZE);
                baseline += RETURN_SIZE * LEADING;
            }
        }
        blocks.push(block);
    }

    // Envelopes are made and written a round at a time; after a problem
    // the rest are only checked.
    let title = format!("Envelopes ({})", recipients.rows.len());
    let mut writer = PdfWriter::new(&fonts.fonts, &title);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let job = Addressing {
        recipients,
        cols: &cols,
        fonts,
        options,
        home: &home,
        blocks: &blocks,
    };
    let mut problems = Vec::new();
    for rows in recipients.rows.chunks(256) {
        let mut pages = Vec::new();
        for row in rows {
            match job.envelope(row, &mut shaper) {
                Ok(items) => {
                    let mut page = Page::blank(options.size.width, options.size.height);
                    page.items = items;
                    pages.push(page);
                }
                Err(e) => problems.extend(e.0),
            }
        }
        if problems.is_empty() {
            writer.add_pages(&pages, threads);
        }
    }
    if !problems.is_empty() {
        return Err(Error(problems));
    }
    Ok(Envelopes {
        pdf: writer.finish(),
        count: recipients.rows.len(),
    })
}

fn run(font: usize, size: f32, x: f32, y: f32, set: SetText, color: Rgb) -> TextRun {
    TextRun {
        font,
        size,
        x,
        y,
        width: set.width,
        text: set.text,
        glyphs: set.glyphs,
        color,
        role: Role::Body,
    }
}

/// The return address as set, and where it ends.
#[derive(Debug, Clone, Default)]
struct ReturnBlock {
    runs: Vec<TextRun>,
    /// The bottom of its last line (0 for none), in points.
    bottom: f32,
}

/// What every envelope of a run shares.
struct Addressing<'a> {
    recipients: &'a Recipients,
    /// Per field of [`FIELDS`], its column.
    cols: &'a [Option<usize>],
    fonts: &'a FontSet,
    options: &'a EnvelopeOptions,
    /// The return address's country.
    home: &'a str,
    /// The return address for mail at home and abroad.
    blocks: &'a [ReturnBlock],
}

impl Addressing<'_> {
    /// One envelope's items (return address and recipient's block), or the
    /// row's problems.
    fn envelope(&self, row: &Row, shaper: &mut Shaper) -> Result<Vec<Item>> {
        let Addressing {
            recipients,
            cols,
            fonts,
            options,
            home,
            blocks,
        } = *self;
        let place = recipients.place(row);
        let mut address = Address::default();
        let mut problems = Vec::new();
        for (&(field, required), col) in FIELDS.iter().zip(cols) {
            let Some(c) = col else { continue };
            let value = row.values[*c].trim();
            if required && value.is_empty() {
                problems.push(Diagnostic::at(
                    place.clone(),
                    format!(
                        "row {}, column {}: empty, but an envelope needs the {field}",
                        row.number,
                        crate::diag::quote(&recipients.headers[*c])
                    ),
                ));
            }
            if let Some(f) = address.field_mut(field) {
                *f = value.to_string();
            }
        }
        if !problems.is_empty() {
            return Err(Error(problems));
        }
        let lines = address.lines(&options.city_line, home);
        let country = address.country.trim();
        let abroad = !country.is_empty() && !country.eq_ignore_ascii_case(home.trim());
        let block = &blocks[usize::from(abroad)];
        let return_bottom = block.bottom;
        let regular = fonts.index(crate::input::design::Style::Regular);
        let font = &fonts.fonts[regular];
        let (w, h) = (options.size.width, options.size.height);
        // The space the block may use.
        let top = (EDGE + STAMP_H).max(return_bottom + 18.0);
        let bottom = h - BARCODE_CLEAR;
        let (left, right) = (EDGE, w - EDGE);

        let mut sets = Vec::new();
        for line in &lines {
            let set = set_text(shaper, fonts, regular, line, 1.0, 0.0).map_err(|m| {
                Diagnostic::at(
                    place.clone(),
                    format!(
                        "row {}: the character '{}' (U+{:04X}) in {} is not in the font {}",
                        row.number,
                        crate::diag::escape(&m.ch.to_string(), 8),
                        m.ch as u32,
                        crate::diag::quote(line),
                        font.family
                    ),
                )
            })?;
            sets.push(set);
        }
        // Widths scale with the size: find the largest size that fits.
        let widest = sets.iter().map(|s| s.width).fold(0.0f32, f32::max);
        let n = lines.len() as f32;
        let height_at =
            |size: f32| font.ascent(size) + (n - 1.0) * size * LEADING + font.descent(size);
        let mut size = ADDRESS_SIZE;
        while size > MIN_SIZE && (widest * size > right - left || height_at(size) > bottom - top) {
            size -= 0.25;
        }
        let (bw, bh) = (widest * size, height_at(size));
        if bw > right - left + 1e-3 || bh > bottom - top + 1e-3 {
            let what = format!("{} lines, {:.1} in wide", lines.len(), bw / 72.0);
            return Err(Diagnostic::at(
                place,
                format!(
                    "row {}: the address ({what}) does not fit a {} envelope, even at {MIN_SIZE}pt",
                    row.number, options.size.name
                ),
            )
            .hint("shorten the longest line, or choose a larger envelope with --size")
            .into());
        }
        let x = (w * 0.55 - bw / 2.0).min(right - bw).max(left);
        let y = (h * 0.56 - bh / 2.0).min(bottom - bh).max(top);
        let mut baseline = y + font.ascent(size);
        let mut items: Vec<Item> = block.runs.iter().cloned().map(Item::Text).collect();
        for set in sets {
            // Set at 1pt: every position scales with the size.
            let set = SetText {
                glyphs: set
                    .glyphs
                    .iter()
                    .map(|g| PlacedGlyph {
                        x: g.x * size,
                        dy: g.dy * size,
                        ..*g
                    })
                    .collect(),
                width: set.width * size,
                text: set.text,
            };
            items.push(Item::Text(run(
                regular,
                size,
                x,
                baseline,
                set,
                options.color,
            )));
            baseline += size * LEADING;
        }
        Ok(items)
    }
}

fn round2(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_by_name_and_measure() {
        let a2 = parse_size("us-a2").unwrap();
        assert_eq!((a2.width, a2.height), (414.0, 315.0));
        let sq = parse_size("6x6in").unwrap();
        assert_eq!((sq.width, sq.height), (432.0, 432.0));
        let mm = parse_size("110x220mm").unwrap();
        assert!((mm.width - 623.6).abs() < 0.1 && (mm.height - 311.8).abs() < 0.1);
        assert!(parse_size("huge").is_err());
        assert!(parse_size("1x1in").is_err());
    }

    #[test]
    fn only_odd_sizes_warn() {
        for (name, ..) in SIZES {
            assert!(
                postal_warnings(&parse_size(name).unwrap()).is_empty(),
                "{name}"
            );
        }
        assert_eq!(postal_warnings(&parse_size("6x6in").unwrap()).len(), 1);
        assert_eq!(postal_warnings(&parse_size("12x4in").unwrap()).len(), 2);
    }

    #[test]
    fn city_lines_close_up_empty_parts() {
        let mut a = Address {
            name: "Ana Rivera".into(),
            address1: "12 Elm St".into(),
            city: "Portland".into(),
            region: "OR".into(),
            postcode: "97205".into(),
            country: "USA".into(),
            ..Address::default()
        };
        assert_eq!(
            a.lines(DEFAULT_CITY_LINE, "usa"),
            ["Ana Rivera", "12 Elm St", "Portland, OR 97205"]
        );
        a.region.clear();
        assert_eq!(a.lines(DEFAULT_CITY_LINE, "")[2], "Portland, 97205");
        assert_eq!(a.lines(DEFAULT_CITY_LINE, "")[3], "USA");
        a.postcode.clear();
        assert_eq!(a.lines(DEFAULT_CITY_LINE, "")[2], "Portland");
        a.postcode = "10115".into();
        a.city = "Berlin".into();
        assert_eq!(a.lines("{postcode} {city}", "")[2], "10115 Berlin");
        assert!(check_city_line("{town}").is_err());
    }
}
