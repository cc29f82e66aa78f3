//! `stationer calibrate`, `stationer profile` and `stationer print`: measure
//! a printer, keep its correction, and send PDFs to it at exact size.

use crate::diag::{Diagnostic, Error, Result, Severity};
use crate::export::pdf::{try_write_pdf, PdfOptions};
use crate::export::png;
use crate::io::{Commit, Plan};
use crate::printer::calibrate::{self, Measurements, Sheet, SheetText};
use crate::printer::cups::{self as print, Duplex, PrintOptions};
use crate::printer::media;
use crate::printer::preflight::preflight;
use crate::printer::profile::{self, Profile, ProfileFile};
use crate::scene::Scene;
use crate::units::Pt;
use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};

/// The long help of `stationer calibrate`.
pub(crate) const CALIBRATE_ABOUT: &str = "\
Write a calibration sheet: print it, measure it, and save a printer profile.

Printers rarely put things exactly where a PDF says: a millimetre or two off,
sometimes slightly stretched. The sheet has millimetre rulers along the top and
left, crosses 20 mm in from each corner, and instructions: print it at actual
size, measure from the paper's edges to the crosses with a ruler, and type the
`stationer profile set` command printed on it. Page 2 is the back, for
two-sided printing. With --profile the sheet is corrected with that profile, to
check it: every cross should then land where the sheet says. --preview FILE.png
also draws the front as a PNG picture, from the same Scene as the PDF (with
--profile, corrected: where the ink will go).

Examples:
  stationer calibrate -o sheet.pdf
  stationer print sheet.pdf --printer office
  stationer profile set office --sheet letter --a-left 21.2mm --a-top 19.6mm \\
      --b-left 196.8mm --c-top 259.9mm
  stationer calibrate -o check.pdf --profile office
  stationer calibrate -o sheet.pdf --preview sheet.png    # and a picture of the front
  stationer calibrate -o card-sheet.pdf --sheet classic-a2   # on A2 card stock";

// Arguments of `stationer calibrate` (a plain comment: clap would make a doc
// comment the description of the subcommand, which `Command` defers).
#[derive(Args, Debug)]
pub(crate) struct CalibrateArgs {
    /// Where to write the sheet (a PDF: the front, then the back).
    #[arg(short, long, value_name = "SHEET.pdf")]
    output: PathBuf,
    /// The paper: letter, a4, or a card design's name or file (its card size, for card stock).
    #[arg(long, value_name = "letter|a4|CARD", default_value = "letter")]
    sheet: String,
    /// Correct the sheet with this printer profile, to check the profile.
    #[arg(long, value_name = "NAME")]
    profile: Option<String>,
    /// The printer profiles file [default: ~/.config/stationer/profiles.toml].
    #[arg(long, value_name = "FILE")]
    profiles: Option<PathBuf>,
    /// Also draw the sheet's front as a PNG picture, as the PDF prints it (corrected with --profile).
    #[arg(long, value_name = "FRONT.png")]
    preview: Option<PathBuf>,
    /// Resolution of the --preview picture in dots per inch, 10 to 1200.
    #[arg(long, value_name = "N", default_value_t = png::DEFAULT_DPI, requires = "preview")]
    dpi: u32,
    /// Write the sheet to a standard: a-1b, a-2b (PDF/A) or x-4 (PDF/X-4).
    #[arg(long, value_name = "STANDARD")]
    pdf_standard: Option<super::PdfStandardArg>,
}

/// Runs `stationer calibrate`.
pub(crate) fn calibrate(args: CalibrateArgs) -> Result<()> {
    let mut plan = Plan::new();
    if let Some(p) = &args.profiles {
        plan.input("the profiles file", p);
    }
    super::plan_design(
        &mut plan,
        Some(&args.sheet)
            .filter(|s| !["letter", "a4"].contains(&s.as_str()))
            .map(|s| s.as_str()),
    );
    plan.output("-o", &args.output);
    if let Some(p) = &args.preview {
        plan.output("--preview", p);
    }
    let mut commit = Commit::new(plan)?;
    let sheet = Sheet::parse(&args.sheet)?;
    let correction = match &args.profile {
        Some(name) => Some(profile::load(args.profiles.as_deref(), name)?),
        None => None,
    };
    let file_name = args
        .output
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| "sheet.pdf".into());
    let mut scene = calibrate::calibration_sheet(
        &sheet,
        &SheetText {
            file_name: &file_name,
            corrected_by: args.profile.as_deref(),
        },
    )?;
    if let Some(p) = &correction {
        p.correct(&mut scene, true);
    }
    if let Some(path) = &args.preview {
        png::check_size(&scene.pages[0], args.dpi)?;
        let options = png::PngOptions {
            dpi: args.dpi,
            ..png::PngOptions::default()
        };
        let picture = png::page_png(&scene, 0, &options);
        commit.stage("--preview", path, &picture)?;
    }
    let options = super::with_standard(PdfOptions::default(), args.pdf_standard)?;
    let pdf = try_write_pdf(&scene, &options)?;
    commit.stage("-o", &args.output, &pdf)?;
    commit.finish()
}

/// The long help of `stationer profile`.
pub(crate) const PROFILE_ABOUT: &str = "\
Keep printer profiles: the correction that makes a printer print at the right place.

A profile moves and scales everything printed with it: x' = x * scale_x +
offset_x and y' = y * scale_y + offset_y, measured from the sheet's top-left
corner, y down. Make one from a printed calibration sheet (stationer calibrate)
by typing the distances you measured, or give the correction itself. It may
also record how close to each edge the printer can print (render then warns
about text closer than that), and the queue and tray `stationer print
--profile` uses. Profiles are kept in ~/.config/stationer/profiles.toml
($XDG_CONFIG_HOME/stationer if set), or the file given with --profiles.

Examples:
  stationer profile set office --sheet letter --a-left 21.2mm --a-top 19.6mm \\
      --b-left 196.8mm --c-top 259.9mm
  stationer profile set office --offset-x 1.2mm --offset-y -0.5mm --scale-x 1.004
  stationer profile set office --margins 4mm --margin-bottom 6mm --printer Office_Laser
  stationer profile list
  stationer render samples/note.toml -o card.pdf --profile office";

// Arguments of `stationer profile` (a plain comment: clap would make a doc
// comment the description of the subcommand, which `Command` defers).
#[derive(Args, Debug)]
pub(crate) struct ProfileArgs {
    #[command(subcommand)]
    command: ProfileCommand,
}

#[derive(Subcommand, Debug)]
enum ProfileCommand {
    /// Create or change a profile: measurements from the calibration sheet, or values.
    #[command(long_about = PROFILE_ABOUT)]
    Set(Box<SetArgs>),
    /// List the profiles: offsets, scales, margins, printer and tray.
    List(FileArg),
    /// Delete a profile.
    Remove {
        /// The profile's name.
        name: String,
        #[command(flatten)]
        file: FileArg,
    },
}

#[derive(Args, Debug)]
struct FileArg {
    /// The printer profiles file [default: ~/.config/stationer/profiles.toml].
    #[arg(long, value_name = "FILE")]
    profiles: Option<PathBuf>,
}

/// Why a length given on the command line is refused.
#[derive(Debug)]
enum LengthArg {
    /// Not a length.
    Bad(crate::units::LengthError),
    /// A distance from an edge below 0.
    Negative,
}

impl std::fmt::Display for LengthArg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LengthArg::Bad(e) => e.fmt(f),
            LengthArg::Negative => f.write_str("a distance from the paper's edge is not negative"),
        }
    }
}

impl std::error::Error for LengthArg {}

fn length(s: &str) -> std::result::Result<Pt, LengthArg> {
    s.parse::<Pt>().map_err(LengthArg::Bad)
}

fn measured(s: &str) -> std::result::Result<Pt, LengthArg> {
    let p = length(s)?;
    if p.0 < 0.0 {
        return Err(LengthArg::Negative);
    }
    Ok(p)
}

#[derive(Args, Debug)]
struct SetArgs {
    /// The profile's name: letters, digits, '-' and '_' (e.g. office).
    name: String,
    /// Move everything right by this much (negative: left), e.g. 1.2mm.
    #[arg(long, value_name = "LEN", allow_hyphen_values = true, value_parser = length,
          conflicts_with = "a_left")]
    offset_x: Option<Pt>,
    /// Move everything down by this much (negative: up), e.g. -0.5mm.
    #[arg(long, value_name = "LEN", allow_hyphen_values = true, value_parser = length,
          conflicts_with = "a_top")]
    offset_y: Option<Pt>,
    /// Stretch across by this factor, 0.5 to 2 (1 is none; 1.01 is 1% wider).
    #[arg(
        long,
        value_name = "F",
        allow_hyphen_values = true,
        conflicts_with = "b_left"
    )]
    scale_x: Option<f32>,
    /// Stretch down by this factor, 0.5 to 2 (1 is none).
    #[arg(
        long,
        value_name = "F",
        allow_hyphen_values = true,
        conflicts_with = "c_top"
    )]
    scale_y: Option<f32>,
    /// Move the backs of two-sided sheets right by this much [default: as --offset-x].
    #[arg(long, value_name = "LEN", allow_hyphen_values = true, value_parser = length,
          conflicts_with = "e_left")]
    back_offset_x: Option<Pt>,
    /// Move the backs of two-sided sheets down by this much [default: as --offset-y].
    #[arg(long, value_name = "LEN", allow_hyphen_values = true, value_parser = length,
          conflicts_with = "e_top")]
    back_offset_y: Option<Pt>,
    /// The printer cannot print this close to any edge (sets all four margins).
    #[arg(long, value_name = "LEN", value_parser = length)]
    margins: Option<Pt>,
    /// The printer cannot print this close to the top edge (0 for no limit).
    #[arg(long, value_name = "LEN", value_parser = length)]
    margin_top: Option<Pt>,
    /// The printer cannot print this close to the right edge.
    #[arg(long, value_name = "LEN", value_parser = length)]
    margin_right: Option<Pt>,
    /// The printer cannot print this close to the bottom edge.
    #[arg(long, value_name = "LEN", value_parser = length)]
    margin_bottom: Option<Pt>,
    /// The printer cannot print this close to the left edge.
    #[arg(long, value_name = "LEN", value_parser = length)]
    margin_left: Option<Pt>,
    /// The CUPS queue `stationer print --profile NAME` uses ("" to forget it).
    #[arg(long, value_name = "QUEUE")]
    printer: Option<String>,
    /// The tray `stationer print --profile NAME` uses ("" to forget it).
    #[arg(long, value_name = "TRAY")]
    tray: Option<String>,
    /// How card stock goes in the tray: the side to print facing up or down.
    #[arg(
        long,
        value_name = "up|down",
        help_heading = "How the printer takes card stock"
    )]
    face: Option<String>,
    /// Which edge of the page (as read) goes into the printer first.
    #[arg(
        long,
        value_name = "top|bottom|left|right",
        help_heading = "How the printer takes card stock"
    )]
    leading_edge: Option<String>,
    /// Where the tray's guides hold stock narrower than the tray: centred, or against an edge.
    #[arg(
        long,
        value_name = "center|left|right",
        help_heading = "How the printer takes card stock"
    )]
    align: Option<String>,
    /// The calibration sheet that was measured: letter, a4 or a card design.
    #[arg(
        long,
        value_name = "letter|a4|CARD",
        help_heading = "Measured on the calibration sheet"
    )]
    sheet: Option<String>,
    /// Cross A, from the paper's left edge to its centre, e.g. 21.2mm.
    #[arg(long, value_name = "LEN", value_parser = measured,
          help_heading = "Measured on the calibration sheet")]
    a_left: Option<Pt>,
    /// Cross A, from the paper's top edge.
    #[arg(long, value_name = "LEN", value_parser = measured,
          help_heading = "Measured on the calibration sheet")]
    a_top: Option<Pt>,
    /// Cross B, from the paper's left edge (gives the scale across, with A).
    #[arg(long, value_name = "LEN", value_parser = measured,
          help_heading = "Measured on the calibration sheet")]
    b_left: Option<Pt>,
    /// Cross C, from the paper's top edge (gives the scale down, with A).
    #[arg(long, value_name = "LEN", value_parser = measured,
          help_heading = "Measured on the calibration sheet")]
    c_top: Option<Pt>,
    /// Cross E on the back, from the back's left edge.
    #[arg(long, value_name = "LEN", value_parser = measured,
          help_heading = "Measured on the calibration sheet")]
    e_left: Option<Pt>,
    /// Cross E on the back, from the back's top edge.
    #[arg(long, value_name = "LEN", value_parser = measured,
          help_heading = "Measured on the calibration sheet")]
    e_top: Option<Pt>,
    #[command(flatten)]
    file: FileArg,
}

/// Runs `stationer profile ...`.
pub(crate) fn profile(args: ProfileArgs) -> Result<()> {
    match args.command {
        ProfileCommand::Set(set) => profile_set(*set),
        ProfileCommand::List(file) => {
            let file = ProfileFile::load(file.profiles.as_deref())?;
            if file.profiles.is_empty() {
                eprintln!(
                    "no printer profiles in {} yet\n  hint: make one with stationer calibrate \
                     -o sheet.pdf, then follow the sheet",
                    file.path.display()
                );
                return Ok(());
            }
            println!("{}", file.path.display());
            for p in &file.profiles {
                println!("{}", describe(p));
            }
            Ok(())
        }
        ProfileCommand::Remove { name, file } => {
            let (mut f, _lock) = ProfileFile::load_locked(file.profiles.as_deref())?;
            f.remove(&name)?;
            f.save()
        }
    }
}

fn profile_set(a: SetArgs) -> Result<()> {
    if !profile::valid_name(&a.name) {
        return Err(Diagnostic::new(format!(
            "{} cannot name a profile",
            crate::diag::quote(&a.name)
        ))
        .hint("use letters, digits, '-' and '_', e.g. office or home-inkjet")
        .into());
    }
    // The checks `print` makes, before the profiles file is touched.
    if let Some(p) = &a.printer {
        crate::printer::cups::check_queue_name(p)?;
    }
    if let Some(t) = &a.tray {
        crate::printer::cups::check_tray_name(t)?;
    }
    let (mut file, _lock) = ProfileFile::load_locked(a.file.profiles.as_deref())?;
    let mut p = file
        .get(&a.name)
        .cloned()
        .unwrap_or_else(|_| Profile::new(&a.name));
    let m = Measurements {
        a_left: a.a_left,
        a_top: a.a_top,
        b_left: a.b_left,
        c_top: a.c_top,
        e_left: a.e_left,
        e_top: a.e_top,
    };
    if let Some(v) = a.scale_x {
        p.scale_x = v;
    }
    if let Some(v) = a.scale_y {
        p.scale_y = v;
    }
    if !m.is_empty() {
        let Some(sheet) = &a.sheet else {
            return Err(Diagnostic::new("measurements need --sheet, the calibration sheet's paper")
                .hint("give the --sheet the sheet was made with, e.g. --sheet letter (it is printed on the sheet)")
                .into());
        };
        calibrate::apply_measurements(&mut p, &Sheet::parse(sheet)?, &m).map_err(|mut e| {
            // The flag of the measurement the scale needs beside this one.
            for d in &mut e.0 {
                let near = match d.option {
                    Some("b_left") => "--a-left",
                    Some("c_top") => "--a-top",
                    _ => continue,
                };
                if d.message.starts_with("needs") {
                    d.hints.insert(0, format!("give {near} too"));
                }
            }
            e
        })?;
    } else if a.sheet.is_some() {
        return Err(
            Diagnostic::new("--sheet goes with measurements such as --a-left")
                .hint("see stationer profile set --help")
                .into(),
        );
    }
    if let Some(v) = a.offset_x {
        p.offset_x = v;
    }
    if let Some(v) = a.offset_y {
        p.offset_y = v;
    }
    if let Some(v) = a.back_offset_x {
        p.back_offset_x = Some(v);
    }
    if let Some(v) = a.back_offset_y {
        p.back_offset_y = Some(v);
    }
    if let Some(v) = a.margins {
        p.margins = profile::Margins {
            top: v,
            right: v,
            bottom: v,
            left: v,
        };
    }
    for (v, side) in [
        (a.margin_top, &mut p.margins.top),
        (a.margin_right, &mut p.margins.right),
        (a.margin_bottom, &mut p.margins.bottom),
        (a.margin_left, &mut p.margins.left),
    ] {
        if let Some(v) = v {
            *side = v;
        }
    }
    if let Some(v) = a.printer {
        p.printer = (!v.is_empty()).then_some(v);
    }
    if let Some(v) = a.tray {
        p.tray = (!v.is_empty()).then_some(v);
    }
    {
        use crate::printer::feed::{bad_setting, Align, Edge, Face};
        if let Some(v) = &a.face {
            p.feed.face = Some(Face::parse(v).ok_or_else(|| bad_setting("face", v, "up, down"))?);
        }
        if let Some(v) = &a.leading_edge {
            p.feed.leading_edge = Some(
                Edge::parse(v)
                    .ok_or_else(|| bad_setting("leading_edge", v, "top, bottom, left, right"))?,
            );
        }
        if let Some(v) = &a.align {
            p.feed.align = Some(
                Align::parse(v).ok_or_else(|| bad_setting("align", v, "center, left, right"))?,
            );
        }
    }
    p.validate()?;
    let line = describe(&p);
    file.set(p);
    file.save()?;
    println!("saved in {}", file.path.display());
    println!("{line}");
    Ok(())
}

/// One line about a profile, for `profile list` and `profile set`.
fn describe(p: &Profile) -> String {
    let mm = |v: Pt| format!("{:+.2}mm", v.0 / Pt::PER_MM);
    let mut s = format!(
        "{:<12} offset {} {}  scale {:.5} {:.5}",
        p.name,
        mm(p.offset_x),
        mm(p.offset_y),
        p.scale_x,
        p.scale_y
    );
    if p.back_offset_x.is_some() || p.back_offset_y.is_some() {
        let b = p.back_correction();
        s += &format!("  back {} {}", mm(Pt(b.offset[0])), mm(Pt(b.offset[1])));
    }
    let m = p.margins;
    if [m.top, m.right, m.bottom, m.left].iter().any(|v| v.0 > 0.0) {
        let v = |v: Pt| format!("{:.1}", v.0 / Pt::PER_MM);
        s += &format!(
            "  margins {} {} {} {} mm (top right bottom left)",
            v(m.top),
            v(m.right),
            v(m.bottom),
            v(m.left)
        );
    }
    if let Some(q) = &p.printer {
        s += &format!("  printer {q}");
    }
    if let Some(t) = &p.tray {
        s += &format!("  tray {t}");
    }
    let f = p.feed;
    if let Some(v) = f.face {
        s += &format!("  face {}", v.name());
    }
    if let Some(v) = f.leading_edge {
        s += &format!("  leading edge {}", v.name());
    }
    if let Some(v) = f.align {
        s += &format!("  align {}", v.name());
    }
    s
}

/// `render --profile`: corrects the card's Scene for the printer, then
/// checks where things will print (see [`preflight`]). An error there (the
/// correction moves the note's text or the signature area off the card or
/// into the unprintable margins) stops the render unless `force`, which
/// shows it as a warning; warnings go to stderr.
pub(crate) fn correct_for_printer(
    scene: &mut Scene,
    profile_name: Option<&str>,
    profiles: Option<&Path>,
    force: bool,
) -> Result<()> {
    let Some(name) = profile_name else {
        if profiles.is_some() {
            return Err(Diagnostic::new("--profiles goes with --profile NAME").into());
        }
        return Ok(());
    };
    let p = profile::load(profiles, name)?;
    p.correct(scene, false);
    let mut found = preflight(scene, &p);
    let stops = found.iter().any(|d| d.severity == Severity::Error);
    if stops && !force {
        if let Some(last) = found.iter_mut().rfind(|d| d.severity == Severity::Error) {
            last.hints
                .push("to write it all the same (as a warning), add --force".into());
        }
        return Err(Error(found));
    }
    for d in found {
        eprintln!("{}", crate::cli::Flagged(&d.warning()));
    }
    Ok(())
}

/// The long help of `stationer print`.
pub(crate) const PRINT_ABOUT: &str = "\
Send a PDF to a printer through CUPS, at exact size.

The PDF is handed to `lp` with its first page's size as the media (Letter, A4,
A6 ... or a custom size such as Custom.5.5x4.25in for a US A2 card) and with
scaling turned off, so nothing is shrunk to fit. Load card stock of that size.
Before sending, the queue is asked what paper it takes (IPP, via ipptool). A
card size it does not take is refused, saying what CUPS would do instead;
--on-sheet letter then prints on a sheet the queue takes, the card placed
where the printer feeds card stock (the profile's --align). With --profile,
the words of a loading guide say how to put the stack in (lines `load:`).
A two-sided PDF (stationer batch --duplex) records how it is to be turned
(/ViewerPreferences /Duplex); without --duplex it prints that way
(sides=two-sided-long-edge or -short-edge; --dry-run shows it).

A printer profile's correction cannot be applied to a finished PDF: make the
PDF with `stationer render --profile NAME` (or calibrate --profile). Here,
--profile NAME only supplies the profile's printer queue and tray when
--printer or --tray are not given.

Examples:
  stationer print card.pdf --printer office
  stationer print card.pdf --printer office --copies 5 --tray Manual
  stationer print sheet.pdf --duplex long
  stationer print card.pdf --printer office --dry-run    # show the lp command only";

// Arguments of `stationer print` (a plain comment: clap would make a doc
// comment the description of the subcommand, which `Command` defers).
#[derive(Args, Debug)]
pub(crate) struct PrintArgs {
    /// The PDF to print (made by stationer render, batch or calibrate).
    file: PathBuf,
    /// The CUPS queue [default: the profile's printer, else the default printer].
    #[arg(long, value_name = "QUEUE")]
    printer: Option<String>,
    /// Use this profile's printer and tray (its correction is applied by render --profile).
    #[arg(long, value_name = "NAME")]
    profile: Option<String>,
    /// The printer profiles file [default: ~/.config/stationer/profiles.toml].
    #[arg(long, value_name = "FILE")]
    profiles: Option<PathBuf>,
    /// Copies of the whole file, 1 to 999.
    #[arg(long, short = 'n', value_name = "N", default_value_t = 1,
          value_parser = clap::value_parser!(u32).range(1..=999))]
    copies: u32,
    /// Print two-sided, turning the sheet over its short or long edge, or `off`: one-sided
    /// even when the PDF is meant for both sides (no duplexer, or cards fed by hand)
    /// [default: as the PDF's /ViewerPreferences /Duplex says, else one-sided].
    #[arg(long, value_name = "EDGE")]
    duplex: Option<SidesArg>,
    /// The tray (a PPD InputSlot keyword such as Tray2 or Manual; `lpoptions -p QUEUE -l`).
    #[arg(long, value_name = "NAME")]
    tray: Option<String>,
    /// Print the lp command (shell-quoted) instead of running it.
    #[arg(long)]
    dry_run: bool,
    /// Print on this sheet (letter, a4, ...: one the queue takes) with the card placed where
    /// the printer feeds card stock: at the leading edge, across as the profile's --align
    /// says, turned so that the edge its --leading-edge names goes in first.
    #[arg(long, value_name = "SHEET")]
    on_sheet: Option<String>,
}

/// `print --duplex`: an edge to turn over, or one-sided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum SidesArg {
    /// Turn over the short edge (landscape pages, or calendar style).
    Short,
    /// Turn over the long edge (portrait pages, book style).
    Long,
    /// One-sided, whatever the PDF says.
    Off,
}

/// Runs `stationer print`.
pub(crate) fn print(args: PrintArgs) -> Result<()> {
    let profile = match &args.profile {
        Some(name) => Some(profile::load(args.profiles.as_deref(), name)?),
        None if args.profiles.is_some() => {
            return Err(Diagnostic::new("--profiles goes with --profile NAME").into())
        }
        None => None,
    };
    let options = PrintOptions {
        printer: args
            .printer
            .or_else(|| profile.as_ref().and_then(|p| p.printer.clone())),
        copies: args.copies,
        duplex: match args.duplex {
            Some(SidesArg::Short) => Some(Duplex::Short),
            Some(SidesArg::Long) => Some(Duplex::Long),
            Some(SidesArg::Off) | None => None,
        },
        one_sided: args.duplex == Some(SidesArg::Off),
        tray: args
            .tray
            .or_else(|| profile.as_ref().and_then(|p| p.tray.clone())),
    };
    let guide = |options: &PrintOptions| -> Result<()> {
        let Some(p) = &profile else {
            return Ok(());
        };
        let facts = crate::printer::pdfinfo::read_facts(&args.file)?;
        let lines = crate::printer::feed::loading_guide(
            &p.feed,
            options.tray.as_deref(),
            facts.size,
            options.sides(facts.duplex),
        );
        for l in lines {
            println!("load: {l}");
        }
        Ok(())
    };
    // The options first: a wrong queue name is refused before the PDF is read.
    print::check_options(&options)?;
    // What paper the queue takes, asked before anything is sent.
    let facts = crate::printer::pdfinfo::read_facts(&args.file)?;
    let queue = match args.dry_run {
        true => print::resolve_queue(options.printer.as_deref()).ok(),
        false => Some(print::resolve_queue(options.printer.as_deref())?),
    };
    let caps = queue.as_deref().and_then(|q| match media::query(q) {
        Ok(c) => Some(c),
        Err(e) => {
            for d in e.0 {
                eprintln!("{}", crate::cli::Flagged(&d.warning()));
            }
            None
        }
    });
    let placed = match (&args.on_sheet, &caps) {
        (Some(sheet), _) => {
            let (w, h) = crate::batch::impose::parse_sheet(sheet)?;
            let sheet_size = [w.min(h), w.max(h)];
            if let Some(c) = &caps {
                if !c.takes(sheet_size) {
                    return Err(Diagnostic::for_option(
                        "on_sheet",
                        format!(
                            "{} takes no {sheet} paper either",
                            queue.as_deref().unwrap_or("")
                        ),
                    )
                    .into());
                }
            }
            let align = profile
                .as_ref()
                .and_then(|p| p.feed.align)
                .unwrap_or(crate::printer::feed::Align::Center);
            // Turned so that the edge the profile says leads goes in first.
            let leading = profile
                .as_ref()
                .and_then(|p| p.feed.leading_edge)
                .unwrap_or(crate::printer::feed::Edge::Top);
            let turn = media::turn_for(leading);
            let lying = media::turned_size(facts.size, turn);
            let at = media::placement(lying, sheet_size, align).ok_or_else(|| {
                Diagnostic::for_option("on_sheet", format!("the card is larger than {sheet} paper"))
            })?;
            println!(
                "place: the {} x {} in card {}in from the left edge of a {sheet} sheet, at its \
                 leading (top) edge ({} as the printer feeds card stock){}",
                round2(facts.size[0] / 72.0),
                round2(facts.size[1] / 72.0),
                round2(at[0] / 72.0),
                match align {
                    crate::printer::feed::Align::Center => "centred",
                    crate::printer::feed::Align::Left => "against the left edge",
                    crate::printer::feed::Align::Right => "against the right edge",
                },
                match turn {
                    0 => String::new(),
                    t => format!(
                        ", turned {t}° so that the card's {} edge leads",
                        leading.name()
                    ),
                }
            );
            let bytes = crate::io::read_bounded(
                &args.file,
                crate::printer::pdfinfo::MAX_PDF_BYTES,
                "the PDF",
            )
            .map_err(|e| Diagnostic::new(format!("cannot read {}: {e}", args.file.display())))?;
            Some(media::placed_on_sheet(
                &args.file, &bytes, sheet_size, at, turn,
            )?)
        }
        (None, Some(c)) if !c.takes(facts.size) => {
            let q = queue.as_deref().unwrap_or("");
            let suggest = c
                .default_size()
                .map(|d| crate::paper::cups_media(d[0], d[1]).to_lowercase())
                .unwrap_or_else(|| "letter".into());
            return Err(Diagnostic::new(format!(
                "{q} takes no {} x {} in paper, nor a custom size: {}",
                round2(facts.size[0] / 72.0),
                round2(facts.size[1] / 72.0),
                media::fallback_words(c, facts.size)
            ))
            .hint(format!(
                "print it on a sheet {q} takes, with the card placed where the printer feeds \
                 card stock: --on-sheet {suggest} (load the card at the tray's leading edge)"
            ))
            .into());
        }
        _ => None,
    };
    if args.dry_run {
        let command = print::lp_command(&args.file, &options)?;
        let mut text = print::shell_quote(&command);
        if let (Some(sheet), true) = (&args.on_sheet, placed.is_some()) {
            let (w, h) = crate::batch::impose::parse_sheet(sheet)?;
            let media_now = crate::paper::cups_media(facts.size[0], facts.size[1]);
            text = text.replace(
                &format!("media={media_now}"),
                &format!("media={}", crate::paper::cups_media(w.min(h), w.max(h))),
            );
        }
        println!("{text}");
        guide(&options)?;
        return Ok(());
    }
    let temp = match &placed {
        Some(bytes) => {
            let path =
                std::env::temp_dir().join(format!("stationer-placed-{}.pdf", std::process::id()));
            std::fs::write(&path, bytes)
                .map_err(|e| Diagnostic::new(format!("cannot write {}: {e}", path.display())))?;
            Some(path)
        }
        None => None,
    };
    // How to load the stack, before the job goes.
    guide(&options)?;
    let sent = temp.as_deref().unwrap_or(&args.file);
    let media = crate::printer::pdfinfo::read_page_size(sent)
        .map(|[w, h]| crate::paper::cups_media(w, h))
        .unwrap_or_default();
    let job = print::submit(sent, &options);
    if let Some(t) = &temp {
        let _ = std::fs::remove_file(t);
    }
    let job = job?;
    let copies = match options.copies {
        1 => "1 copy".to_string(),
        n => format!("{n} copies"),
    };
    println!(
        "sent {} as job {job} ({media}, {copies}, no scaling)",
        args.file.display()
    );
    Ok(())
}

fn round2(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}
