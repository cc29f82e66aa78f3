//! Envelopes: one per recipient of a CSV list, in the list's order (the
//! order of the cards `stationer batch` makes from it), each with the
//! recipient's address block and an optional return address, placed by
//! postal convention.
//!
//! The product is a [`Scene`], one page per envelope, that the one PDF
//! exporter writes and the one PNG exporter previews. Sizes come from the
//! paper table ([`size`]), city lines from the one template parser
//! ([`address::CityLine`]), lines of text from the one run builder
//! ([`crate::layout::run::RunBuilder`]) and the recipient's size from the
//! one size search ([`crate::layout::fit::largest_fitting`]).
//!
//! Placement, on the envelope turned landscape (points from its top-left
//! corner): the return address at the top left, [`EDGE`] in from both
//! edges; the stamp area, [`STAMP_W`] x [`STAMP_H`] at the top right, kept
//! clear; the recipient's block centred at 55% of the width and 56% of the
//! height, so slightly right of and below the middle, moved to stay
//! [`EDGE`] from the sides, clear of the stamp area and the return address,
//! and out of the bottom [`BARCODE_CLEAR`] that US sorting machines print
//! their barcode into. A block too big for that space is set smaller, in
//! steps of [`SIZE_STEP`], down to [`MIN_SIZE`]; below that the row is
//! refused.

pub mod address;
pub mod size;

pub use address::{read_return_address, Address, CityLine, CITY_FIELDS, DEFAULT_CITY_LINE, FIELDS};
pub use size::{
    card_fits, card_size, card_warning, matching_size, parse_size, postal_warnings, EnvelopeSize,
};

use crate::batch::merge::{Recipients, Row};
use crate::diag::{Diagnostic, Error, Place, Result, Warned};
use crate::input::design::{Rgb, Style};
use crate::input::note::words;
use crate::layout::fit::largest_fitting;
use crate::layout::run::{pieces_of, set_pieces, LineStyle};
use crate::scene::{Item, Page, Role, Scene, TextRun};
use crate::text::shape::{MissingGlyph, Spacing};
use crate::text::{FontSet, Shaper};

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
/// The recipient's block is made smaller in steps of this many points.
pub const SIZE_STEP: f32 = 0.25;
/// The return address's size, in points.
pub const RETURN_SIZE: f32 = 8.5;
/// Baseline to baseline, as a multiple of the size.
pub const LEADING: f32 = 1.28;
/// Space between the return address's last line and the recipient's block,
/// at least, in points.
pub const BLOCK_GAP: f32 = 18.0;

/// How to address envelopes.
#[derive(Debug, Clone, PartialEq)]
pub struct EnvelopeOptions {
    /// The envelope.
    pub size: EnvelopeSize,
    /// Columns renamed: (field, CSV column), e.g. `("name", "full_name")`.
    pub columns: Vec<(String, String)>,
    /// The city line's template (default [`DEFAULT_CITY_LINE`]): for every
    /// address when `by_country` is false, else for an address whose
    /// country has no format of its own ([`CityLine::for_country`]).
    pub city_line: String,
    /// Choose each address's city line from its country column (an empty
    /// country: the return address's country); default true.
    pub by_country: bool,
    /// A column holding how many envelopes to make for a row (0 to 100; the
    /// batch's copies column, so envelopes match the cards one for one).
    pub copies_column: Option<String>,
    /// Only these rows (CSV data rows, 1-based, inclusive ranges), as
    /// the batch's `rows`.
    pub rows: Option<Vec<(usize, usize)>>,
    /// The sender's address, at the top left (default none).
    pub return_address: Option<Address>,
    /// Ink colour (default black).
    pub color: Rgb,
    /// The card that goes into each envelope, long and short side in points
    /// (see [`card_size`]), when known: a warning says when it does not fit
    /// with 1/8 in to spare.
    pub card: Option<(f32, f32)>,
}

/// Where each field's values are: its column index, if the list has it.
fn field_columns(recipients: &Recipients, options: &EnvelopeOptions) -> Result<Vec<Option<usize>>> {
    let mut problems = Vec::new();
    let names = || FIELDS.iter().map(|f| f.0).collect::<Vec<_>>().join(", ");
    for (field, _) in &options.columns {
        if !FIELDS.iter().any(|f| f.0 == field) {
            problems.push(
                Diagnostic::for_option(
                    "column",
                    format!(
                        "{}=…: there is no address field {}",
                        crate::diag::escape(field, crate::diag::QUOTE_MAX_CHARS),
                        crate::diag::quote(field)
                    ),
                )
                .hint(format!("the fields are {}", names())),
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
                format!("(given for the {field})")
            } else {
                "(the recipient's address needs it)".to_string()
            };
            let mut d = Diagnostic::at(
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
            .hint(format!("name the column that holds it: {field}=COLUMN"));
            d.option = Some("column");
            problems.push(d);
        }
        cols.push(index);
    }
    if problems.is_empty() {
        Ok(cols)
    } else {
        Err(Error(problems))
    }
}

/// Makes one envelope per recipient row, in order: a Scene of one page per
/// envelope, with warnings for an envelope outside US letter-mail sizes or
/// too small for the card. Every row is checked; problems are reported
/// together (by row and column), and then there is no Scene.
pub fn make_envelopes(
    recipients: &Recipients,
    fonts: &FontSet,
    options: &EnvelopeOptions,
) -> Result<Warned<Scene>> {
    let city_line = CityLine::parse(&options.city_line)?;
    let cols = field_columns(recipients, options)?;
    if recipients.rows.is_empty() {
        return Err(Diagnostic::at(
            Place::file(&recipients.path),
            "the recipient list has no rows",
        )
        .into());
    }
    let mut shaper = Shaper::new(&fonts.fonts);
    let regular = fonts.index(Style::Regular);
    let home = options
        .return_address
        .as_ref()
        .map_or(String::new(), |a| a.country.clone());

    // The return address: without its country on mail within that
    // country, with it on mail abroad.
    let mut blocks = Vec::new();
    for abroad in [false, true] {
        let mut block = ReturnBlock::default();
        if let Some(a) = &options.return_address {
            let font = &fonts.fonts[regular];
            let mut baseline = EDGE + font.ascent(RETURN_SIZE);
            let home = if abroad { "" } else { a.country.as_str() };
            let own = city_line_for(&city_line, options.by_country, &a.country, "");
            for line in a.lines(&own, home) {
                let shaped = Line::shape(&mut shaper, fonts, regular, &line).map_err(|m| {
                    Diagnostic::for_option(
                        "return_address",
                        format!(
                            "the character '{}' (U+{:04X}) in {} is in none of the fonts ({} and the bundled fallbacks)",
                            crate::diag::escape(&m.ch.to_string(), 8),
                            m.ch as u32,
                            crate::diag::quote(&line),
                            font.family
                        ),
                    )
                })?;
                block
                    .runs
                    .extend(shaped.set(fonts, RETURN_SIZE, [EDGE, baseline], options.color));
                block.bottom = baseline + font.descent(RETURN_SIZE);
                baseline += RETURN_SIZE * LEADING;
            }
        }
        blocks.push(block);
    }

    let job = Addressing {
        recipients,
        cols: &cols,
        fonts,
        options,
        city_line: &city_line,
        home: &home,
        blocks: &blocks,
    };
    let copies_col = match &options.copies_column {
        Some(name) => Some(recipients.column(name).ok_or_else(|| {
            Diagnostic::for_option(
                "copies_column",
                format!("{} has no column \"{name}\"", recipients.path.display()),
            )
            .hint(format!("columns: {}", recipients.headers.join(", ")))
        })?),
        None => None,
    };
    let selected = |n: usize| {
        options
            .rows
            .as_ref()
            .is_none_or(|r| r.iter().any(|&(a, b)| (a..=b).contains(&n)))
    };
    let mut pages = Vec::with_capacity(recipients.rows.len());
    let mut problems = Vec::new();
    // In the order of the cards: rows in order, a row's copies together.
    for row in recipients.rows.iter().filter(|r| selected(r.number)) {
        let copies = match recipients.copies_of(row, copies_col) {
            Ok(n) => n,
            Err(d) => {
                problems.push(d);
                continue;
            }
        };
        match job.envelope(row, &mut shaper) {
            // After a problem the rest are only checked.
            Ok(items) if problems.is_empty() => {
                let mut page = Page::blank(options.size.width, options.size.height);
                page.items = items;
                pages.extend(std::iter::repeat_n(page, copies));
            }
            Ok(_) => {}
            Err(e) => problems.extend(e.0),
        }
    }
    if problems.is_empty() && pages.is_empty() {
        return Err(Diagnostic::at(
            Place::file(&recipients.path),
            "no envelopes to make: every row is left out (a copies column of 0, or the rows chosen)",
        )
        .into());
    }
    if !problems.is_empty() {
        return Err(Error(problems));
    }
    let mut warnings = postal_warnings(&options.size);
    if let Some((long, short)) = options.card {
        warnings.extend(card_warning(long, short, &options.size));
    }
    Ok(Warned {
        value: Scene {
            fonts: fonts.fonts.clone(),
            title: format!("Envelopes ({})", pages.len()),
            pages,
            author: options
                .return_address
                .as_ref()
                .map_or(String::new(), |a| a.name.clone()),
        },
        warnings,
    })
}

/// The city line of an address in `country` (or, when empty, in `home`):
/// the country's own format when `by_country`, else `given`.
fn city_line_for(given: &CityLine, by_country: bool, country: &str, home: &str) -> CityLine {
    let country = if country.trim().is_empty() {
        home
    } else {
        country
    };
    match by_country {
        true => CityLine::for_country(country).unwrap_or_else(|| given.clone()),
        false => given.clone(),
    }
}

/// A line of text shaped once (words split at white space, each word in a
/// face that has it), set at any size by the one line setter.
struct Line {
    font: usize,
    words: Vec<crate::layout::Word>,
    /// Space and hyphen glyphs per face.
    spacing: Vec<Spacing>,
}

impl Line {
    /// Shapes a line in `font`'s chain (a Hebrew or Arabic name reads right
    /// to left; a word no face of the design has comes from a fallback).
    fn shape(
        shaper: &mut Shaper,
        fonts: &FontSet,
        font: usize,
        text: &str,
    ) -> std::result::Result<Line, MissingGlyph> {
        let all: Vec<(usize, &str)> = words(text).collect();
        let words = crate::layout::shape_words(shaper, fonts, font, &all, false)?;
        Ok(Line {
            font,
            words,
            spacing: (0..fonts.fonts.len()).map(|f| shaper.spacing(f)).collect(),
        })
    }

    /// The line at `size` points, its baseline's left end at `origin`.
    fn set(&self, fonts: &FontSet, size: f32, origin: [f32; 2], color: Rgb) -> Vec<TextRun> {
        let pieces = pieces_of(&self.words);
        let style = LineStyle {
            base: self.font,
            size,
            space: None,
            tracking: 0.0,
            hyphen: false,
            spacing: &self.spacing,
        };
        set_pieces(fonts, &pieces, &style).placed(origin, color, Role::Body)
    }
}

/// The return address as set, and where it ends.
#[derive(Debug, Clone, Default)]
struct ReturnBlock {
    runs: Vec<TextRun>,
    /// The bottom of its last line (0 for none), in points.
    bottom: f32,
}

/// The recipient's block set at one size, not yet placed.
struct Block {
    /// Per line, its runs (placed from x = 0).
    lines: Vec<Vec<TextRun>>,
    size: f32,
    width: f32,
    height: f32,
}

/// What every envelope of a run shares.
struct Addressing<'a> {
    recipients: &'a Recipients,
    /// Per field of [`FIELDS`], its column.
    cols: &'a [Option<usize>],
    fonts: &'a FontSet,
    options: &'a EnvelopeOptions,
    city_line: &'a CityLine,
    /// The return address's country.
    home: &'a str,
    /// The return address for mail at home and abroad.
    blocks: &'a [ReturnBlock],
}

impl Addressing<'_> {
    /// The recipient's address of a row, or the row's problems.
    fn address(&self, row: &Row) -> Result<Address> {
        let place = self.recipients.place(row);
        let mut address = Address::default();
        let mut problems = Vec::new();
        for (&(field, required), col) in FIELDS.iter().zip(self.cols) {
            let Some(c) = col else { continue };
            let value = row.values[*c].trim();
            if required && value.is_empty() {
                problems.push(Diagnostic::at(
                    place.clone(),
                    format!(
                        "row {}, column {}: empty, but an envelope needs the {field}",
                        row.number,
                        crate::diag::quote(&self.recipients.headers[*c])
                    ),
                ));
            }
            if let Some(f) = address.field_mut(field) {
                *f = value.to_string();
            }
        }
        if problems.is_empty() {
            Ok(address)
        } else {
            Err(Error(problems))
        }
    }

    /// One envelope's items (return address and recipient's block), or the
    /// row's problems.
    fn envelope(&self, row: &Row, shaper: &mut Shaper) -> Result<Vec<Item>> {
        let Addressing {
            fonts,
            options,
            home,
            blocks,
            ..
        } = *self;
        let address = self.address(row)?;
        let place = self.recipients.place(row);
        let city_line = city_line_for(self.city_line, options.by_country, &address.country, home);
        let lines = address.lines(&city_line, home);
        let country = address.country.trim();
        let abroad = !country.is_empty() && !address::same_country(country, home);
        let block = &blocks[usize::from(abroad)];
        let regular = fonts.index(Style::Regular);
        let font = &fonts.fonts[regular];
        let (w, h) = (options.size.width, options.size.height);
        // The space the block may use.
        let top = (EDGE + STAMP_H).max(block.bottom + BLOCK_GAP);
        let bottom = h - BARCODE_CLEAR;
        let (left, right) = (EDGE, w - EDGE);

        let mut shaped = Vec::new();
        for line in &lines {
            shaped.push(Line::shape(shaper, fonts, regular, line).map_err(|m| {
                Diagnostic::at(
                    place.clone(),
                    format!(
                        "row {}: the character '{}' (U+{:04X}) in {} is in none of the fonts ({} and the bundled fallbacks)",
                        row.number,
                        crate::diag::escape(&m.ch.to_string(), 8),
                        m.ch as u32,
                        crate::diag::quote(line),
                        font.family
                    ),
                )
            })?);
        }
        let n = lines.len() as f32;
        let set = |size: f32| {
            // Placed once the size is known.
            let lines: Vec<Vec<TextRun>> = shaped
                .iter()
                .map(|l| l.set(fonts, size, [0.0, 0.0], options.color))
                .collect();
            let width = |runs: &Vec<TextRun>| runs.last().map_or(0.0, |r| r.x + r.width);
            Block {
                width: lines.iter().map(width).fold(0.0f32, f32::max),
                height: font.ascent(size) + (n - 1.0) * size * LEADING + font.descent(size),
                size,
                lines,
            }
        };
        let room = |b: &Block, slack: f32| {
            b.width <= right - left + slack && b.height <= bottom - top + slack
        };
        // The largest size that fits; at the smallest, a rounding's worth
        // of overflow is let through.
        let block_set = match largest_fitting(MIN_SIZE..=ADDRESS_SIZE, SIZE_STEP, set, |b| {
            room(b, 0.0)
        }) {
            Ok(b) => b,
            Err(b) if room(&b, 1e-3) => b,
            Err(b) => {
                let what = format!("{} lines, {:.1} in wide", lines.len(), b.width / 72.0);
                return Err(Diagnostic::at(
                    place,
                    format!(
                        "row {}: the address ({what}) does not fit a {} envelope, even at {MIN_SIZE}pt",
                        row.number, options.size.name
                    ),
                )
                .hint("shorten the longest line, or choose a larger envelope size")
                .into());
            }
        };
        let (bw, bh) = (block_set.width, block_set.height);
        let x = (w * 0.55 - bw / 2.0).min(right - bw).max(left);
        let y = (h * 0.56 - bh / 2.0).min(bottom - bh).max(top);
        let size = block_set.size;
        let mut baseline = y + font.ascent(size);
        let mut items: Vec<Item> = block.runs.iter().cloned().map(Item::Text).collect();
        for line in block_set.lines {
            for mut run in line {
                (run.x, run.y) = (x + run.x, baseline);
                items.push(Item::Text(run));
            }
            baseline += size * LEADING;
        }
        Ok(items)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::merge::parse_csv;
    use crate::diag::Severity;
    use crate::input::design::FontChoice;
    use std::path::Path;

    fn fonts() -> FontSet {
        FontSet::load(&FontChoice::Bundled("caladea".into()), Path::new("")).unwrap()
    }

    fn options(size: &str) -> EnvelopeOptions {
        EnvelopeOptions {
            size: parse_size(size).unwrap(),
            columns: Vec::new(),
            city_line: DEFAULT_CITY_LINE.into(),
            by_country: true,
            copies_column: None,
            rows: None,
            return_address: None,
            color: Rgb::INK,
            card: None,
        }
    }

    fn recipients(csv: &str) -> Recipients {
        parse_csv(Path::new("r.csv"), csv.as_bytes()).unwrap()
    }

    /// The recipient's runs of a page (no return address given).
    fn runs(page: &Page) -> Vec<&TextRun> {
        page.items
            .iter()
            .filter_map(|i| match i {
                Item::Text(r) => Some(r),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn one_page_per_row_of_the_envelope_size() {
        let list = recipients(
            "name,address1,city,region,postcode\n\
             Ana Rivera,12 Elm St,Portland,OR,97205\n\
             Bo Li,1 Main St,Dublin,,D02 XY45\n",
        );
        let made = make_envelopes(&list, &fonts(), &options("dl")).unwrap();
        assert!(made.warnings.is_empty());
        let scene = made.value;
        assert_eq!(scene.pages.len(), 2);
        let dl = paper::find(Use::Envelope, "dl").unwrap();
        for page in &scene.pages {
            assert_eq!((page.width, page.height), (dl.width.0, dl.height.0));
        }
        let texts: Vec<&str> = runs(&scene.pages[1])
            .iter()
            .map(|r| r.text.as_str())
            .collect();
        assert_eq!(texts, ["Bo Li", "1 Main St", "Dublin D02 XY45"]);
        for r in runs(&scene.pages[0]) {
            assert_eq!(r.size, ADDRESS_SIZE);
            // Every glyph of the run is placed, left to right.
            assert!(r.glyphs.windows(2).all(|g| g[0].x < g[1].x), "{}", r.text);
        }
    }

    use crate::paper::{self, Use};

    #[test]
    fn a_long_address_is_set_at_the_largest_size_that_fits() {
        let street =
            "Unit 4, The Old Granary Buildings, 1234 Long Meadow Industrial Estate Road North";
        let list = recipients(&format!(
            "name,address1,city\nAna Rivera,{street:?},Portland\n"
        ));
        let fonts = fonts();
        let o = options("us-a2");
        let page = &make_envelopes(&list, &fonts, &o).unwrap().value.pages[0];
        let rs = runs(page);
        let size = rs[0].size;
        let texts: Vec<(&str, f32)> = rs.iter().map(|r| (r.text.as_str(), r.width)).collect();
        assert!((MIN_SIZE..ADDRESS_SIZE).contains(&size), "{size} {texts:?}");
        assert_eq!((size / SIZE_STEP).fract(), 0.0, "{size} is not a step");
        // The widest line fills the room between the edges, and one step
        // larger would not fit.
        let widest = rs.iter().map(|r| r.width).fold(0.0, f32::max);
        let room = o.size.width - 2.0 * EDGE;
        assert!(widest <= room, "{widest} > {room}");
        assert!(
            widest * (size + SIZE_STEP) / size > room,
            "{widest} at {size}"
        );
        for r in &rs {
            assert!(r.x >= EDGE && r.x + r.width <= o.size.width - EDGE + 1e-3);
        }
    }

    #[test]
    fn too_long_an_address_is_refused_by_row_without_naming_flags() {
        let street = "x".repeat(120);
        let list = recipients(&format!(
            "name,address1,city\nAna,1 A St,Oslo\nBo,{street},Oslo\nCy,,Oslo\n"
        ));
        let e = make_envelopes(&list, &fonts(), &options("us-a2")).unwrap_err();
        assert_eq!(e.0.len(), 2, "{e}");
        assert!(e.0[0].message.starts_with("row 2: the address"), "{e}");
        assert!(
            e.0[1].message.starts_with("row 3, column \"address1\""),
            "{e}"
        );
        for d in &e.0 {
            assert!(!d.message.contains("--"), "{d}");
            assert!(d.hints.iter().all(|h| !h.contains("--")), "{d}");
        }
    }

    #[test]
    fn odd_sizes_and_small_envelopes_come_back_as_warnings() {
        let list = recipients("name,address1,city\nAna,1 A St,Oslo\n");
        let mut o = options("6x6in");
        o.card = Some((7.0 * 72.0, 5.0 * 72.0));
        let made = make_envelopes(&list, &fonts(), &o).unwrap();
        assert_eq!(made.warnings.len(), 2, "{:?}", made.warnings);
        assert!(made.warnings[0].message.contains("aspect ratio"));
        assert!(made.warnings[1]
            .message
            .contains("does not fit a 6x6in envelope"));
        assert!(made
            .warnings
            .iter()
            .all(|w| w.severity == Severity::Warning));
    }

    #[test]
    fn option_problems_name_the_option() {
        let list = recipients("name,address1,city\nAna,1 A St,Oslo\n");
        let mut o = options("us-a2");
        o.city_line = "{city} {zip}".into();
        let e = make_envelopes(&list, &fonts(), &o).unwrap_err();
        assert_eq!(e.0[0].option, Some("city_line"));
        o.city_line = DEFAULT_CITY_LINE.into();
        o.columns = vec![("town".into(), "city".into())];
        let e = make_envelopes(&list, &fonts(), &o).unwrap_err();
        assert_eq!(e.0[0].option, Some("column"));
        assert!(!e.0[0].message.contains("--"), "{e}");
    }
}
