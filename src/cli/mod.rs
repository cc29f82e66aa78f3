//! The command line: clap definitions, and arguments turned into jobs.

use crate::diag::Error;
use crate::export::pdf::write_pdf_with;
use crate::export::write_report;
use crate::input::{bundled as layouts, design_for, load_note};
use crate::io::{Commit, Plan};
use crate::layout::layout_card;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

mod batch;
mod contact;
mod envelopes;
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
  stationer render samples/note.toml -o card.pdf
  stationer check samples/note.toml --layout portrait-a6
  stationer layouts

Exit status: 0 done; 1 the input is wrong or the note does not fit (nothing is
written); 2 the command line is wrong.";

#[derive(Parser, Debug)]
#[command(name = "stationer", version, about = ABOUT, long_about = LONG_ABOUT)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
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
    Render {
        /// The note (TOML: greeting, body, closing, signer, optional layout).
        note: PathBuf,
        /// Where to write the PDF.
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
    },
    /// Draw a card as a PNG picture, with optional guides and a background scan.
    #[command(long_about = preview::LONG_ABOUT)]
    Preview(preview::PreviewArgs),
    /// Make one card per recipient of a CSV list, in one PDF (mail merge).
    #[command(long_about = batch::LONG_ABOUT)]
    Batch(Box<batch::BatchArgs>),
    /// Check that a note fits, and how: size chosen, lines, how full. Writes nothing.
    Check {
        /// The note (TOML).
        note: PathBuf,
        /// Check every row of a recipient list (CSV) merged into the note.
        #[arg(long, value_name = "RECIPIENTS.csv")]
        data: Option<PathBuf>,
        /// A bundled design's name or a design file; overrides the note's `layout`.
        #[arg(long, value_name = "NAME|FILE")]
        layout: Option<String>,
    },
    /// List the bundled designs: name, card size, description.
    Layouts,
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

/// Runs the command line; returns the exit status.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    if let Err(e) = crate::io::remove_temps_on_signal() {
        eprintln!("{e}");
        return EXIT_INPUT;
    }
    match run(cli.command) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("{e}");
            EXIT_INPUT
        }
    }
}

fn run(command: Command) -> Result<(), Error> {
    match command {
        Command::Render {
            note,
            output,
            layout,
            report,
            profile,
            profiles,
        } => {
            let mut plan = Plan::new();
            plan.input("the note", &note);
            plan_design(&mut plan, layout.as_deref());
            if let Some(p) = &profiles {
                plan.input("the profiles file", p);
            }
            plan.output("-o", &output);
            if let Some(r) = &report {
                plan.output("--report", r);
            }
            let mut commit = Commit::new(plan)?;
            let n = load_note(&note)?;
            let design = design_for(&n, layout.as_deref())?;
            let card = layout_card(&n, &design)?;
            for w in &card.fitted.warnings {
                eprintln!("{w}");
            }
            let options =
                print::render_options(&card.scene, profile.as_deref(), profiles.as_deref())?;
            let pdf = write_pdf_with(&card.scene, &options);
            let report_bytes = report.as_ref().map(|_| write_report(&card.scene));
            commit.stage("-o", &output, &pdf)?;
            if let (Some(path), Some(bytes)) = (&report, &report_bytes) {
                commit.stage("--report", path, bytes)?;
            }
            commit.finish()
        }
        Command::Preview(args) => preview::run(args),
        Command::Batch(args) => batch::run(*args),
        Command::Check {
            note,
            layout,
            data: Some(data),
        } => batch::check(&note, layout.as_deref(), &data),
        Command::Check {
            note,
            layout,
            data: None,
        } => {
            let n = load_note(&note)?;
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
                eprintln!("{w}");
            }
            if f.faults.is_empty() {
                println!("faults  none");
            } else {
                println!(
                    "faults  {} (no size in the design's range sets the note cleanly; this is the size with the fewest)",
                    f.faults.len()
                );
                for fault in &f.faults {
                    let text = f.lines.get(fault.line).map(line_text).unwrap_or_default();
                    println!("  line {:>2}: {}: \"{text}\"", fault.line + 1, fault.kind);
                }
            }
            Ok(())
        }
        Command::Calibrate(args) => print::calibrate(args),
        Command::Profile(args) => print::profile(args),
        Command::Print(args) => print::print(args),
        Command::Envelopes(args) => envelopes::run(args),
        Command::Layouts => {
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

/// A set line's text, with its added hyphen.
fn line_text(l: &crate::layout::fit::SetLine) -> String {
    let mut t = String::new();
    for p in &l.parts {
        if p.space_before {
            t.push(' ');
        }
        let w = &p.word;
        let from = w
            .glyphs
            .get(p.glyphs.start)
            .map_or(w.text.len(), |g| g.cluster as usize);
        let to = w
            .glyphs
            .get(p.glyphs.end)
            .map_or(w.text.len(), |g| g.cluster as usize);
        t.push_str(&w.text[from..to]);
    }
    if l.hyphen {
        t.push('-');
    }
    t
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
