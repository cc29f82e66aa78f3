//! `stationer envelopes`: the matching envelope for each card of a batch,
//! as a PDF and, with `--preview DIR`, one PNG per envelope.

use crate::batch::merge::read_csv;
use crate::diag::{Diagnostic, Error};
use crate::envelope::{
    card_size, make_envelopes, matching_size, parse_size, read_return_address, EnvelopeOptions,
    DEFAULT_CITY_LINE,
};
use crate::export::pdf::PdfWriter;
use crate::export::png;
use crate::input::bundled as layouts;
use crate::input::design::FontChoice;
use crate::io::{Commit, Plan};
use crate::scene::Scene;
use crate::text::FontSet;
use clap::Args;
use std::path::{Path, PathBuf};

/// Help shown by `stationer envelopes --help`.
pub(crate) const LONG_ABOUT: &str = "\
Address one envelope per recipient of a CSV list, in the list's order (the
order of the cards `stationer batch` makes from it), in one PDF.

Each page is an envelope, landscape. The recipient's block comes from the
columns name, company, address1, address2, city, region, postcode and country
(name, address1 and city are needed; rename with --column FIELD=COLUMN). The
city line follows the row's country (US, CA, GB, IE, DE, FR, IT, ES, NL, AU,
JP; an empty country is the return address's), else \"{city}, {region}
{postcode}\"; --city-line sets one for every address ({{ and }} are literal
braces). Empty parts close up, with the separator before them. With the
batch's --copies-column (and --rows), there is one envelope per card, in the
cards' order. The
country is printed in capitals unless it is the return address's country.
The return address (a TOML file with the same keys) goes at the top left, the
recipient slightly right of and below the middle, clear of the stamp area at
the top right and of the strip along the bottom kept for sorting barcodes.

The size is --size, or the envelope that takes --layout's card, or US A2.
Sizes outside US letter-mail limits are made, with a warning.

--preview DIR draws every envelope as a PNG (DIR/envelope-001.png, ...) from
the same pages the PDF is written from; with --preview, -o is optional.

Examples:
  stationer envelopes --data samples/addresses.csv -o envelopes.pdf \\
      --return-address samples/return.toml --column name=full_name
  stationer envelopes --data list.csv -o envelopes.pdf --layout portrait-a6      # C6 envelopes
  stationer envelopes --data list.csv -o envelopes.pdf --column name=full_name --city-line \"{postcode} {city}\"
  stationer envelopes --data samples/addresses.csv --column name=full_name --preview envelopes/";

// Arguments of `stationer envelopes` (a plain comment: clap would make a doc
// comment the description of the subcommand, which `Command` defers).
#[derive(Args, Debug)]
pub(crate) struct EnvelopesArgs {
    /// The recipient list (CSV with a header row; `-`: standard input).
    #[arg(long, value_name = "RECIPIENTS.csv")]
    data: PathBuf,
    /// Where to write the PDF (needed unless --preview).
    #[arg(
        short,
        long,
        value_name = "ENVELOPES.pdf",
        required_unless_present = "preview"
    )]
    output: Option<PathBuf>,
    /// Also (or instead) draw each envelope as a PNG in this folder: envelope-001.png, ...
    /// (made if missing).
    #[arg(long, value_name = "DIR")]
    preview: Option<PathBuf>,
    /// Resolution of the --preview pictures in dots per inch, 10 to 1200.
    #[arg(long, value_name = "N", default_value_t = png::DEFAULT_DPI, requires = "preview")]
    dpi: u32,
    /// The envelope: us-a2 (5.75x4.375in), us-a6 (6.5x4.75in), us-a7 (7.25x5.25in),
    /// c6 (162x114mm), dl (220x110mm), or WxH with a unit (6x6in).
    #[arg(long, value_name = "NAME|WxH")]
    size: Option<String>,
    /// The card design the envelopes go with: its card picks the size (unless --size) and
    /// its font sets the address [default: classic-a2].
    #[arg(long, value_name = "NAME|FILE")]
    layout: Option<String>,
    /// The sender's address (TOML: name, company, address1, address2, city, region,
    /// postcode, country), printed at the top left.
    #[arg(long, value_name = "FILE.toml")]
    return_address: Option<PathBuf>,
    /// Take an address field from another column, e.g. name=full_name (repeatable).
    #[arg(long, value_name = "FIELD=COLUMN")]
    column: Vec<String>,
    /// The city line for every address, from {city}, {region} and {postcode} ({{ }} for
    /// literal braces; \n for a second line); empty parts close up [default: by each
    /// row's country, else "{city}, {region} {postcode}"].
    #[arg(long, value_name = "TEMPLATE")]
    city_line: Option<String>,
    /// A CSV column holding how many envelopes to make of each row (the batch's copies
    /// column: one envelope per card).
    #[arg(long, value_name = "COL")]
    copies_column: Option<String>,
    /// Only these CSV data rows (1-based, the header is not a row), e.g. 3,7-9, as batch --rows.
    #[arg(long, value_name = "LIST")]
    rows: Option<String>,
    /// Write the PDF to a standard: a-1b, a-2b (PDF/A) or x-4 (PDF/X-4).
    #[arg(long, value_name = "STANDARD")]
    pdf_standard: Option<super::PdfStandardArg>,
}

/// Runs `stationer envelopes`.
pub(crate) fn run(a: EnvelopesArgs) -> Result<(), Error> {
    let mut plan = Plan::new();
    plan.input("the recipient list", &a.data);
    if let Some(r) = &a.return_address {
        plan.input("the return address", r);
    }
    super::plan_design(&mut plan, a.layout.as_deref());
    if let Some(o) = &a.output {
        plan.output("-o", o);
    }
    let mut commit = Commit::new(plan)?;
    let mut columns = Vec::new();
    for c in &a.column {
        let Some((field, column)) = c.split_once('=') else {
            return Err(
                Diagnostic::new(format!("--column {c}: write it as FIELD=COLUMN"))
                    .hint("e.g. --column name=full_name")
                    .into(),
            );
        };
        columns.push((field.trim().to_string(), column.trim().to_string()));
    }
    let design = match &a.layout {
        Some(l) => Some(layouts::resolve(l, Path::new(""), None)?),
        None => None,
    };
    let size = match (&a.size, &design) {
        (Some(s), _) => parse_size(s)?,
        (None, Some(d)) => matching_size(d)?,
        (None, None) => parse_size("us-a2")?,
    };
    let return_address = a
        .return_address
        .as_deref()
        .map(read_return_address)
        .transpose()?;
    let recipients = read_csv(&a.data)?;
    // The faces the names need: the design's, and fallbacks for the rest.
    let text: String = recipients
        .rows
        .iter()
        .flat_map(|r| r.values.iter())
        .map(|v| v.as_str())
        .collect();
    let fonts = match &design {
        Some(d) => FontSet::load_for(
            &d.font,
            &d.source.display_path(),
            &super::font_sources(),
            &text,
        )?,
        None => FontSet::load_for(
            &FontChoice::Bundled("caladea".into()),
            Path::new(""),
            &super::font_sources(),
            &text,
        )?,
    };
    let options = EnvelopeOptions {
        size,
        columns,
        by_country: a.city_line.is_none(),
        city_line: a.city_line.unwrap_or_else(|| DEFAULT_CITY_LINE.into()),
        copies_column: a.copies_column,
        rows: a
            .rows
            .as_deref()
            .map(crate::batch::parse_rows)
            .transpose()?,
        return_address,
        color: design
            .as_ref()
            .map_or(crate::input::design::Rgb::INK, |d| d.color),
        card: design.as_ref().map(card_size),
    };
    let envelopes = make_envelopes(&recipients, &fonts, &options)?;
    let scene = &envelopes.value;
    let threads = crate::parallel::threads(0);
    let preview_paths = match &a.preview {
        Some(dir) => preview_paths(scene, dir, a.dpi)?,
        None => Vec::new(),
    };
    if let Some(path) = &a.output {
        let mut writer = PdfWriter::new(&scene.fonts, &scene.title);
        writer.set_options(super::with_standard(Default::default(), a.pdf_standard)?);
        writer.set_author(&scene.author);
        writer.add_pages(&scene.pages, threads);
        commit.stage("-o", path, &writer.try_finish()?)?;
    }
    for w in &envelopes.warnings {
        eprintln!("{}", crate::cli::Flagged(w));
    }
    let Some(dir) = &a.preview else {
        return commit.finish();
    };
    // The folder (and any parents missing) is made only now, and removed
    // again if the run fails or is stopped.
    let made = crate::io::make_dirs(dir)?;
    let result = (|| {
        commit.add_outputs("--preview file", &preview_paths)?;
        // Drawn and staged a round at a time: a long list never holds
        // every picture in memory at once.
        let options = png::PngOptions {
            dpi: a.dpi,
            ..Default::default()
        };
        let pages: Vec<usize> = (0..scene.pages.len()).collect();
        for round in pages.chunks(64) {
            let pictures = crate::parallel::map_chunks(round, threads, |_, chunk| {
                chunk
                    .iter()
                    .map(|&i| png::page_png(scene, i, &options))
                    .collect()
            });
            for (&i, bytes) in round.iter().zip(pictures) {
                commit.stage("--preview file", &preview_paths[i], &bytes)?;
            }
        }
        commit.finish()
    })();
    if result.is_ok() {
        made.keep();
    }
    result
}

/// Where each envelope's PNG goes: `DIR/envelope-001.png`, … (more digits
/// past 999), after checking the resolution.
fn preview_paths(scene: &Scene, dir: &Path, dpi: u32) -> Result<Vec<PathBuf>, Error> {
    if let Some(first) = scene.pages.first() {
        png::check_size(first, dpi)?;
    }
    let digits = scene.pages.len().to_string().len().max(3);
    Ok((1..=scene.pages.len())
        .map(|i| dir.join(format!("envelope-{i:0digits$}.png")))
        .collect())
}
