//! The calibration sheet (`stationer calibrate`): rulers and crosses at known
//! places, printed at actual size and measured with a ruler, so that a printer
//! profile can correct where the printer puts things.
//!
//! The front page has millimetre rulers running edge to edge along the top and
//! the left (ticks every millimetre, labelled every 10 mm), four crosses
//! 20 mm in from the corners (A top-left, B top-right, C bottom-left, D
//! bottom-right) and instructions. The back page (for two-sided printing)
//! has the same rulers and a cross E 20 mm in from its top-left corner (F,
//! bottom-right, is a check). [`apply_measurements`] turns what the user
//! measured into a profile's offsets and scale.

use crate::diag::{Diagnostic, Result};
use crate::input::bundled as layouts;
use crate::input::design::{FontChoice, Rgb, Style};
use crate::layout::fit::largest_fitting;
use crate::layout::linebreak::{break_lines, After, Measure, Piece};
use crate::layout::run::Setter;
use crate::paper::{self, Use};
use crate::printer::profile::Profile;
use crate::scene::{Item, Page, Scene, Stroke};
use crate::text::FontSet;
use crate::units::Pt;
use std::path::Path;

/// How far the crosses sit in from the sheet's edges, in millimetres.
pub const CROSS_INSET_MM: f32 = 20.0;

/// The smallest sheet a calibration sheet fits on, in millimetres a side.
pub const MIN_SHEET_MM: f32 = 70.0;

/// Where the rulers' lines sit, in millimetres from the top (the horizontal
/// ruler) and from the left (the vertical ruler).
const RULER_MM: f32 = 10.0;
/// Half the length of a cross's arms, in millimetres.
const ARM_MM: f32 = 5.0;
const BLACK: Rgb = Rgb([0.0, 0.0, 0.0]);
const HAIRLINE: f32 = 0.3;

/// The sheet sizes (from [`crate::paper`]) a calibration sheet is made for by name.
pub const SHEET_NAMES: [&str; 2] = ["letter", "a4"];

/// The paper a calibration sheet is printed on.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// The name it was given by (`letter`, `a4` or a design's name or path).
    pub name: String,
    /// Width in points.
    pub width: Pt,
    /// Height in points.
    pub height: Pt,
}

impl Sheet {
    /// A sheet by name: `letter` (8.5 x 11 in), `a4` (210 x 297 mm), or a
    /// bundled design's name or a design file, whose card size (bleed
    /// included) is used.
    pub fn parse(name: &str) -> Result<Sheet> {
        let named = SHEET_NAMES
            .iter()
            .any(|n| n.eq_ignore_ascii_case(name.trim()))
            .then(|| paper::find(Use::Sheet, name))
            .flatten();
        let (width, height) = match named {
            Some(p) => (p.width, p.height),
            None => {
                let d = layouts::resolve(name, Path::new(""), None).map_err(|e| {
                    let mut ds = e.0;
                    if let Some(first) = ds.first_mut() {
                        first
                            .hints
                            .insert(0, "a sheet is letter, a4, or a card design".into());
                    }
                    // About the sheet asked for, not a card's layout.
                    for d in &mut ds {
                        if d.option == Some("layout") {
                            d.option = Some("sheet");
                        }
                    }
                    crate::diag::Error(ds)
                })?;
                let b = d.bleed.0 * 2.0;
                (Pt(d.width.0 + b), Pt(d.height.0 + b))
            }
        };
        let min = Pt::mm(MIN_SHEET_MM);
        if width < min || height < min {
            return Err(Diagnostic::new(format!(
                "the sheet {name} ({} x {} mm) is too small for a calibration sheet",
                mm(width.0),
                mm(height.0)
            ))
            .hint(format!(
                "it needs at least {MIN_SHEET_MM} x {MIN_SHEET_MM} mm; calibrate on letter or a4"
            ))
            .into());
        }
        Ok(Sheet {
            name: name.to_string(),
            width,
            height,
        })
    }
}

/// The crosses' centres, in points from the sheet's top-left corner (y down).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Marks {
    /// Front, top-left.
    pub a: [f32; 2],
    /// Front, top-right.
    pub b: [f32; 2],
    /// Front, bottom-left.
    pub c: [f32; 2],
    /// Front, bottom-right (a check).
    pub d: [f32; 2],
    /// Back, top-left.
    pub e: [f32; 2],
    /// Back, bottom-right (a check).
    pub f: [f32; 2],
}

/// Where the crosses of a sheet are.
pub fn marks(sheet: &Sheet) -> Marks {
    let i = Pt::mm(CROSS_INSET_MM).0;
    let (w, h) = (sheet.width.0, sheet.height.0);
    Marks {
        a: [i, i],
        b: [w - i, i],
        c: [i, h - i],
        d: [w - i, h - i],
        e: [i, i],
        f: [w - i, h - i],
    }
}

/// What the user measured on a printed (uncorrected) calibration sheet:
/// distances from the paper's edges to the centres of the crosses.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Measurements {
    /// Cross A, from the left edge.
    pub a_left: Option<Pt>,
    /// Cross A, from the top edge.
    pub a_top: Option<Pt>,
    /// Cross B, from the left edge.
    pub b_left: Option<Pt>,
    /// Cross C, from the top edge.
    pub c_top: Option<Pt>,
    /// Cross E (the back), from the back's left edge.
    pub e_left: Option<Pt>,
    /// Cross E (the back), from the back's top edge.
    pub e_top: Option<Pt>,
}

impl Measurements {
    /// Whether nothing was measured.
    pub fn is_empty(&self) -> bool {
        *self == Measurements::default()
    }
}

/// Sets a profile's scale and offsets from measurements of a sheet.
///
/// The printer put a point meant for `u` at `m = u * k + c`; the profile's
/// correction `u' = u * s + o` undoes that: `s = 1 / k`, `o = u - s * m`.
/// Two crosses on an axis (A and B across, A and C down) give the scale;
/// with A alone the scale already in the profile is kept. The back's
/// offsets (cross E) use the front's scale.
pub fn apply_measurements(profile: &mut Profile, sheet: &Sheet, m: &Measurements) -> Result<()> {
    let k = marks(sheet);
    // `far` names the measurement (an option of this call, such as
    // `b_left`); `near` says what it is measured against, in words.
    let scale = |far: Option<Pt>,
                 near: Option<Pt>,
                 far_name: &'static str,
                 near_what: &str,
                 u_far: f32,
                 u_near: f32|
     -> Result<Option<f32>> {
        let Some(far) = far else { return Ok(None) };
        let Some(near) = near else {
            return Err(Diagnostic::for_option(
                far_name,
                format!("needs {near_what} measured too"),
            )
            .hint("the scale comes from the distance between the two crosses")
            .into());
        };
        if far.0 <= near.0 {
            return Err(Diagnostic::for_option(
                far_name,
                format!(
                    "{} mm must be more than the {} mm of {near_what}",
                    mm(far.0),
                    mm(near.0)
                ),
            )
            .hint("measure both from the same edge of the paper")
            .into());
        }
        Ok(Some((u_far - u_near) / (far.0 - near.0)))
    };
    let across = "cross A from the left edge";
    if let Some(s) = scale(m.b_left, m.a_left, "b_left", across, k.b[0], k.a[0])? {
        profile.scale_x = s;
    }
    let down = "cross A from the top edge";
    if let Some(s) = scale(m.c_top, m.a_top, "c_top", down, k.c[1], k.a[1])? {
        profile.scale_y = s;
    }
    if let Some(a) = m.a_left {
        profile.offset_x = Pt(k.a[0] - profile.scale_x * a.0);
    }
    if let Some(a) = m.a_top {
        profile.offset_y = Pt(k.a[1] - profile.scale_y * a.0);
    }
    if let Some(e) = m.e_left {
        profile.back_offset_x = Some(Pt(k.e[0] - profile.scale_x * e.0));
    }
    if let Some(e) = m.e_top {
        profile.back_offset_y = Some(Pt(k.e[1] - profile.scale_y * e.0));
    }
    Ok(())
}

/// A word as it is typed in a shell command.
fn quoted(word: &str) -> String {
    crate::printer::cups::shell_quote(&[word.into()])
}

/// Millimetres of a length in points, rounded to 0.1 mm, without a trailing `.0`.
fn mm(pt: f32) -> String {
    let v = (pt as f64 * 25.4 / 72.0 * 10.0).round() / 10.0;
    format!("{v}")
}

/// What the sheet is for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SheetText<'a> {
    /// The PDF's file name, as the user will type it in `stationer print`.
    pub file_name: &'a str,
    /// The profile the sheet is corrected with, for a check sheet.
    pub corrected_by: Option<&'a str>,
}

/// Builds the calibration sheet: page 1 the front, page 2 the back.
pub fn calibration_sheet(sheet: &Sheet, text: &SheetText) -> Result<Scene> {
    let fonts = FontSet::load(
        &FontChoice::Bundled("caladea".into()),
        Path::new("fonts/caladea"),
    )?;
    let mut setter = Setter::new(&fonts);
    let front = front_page(sheet, text, &mut setter);
    let back = back_page(sheet, text, &mut setter);
    Ok(Scene {
        fonts: fonts.fonts.clone(),
        pages: vec![front, back],
        title: format!("Stationer calibration sheet ({})", sheet.name),
        author: String::new(),
    })
}

fn front_page(sheet: &Sheet, t: &SheetText, setter: &mut Setter) -> Page {
    let mut page = Page::blank(sheet.width.0, sheet.height.0);
    rulers(&mut page, setter);
    let k = marks(sheet);
    for (label, at, right) in [
        ("A", k.a, false),
        ("B", k.b, true),
        ("C", k.c, false),
        ("D", k.d, true),
    ] {
        cross(&mut page, setter, label, at, right);
    }
    let s = &quoted(&sheet.name);
    let title = match t.corrected_by {
        Some(p) => format!("Calibration check, corrected with profile {p}: front"),
        None => "Stationer calibration sheet: front".to_string(),
    };
    title_line(&mut page, setter, &title, k.a[1]);
    let f = &quoted(t.file_name);
    let (ax, ay, bx, cy) = (mm(k.a[0]), mm(k.a[1]), mm(k.b[0]), mm(k.c[1]));
    let mut blocks = vec![Block::Text(format!(
        "1. Print this page at actual size (no scaling, no “fit to page”) on the paper you will \
         use, e.g. with stationer print {f} --printer QUEUE"
    ))];
    match t.corrected_by {
        None => blocks.extend([
            Block::Text(
                "2. With a millimetre ruler, measure from the edges of the paper to the centre \
                 of each cross, to a tenth of a millimetre where you can:"
                    .into(),
            ),
            Block::Indent(format!(
                "A from the left edge: ________ mm ({ax} if exact)"
            )),
            Block::Indent(format!("A from the top edge: ________ mm ({ay} if exact)")),
            Block::Indent(format!(
                "B from the left edge: ________ mm ({bx} if exact)"
            )),
            Block::Indent(format!("C from the top edge: ________ mm ({cy} if exact)")),
            Block::Text(
                "3. Save the numbers as a profile for this printer (choose a NAME, e.g. office):"
                    .into(),
            ),
            Block::Command(format!(
                "stationer profile set NAME --sheet {s} --a-left __mm --a-top __mm --b-left __mm --c-top __mm"
            )),
            Block::Text(format!(
                "4. Check: stationer calibrate -o check.pdf --sheet {s} --profile NAME makes \
                 this sheet corrected; printed the same way, every cross (D too) should measure \
                 as its intended place. Then make cards with stationer render --profile NAME."
            )),
        ]),
        Some(p) => blocks.push(Block::Text(format!(
            "2. Measure the crosses from the edges of the paper: A should be {ax} mm from the \
             left and {ay} mm from the top, B {bx} mm from the left, C {cy} mm from the top, \
             and D {ax} mm from the right and bottom edges. If they are not, print an \
             uncorrected sheet (stationer calibrate without --profile) and measure again to \
             update profile {p}."
        ))),
    }
    blocks.extend([
        Block::Text(
            "Unprintable margins: the rulers count millimetres from the left and top edges and \
             run from edge to edge, so the first and last ticks that printed show how close to \
             each edge this printer can print. Record it with --margin-top, --margin-right, \
             --margin-bottom and --margin-left (e.g. --margin-bottom 5mm), and Stationer warns \
             when text comes closer."
                .into(),
        ),
        Block::Text(
            "Loading card stock: before printing, pencil an arrow on this side pointing to its \
             top edge, and load the sheet as you would card stock. Then answer: did the print \
             land on the side that faced up or down in the tray (--face up or down)? Which \
             edge, by the arrow, went in first (--leading-edge top, bottom, left or right)? \
             Is narrow stock held centred or against an edge (--align center, left or \
             right)? With these, print says how to load every job."
                .into(),
        ),
        Block::Text(
            "Two-sided printing: print both pages of this file on one sheet, two-sided, and \
             follow the instructions on the back."
                .into(),
        ),
    ]);
    instructions(&mut page, setter, &blocks, k.a[1], k.c[1]);
    page
}

fn back_page(sheet: &Sheet, t: &SheetText, setter: &mut Setter) -> Page {
    let mut page = Page::blank(sheet.width.0, sheet.height.0);
    rulers(&mut page, setter);
    let k = marks(sheet);
    cross(&mut page, setter, "E", k.e, false);
    cross(&mut page, setter, "F", k.f, true);
    let title = match t.corrected_by {
        Some(p) => format!("Calibration check, corrected with profile {p}: back"),
        None => "Stationer calibration sheet: back".to_string(),
    };
    title_line(&mut page, setter, &title, k.e[1]);
    let (s, f) = (&quoted(&sheet.name), &quoted(t.file_name));
    let (ex, ey) = (mm(k.e[0]), mm(k.e[1]));
    let mut blocks = vec![
        Block::Text(format!(
            "1. For two-sided printing: print this file on one sheet, two-sided, turned the way \
             you will print cards, e.g. stationer print {f} --duplex long --printer QUEUE"
        )),
        Block::Text(
            "2. Hold the sheet with this side up, this text the right way up, and measure from \
             the edges of this side to the centre of cross E:"
                .into(),
        ),
        Block::Indent(format!("E from the left edge: ________ mm ({ex} if exact)")),
        Block::Indent(format!("E from the top edge: ________ mm ({ey} if exact)")),
    ];
    match t.corrected_by {
        None => blocks.extend([
            Block::Text("3. Add them to the printer's profile:".into()),
            Block::Command(format!(
                "stationer profile set NAME --sheet {s} --e-left __mm --e-top __mm"
            )),
        ]),
        Some(p) => blocks.push(Block::Text(format!(
            "3. This side is corrected with profile {p}: E should measure as above."
        ))),
    }
    blocks.push(Block::Text(
        "F is a check: once corrected, it sits as far from the right and bottom edges as E \
         from the left and top."
            .into(),
    ));
    instructions(&mut page, setter, &blocks, k.e[1], k.f[1]);
    page
}

/// Millimetre rulers along the top and the left, from edge to edge.
fn rulers(page: &mut Page, setter: &mut Setter) {
    let p = Pt::PER_MM;
    let line = RULER_MM * p;
    let (w, h) = (page.width, page.height);
    let stroke = |from: [f32; 2], to: [f32; 2]| {
        Item::Stroke(Stroke {
            from,
            to,
            width: HAIRLINE,
            color: BLACK,
            registration: false,
        })
    };
    page.items.push(stroke([0.0, line], [w, line]));
    page.items.push(stroke([line, 0.0], [line, h]));
    let tick = |n: u32| match n {
        n if n % 10 == 0 => 4.0 * p,
        n if n % 5 == 0 => 2.75 * p,
        _ => 1.75 * p,
    };
    // The corner where the rulers meet keeps clear of ticks.
    let corner = |n: u32| n as f32 > RULER_MM - 4.5 && n as f32 <= RULER_MM;
    let size = 6.0;
    for n in 0..=(w / p).floor() as u32 {
        if corner(n) {
            continue;
        }
        let x = n as f32 * p;
        page.items.push(stroke([x, line - tick(n)], [x, line]));
        if n % 10 == 0 && n as f32 > RULER_MM && x + 3.0 * p < w {
            let label = n.to_string();
            let lw = setter.width(Style::Regular, size, &label);
            let run = setter.run(Style::Regular, size, x - lw / 2.0, line + 2.6 * p, &label);
            page.items.extend(run.into_iter().map(Item::Text));
        }
    }
    for n in 0..=(h / p).floor() as u32 {
        if corner(n) {
            continue;
        }
        let y = n as f32 * p;
        page.items.push(stroke([line - tick(n), y], [line, y]));
        if n % 10 == 0 && n as f32 > RULER_MM && y + 3.0 * p < h {
            let run = setter.run(
                Style::Regular,
                size,
                line + 0.8 * p,
                y + size * 0.33,
                &n.to_string(),
            );
            page.items.extend(run.into_iter().map(Item::Text));
        }
    }
}

/// A cross centred on `at`, labelled beside it (to its left when `right`
/// is set: the cross is near the right edge).
fn cross(page: &mut Page, setter: &mut Setter, label: &str, at: [f32; 2], right: bool) {
    let arm = ARM_MM * Pt::PER_MM;
    let [x, y] = at;
    for (from, to) in [([x - arm, y], [x + arm, y]), ([x, y - arm], [x, y + arm])] {
        page.items.push(Item::Stroke(Stroke {
            from,
            to,
            width: HAIRLINE,
            color: BLACK,
            registration: false,
        }));
    }
    let size = 10.0;
    let lw = setter.width(Style::Bold, size, label);
    let gap = 1.5 * Pt::PER_MM;
    let lx = if right { x - gap - lw } else { x + gap };
    let run = setter.run(Style::Bold, size, lx, y - gap, label);
    page.items.extend(run.into_iter().map(Item::Text));
}

/// The title, centred on the line of the top crosses, at the largest size
/// from 12pt down to 5pt that fits between them.
fn title_line(page: &mut Page, setter: &mut Setter, title: &str, y: f32) {
    let room = page.width - 2.0 * (CROSS_INSET_MM + ARM_MM + 3.0) * Pt::PER_MM;
    let set = |size: f32| (size, setter.width(Style::Bold, size, title));
    let (size, w) = largest_fitting(5.0..=12.0, 0.25, set, |&(_, w)| w <= room)
        .unwrap_or_else(|smallest| smallest);
    let run = setter.run(
        Style::Bold,
        size,
        (page.width - w) / 2.0,
        y + size * 0.35,
        title,
    );
    page.items.extend(run.into_iter().map(Item::Text));
}

/// A piece of the instructions.
enum Block {
    /// A paragraph, wrapped.
    Text(String),
    /// A line indented, wrapped with a deeper indent.
    Indent(String),
    /// A command to type, indented; wrapped lines end in ` \` for the shell.
    Command(String),
}

/// Sets the instructions between the top and bottom rows of crosses, at the
/// largest size from 11pt down to 5pt (in quarter points) that fits, found
/// by the one size search ([`largest_fitting`]) with each block broken into
/// lines by the one line breaker ([`break_lines`]); if none fits, a
/// one-line pointer to `stationer calibrate --help`.
fn instructions(page: &mut Page, setter: &mut Setter, blocks: &[Block], top: f32, bottom: f32) {
    let p = Pt::PER_MM;
    let x0 = (RULER_MM + 6.0) * p;
    let x1 = page.width - RULER_MM * p;
    let y0 = top + (ARM_MM + 4.0) * p;
    let y1 = bottom - (ARM_MM + 3.0) * p;
    let set = |size: f32| {
        let lines = wrap(setter, blocks, size, x1 - x0);
        let gaps = blocks.len().saturating_sub(1) as f32 * size * 0.5;
        let height = lines
            .as_ref()
            .map_or(f32::INFINITY, |l| l.len() as f32 * size * 1.3 + gaps);
        (size, lines, height)
    };
    let Ok((size, Some(lines), _)) =
        largest_fitting(5.0..=11.0, 0.25, set, |(_, _, height)| *height <= y1 - y0)
    else {
        if blocks.len() > 1 {
            let short = [Block::Text(
                "Print at actual size and measure the crosses from the edges of the \
                 paper: see stationer calibrate --help."
                    .into(),
            )];
            instructions(page, setter, &short, top, bottom);
        }
        return;
    };
    let leading = size * 1.3;
    let mut baseline = y0 + size;
    let mut block = 0;
    for l in lines {
        if l.block != block {
            // Measurement lines follow each other without a gap.
            let both = |b: usize| matches!(blocks[b], Block::Indent(_));
            if !(both(block) && both(l.block)) {
                baseline += size * 0.5;
            }
            block = l.block;
        }
        let run = setter.run(l.style, size, x0 + l.indent * size, baseline, &l.text);
        page.items.extend(run.into_iter().map(Item::Text));
        baseline += leading;
    }
}

/// A line of the instructions, ready to set.
struct SetLine {
    block: usize,
    indent: f32,
    style: Style,
    text: String,
}

/// The instructions at a size broken into lines of a width (`None`: a word
/// is wider than a line). Each block is one paragraph of words, its first
/// line indented by `first` ems and the others by `rest`; every line is
/// broken to the narrower, later lines' measure. A command's lines but the
/// last end in ` \` for the shell, so its measure keeps room for that.
fn wrap(setter: &mut Setter, blocks: &[Block], size: f32, width: f32) -> Option<Vec<SetLine>> {
    let mut out = Vec::new();
    for (i, b) in blocks.iter().enumerate() {
        let (text, first, rest, style, command) = match b {
            Block::Text(t) => (t, 0.0, 1.2, Style::Regular, false),
            Block::Indent(t) => (t, 1.2, 2.4, Style::Regular, false),
            Block::Command(t) => (t, 1.2, 2.4, Style::Bold, true),
        };
        let words: Vec<&str> = text.split(' ').filter(|w| !w.is_empty()).collect();
        let pieces: Vec<Piece> = words
            .iter()
            .enumerate()
            .map(|(n, w)| Piece {
                width: setter.width(style, size, w),
                after: if n + 1 == words.len() {
                    After::End
                } else {
                    After::Space
                },
            })
            .collect();
        let tail = if command {
            setter.width(style, size, " \\")
        } else {
            0.0
        };
        let measure = Measure {
            width: width - rest * size - tail,
            space: setter.width(style, size, " "),
            hyphen: 0.0,
            justify: false,
        };
        let lines = break_lines(&pieces, &measure).ok()?;
        let count = lines.len();
        for (n, l) in lines.into_iter().enumerate() {
            let mut text = words[l.start..l.end].join(" ");
            if command && n + 1 < count {
                text.push_str(" \\");
            }
            out.push(SetLine {
                block: i,
                indent: if n == 0 { first } else { rest },
                style,
                text,
            });
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letter() -> Sheet {
        Sheet::parse("letter").unwrap()
    }

    #[test]
    fn sheets_by_name() {
        assert_eq!(letter().width, Pt(612.0));
        assert_eq!(Sheet::parse("A4").unwrap().height, Pt::mm(297.0));
        let card = Sheet::parse("classic-a2").unwrap();
        assert_eq!((card.width, card.height), (Pt(396.0), Pt(306.0)));
        let e = Sheet::parse("tabloid-ish").unwrap_err().to_string();
        assert!(e.contains("letter, a4, or a card design"), "{e}");
    }

    #[test]
    fn crosses_sit_where_the_instructions_say() {
        let sheet = letter();
        let scene = calibration_sheet(
            &sheet,
            &SheetText {
                file_name: "sheet.pdf",
                corrected_by: None,
            },
        )
        .unwrap();
        assert_eq!(scene.pages.len(), 2);
        let k = marks(&sheet);
        let centres: Vec<[f32; 2]> = scene.pages[0]
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Stroke(s) if s.from[1] == s.to[1] && s.to[0] - s.from[0] < 30.0 => {
                    Some([(s.from[0] + s.to[0]) / 2.0, s.from[1]])
                }
                _ => None,
            })
            .collect();
        for c in [k.a, k.b, k.c, k.d] {
            assert!(centres
                .iter()
                .any(|m| (m[0] - c[0]).abs() < 1e-3 && (m[1] - c[1]).abs() < 1e-3));
        }
        let text: String = scene.pages[0]
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Text(t) => Some(t.text.clone() + "\n"),
                _ => None,
            })
            .collect();
        assert!(text.contains("(195.9 if exact)"), "{text}");
        assert!(text.contains("(259.4 if exact)"), "{text}");
        assert!(text.contains("--sheet letter"), "{text}");
    }

    #[test]
    fn measurements_give_the_inverse_of_the_printer_error() {
        // A printer that scales x by 0.99 and moves things 1.5 mm right and 2 mm up.
        let sheet = letter();
        let k = marks(&sheet);
        let print = |u: f32, scale: f32, shift_mm: f32| Pt(u * scale + Pt::mm(shift_mm).0);
        let m = Measurements {
            a_left: Some(print(k.a[0], 0.99, 1.5)),
            b_left: Some(print(k.b[0], 0.99, 1.5)),
            a_top: Some(print(k.a[1], 1.0, -2.0)),
            c_top: Some(print(k.c[1], 1.0, -2.0)),
            e_left: Some(print(k.e[0], 0.99, 0.5)),
            e_top: None,
        };
        let mut p = Profile::new("t");
        apply_measurements(&mut p, &sheet, &m).unwrap();
        assert!((p.scale_x - 1.0 / 0.99).abs() < 1e-5, "{}", p.scale_x);
        assert!((p.scale_y - 1.0).abs() < 1e-5);
        // The corrected point, printed, lands where it was meant to.
        for u in [k.a[0], k.b[0], 300.0] {
            let corrected = u * p.scale_x + p.offset_x.0;
            assert!((print(corrected, 0.99, 1.5).0 - u).abs() < 1e-3);
        }
        assert!((p.offset_y.0 - Pt::mm(2.0).0).abs() < 1e-3);
        let back = p.back_offset_x.unwrap().0;
        assert!((print(k.e[0] * p.scale_x + back, 0.99, 0.5).0 - k.e[0]).abs() < 1e-3);
        assert_eq!(p.back_offset_y, None);
    }

    #[test]
    fn a_second_cross_needs_the_first() {
        let mut p = Profile::new("t");
        let m = Measurements {
            b_left: Some(Pt::mm(195.0)),
            ..Default::default()
        };
        let e = apply_measurements(&mut p, &letter(), &m)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("b_left: needs cross A from the left edge measured too"),
            "{e}"
        );
        // The library says which option, and spells no flag itself.
        let d = apply_measurements(&mut p, &letter(), &m)
            .unwrap_err()
            .0
            .remove(0);
        assert_eq!(d.option, Some("b_left"));
        assert!(!d.message.contains("--") && d.hints.iter().all(|h| !h.contains("--")));
    }
}
