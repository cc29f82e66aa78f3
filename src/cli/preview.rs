//! `stationer preview`: a card as a PNG picture, for a look before printing.

use super::design_for;
use crate::diag::Result;
use crate::export::png::{self, Background, PngOptions};
use crate::input::load_note;
use crate::io::{Commit, Plan};
use crate::layout::layout_card;
use clap::Args;
use std::path::PathBuf;

/// The long help of `stationer preview`.
pub(crate) const LONG_ABOUT: &str = "\
Draw a card as a PNG picture, to look at before spending card stock.

The picture is made from the same layout as the PDF: the same lines at the
same places, anti-aliased, covering the whole page (bleed included). Guides
that never print can be drawn over it, and a scan or photo of pre-printed
stationery can be laid under the text. The PNG is written whole or not at all.

Examples:
  stationer preview samples/note.toml -o card.png
  stationer preview samples/note.toml -o card.png --guides --dpi 200
  stationer preview samples/note.toml -o card.png --background scan.jpg
  stationer preview samples/template.toml --data samples/recipients.csv -o sheet.png";

// Arguments of `stationer preview` (a plain comment: clap would make a doc
// comment the description of the subcommand, which `Command` defers).
#[derive(Args, Debug)]
pub(crate) struct PreviewArgs {
    /// The note (TOML: greeting, body, closing, signer, optional layout; `-`: standard input).
    note: PathBuf,
    /// Where to write the PNG (`-`: standard output).
    #[arg(short, long, value_name = "CARD.png")]
    output: PathBuf,
    /// A bundled design's name (see `stationer layouts`) or a design file; overrides the note's `layout`.
    #[arg(long, value_name = "NAME|FILE")]
    layout: Option<String>,
    /// Resolution in dots per inch, 10 to 1200.
    #[arg(long, value_name = "N", default_value_t = png::DEFAULT_DPI,
          value_parser = clap::value_parser!(u32).range(png::MIN_DPI as i64..=png::MAX_DPI as i64))]
    dpi: u32,
    /// Draw guides that never print: trim edge (magenta), bleed edge (cyan), text area (dashed
    /// green), body box (blue) and the signature area (shaded orange, labelled).
    #[arg(long)]
    guides: bool,
    /// A scan or photo of pre-printed stationery (PNG or JPEG), stretched to the card's trim
    /// and drawn under the text. Preview only: it never prints.
    #[arg(long, value_name = "IMAGE")]
    background: Option<PathBuf>,
    /// Draw a contact sheet of a whole batch instead: every recipient's card
    /// as a labelled thumbnail, cards that do not fit marked in red (`-`:
    /// the list from standard input).
    #[arg(long, value_name = "RECIPIENTS.csv", conflicts_with_all = ["guides", "background"])]
    data: Option<PathBuf>,
    /// Keep running: draw again whenever the note or its design file changes
    /// (errors are printed, and watching goes on).
    #[arg(long)]
    watch: bool,
}

/// Runs `stationer preview` (again on each change, with `--watch`).
pub(crate) fn run(args: PreviewArgs) -> Result<()> {
    if args.watch {
        let mut more: Vec<PathBuf> = args.background.iter().cloned().collect();
        more.extend(args.data.iter().cloned());
        let layout = args.layout.clone();
        return super::extra::watch(&args.note, layout.as_deref(), &more, &args.output, || {
            draw(&args)
        });
    }
    draw(&args)
}

fn draw(args: &PreviewArgs) -> Result<()> {
    let mut plan = Plan::new();
    plan.input("the note", &args.note);
    super::plan_design(&mut plan, args.layout.as_deref());
    if let Some(data) = &args.data {
        plan.input("the recipient list", data);
    }
    if let Some(bg) = &args.background {
        plan.input("the background", bg);
    }
    plan.output("-o", &args.output);
    let mut commit = Commit::new(plan)?;
    if let Some(data) = &args.data {
        let png = super::contact::run(&args.note, args.layout.as_deref(), data, args.dpi)?;
        commit.stage("-o", &args.output, &png)?;
        return commit.finish();
    }
    let note = load_note(&args.note)?;
    crate::batch::merge::refuse_unfilled(&note)?;
    let design = design_for(&note, args.layout.as_deref())?;
    let card = layout_card(&note, &design)?;
    png::check_size(&card.scene.pages[0], args.dpi)?;
    let background = args
        .background
        .as_deref()
        .map(Background::load)
        .transpose()?;
    let options = PngOptions {
        dpi: args.dpi,
        guides: args.guides,
        background,
    };
    commit.stage("-o", &args.output, &png::page_png(&card.scene, 0, &options))?;
    commit.finish()
}
