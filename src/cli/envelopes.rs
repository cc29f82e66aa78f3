//! `stationer envelopes`: the matching envelope for each card of a batch.

use crate::batch::merge::read_csv;
use crate::diag::{Diagnostic, Error};
use crate::envelope::{
    card_fits, card_size, make_envelopes, matching_size, parse_size, postal_warnings,
    read_return_address, EnvelopeOptions, DEFAULT_CITY_LINE,
};
use crate::input::bundled as layouts;
use crate::input::design::FontChoice;
use crate::io::{Commit, Plan};
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
city line is \"{city}, {region} {postcode}\" unless --city-line says otherwise;
the country is printed in capitals unless it is the return address's country.
The return address (a TOML file with the same keys) goes at the top left, the
recipient slightly right of and below the middle, clear of the stamp area at
the top right and of the strip along the bottom kept for sorting barcodes.

The size is --size, or the envelope that takes --layout's card, or US A2.
Sizes outside US letter-mail limits are made, with a warning.

Examples:
  stationer envelopes --data samples/addresses.csv -o envelopes.pdf \\
      --return-address samples/return.toml --column name=full_name
  stationer envelopes --data list.csv -o envelopes.pdf --layout portrait-a6      # C6 envelopes
  stationer envelopes --data list.csv -o envelopes.pdf --column name=full_name --city-line \"{postcode} {city}\"";

/// Arguments of `stationer envelopes`.
#[derive(Args, Debug)]
pub(crate) struct EnvelopesArgs {
    /// The recipient list (CSV with a header row).
    #[arg(long, value_name = "RECIPIENTS.csv")]
    data: PathBuf,
    /// Where to write the PDF.
    #[arg(short, long, value_name = "ENVELOPES.pdf")]
    output: PathBuf,
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
    /// The city line, from {city}, {region} and {postcode}; empty parts close up.
    #[arg(long, value_name = "TEMPLATE", default_value = DEFAULT_CITY_LINE)]
    city_line: String,
}

/// Runs `stationer envelopes`.
pub(crate) fn run(a: EnvelopesArgs) -> Result<(), Error> {
    let mut plan = Plan::new();
    plan.input("the recipient list", &a.data);
    if let Some(r) = &a.return_address {
        plan.input("the return address", r);
    }
    super::plan_design(&mut plan, a.layout.as_deref());
    plan.output("-o", &a.output);
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
        (Some(s), _) => parse_size(s).map_err(Diagnostic::new)?,
        (None, Some(d)) => matching_size(d)?,
        (None, None) => parse_size("us-a2").map_err(Diagnostic::new)?,
    };
    let fonts = match &design {
        Some(d) => FontSet::load(&d.font, &d.source.display_path())?,
        None => FontSet::load(&FontChoice::Bundled("caladea".into()), Path::new(""))?,
    };
    let return_address = a
        .return_address
        .as_deref()
        .map(read_return_address)
        .transpose()?;
    let recipients = read_csv(&a.data)?;
    let options = EnvelopeOptions {
        size,
        columns,
        city_line: a.city_line,
        return_address,
        color: design
            .as_ref()
            .map_or(crate::input::design::Rgb::INK, |d| d.color),
    };
    let envelopes = make_envelopes(&recipients, &fonts, &options)?;
    for w in postal_warnings(&options.size) {
        eprintln!("warning: {w}");
    }
    if let Some(d) = &design {
        if !card_fits(d, &options.size) {
            let (long, short) = card_size(d);
            eprintln!(
                "warning: a {} x {} in card does not fit a {} envelope with 1/8 in to spare",
                round2(long / 72.0),
                round2(short / 72.0),
                options.size.name
            );
        }
    }
    commit.stage("-o", &a.output, &envelopes.pdf)?;
    commit.finish()
}

fn round2(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}
