//! Batch: one card per recipient, every row merged and fitted before
//! anything is written, laid out on all cores with the one stage chain
//! ([`crate::layout::lay_out`]), streamed into one PDF (optionally imposed
//! on sheets) and, on request, one PDF per recipient; and contact sheets of
//! a whole batch ([`proof`]).

pub mod impose;
pub mod merge;
pub mod proof;

pub use proof::{contact_sheet, contact_sheet_page, proofs, Proof, MAX_SHEET_CARDS};

use crate::batch::impose::{place_card, Duplex, Imposition};
use crate::batch::merge::{Recipients, Row, Template};
use crate::diag::{Diagnostic, Error, Result};
use crate::export::pdf::{PdfOptions, PdfWriter};
use crate::export::report::{card_report, CardReport, Report, SkippedReport};
use crate::input::design::Style;
use crate::input::{Design, Note};
use crate::layout;
use crate::parallel::{self, map_chunks, map_chunks_with};
use crate::scene::{Page, Transform};
use crate::template;
use crate::text::shape::WordCache;
use crate::text::{FontSet, Shaper};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

/// Cards laid out per round; each round's pages are written and dropped
/// before the next, so memory does not grow with the number of cards.
const ROUND: usize = 256;

/// The most cards one run makes unless [`BatchOptions::max_cards`] is raised.
pub const DEFAULT_MAX_CARDS: usize = 20_000;

/// What to make of a batch.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    /// Impose on sheets of this size (points); `None`: one card per page.
    pub sheet: Option<(f32, f32)>,
    /// Cards across and down; computed when `None`.
    pub grid: Option<(usize, usize)>,
    /// Space between cards on a sheet, in points (default 0).
    pub gutter: f32,
    /// Crop marks outside the trim (sheets only).
    pub crop_marks: bool,
    /// Print both sides (folded designs): how the printer turns the sheet.
    pub duplex: Option<Duplex>,
    /// Start at this card (1-based, after copies are counted; default 1).
    pub from: usize,
    /// Leave this many positions of the first sheet empty (default 0).
    pub skip: usize,
    /// A column holding how many copies of each row to make.
    pub copies_column: Option<String>,
    /// Refuse more cards than this.
    pub max_cards: usize,
    /// Threads to lay out on; 0 for one per core.
    pub threads: usize,
    /// Write the combined PDF (false: only check).
    pub write: bool,
    /// Also make one PDF per card, named from this template.
    pub split_name: Option<String>,
    /// Transforms for the pages of the combined PDF, given on the sheet as
    /// shown (see [`Transform::on_page`]): odd pages, then even pages (the
    /// backs of two-sided sheets). A printer's correction; default none.
    pub sheet_transforms: Option<(Transform, Transform)>,
    /// How to write the PDFs: a standard, dates (default: plain PDF).
    pub pdf_options: PdfOptions,
    /// Make every card that can be made and list the rows that cannot in
    /// [`BatchOutput::skipped`] (default false: any problem stops the batch).
    pub keep_going: bool,
    /// Only these rows (CSV data rows, 1-based, inclusive ranges; see
    /// [`parse_rows`]); `None`: every row.
    pub rows: Option<Vec<(usize, usize)>>,
    /// Whether to report every card's lines and boxes in
    /// [`BatchOutput::report`] (default true; without, a batch's memory
    /// does not grow with its cards' text).
    pub report: bool,
    /// A check of every page as it will print, its transform applied (a
    /// printer's preflight); what it finds is in
    /// [`BatchOutput::preflight`]. Default none.
    pub page_check: Option<PageCheck>,
}

/// A check of a page as it will print: given the fonts its text runs use
/// and the page (with the printer's transform), what is wrong with it.
#[derive(Clone)]
pub struct PageCheck(pub Arc<PageCheckFn>);

/// The function inside a [`PageCheck`].
pub type PageCheckFn = dyn Fn(&[Arc<crate::text::Font>], &Page) -> Vec<Diagnostic> + Send + Sync;

impl std::fmt::Debug for PageCheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PageCheck(..)")
    }
}

/// How many different findings of the page check are kept: a thousand
/// cards moved off the card by one profile say the same a thousand times.
const CHECKS_KEPT: usize = 6;

impl Default for BatchOptions {
    fn default() -> Self {
        BatchOptions {
            sheet: None,
            grid: None,
            gutter: 0.0,
            crop_marks: false,
            duplex: None,
            from: 1,
            skip: 0,
            copies_column: None,
            max_cards: DEFAULT_MAX_CARDS,
            threads: 0,
            write: true,
            split_name: None,
            sheet_transforms: None,
            pdf_options: PdfOptions::default(),
            keep_going: false,
            rows: None,
            report: true,
            page_check: None,
        }
    }
}

/// What became of one card.
#[derive(Debug, Clone)]
pub struct CardInfo {
    /// The recipient's row number.
    pub row: usize,
    /// Which copy of the row (1-based).
    pub copy: usize,
    /// The body size chosen.
    pub size: f32,
    /// Lines of text (greeting, body, closing).
    pub lines: usize,
    /// How full the space above the signature area is (1.0 full).
    pub fullness: f32,
}

/// A finished batch.
#[derive(Debug)]
pub struct BatchOutput {
    /// The combined PDF (when asked to write, and not to a sink: see
    /// [`run_batch_into`]).
    pub pdf: Option<Vec<u8>>,
    /// One entry per card, in output order.
    pub report: Report,
    /// Every card, in output order.
    pub cards: Vec<CardInfo>,
    /// One PDF per card: file name and bytes (with `split_name`).
    pub split: Vec<(String, Vec<u8>)>,
    /// Things the user should know that did not stop the batch (each a
    /// [`crate::diag::Severity::Warning`]); the library never prints them.
    pub warnings: Vec<Diagnostic>,
    /// With [`BatchOptions::keep_going`]: the rows that made no card, in row
    /// order, each with its problems (also in the report's `skipped`).
    pub skipped: Vec<Skipped>,
    /// What [`BatchOptions::page_check`] found, errors and warnings, each
    /// naming its page: the first few different findings, then how many
    /// pages had more.
    pub preflight: Vec<Diagnostic>,
}

/// A row that made no card (with [`BatchOptions::keep_going`]).
#[derive(Debug, Clone)]
pub struct Skipped {
    /// The CSV data row (1-based).
    pub row: usize,
    /// Why: every problem found in the row.
    pub problems: Vec<Diagnostic>,
}

impl Skipped {
    /// The reason in one line: the problems' messages joined by "; "
    /// (without a leading "row N: ", which the row says).
    pub fn reason(&self) -> String {
        let prefix = format!("row {}: ", self.row);
        self.problems
            .iter()
            .map(|d| d.message.strip_prefix(&prefix).unwrap_or(&d.message))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// Parses a row selection such as `3,7-9` (CSV data rows, 1-based; the
/// header is not a row) into inclusive ranges.
pub fn parse_rows(s: &str) -> Result<Vec<(usize, usize)>> {
    let bad = |part: &str| -> Error {
        Diagnostic::for_option(
            "rows",
            format!("\"{part}\" is not a row number or a range of rows"),
        )
        .hint("give data row numbers counted from 1 (the header is not a row), e.g. 3,7-9")
        .into()
    };
    let mut ranges = Vec::new();
    for part in s.split(',').map(str::trim) {
        let num = |t: &str| t.trim().parse::<usize>().ok().filter(|&n| n >= 1);
        let range = match part.split_once('-') {
            Some((a, b)) => match (num(a), num(b)) {
                (Some(a), Some(b)) if a <= b => (a, b),
                _ => return Err(bad(part)),
            },
            None => match num(part) {
                Some(n) => (n, n),
                None => return Err(bad(part)),
            },
        };
        ranges.push(range);
    }
    Ok(ranges)
}

/// One card to make: a recipient's row, its merged note when the survey
/// kept it (else merged again when the card is made, so that a batch never
/// holds more than [`KEPT_NOTES_BYTES`] of merged notes), which copy, and
/// its split file's name.
struct Job<'r> {
    row: &'r Row,
    note: Option<Arc<Note>>,
    copy: usize,
    split_name: Option<String>,
}

/// How much merged text the survey keeps for the cards, on all threads:
/// all of W1's 1,000 notes (0.50 MB), 4,228 of 10,000 such notes. Each note
/// kept saves merging it again; past this, memory stays flat.
const KEPT_NOTES_BYTES: usize = 2 << 20;

/// The text a merged note holds, in bytes (what keeping it costs).
fn note_bytes(note: &Note) -> usize {
    note.fields().map(|(_, f)| f.text.len()).sum()
}

/// What a batch learns of its notes when it first merges every row: the
/// problems, and the characters, words and signers of those that merge.
#[derive(Default)]
struct Survey {
    /// Per row, in order: its merged note when kept, or its problems.
    merged: Vec<std::result::Result<Option<Arc<Note>>, Error>>,
    notes: NoteSurvey,
}

/// The characters, words and signers of notes, each once.
#[derive(Default)]
pub(crate) struct NoteSurvey {
    /// The characters below U+10000, a bit each; the others in `astral`.
    bmp: Vec<u64>,
    astral: BTreeSet<char>,
    /// Per block style and hyphenation, the words to shape.
    words: rustc_hash::FxHashMap<(Style, bool), rustc_hash::FxHashSet<String>>,
    signers: BTreeSet<String>,
}

impl NoteSurvey {
    /// Takes in a note's characters, words and signer.
    pub(crate) fn add(&mut self, note: &Note, design: &Design) {
        if self.bmp.is_empty() {
            self.bmp = vec![0; 1024];
        }
        for c in layout::note_text(note).chars() {
            let i = u32::from(c) as usize;
            if i < 0x10000 {
                self.bmp[i / 64] |= 1 << (i % 64);
            } else {
                self.astral.insert(c);
            }
        }
        for (style, hyphenate, block) in layout::words_to_shape(note, design) {
            let words = self.words.entry((style, hyphenate)).or_default();
            for w in block {
                if !words.contains(w) {
                    words.insert(w.to_string());
                }
            }
        }
        self.signers.insert(note.signer.text.trim().to_string());
    }

    /// Takes in another survey.
    pub(crate) fn extend(&mut self, other: NoteSurvey) {
        if self.bmp.is_empty() {
            self.bmp = other.bmp;
        } else {
            for (a, b) in self.bmp.iter_mut().zip(&other.bmp) {
                *a |= b;
            }
        }
        self.astral.extend(other.astral);
        for (key, set) in other.words {
            self.words.entry(key).or_default().extend(set);
        }
        self.signers.extend(other.signers);
    }

    /// Every character seen, in order, as text.
    fn text(&self) -> String {
        let bmp = self.bmp.iter().enumerate().flat_map(|(k, &bits)| {
            (0..64)
                .filter(move |b| bits & (1u64 << b) != 0)
                .filter_map(move |b| char::from_u32((k * 64 + b) as u32))
        });
        bmp.chain(self.astral.iter().copied()).collect()
    }
}

/// Makes a batch: merges every row, lays out every card (reporting every
/// problem, by row, before anything is made), then builds the output.
/// `progress` is called with the number of cards laid out so far.
pub fn run_batch(
    note: &Note,
    design: &Design,
    recipients: &Recipients,
    options: &BatchOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<BatchOutput> {
    batch(note, design, recipients, options, progress, None)
}

/// [`run_batch`], the combined PDF written to `sink` as it is made (a
/// temporary file, say: thousands of cards are never held in memory);
/// [`BatchOutput::pdf`] is then `None`. On an error, what `sink` holds is
/// not a PDF: throw it away.
pub fn run_batch_into(
    note: &Note,
    design: &Design,
    recipients: &Recipients,
    options: &BatchOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
    sink: &mut dyn std::io::Write,
) -> Result<BatchOutput> {
    batch(note, design, recipients, options, progress, Some(sink))
}

fn batch(
    note: &Note,
    design: &Design,
    recipients: &Recipients,
    options: &BatchOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
    sink: Option<&mut dyn std::io::Write>,
) -> Result<BatchOutput> {
    let template = Template::new(note, recipients)?;
    let mut warnings = Vec::new();
    if template.is_literal() && recipients.rows.len() > 1 {
        warnings.push(
            Diagnostic::at(
                crate::diag::Place::file(&note.path),
                format!(
                    "the note has no placeholders: all {} cards will be the same",
                    recipients.rows.len()
                ),
            )
            .hint(format!(
                "put {{column}} placeholders in the note's text, e.g. Dear {{{}}}, (columns: {})",
                crate::diag::escape(&recipients.headers[0], crate::diag::QUOTE_MAX_CHARS),
                crate::diag::list(recipients.headers.iter().map(|h| h.as_str()), 12)
            ))
            .warning(),
        );
    }
    let copies_col = match &options.copies_column {
        Some(name) => Some(recipients.column(name).ok_or_else(|| {
            Diagnostic::for_option(
                "copies_column",
                format!(
                    "{} has no column {}",
                    crate::diag::path(&recipients.path),
                    crate::diag::quote(name)
                ),
            )
            .hint(
                match crate::diag::closest(name, recipients.headers.iter().map(String::as_str)) {
                    Some(near) => format!(
                        "did you mean {}? columns: {}",
                        crate::diag::quote(near),
                        crate::diag::list(recipients.headers.iter().map(|h| h.as_str()), 12)
                    ),
                    None => format!(
                        "columns: {}",
                        crate::diag::list(recipients.headers.iter().map(|h| h.as_str()), 12)
                    ),
                },
            )
        })?),
        None => None,
    };
    if options.duplex.is_some() && design.fold.is_none() {
        return Err(Diagnostic::for_option(
            "duplex",
            "is for folded designs: a flat card has nothing to print on its back",
        )
        .hint("choose a folded design (stationer layouts), or print on one side")
        .into());
    }
    let names = SplitNames::new(options.split_name.as_deref(), recipients)?;

    if let Some(ranges) = &options.rows {
        let last = recipients.rows.len();
        if let Some(&(_, b)) = ranges.iter().find(|&&(_, b)| b > last) {
            // About what the list holds (its place is the list), not a
            // mistake in the option's value.
            let mut d = Diagnostic::for_option(
                "rows",
                format!("there is no row {b}: it has {last} rows (data rows, numbered from 1)"),
            );
            d.place = Some(crate::diag::Place::file(&recipients.path));
            return Err(d.into());
        }
    }
    let selected = |row: usize| {
        options
            .rows
            .as_ref()
            .is_none_or(|r| r.iter().any(|&(a, b)| (a..=b).contains(&row)))
    };
    // The number of cards, counted before any is merged or named: a list
    // asking for millions of copies is refused without the work.
    let planned: usize = match copies_col {
        Some(c) => recipients
            .rows
            .iter()
            .filter(|r| selected(r.number))
            .map(|r| recipients.copies(r, c).unwrap_or(0))
            .sum(),
        None => recipients
            .rows
            .iter()
            .filter(|r| selected(r.number))
            .count(),
    };
    let planned = planned.saturating_sub(options.from.saturating_sub(1));
    if planned > options.max_cards {
        return Err(too_many_cards(planned, options.max_cards).into());
    }

    // Merge every row (on all threads; the rows keep their order), keeping
    // only what the batch needs of each note before any card is made.
    let rows: Vec<&Row> = recipients
        .rows
        .iter()
        .filter(|r| selected(r.number))
        .collect();
    let threads = parallel::threads(options.threads);
    let chunks = parallel::chunk_count(rows.len(), threads);
    let surveys = map_chunks(&rows, threads, |_, chunk| {
        let mut survey = Survey::default();
        let mut budget = KEPT_NOTES_BYTES / chunks;
        for row in chunk {
            let merged = template.merge(recipients, row).map(|note| {
                survey.notes.add(&note, design);
                let bytes = note_bytes(&note);
                (bytes <= budget).then(|| {
                    budget -= bytes;
                    Arc::new(note)
                })
            });
            survey.merged.push(merged);
        }
        vec![survey]
    });
    let mut survey = Survey::default();
    for s in surveys {
        survey.merged.extend(s.merged);
        survey.notes.extend(s.notes);
    }
    let mut problems: Vec<Diagnostic> = Vec::new();
    let mut jobs = Vec::new();
    let mut names = names;
    for (row, merged) in rows.into_iter().zip(survey.merged) {
        let copies = match recipients.copies_of(row, copies_col) {
            Ok(n) => n,
            Err(d) => {
                problems.push(d);
                continue;
            }
        };
        match merged {
            Ok(note) => {
                for copy in 1..=copies {
                    let split_name = names
                        .as_mut()
                        .map(|s| s.name(recipients, row, copy, copies));
                    jobs.push(Job {
                        row,
                        note: note.clone(),
                        copy,
                        split_name,
                    });
                }
            }
            Err(e) => problems.extend(e.0),
        }
    }
    if options.from == 0 || (options.from > 1 && options.from > jobs.len()) {
        return Err(Diagnostic::for_option(
            "from",
            format!(
                "there is no card {}: the batch has {} cards (numbered from 1)",
                options.from,
                jobs.len()
            ),
        )
        .into());
    }
    jobs.drain(..options.from - 1);
    if jobs.len() > options.max_cards {
        return Err(too_many_cards(jobs.len(), options.max_cards).into());
    }

    let fonts = faces_for(&survey.notes, design)?;
    let cache = shape_words(&survey.notes, note, &fonts, threads);

    let imposition = match options.sheet {
        Some(sheet) => Some(Imposition {
            fold: design.fold,
            ..Imposition::plan(
                sheet,
                (design.width.0, design.height.0),
                options.grid,
                options.gutter,
                options.crop_marks,
            )?
        }),
        None => None,
    };
    if let Some(imp) = &imposition {
        if options.skip >= imp.per_sheet() {
            return Err(Diagnostic::for_option(
                "skip",
                format!(
                    "cannot leave {} positions empty: a sheet holds {} cards",
                    options.skip,
                    imp.per_sheet()
                ),
            )
            .into());
        }
    } else if options.skip > 0 {
        return Err(Diagnostic::for_option(
            "skip",
            "leaves positions of the first sheet empty, but the cards are not imposed on sheets",
        )
        .hint("give a sheet to impose the cards on, or skip no positions")
        .into());
    }

    // A folded card printed on both sides gets its front on the outside.
    let front = options
        .duplex
        .and_then(|_| layout::front::front_design(design));
    let title = format!("Thank-you notes ({} cards)", jobs.len());
    // The author is the signer, when every card has the same one.
    let author = match survey.notes.signers.len() {
        1 => survey.notes.signers.pop_first().unwrap_or_default(),
        _ => String::new(),
    };
    let mut out = Output {
        writer: options.write.then(|| {
            let mut w = match sink {
                Some(sink) => PdfWriter::streaming(&fonts.fonts, &title, sink),
                None => PdfWriter::new(&fonts.fonts, &title),
            };
            w.set_options(options.pdf_options);
            w.set_author(&author);
            w.set_duplex(options.duplex.map(Duplex::flip));
            w
        }),
        sheet_transforms: options.sheet_transforms,
        page_check: options.page_check.clone(),
        checked: Vec::new(),
        unkept: BTreeSet::new(),
        fonts: &fonts,
        imposition,
        duplex: options.duplex,
        folded: design.fold.is_some(),
        sheet: None,
        slot: options.skip,
        pages: 0,
        pending: Vec::new(),
        threads,
        report: Vec::new(),
        reporting: options.report,
        split: Vec::new(),
    };
    let mut cards = Vec::new();
    let total = jobs.len();
    let mut done = 0;
    let merging = Merging {
        template: &template,
        recipients,
    };
    for round in jobs.chunks(ROUND) {
        let pages = lay_out_with_outside(
            &merging,
            round,
            design,
            front.as_ref(),
            &fonts,
            &cache,
            threads,
        );
        for (job, page) in round.iter().zip(pages) {
            match page {
                Ok((page, outside, info, titled)) => {
                    cards.push(CardInfo {
                        row: job.row.number,
                        copy: job.copy,
                        ..info
                    });
                    if problems.is_empty() || options.keep_going {
                        if let (Some(name), Some((title, signer))) = (&job.split_name, titled) {
                            // Titled as `render` titles it: a split card's PDF
                            // is the card rendered on its own.
                            let mut w = PdfWriter::new(&fonts.fonts, &title);
                            w.set_options(options.pdf_options);
                            w.set_author(&signer);
                            w.add_page(&page);
                            match w.try_finish() {
                                Ok(pdf) => out.split.push((name.clone(), pdf)),
                                Err(e) => problems.extend(e.0),
                            }
                        }
                        out.add(page, outside, (job.row.number, job.copy));
                    }
                }
                Err(e) => {
                    let row = job.row;
                    problems.extend(e.0.into_iter().map(|d| Diagnostic {
                        place: Some(recipients.place(row)),
                        message: format!("row {}: {}", row.number, d.message),
                        ..d
                    }));
                }
            }
        }
        out.flush_pages();
        done += round.len();
        progress(done, total);
        // Once the PDF's temporary file is made (at its first write), a
        // signal is acted on here; before, the handler ended the run.
        crate::io::stop_if_signalled();
    }
    let skipped = if options.keep_going {
        group_by_row(std::mem::take(&mut problems), recipients)
    } else {
        Vec::new()
    };
    if !problems.is_empty() || (cards.is_empty() && !skipped.is_empty()) {
        return Err(Error(
            problems
                .into_iter()
                .chain(skipped.into_iter().flat_map(|s| s.problems))
                .collect(),
        ));
    }
    let (pdf, report, split, preflight) = out.finish()?;
    Ok(BatchOutput {
        pdf,
        report: Report {
            cards: report,
            skipped: options.keep_going.then(|| {
                skipped
                    .iter()
                    .map(|s| SkippedReport {
                        row: s.row,
                        reason: s.reason(),
                    })
                    .collect()
            }),
        },
        cards,
        split,
        warnings,
        skipped,
        preflight,
    })
}

/// Problems grouped by the row they are about (read from the place's line),
/// in row order; copies of one row say the same, so each is kept once. A
/// problem of no row is under row 0.
pub fn group_by_row(problems: Vec<Diagnostic>, recipients: &Recipients) -> Vec<Skipped> {
    let mut rows: std::collections::BTreeMap<usize, Vec<Diagnostic>> = Default::default();
    for d in problems {
        let line = d.place.as_ref().and_then(|p| p.line);
        let row = recipients
            .rows
            .iter()
            .find(|r| Some(r.line as usize) == line)
            .map_or(0, |r| r.number);
        let list = rows.entry(row).or_default();
        if !list.iter().any(|x| x.message == d.message) {
            list.push(d);
        }
    }
    rows.into_iter()
        .map(|(row, problems)| Skipped { row, problems })
        .collect()
}

/// Shapes every distinct word of the batch once, on all threads.
/// The design's faces with the fallback faces the batch's notes need.
/// Shapes every distinct word of the notes, once, on all threads, each in
/// the face it is set in first.
fn shape_words(notes: &NoteSurvey, note: &Note, fonts: &FontSet, threads: usize) -> WordCache {
    let mut words: Vec<(usize, bool, &str)> = notes
        .words
        .iter()
        .flat_map(|(&(style, hyphenate), set)| {
            set.iter()
                .map(move |w| (layout::face_of_word(fonts, style, w), hyphenate, w.as_str()))
        })
        .collect();
    words.sort_unstable();
    words.dedup();
    // Every card of a batch comes from one note, so one language.
    let lang = note.lang.clone();
    let new_shaper = || {
        let mut shaper = Shaper::new(&fonts.fonts);
        shaper.lang.clone_from(&lang);
        shaper
    };
    let caches = map_chunks_with(&words, threads, new_shaper, |shaper, _, chunk| {
        for &(font, hyphenate, w) in chunk {
            // A word the font cannot draw is reported with its row later.
            let _ = shaper.word(font, w, hyphenate);
        }
        vec![shaper.take_cache()]
    });
    caches.into_iter().collect()
}

/// How a card's note is made again from its row.
pub(crate) struct Merging<'a> {
    pub(crate) template: &'a Template,
    pub(crate) recipients: &'a Recipients,
}

/// Lays out a round of cards on `threads` threads with the one stage chain
/// ([`layout::lay_out`]), each card's note the survey's (when it kept it) or
/// merged again from its row, each thread's shaper reading the batch's word
/// cache; results in job order.
fn lay_out_round(
    merging: &Merging,
    jobs: &[Job],
    design: &Design,
    fonts: &FontSet,
    cache: &WordCache,
    threads: usize,
) -> Vec<Result<(Page, CardInfo)>> {
    lay_out_with_outside(merging, jobs, design, None, fonts, cache, threads)
        .into_iter()
        .map(|r| r.map(|(page, _, info, _)| (page, info)))
        .collect()
}

/// A card laid out: its page, its outside (a folded card printed on both
/// sides, when the design has a front), what became of it, and for a card
/// with a split file its title and signer.
type Laid = (Page, Option<Page>, CardInfo, Option<(String, String)>);

/// [`lay_out_round`], with each card's outside page drawn from `front`
/// (see [`layout::front::front_design`]).
fn lay_out_with_outside(
    merging: &Merging,
    jobs: &[Job],
    design: &Design,
    front: Option<&Design>,
    fonts: &FontSet,
    cache: &WordCache,
    threads: usize,
) -> Vec<Result<Laid>> {
    let new_shaper = || Shaper::with_shared(&fonts.fonts, cache);
    map_chunks_with(jobs, threads, new_shaper, |shaper, _, chunk| {
        chunk
            .iter()
            .map(|job| {
                let merged;
                let note = match &job.note {
                    Some(note) => note.as_ref(),
                    None => {
                        merged = merging.template.merge(merging.recipients, job.row)?;
                        &merged
                    }
                };
                let (page, fitted) = layout::lay_out(note, design, fonts, shaper)?;
                let outside = front
                    .map(|f| layout::front::outside_page(note, f, fonts, shaper))
                    .transpose()?;
                let lines = fitted
                    .lines
                    .iter()
                    .filter(|l| l.role != crate::scene::Role::Signer)
                    .count();
                let titled = job.split_name.as_ref().map(|_| {
                    (
                        layout::card_title(note),
                        note.signer.text.trim().to_string(),
                    )
                });
                Ok((
                    page,
                    outside,
                    CardInfo {
                        row: job.row.number,
                        copy: job.copy,
                        size: fitted.size,
                        lines,
                        fullness: fitted.fullness,
                    },
                    titled,
                ))
            })
            .collect()
    })
}

/// The faces for a batch of these notes (their characters decide).
fn faces_for(notes: &NoteSurvey, design: &Design) -> Result<FontSet> {
    let text = notes.text();
    FontSet::load_for(
        &design.font,
        &design.source.display_path(),
        &design.font_sources,
        &text,
    )
}

/// What a batch's output holds once finished: the PDF, the report and the
/// split files.
type Finished = (
    Option<Vec<u8>>,
    Vec<CardReport>,
    Vec<SplitFile>,
    Vec<Diagnostic>,
);

/// Where finished card pages go: straight into the PDF, or onto sheets.
struct Output<'a> {
    writer: Option<PdfWriter<'a>>,
    fonts: &'a FontSet,
    imposition: Option<Imposition>,
    duplex: Option<Duplex>,
    folded: bool,
    /// The sheet being filled: (front, back).
    sheet: Option<(Page, Option<Page>)>,
    slot: usize,
    /// Pages made so far.
    pages: usize,
    /// Pages waiting to be written, a round at a time.
    pending: Vec<Page>,
    threads: usize,
    report: Vec<CardReport>,
    /// Whether cards are reported ([`BatchOptions::report`]).
    reporting: bool,
    split: Vec<SplitFile>,
    sheet_transforms: Option<(Transform, Transform)>,
    page_check: Option<PageCheck>,
    /// What the page check found: kept findings, and the pages with more.
    checked: Vec<Diagnostic>,
    unkept: BTreeSet<usize>,
}

/// One card's own PDF: file name and bytes.
type SplitFile = (String, Vec<u8>);

impl Output<'_> {
    fn add(&mut self, card: Page, outside: Option<Page>, (row, copy): (usize, usize)) {
        let traced = |c: CardReport| CardReport {
            row: Some(row),
            copy: Some(copy),
            ..c
        };
        match self.imposition {
            None => {
                // One card per page; a folded card printed duplex has its
                // outside first and the message inside, on the back.
                let (w, h) = (card.width, card.height);
                let page_no = self.pages + if self.duplex.is_some() { 2 } else { 1 };
                let rotate = match self.duplex {
                    Some(d) if d.back_turned(w, h) => 180,
                    _ => 0,
                };
                if self.reporting {
                    self.report.extend(
                        card_report(&self.fonts.fonts, &card, page_no, None)
                            .map(|c| traced(c).turned(rotate, None)),
                    );
                }
                match self.duplex {
                    Some(d) => {
                        let mut blank = Page::blank(w, h);
                        blank.fold_line = card.fold_line;
                        self.write(outside.unwrap_or(blank));
                        let mut back = card;
                        back.rotate = if d.back_turned(w, h) { 180 } else { 0 };
                        self.write(back);
                    }
                    None => self.write(card),
                }
            }
            Some(imp) => {
                if self.sheet.is_none() {
                    let back = self.duplex.map(|d| {
                        let mut b = Page::blank(imp.sheet_w, imp.sheet_h);
                        b.rotate = if d.back_turned(imp.sheet_w, imp.sheet_h) {
                            180
                        } else {
                            0
                        };
                        b
                    });
                    self.sheet = Some((imp.sheet(), back));
                }
                let (front, back) = self.sheet.as_mut().expect("sheet just made");
                // On the back, the card behind slot (c, r) is at (cols-1-c, r).
                let (slot, page_no) = match back {
                    Some(_) => {
                        let (c, r) = (self.slot % imp.cols, self.slot / imp.cols);
                        (r * imp.cols + (imp.cols - 1 - c), self.pages + 2)
                    }
                    None => (self.slot, self.pages + 1),
                };
                let offset = imp.slot(slot);
                let on_back = back.is_some() && self.folded;
                if let (Some(outside), true) = (&outside, on_back) {
                    // The outside goes on the front, behind its inside.
                    place_card(front, outside, imp.slot(self.slot));
                }
                let target = match back {
                    Some(b) if self.folded => b,
                    _ => front,
                };
                place_card(target, &card, offset);
                // Reported on the sheet as shown (a turned back included).
                let rotate = target.rotate;
                if self.reporting {
                    self.report.extend(
                        card_report(&self.fonts.fonts, &card, page_no, Some((page_no, offset)))
                            .map(|c| traced(c).turned(rotate, Some((imp.sheet_w, imp.sheet_h)))),
                    );
                }
                self.slot += 1;
                if self.slot == imp.per_sheet() {
                    self.flush_sheet();
                }
            }
        }
    }

    fn flush_sheet(&mut self) {
        if let Some((front, back)) = self.sheet.take() {
            self.write(front);
            if let Some(back) = back {
                self.write(back);
            }
        }
        self.slot = 0;
    }

    fn write(&mut self, mut page: Page) {
        if let Some((odd, even)) = self.sheet_transforms {
            let t = if self.pages.is_multiple_of(2) {
                odd
            } else {
                even
            };
            page.transform = Some(t.on_page(&page));
        }
        self.pages += 1;
        if let Some(check) = &self.page_check {
            for d in (check.0)(&self.fonts.fonts, &page) {
                let seen = self
                    .checked
                    .iter()
                    .any(|c| c.severity == d.severity && c.message.ends_with(&d.message));
                if seen || self.checked.len() >= CHECKS_KEPT {
                    self.unkept.insert(self.pages);
                } else {
                    self.checked.push(Diagnostic {
                        message: format!("page {}: {}", self.pages, d.message),
                        ..d
                    });
                }
            }
        }
        if self.writer.is_some() {
            self.pending.push(page);
        }
    }

    /// Writes the pages made so far into the PDF.
    fn flush_pages(&mut self) {
        if let Some(w) = &mut self.writer {
            w.add_pages(&self.pending, self.threads);
        }
        self.pending.clear();
    }

    /// The PDF (or why it cannot meet the standard asked for), the report,
    /// the split files and what the page check found.
    fn finish(mut self) -> Result<Finished> {
        self.flush_sheet();
        self.flush_pages();
        let pdf = self
            .writer
            .map(PdfWriter::try_finish)
            .transpose()?
            .filter(|pdf| !pdf.is_empty());
        let mut checked = self.checked;
        if !self.unkept.is_empty() {
            let worst = checked
                .iter()
                .map(|d| d.severity)
                .find(|s| *s == crate::diag::Severity::Error)
                .unwrap_or(crate::diag::Severity::Warning);
            checked.push(Diagnostic {
                severity: worst,
                ..Diagnostic::new(format!(
                    "{} more {} the same or more (the first: page {})",
                    self.unkept.len(),
                    if self.unkept.len() == 1 {
                        "page says"
                    } else {
                        "pages say"
                    },
                    self.unkept.first().copied().unwrap_or_default()
                ))
            });
        }
        Ok((pdf, self.report, self.split, checked))
    }
}

/// File names for split files: from a template of `{column}` and `{row}`
/// placeholders (parsed by [`crate::template`], so `{name?}`,
/// `{name|default}` and `{{ }}` work as in the note), made safe for any file
/// system and unique within the batch. An empty value leaves its
/// placeholder empty: a file name is never a reason to stop a batch.
struct SplitNames {
    template: template::Template,
    width: usize,
    /// The stems given out, lower-cased.
    used: HashSet<String>,
    /// Per lower-cased stem, the next `-N` suffix to try.
    next: HashMap<String, usize>,
}

impl SplitNames {
    fn new(template: Option<&str>, recipients: &Recipients) -> Result<Option<SplitNames>> {
        let Some(source) = template else {
            return Ok(None);
        };
        let parsed = template::parse(source).map_err(|e| {
            Diagnostic::for_option(
                "split_name",
                format!("{} in {}", e.message, crate::diag::quote(source)),
            )
            .hint(e.hint)
        })?;
        // Check the placeholders now.
        for field in parsed.fields() {
            if field.name != "row" && recipients.column(&field.name).is_none() {
                return Err(Diagnostic::for_option(
                    "split_name",
                    format!(
                        "{} names no column",
                        crate::diag::escape(
                            &format!("{{{}}}", field.name),
                            crate::diag::QUOTE_MAX_CHARS
                        )
                    ),
                )
                .hint(format!(
                    "columns: row, {}",
                    crate::diag::list(recipients.headers.iter().map(|h| h.as_str()), 12)
                ))
                .into());
            }
        }
        Ok(Some(SplitNames {
            template: parsed,
            width: recipients
                .rows
                .last()
                .map_or(1, |r| r.number.to_string().len()),
            used: HashSet::new(),
            next: HashMap::new(),
        }))
    }

    fn name(
        &mut self,
        recipients: &Recipients,
        row: &crate::batch::merge::Row,
        copy: usize,
        copies: usize,
    ) -> String {
        let width = self.width;
        let mut name = self
            .template
            .fill(|field| match field.name.as_str() {
                "row" => format!("{:0width$}", row.number),
                key => recipients
                    .column(key)
                    .map_or_else(String::new, |c| row.values[c].clone()),
            })
            .text;
        if copies > 1 {
            name.push_str(&format!("-copy{copy}"));
        }
        let base = safe_file_stem(&name);
        // Names that differ only in case are one file on macOS and Windows.
        // Each stem remembers the next suffix to try, so that many equal
        // names cost one step each, not one per name before them.
        let key = base.to_lowercase();
        let mut candidate = base.clone();
        if self.used.contains(&key) {
            let mut n = self.next.get(&key).copied().unwrap_or(2);
            loop {
                candidate = with_suffix(&base, n);
                n += 1;
                if !self.used.contains(&candidate.to_lowercase()) {
                    break;
                }
            }
            self.next.insert(key, n);
        }
        self.used.insert(candidate.to_lowercase());
        format!("{candidate}.pdf")
    }
}

/// The refusal of a batch with more cards than the limit.
fn too_many_cards(cards: usize, max: usize) -> Diagnostic {
    Diagnostic::for_option(
        "max_cards",
        format!("the batch makes {cards} cards; the limit for one run is {max}"),
    )
    .hint("raise the limit, or split the recipient list")
}

/// A stem with a de-duplicating suffix `-N`, cut first so that the whole
/// stays within [`MAX_STEM_BYTES`].
fn with_suffix(base: &str, n: usize) -> String {
    let suffix = format!("-{n}");
    let mut cut = base.len().min(MAX_STEM_BYTES - suffix.len());
    while !base.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = base[..cut].trim_end_matches(['.', ' ']);
    format!("{head}{suffix}")
}

/// The longest split-file stem, in bytes (before `.pdf`).
pub const MAX_STEM_BYTES: usize = 100;

/// A file name stem safe on Linux, macOS and Windows: Unicode NFC (macOS
/// and Windows take the NFC and NFD forms of "Zé" as one name); control,
/// bidirectional and zero-width characters removed (no "\u{202e}FDP.exe");
/// no separators or reserved characters, no leading dots, no reserved device
/// names (CON, COM1, COM¹, LPT²…), not empty, at most [`MAX_STEM_BYTES`].
pub fn safe_file_stem(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    // Hidden characters go first: one between a letter and a combining
    // mark would leave the two to compose after NFC.
    let visible: String = name
        .chars()
        .filter(|&c| !crate::diag::is_hidden_char(c))
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c => c,
        })
        .collect();
    let mut s: String = visible.nfc().collect();
    s = s
        .trim_matches(|c: char| c == '.' || c.is_whitespace())
        .to_string();
    let mut cut = s.len().min(MAX_STEM_BYTES);
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    s.truncate(cut);
    let s = s.trim_end_matches(['.', ' ']).to_string();
    if s.is_empty() {
        return "card".to_string();
    }
    // Windows reserves these names with any extension, and ignores
    // trailing spaces before it ("CON .txt").
    let stem = s.split('.').next().unwrap_or("").trim_end().to_uppercase();
    let numbered = |prefix: &str| {
        stem.strip_prefix(prefix).is_some_and(|rest| {
            let mut chars = rest.chars();
            matches!(
                (chars.next(), chars.next()),
                (Some('0'..='9' | '¹' | '²' | '³'), None)
            )
        })
    };
    let reserved = matches!(
        stem.as_str(),
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$"
    ) || numbered("COM")
        || numbered("LPT");
    if reserved {
        let mut s = format!("_{s}");
        let mut cut = s.len().min(MAX_STEM_BYTES);
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
        s
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_stems_are_safe() {
        assert_eq!(safe_file_stem("../../x"), "_.._x");
        assert_eq!(safe_file_stem("/tmp/y"), "_tmp_y");
        assert_eq!(safe_file_stem("CON"), "_CON");
        assert_eq!(safe_file_stem("com1.txt"), "_com1.txt");
        assert_eq!(safe_file_stem(""), "card");
        assert_eq!(safe_file_stem(" .. "), "card");
        assert_eq!(safe_file_stem("Zoë Brontë"), "Zoë Brontë");
        assert!(safe_file_stem(&"é".repeat(80)).len() <= 100);
        // NFD becomes NFC; hidden characters go.
        assert_eq!(safe_file_stem("Ze\u{301}"), "Z\u{e9}");
        assert_eq!(safe_file_stem("\u{202e}FDP.exe"), "FDP.exe");
        assert_eq!(safe_file_stem("A\u{200b}n\u{feff}n\u{7}"), "Ann");
        // A hidden character between a letter and its mark: they compose.
        assert_eq!(safe_file_stem("Jo\u{16}\u{30c}"), "J\u{1d2}");
        for r in [
            "COM¹", "com²", "LPT³", "lpt0", "CON .txt", "conout$", "Aux.pdf",
        ] {
            assert!(safe_file_stem(r).starts_with('_'), "{r}");
        }
        assert_eq!(safe_file_stem("COM10"), "COM10");
        assert_eq!(safe_file_stem("Comet"), "Comet");
        assert!(safe_file_stem(&format!("CON.{}", "x".repeat(200))).len() <= MAX_STEM_BYTES);
    }

    #[test]
    fn twenty_thousand_equal_names_are_named_in_linear_time() {
        let mut csv = String::from("name\n");
        for i in 0..20_000 {
            // Case and normalisation differences are the same name.
            csv.push_str(["Zé\n", "ZÉ\n", "Ze\u{301}\n", "zé\n"][i % 4]);
        }
        let r =
            crate::batch::merge::parse_csv(std::path::Path::new("r.csv"), csv.as_bytes()).unwrap();
        let mut names = SplitNames::new(Some("{name}"), &r).unwrap().unwrap();
        let start = std::time::Instant::now();
        let all: Vec<String> = r.rows.iter().map(|row| names.name(&r, row, 1, 1)).collect();
        let took = start.elapsed();
        let distinct: HashSet<String> = all.iter().map(|n| n.to_lowercase()).collect();
        assert_eq!(distinct.len(), 20_000);
        assert_eq!(all[0], "Zé.pdf");
        assert_eq!(all[1], "ZÉ-2.pdf");
        assert_eq!(all[2], "Zé-3.pdf", "NFC");
        assert!(took.as_secs_f32() < 5.0, "{took:?}");
    }

    #[test]
    fn suffixes_keep_the_byte_limit() {
        let base = safe_file_stem(&"é".repeat(80));
        for n in [2, 10, 12345] {
            let s = with_suffix(&base, n);
            assert!(
                s.len() <= MAX_STEM_BYTES && s.ends_with(&format!("-{n}")),
                "{s}"
            );
        }
        assert_eq!(with_suffix("Ann", 2), "Ann-2");
    }
}
