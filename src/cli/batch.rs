//! `stationer batch` and `stationer check --data`: many cards from a
//! recipient list.

use super::design_for;
use super::DuplexArg;
use crate::batch::impose::{parse_grid, parse_sheet, Duplex};
use crate::batch::merge::read_csv;
use crate::batch::{run_batch, run_batch_into, BatchOptions, BatchOutput, DEFAULT_MAX_CARDS};
use crate::diag::{Diagnostic, Error};
use crate::export::report::Report;
use crate::input::load_note;
use crate::io::{Commit, Plan};
use crate::units::Pt;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::{Path, PathBuf};

/// Help shown by `stationer batch --help`.
pub const LONG_ABOUT: &str = "\
Make one card per recipient from a note template and a CSV list, in one PDF.

The note's text fields may hold {column} placeholders (write {{ and }} for
literal braces); each CSV row fills them in. An empty value is an error,
unless the placeholder says otherwise: {title?} may be empty, and then the
space before it goes too ('Dear {title?} {name},' reads 'Dear Ann,'), and
{name|Friend} gives a default.

The CSV needs a header row; it may be UTF-8 with or without a byte-order mark,
with CRLF or LF line ends and quoted fields holding commas, quotes and line
breaks.

Every row is merged and fitted before anything is written. All problems are
reported together, each with its row and column, and then nothing is written.
With --keep-going the cards that can be made are made, and each row that
cannot is listed on standard error and in the report's skipped list, with
its reason. --rows 3,7-9 makes only those rows (CSV data rows, counted from 1:
the header is not a row; the numbers the messages and the report use).

Cards come one per page at the card's size, or with --sheet several to a sheet
in a grid (centred; --grid to choose it), optionally with --crop-marks outside
the trim. After a jam, --from N starts again at card N; on a part-used sheet
of cards, --skip K leaves the first K positions empty.

Examples:
  stationer batch samples/template.toml --data samples/recipients.csv -o cards.pdf
  stationer batch note.toml --data list.csv -o sheets.pdf --sheet letter --crop-marks
  stationer batch note.toml --data list.csv -o cards.pdf --split cards/ --report cards.json
  stationer batch note.toml --data list.csv -o cards.pdf --profile office --print
  stationer batch note.toml --data list.csv -o cards.pdf --keep-going --report cards.json
  stationer batch note.toml --data list.csv -o reprint.pdf --rows 3,7-9

Exit status: 0 done; 1 the input is wrong or a card does not fit (nothing is
written); 2 the command line is wrong; 3 done in part (--keep-going skipped
some rows: the other cards are written).";

// Arguments of `stationer batch` (a plain comment: clap would make a doc
// comment the description of the subcommand, which `Command` defers).
#[derive(Args, Debug)]
pub struct BatchArgs {
    /// The note template (TOML), with {column} placeholders; `-`: standard input.
    pub note: PathBuf,
    /// The recipient list (CSV with a header row; `-`: standard input).
    #[arg(long, value_name = "RECIPIENTS.csv")]
    pub data: PathBuf,
    /// Where to write the PDF.
    #[arg(short, long, value_name = "CARDS.pdf")]
    pub output: PathBuf,
    /// A bundled design's name or a design file; overrides the note's `layout`.
    #[arg(long, value_name = "NAME|FILE")]
    pub layout: Option<String>,
    /// Impose cards on sheets: letter, legal, a4, a5, tabloid, or WxH (e.g. 8.5x11in).
    #[arg(long, value_name = "NAME|WxH")]
    pub sheet: Option<String>,
    /// Cards across and down on a sheet (default: as many as fit).
    #[arg(long, value_name = "COLSxROWS", requires = "sheet")]
    pub grid: Option<String>,
    /// Space between cards on a sheet, e.g. 0.25in (default 0).
    #[arg(long, value_name = "LEN", requires = "sheet")]
    pub gutter: Option<String>,
    /// Draw crop marks outside the trim of the cards on each sheet.
    #[arg(long, requires = "sheet")]
    pub crop_marks: bool,
    /// Print folded cards on both sides, for a printer that flips on this edge.
    #[arg(long, value_enum, value_name = "short|long")]
    pub duplex: Option<DuplexArg>,
    /// Start at card N (1-based, copies counted), e.g. after a paper jam.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub from: usize,
    /// Leave the first K positions of the first sheet empty (a part-used sheet).
    #[arg(long, value_name = "K", default_value_t = 0)]
    pub skip: usize,
    /// A CSV column holding how many copies of each row to make (0 to 100).
    #[arg(long, value_name = "COL")]
    pub copies_column: Option<String>,
    /// Also write one PDF per card into this folder.
    #[arg(long, value_name = "DIR")]
    pub split: Option<PathBuf>,
    /// File names for --split: {row} and {column} placeholders, as in the note (default
    /// "{row}-{name}", or "{row}" when there is no name column).
    #[arg(long, value_name = "TEMPLATE", requires = "split")]
    pub split_name: Option<String>,
    /// Also write a JSON report of every card's boxes, sheet page and offset.
    #[arg(long, value_name = "REPORT.json")]
    pub report: Option<PathBuf>,
    /// Make every card that can be made; list each row that cannot (stderr, report) and exit 3.
    #[arg(long)]
    pub keep_going: bool,
    /// Only these CSV data rows (1-based, the header is not a row), e.g. 3,7-9.
    #[arg(long, value_name = "LIST")]
    pub rows: Option<String>,
    /// Refuse batches of more cards than this.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_CARDS)]
    pub max_cards: usize,
    /// Threads to lay cards out on (default: one per core).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub threads: usize,
    /// Correct the PDF for a printer with this profile (see `stationer profile`).
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// The printer profiles file [default: ~/.config/stationer/profiles.toml].
    #[arg(long, value_name = "FILE", requires = "profile")]
    pub profiles: Option<PathBuf>,
    /// With --profile: write the PDF even when the correction moves text or the signature
    /// area off the card or into the printer's unprintable margins (shown as warnings).
    #[arg(long, requires = "profile")]
    pub force: bool,
    /// Send the PDF to the printer once it is written (see `stationer print`).
    #[arg(long)]
    pub print: bool,
    /// The CUPS queue for --print (default: the profile's, then the system default).
    #[arg(long, value_name = "QUEUE", requires = "print")]
    pub printer: Option<String>,
    /// Write the PDF to a standard: a-1b, a-2b (PDF/A) or x-4 (PDF/X-4); see `stationer render --help`.
    #[arg(long, value_name = "STANDARD")]
    pub pdf_standard: Option<super::PdfStandardArg>,
}

fn usage(msg: String) -> Error {
    Diagnostic::new(msg).into()
}

/// Exit status of a batch made in part (`--keep-going` skipped rows).
pub const EXIT_PARTIAL: i32 = 3;

/// Runs `stationer batch`; returns the exit status (0, or [`EXIT_PARTIAL`]).
pub fn run(a: BatchArgs) -> Result<i32, Error> {
    let mut plan = Plan::new();
    plan.input("the note", &a.note)
        .input("the recipient list", &a.data);
    super::plan_design(&mut plan, a.layout.as_deref());
    if let Some(p) = &a.profiles {
        plan.input("the profiles file", p);
    }
    plan.output("-o", &a.output);
    if let Some(r) = &a.report {
        plan.output("--report", r);
    }
    if let Some(dir) = &a.split {
        if let Ok(m) = std::fs::metadata(dir) {
            if !m.is_dir() {
                return Err(usage(format!(
                    "--split {}: it is {}, not a folder",
                    dir.display(),
                    crate::io::kind_of(&m)
                )));
            }
        }
    }
    let mut commit = Commit::new(plan)?;
    let sheet = a.sheet.as_deref().map(parse_sheet).transpose()?;
    let grid = a.grid.as_deref().map(parse_grid).transpose()?;
    let gutter = match &a.gutter {
        Some(g) => {
            let p: Pt = g
                .parse()
                .map_err(|e: crate::units::LengthError| usage(format!("--gutter: {e}")))?;
            if p.0 < 0.0 || p.0 > 144.0 {
                return Err(usage("--gutter must be between 0 and 2in".into()));
            }
            p.0
        }
        None => 0.0,
    };
    let note = load_note(&a.note)?;
    let design = design_for(&note, a.layout.as_deref())?;
    let recipients = read_csv(&a.data)?;
    let split_name = a.split.as_ref().map(|_| {
        a.split_name.clone().unwrap_or_else(|| {
            if recipients.column("name").is_some() {
                "{row}-{name}".into()
            } else {
                "{row}".into()
            }
        })
    });
    let profile = match &a.profile {
        Some(name) => Some(crate::printer::profile::load(a.profiles.as_deref(), name)?),
        None => None,
    };
    let duplex = a.duplex.map(Duplex::from);
    let rows = a
        .rows
        .as_deref()
        .map(crate::batch::parse_rows)
        .transpose()?;
    let options = BatchOptions {
        sheet,
        grid,
        gutter,
        crop_marks: a.crop_marks,
        duplex,
        from: a.from,
        skip: a.skip,
        copies_column: a.copies_column.clone(),
        max_cards: a.max_cards,
        threads: a.threads,
        write: true,
        split_name,
        sheet_transforms: profile.as_ref().map(|p| p.corrections(duplex.is_some())),
        pdf_options: super::with_standard(Default::default(), a.pdf_standard)?,
        keep_going: a.keep_going,
        rows,
        report: a.report.is_some(),
        // Preflight: every page checked where the correction puts it.
        page_check: profile.clone().map(|p| {
            crate::batch::PageCheck(std::sync::Arc::new(move |fonts, page| {
                crate::printer::preflight::preflight_page(fonts, page, &p, "")
            }))
        }),
    };
    // The PDF goes to its temporary file as it is made; a run that fails
    // later removes it with the rest.
    let out = with_progress(|progress| {
        commit.stage_with("-o", &a.output, |w| {
            run_batch_into(&note, &design, &recipients, &options, progress, w)
        })
    })?;
    let stops = out
        .preflight
        .iter()
        .any(|d| d.severity == crate::diag::Severity::Error);
    if stops && !a.force {
        let mut found = out.preflight;
        if let Some(last) = found
            .iter_mut()
            .rfind(|d| d.severity == crate::diag::Severity::Error)
        {
            last.hints
                .push("to write it all the same (as a warning), add --force".into());
        }
        return Err(crate::diag::Error(found));
    }
    for d in &out.preflight {
        eprintln!("{}", crate::cli::Flagged(&d.clone().warning()));
    }
    if out.cards.is_empty() {
        return Err(Diagnostic::new(format!(
            "the batch makes no cards from the {} rows of {}",
            recipients.rows.len(),
            a.data.display()
        ))
        .hint("every row was left out (a copies column of 0, or --from and --skip); nothing is written")
        .into());
    }
    for w in &out.warnings {
        eprintln!("{}", crate::cli::Flagged(w));
    }
    for s in &out.skipped {
        for d in &s.problems {
            eprintln!("{}", crate::cli::Flagged(d));
        }
        eprintln!("row {}: skipped, no card made", s.row);
    }
    let partial = !out.skipped.is_empty();
    if partial {
        let n = |k: usize, one: &str, many: &str| match k {
            1 => format!("1 {one}"),
            k => format!("{k} {many}"),
        };
        eprintln!(
            "done in part: {} made, {} skipped",
            n(out.cards.len(), "card", "cards"),
            n(out.skipped.len(), "row", "rows")
        );
    }
    write_outputs(&a, out, commit)?;
    if a.print {
        let print = crate::printer::cups::PrintOptions {
            printer: a
                .printer
                .clone()
                .or_else(|| profile.as_ref().and_then(|p| p.printer.clone())),
            duplex,
            tray: profile.as_ref().and_then(|p| p.tray.clone()),
            ..crate::printer::cups::PrintOptions::default()
        };
        crate::printer::cups::submit(&a.output, &print).map_err(|mut e| {
            e.0.push(Diagnostic::new(format!(
                "{} is written; print it later with stationer print {}",
                a.output.display(),
                a.output.display()
            )));
            e
        })?;
    }
    Ok(if partial { EXIT_PARTIAL } else { 0 })
}

fn write_outputs(a: &BatchArgs, out: BatchOutput, mut commit: Commit) -> Result<(), Error> {
    let report_bytes = a.report.as_ref().map(|_| report_json(&out.report));
    // The PDF is staged already (see run).
    if let (Some(path), Some(bytes)) = (&a.report, report_bytes) {
        commit.stage("--report", path, &bytes)?;
    }
    let Some(dir) = &a.split else {
        return commit.finish();
    };
    // The folder (and any parents missing) is made only now, and removed
    // again if the run fails or is stopped.
    let made = crate::io::make_dirs(dir)?;
    let result = (|| {
        let paths: Vec<PathBuf> = out.split.iter().map(|(n, _)| safe_join(dir, n)).collect();
        commit.add_outputs("--split file", &paths)?;
        for (path, (_, bytes)) in paths.iter().zip(&out.split) {
            commit.stage("--split file", path, bytes)?;
        }
        commit.finish()
    })();
    if result.is_ok() {
        made.keep();
    }
    result
}

/// `dir/name` for a name made by the batch (no separators, never `..`).
fn safe_join(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    debug_assert_eq!(path.parent(), Some(dir));
    path
}

fn report_json(report: &Report) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(report).unwrap_or_default();
    out.push(b'\n');
    out
}

/// Runs work that reports progress, with a progress bar on stderr when
/// stderr is a terminal (indicatif draws nothing otherwise).
fn with_progress<T>(work: impl FnOnce(&(dyn Fn(usize, usize) + Sync)) -> T) -> T {
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} cards  {elapsed} ({eta} left)")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let result = work(&|done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    });
    bar.finish_and_clear();
    result
}

/// Runs `stationer check NOTE --data CSV`: the per-row findings and each
/// card's size, writing nothing.
pub fn check(note_path: &Path, layout: Option<&str>, data: &Path, json: bool) -> Result<(), Error> {
    let note = load_note(note_path)?;
    let design = design_for(&note, layout)?;
    let recipients = read_csv(data)?;
    let options = BatchOptions {
        write: false,
        // The table lists every row, failures included; the JSON report
        // takes the whole batch's result.
        keep_going: !json,
        ..BatchOptions::default()
    };
    let out = with_progress(|p| run_batch(&note, &design, &recipients, &options, p));
    if json {
        return check_json(&design, out);
    }
    // Keep going so that every row is in the table, failures included.
    let (cards, skipped) = match out {
        Ok(out) => {
            for w in &out.warnings {
                eprintln!("{}", crate::cli::Flagged(w));
            }
            (out.cards, out.skipped)
        }
        // No row made a card: every problem is one of a row, or the
        // batch as a whole is wrong (a template error).
        Err(e) => {
            let skipped = crate::batch::group_by_row(e.0.clone(), &recipients);
            if skipped.iter().any(|s| s.row == 0) {
                return Err(e);
            }
            (Vec::new(), skipped)
        }
    };
    println!("design  {}", design.source.display_path().display());
    println!("{:>5}  {:>6}  {:>5}  {:>5}", "row", "size", "lines", "full");
    let mut lines: Vec<(usize, String)> = cards
        .iter()
        .filter(|c| c.copy == 1)
        .map(|c| {
            (
                c.row,
                format!(
                    "{:>5}  {:>4.1}pt  {:>5}  {:>4.0}%",
                    c.row,
                    c.size,
                    c.lines,
                    c.fullness * 100.0
                ),
            )
        })
        .collect();
    lines.extend(
        skipped
            .iter()
            .map(|s| (s.row, format!("{:>5}  fails: {}", s.row, s.reason()))),
    );
    lines.sort_by_key(|l| l.0);
    for (_, l) in &lines {
        println!("{l}");
    }
    if skipped.is_empty() {
        println!("{} cards fit", cards.len());
        return Ok(());
    }
    println!("{} cards fit; {} rows fail", cards.len(), skipped.len());
    Err(Error(
        skipped.into_iter().flat_map(|s| s.problems).collect(),
    ))
}

/// `check --data --format json`: every card's row, size, lines and
/// fullness, or why the batch is refused; on standard output either way.
fn check_json(design: &crate::input::Design, out: Result<BatchOutput, Error>) -> Result<(), Error> {
    use crate::check::diagnostics_json;
    let (cards, diagnostics, fits) = match &out {
        Ok(o) => (
            o.cards
                .iter()
                .map(|c| {
                    serde_json::json!({
                        "row": c.row,
                        "copy": c.copy,
                        "font_size": (c.size * 10.0).round() / 10.0,
                        "lines": c.lines,
                        "fullness": (c.fullness * 1000.0).round() / 1000.0,
                    })
                })
                .collect(),
            diagnostics_json(&o.warnings),
            true,
        ),
        Err(e) => (Vec::new(), diagnostics_json(e.diagnostics()), false),
    };
    let v = serde_json::json!({
        "fits": fits,
        "design": crate::check::design_name(design),
        "cards": cards,
        "diagnostics": diagnostics,
    });
    println!("{v:#}");
    match out {
        Ok(_) => Ok(()),
        Err(e) if super::exit_status(&e) == super::EXIT_USAGE => Err(e),
        Err(_) => Err(Error(Vec::new())),
    }
}
