//! The command line: clap definitions, and arguments turned into jobs.

use crate::diag::Error;
use crate::export::pdf::{try_write_pdf, PdfOptions, PdfStandard};
use crate::export::write_report;
use crate::input::{bundled as layouts, load_note};
use crate::io::{Commit, Plan};
use crate::layout::layout_card;
use clap::{CommandFactory, Parser, Subcommand};
use std::path::{Path, PathBuf};

/// A diagnostic, or every diagnostic of an error, as the command line
/// prints it: its option named as a flag (`--dpi: …`).
pub(crate) struct Flagged<'a, T: ?Sized>(pub &'a T);

fn flag(option: &str) -> String {
    format!("--{}", option.replace('_', "-"))
}

impl std::fmt::Display for Flagged<'_, crate::diag::Diagnostic> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.show(f, &flag)
    }
}

impl std::fmt::Display for Flagged<'_, Error> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, d) in self.0 .0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            d.show(f, &flag)?;
        }
        Ok(())
    }
}

mod batch;
mod contact;
mod envelopes;
mod extra;
mod preview;
mod print;

/// Which edge a duplex printer turns two-sided sheets over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DuplexArg {
    /// Turn over the short edge (landscape pages, or calendar style).
    Short,
    /// Turn over the long edge (portrait pages, book style).
    Long,
}

impl From<DuplexArg> for crate::batch::impose::Duplex {
    fn from(d: DuplexArg) -> Self {
        match d {
            DuplexArg::Short => crate::batch::impose::Duplex::Short,
            DuplexArg::Long => crate::batch::impose::Duplex::Long,
        }
    }
}

/// `--pdf-standard`: a standard the PDF conforms to (Typst's flag name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PdfStandardArg {
    /// PDF/A-1b: archival, sRGB output intent, no transparency.
    #[value(name = "a-1b")]
    A1b,
    /// PDF/A-2b: archival, sRGB output intent, transparency allowed.
    #[value(name = "a-2b")]
    A2b,
    /// PDF/X-4: print exchange, CMYK (FOGRA39) output intent.
    #[value(name = "x-4")]
    X4,
}

/// PDF options with the standard asked for and the date from
/// `SOURCE_DATE_EPOCH` when it is set (otherwise no date, or the fixed
/// 1970 epoch where PDF/X-4 needs one): same input, same bytes.
pub(crate) fn with_standard(
    mut options: PdfOptions,
    standard: Option<PdfStandardArg>,
) -> Result<PdfOptions, Error> {
    options.standard = standard.map(|s| match s {
        PdfStandardArg::A1b => PdfStandard::A1b,
        PdfStandardArg::A2b => PdfStandard::A2b,
        PdfStandardArg::X4 => PdfStandard::X4,
    });
    if let Some(v) = std::env::var_os("SOURCE_DATE_EPOCH") {
        let v = v.to_string_lossy();
        let secs: i64 = v.trim().parse().map_err(|_| {
            crate::diag::Diagnostic::new(format!(
                "SOURCE_DATE_EPOCH={v}: not a number of seconds since 1970"
            ))
            .hint("set it to e.g. $(git log -1 --format=%ct), or unset it")
        })?;
        options.date = Some(secs);
    }
    Ok(options)
}

/// Exit status: the input is wrong or a note does not fit.
pub const EXIT_INPUT: i32 = 1;
/// Exit status: the command line is wrong.
pub const EXIT_USAGE: i32 = 2;

const ABOUT: &str = "Turns short thank-you notes into print-ready stationery.";
const LONG_ABOUT: &str = "\
Turns short thank-you notes into print-ready stationery.

Write the words in a small TOML file (greeting, body, closing, signer), pick a
card design, and Stationer sets the note at the largest size that fits above a
blank signature area, then writes a PDF at the card's exact size.

Examples:
  stationer init note.toml
  stationer render samples/note.toml -o card.pdf
  stationer check samples/note.toml --layout portrait-a6
  stationer serve samples/note.toml          # live preview in the browser
  stationer layouts

Exit status: 0 done; 1 the input is wrong or the note does not fit (nothing is
written); 2 the command line is wrong; 3 done in part (batch --keep-going
skipped some rows; the other cards are written).";

#[derive(Parser, Debug)]
#[command(name = "stationer", version, about = ABOUT, long_about = LONG_ABOUT)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// A folder of font files searched (with its subfolders) for characters
    /// no bundled font has (CJK, Indic scripts, …); repeatable. Also read
    /// from STATIONER_FONT_PATH (folders separated by ':').
    #[arg(long, global = true, value_name = "DIR")]
    font_path: Vec<PathBuf>,
    /// Do not search the system's installed fonts (only the bundled ones and
    /// --font-path), for output that does not depend on the machine.
    #[arg(long, global = true)]
    ignore_system_fonts: bool,
}

/// Where fonts beyond the bundled ones are found, from --font-path,
/// STATIONER_FONT_PATH and --ignore-system-fonts; set once in [`main`].
static FONT_SOURCES: std::sync::OnceLock<crate::text::FontSources> = std::sync::OnceLock::new();

/// The font sources of this run.
pub(crate) fn font_sources() -> crate::text::FontSources {
    FONT_SOURCES.get().cloned().unwrap_or_default()
}

/// [`crate::input::design_for`], with this run's font sources.
pub(crate) fn design_for(
    note: &crate::input::Note,
    layout: Option<&str>,
) -> crate::diag::Result<crate::input::Design> {
    let mut design = crate::input::design_for(note, layout)?;
    design.font_sources = font_sources();
    Ok(design)
}

#[derive(Subcommand, Debug)]
// Each subcommand's arguments are built only when they are needed (for
// the one run, its help, the completions or the manual page): a one-card
// render runs 4.5% fewer instructions.
#[command(defer = true)]
enum Command {
    /// Set a note on a card design and write a print-ready PDF.
    #[command(long_about = "\
Set a note on a card design and write a print-ready PDF.

The body is set at the largest size in the design's range that fits above the
signature area. A note that does not fit at the smallest size is refused with
how much to cut, and nothing is written. The PDF is written whole or not at
all: an existing file at the output path is only replaced on success.

Examples:
  stationer render samples/note.toml -o card.pdf --report card.json
  stationer render samples/note.toml -o card.pdf --profile office   # corrected for a printer")]
    Render(RenderArgs),
    /// Draw a card as a PNG picture, with optional guides and a background scan.
    #[command(long_about = preview::LONG_ABOUT)]
    Preview(preview::PreviewArgs),
    /// Make one card per recipient of a CSV list, in one PDF (mail merge).
    #[command(long_about = batch::LONG_ABOUT)]
    Batch(Box<batch::BatchArgs>),
    /// Check that a note fits, and how: size chosen, lines, how full. Writes nothing.
    Check {
        /// The note (TOML; `-`: standard input).
        note: PathBuf,
        /// `text` for people, `json` for scripts (the fields are listed in the README).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Check every row of a recipient list (CSV; `-`: standard input) merged into the note.
        #[arg(long, value_name = "RECIPIENTS.csv")]
        data: Option<PathBuf>,
        /// A bundled design's name or a design file; overrides the note's `layout`.
        #[arg(long, value_name = "NAME|FILE")]
        layout: Option<String>,
    },
    /// List the bundled designs: name, card size, description; or print one's TOML.
    Layouts {
        /// Print this bundled design's TOML (a starting point for your own, or
        /// to `extends` from).
        #[arg(long, value_name = "NAME")]
        show: Option<String>,
    },
    /// A live preview in the browser: a page on 127.0.0.1 that redraws the card as you type.
    #[command(long_about = SERVE_ABOUT)]
    Serve {
        /// The note to start from and to save to (created on the first save
        /// if it does not exist); without one, a starter note and no saving.
        #[arg(value_parser = extra::note_file)]
        note: Option<PathBuf>,
        /// The port on 127.0.0.1 (0: any free port).
        #[arg(long, value_name = "N", default_value_t = 0)]
        port: u16,
        /// Open the page in the default browser (xdg-open).
        #[arg(long)]
        open: bool,
    },
    /// Write a commented starter note to edit.
    Init {
        /// Where to write it (`-`: standard output); an existing file is never replaced.
        #[arg(default_value = "note.toml")]
        note: PathBuf,
    },
    /// Print a shell completion script, generated from this command line.
    #[command(long_about = "\
Print a shell completion script, generated from this command line.

Examples:
  stationer completions bash > ~/.local/share/bash-completion/completions/stationer
  stationer completions zsh > ~/.zfunc/_stationer
  stationer completions fish > ~/.config/fish/completions/stationer.fish")]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) on standard output: `stationer man | man -l -`.
    Man,
    /// Write a calibration sheet to measure a printer with (see `stationer profile`).
    #[command(long_about = print::CALIBRATE_ABOUT)]
    Calibrate(print::CalibrateArgs),
    /// Keep printer profiles: measured offsets and scale that correct a printer.
    #[command(long_about = print::PROFILE_ABOUT)]
    Profile(print::ProfileArgs),
    /// Send a PDF to a printer (CUPS) at its exact size, without scaling.
    #[command(long_about = print::PRINT_ABOUT)]
    Print(print::PrintArgs),
    /// Address one envelope per recipient of a CSV list, to go with the cards.
    #[command(long_about = envelopes::LONG_ABOUT)]
    Envelopes(envelopes::EnvelopesArgs),
}

/// Output of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// Lines for people.
    Text,
    /// One JSON document (see the README).
    Json,
}

const SERVE_ABOUT: &str = "\
A live preview in the browser: a page on 127.0.0.1 that redraws the card as you type.

The page has fields for the greeting, message, closing and name, a design
picker and a guides toggle; the picture follows typing, with how the note
fits (size and how full the card is, or how much to cut). It can download the
PDF and, when started with a note file, save the note back to that file
(atomically; comments in the file are not kept). The URL is printed as the
first line on standard output. The page needs no network: it loads nothing
from outside. Only requests that name 127.0.0.1 or localhost as their Host
are answered.

Routes, for scripts (the note's TOML is the request body):
  GET  /                          the page
  GET  /layouts                   the designs, JSON
  POST /preview?layout=NAME&dpi=N&guides=1   image/png, or 422 and JSON diagnostics
  POST /pdf?layout=NAME           application/pdf, or 422
  POST /check?layout=NAME         JSON, as check --format json

Examples:
  stationer serve samples/note.toml --open
  stationer serve --port 8421";

// Arguments of `stationer render` (a plain comment: clap would make a doc
// comment the description of the subcommand, which `Command` defers).
#[derive(clap::Args, Debug)]
struct RenderArgs {
    /// The note (TOML: greeting, body, closing, signer, optional layout; `-`: standard input).
    note: PathBuf,
    /// Where to write the PDF (`-`: standard output).
    #[arg(short, long, value_name = "CARD.pdf")]
    output: PathBuf,
    /// A bundled design's name (see `stationer layouts`) or a design file; overrides the note's `layout`.
    #[arg(long, value_name = "NAME|FILE")]
    layout: Option<String>,
    /// Also write a JSON report of sizes, boxes and lines (points, top-left origin).
    #[arg(long, value_name = "REPORT.json")]
    report: Option<PathBuf>,
    /// Correct the PDF for a printer with this profile (see `stationer profile`); the report keeps the intended positions.
    #[arg(long, value_name = "NAME")]
    profile: Option<String>,
    /// The printer profiles file [default: ~/.config/stationer/profiles.toml].
    #[arg(long, value_name = "FILE")]
    profiles: Option<PathBuf>,
    /// Write the PDF even when the profile's correction moves the note's text or the
    /// signature area off the card or into the printer's unprintable margins (a warning, then).
    #[arg(long, requires = "profile")]
    force: bool,
    /// Write the PDF to a standard: a-1b or a-2b (PDF/A, archival, sRGB), x-4 (PDF/X-4, print shops, CMYK FOGRA39).
    #[arg(long, value_name = "STANDARD")]
    pdf_standard: Option<PdfStandardArg>,
    /// Keep running: render again whenever the note or its design file
    /// changes (errors are printed, and watching goes on).
    #[arg(long)]
    watch: bool,
}

/// The exit status for an error: 2 when it is about a command-line option's
/// value (a diagnostic naming an option and no file: a file's content that
/// does not suit an option, such as a list without the column `--column`
/// expects, is the input's), else 1.
/// Options whose diagnostics are about what the input holds, not a value
/// that is wrong in itself: a list over `--max-cards`, `--from` past the
/// batch's last card, `--duplex` with a flat design. Exit 1.
const INPUT_LIMITS: &[&str] = &["max_cards", "from", "duplex"];

fn exit_status(e: &Error) -> i32 {
    if e.diagnostics()
        .iter()
        .any(|d| d.place.is_none() && d.option.is_some_and(|o| !INPUT_LIMITS.contains(&o)))
    {
        EXIT_USAGE
    } else {
        EXIT_INPUT
    }
}

/// Runs the command line; returns the exit status.
pub fn main() -> i32 {
    // `stationer check … | head`: a reader that stops reading ends the run
    // quietly, with the status a shell gives a command SIGPIPE stopped.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let p = info.payload();
        let msg = p
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| p.downcast_ref::<&str>().copied())
            .unwrap_or("");
        if msg.starts_with("failed printing to std") && msg.contains("Broken pipe") {
            std::process::exit(141);
        }
        default_hook(info)
    }));
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    if let Err(e) = crate::io::remove_temps_on_signal() {
        eprintln!("{}", crate::cli::Flagged(&e));
        return EXIT_INPUT;
    }
    let mut paths = cli.font_path.clone();
    if let Some(env) = std::env::var_os("STATIONER_FONT_PATH") {
        paths.extend(std::env::split_paths(&env).filter(|p| !p.as_os_str().is_empty()));
    }
    let _ = FONT_SOURCES.set(crate::text::FontSources {
        paths,
        system: !cli.ignore_system_fonts,
    });
    let result = match cli.command {
        Command::Batch(args) => batch::run(*args),
        command => run(command).map(|()| 0),
    };
    match result {
        Ok(code) => code,
        Err(e) if e.0.is_empty() => EXIT_INPUT,
        Err(e) => {
            eprintln!("{}", crate::cli::Flagged(&e));
            exit_status(&e)
        }
    }
}

fn run(command: Command) -> Result<(), Error> {
    match command {
        Command::Render(args) if args.watch => {
            let layout = args.layout.clone();
            extra::watch(&args.note, layout.as_deref(), &[], &args.output, || {
                render(&args)
            })
        }
        Command::Render(args) => render(&args),
        Command::Preview(args) => preview::run(args),
        Command::Batch(args) => batch::run(*args).map(|_| ()),
        Command::Check {
            note,
            layout,
            format,
            data: Some(data),
        } => batch::check(&note, layout.as_deref(), &data, format == Format::Json),
        Command::Check {
            note,
            layout,
            format: Format::Json,
            data: None,
        } => check_json(&note, layout.as_deref()),
        Command::Check {
            note,
            layout,
            format: Format::Text,
            data: None,
        } => {
            let n = load_note(&note)?;
            crate::batch::merge::refuse_unfilled(&n)?;
            let design = design_for(&n, layout.as_deref())?;
            let card = layout_card(&n, &design)?;
            let f = &card.fitted;
            let count = |role| f.lines.iter().filter(|l| l.role == role).count();
            use crate::scene::Role;
            println!("design  {}", design.source.display_path().display());
            println!(
                "size    {}pt (design range {}pt to {}pt)",
                round1(f.size),
                design.size_min,
                design.size_max
            );
            println!(
                "lines   {} (greeting {}, body {}, closing {})",
                count(Role::Greeting) + f.body_lines + count(Role::Closing),
                count(Role::Greeting),
                f.body_lines,
                count(Role::Closing)
            );
            println!(
                "full    {:.0}% of the space above the signature area",
                f.fullness * 100.0
            );
            for w in &f.warnings {
                eprintln!("{}", crate::cli::Flagged(w));
            }
            if f.faults.is_empty() {
                println!("faults  none");
            } else {
                println!(
                    "faults  {} (no size in the design's range sets the note cleanly; this is the size with the fewest)",
                    f.faults.len()
                );
                for fault in &f.faults {
                    let text = f
                        .lines
                        .get(fault.line)
                        .map(|l| l.text())
                        .unwrap_or_default();
                    println!("  line {:>2}: {}: \"{text}\"", fault.line + 1, fault.kind);
                }
            }
            Ok(())
        }
        Command::Calibrate(args) => print::calibrate(args),
        Command::Profile(args) => print::profile(args),
        Command::Print(args) => print::print(args),
        Command::Envelopes(args) => envelopes::run(args),
        Command::Layouts { show: Some(name) } => extra::show_layout(&name),
        Command::Serve { note, port, open } => extra::serve(note.as_deref(), port, open),
        Command::Init { note } => extra::init(&note),
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "stationer",
                &mut std::io::stdout(),
            );
            Ok(())
        }
        Command::Man => {
            let mut out = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut out)
                .expect("writing into memory cannot fail");
            use std::io::Write;
            let _ = std::io::stdout().write_all(&out);
            Ok(())
        }
        Command::Layouts { show: None } => {
            for (name, _) in layouts::BUNDLED {
                let d = layouts::bundled(name).expect("bundled name")?;
                println!(
                    "{name:<15} {:<16} {}",
                    format!(
                        "{} x {} in",
                        round2(d.width.0 / 72.0),
                        round2(d.height.0 / 72.0)
                    ),
                    d.description
                );
            }
            Ok(())
        }
    }
}

/// `stationer render`: one card, its PDF and optional report.
fn render(args: &RenderArgs) -> Result<(), Error> {
    let mut plan = Plan::new();
    plan.input("the note", &args.note);
    plan_design(&mut plan, args.layout.as_deref());
    if let Some(p) = &args.profiles {
        plan.input("the profiles file", p);
    }
    plan.output("-o", &args.output);
    if let Some(r) = &args.report {
        plan.output("--report", r);
    }
    let mut commit = Commit::new(plan)?;
    let n = load_note(&args.note)?;
    crate::batch::merge::refuse_unfilled(&n)?;
    let design = design_for(&n, args.layout.as_deref())?;
    let mut card = layout_card(&n, &design)?;
    for w in &card.fitted.warnings {
        eprintln!("{}", crate::cli::Flagged(w));
    }
    print::correct_for_printer(
        &mut card.scene,
        args.profile.as_deref(),
        args.profiles.as_deref(),
        args.force,
    )?;
    let options = with_standard(PdfOptions::default(), args.pdf_standard)?;
    let pdf = try_write_pdf(&card.scene, &options)?;
    let report_bytes = args.report.as_ref().map(|_| write_report(&card.scene));
    commit.stage("-o", &args.output, &pdf)?;
    if let (Some(path), Some(bytes)) = (&args.report, &report_bytes) {
        commit.stage("--report", path, bytes)?;
    }
    commit.finish()
}

/// `stationer check --format json`: the JSON on standard output whether
/// the note fits or not; exit 1 when it does not.
fn check_json(note: &Path, layout: Option<&str>) -> Result<(), Error> {
    let result = load_note(note).and_then(|n| {
        let design = design_for(&n, layout)?;
        let card = layout_card(&n, &design);
        Ok((design, card))
    });
    let json = match &result {
        Ok((design, card)) => crate::check::check_json(design, card),
        Err(e) => crate::check::failure_json(e),
    };
    println!("{json:#}");
    match result {
        Ok((_, Ok(_))) => Ok(()),
        // Already in the JSON; an option's mistake still exits 2.
        Ok((_, Err(e))) | Err(e) if exit_status(&e) == EXIT_USAGE => Err(e),
        _ => Err(Error(Vec::new())),
    }
}

fn round1(v: f32) -> f32 {
    (v * 10.0).round() / 10.0
}

fn round2(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}

/// Adds a `--layout` that names a design file to a run's inputs (a bundled
/// name reads nothing); the design's own fonts and images are added as they
/// are read (see [`crate::io::read_bounded`]).
fn plan_design(plan: &mut Plan, layout: Option<&str>) {
    if let Some(l) = layout {
        if !layouts::names().contains(&l) {
            plan.input("the design file", l);
        }
    }
}
