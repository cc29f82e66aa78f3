//! Batch: one card per recipient, every row merged and fitted before
//! anything is written, laid out on all cores with the one stage chain
//! ([`crate::layout::lay_out`]), streamed into one PDF (optionally imposed
//! on sheets) and, on request, one PDF per recipient; and contact sheets of
//! a whole batch ([`proof`]).

pub mod impose;
pub mod merge;
pub mod proof;

pub use proof::{contact_sheet, proofs, Proof};

use crate::batch::impose::{place_card, Duplex, Imposition};
use crate::batch::merge::{Recipients, Template};
use crate::diag::{Diagnostic, Error, Result};
use crate::export::pdf::{PdfOptions, PdfWriter};
use crate::export::report::{card_report, CardReport, Report};
use crate::input::{Design, Note};
use crate::layout;
use crate::parallel::{self, map_chunks};
use crate::scene::Page;
use crate::template;
use crate::text::shape::WordCache;
use crate::text::{FontSet, Shaper};
use std::collections::BTreeSet;
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
    /// How to write the combined PDF (a printer correction; default none).
    pub pdf_options: PdfOptions,
}

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
            pdf_options: PdfOptions::default(),
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
    /// The combined PDF (when asked to write).
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
}

struct Job {
    row: usize,
    copy: usize,
    note: Arc<Note>,
    split_name: Option<String>,
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
                recipients.headers[0],
                recipients.headers.join(", ")
            ))
            .warning(),
        );
    }
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
    if options.duplex.is_some() && design.fold.is_none() {
        return Err(Diagnostic::for_option(
            "duplex",
            "is for folded designs: a flat card has nothing to print on its back",
        )
        .hint("choose a folded design (stationer layouts), or print on one side")
        .into());
    }
    let names = SplitNames::new(options.split_name.as_deref(), recipients)?;

    // Merge every row.
    let mut problems: Vec<Diagnostic> = Vec::new();
    let mut jobs = Vec::new();
    let mut names = names;
    for row in &recipients.rows {
        let copies = match copies_col {
            Some(c) => match row.values[c].parse::<usize>() {
                Ok(n) if n <= 100 => n,
                _ => {
                    problems.push(Diagnostic::at(
                        recipients.place(row),
                        format!(
                            "row {}, column \"{}\": \"{}\" is not a number of copies (0 to 100)",
                            row.number, recipients.headers[c], row.values[c]
                        ),
                    ));
                    continue;
                }
            },
            None => 1,
        };
        match template.merge(recipients, row) {
            Ok(n) => {
                let n = Arc::new(n);
                for copy in 1..=copies {
                    let split_name = names
                        .as_mut()
                        .map(|s| s.name(recipients, row, copy, copies));
                    jobs.push(Job {
                        row: row.number,
                        copy,
                        note: n.clone(),
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
        return Err(Diagnostic::for_option(
            "max_cards",
            format!(
                "the batch makes {} cards; the limit for one run is {}",
                jobs.len(),
                options.max_cards
            ),
        )
        .hint("raise the limit, or split the recipient list")
        .into());
    }

    let fonts = batch_fonts(&jobs, design)?;
    let threads = parallel::threads(options.threads);
    let cache = shape_words(&jobs, design, &fonts, threads);

    let imposition = match options.sheet {
        Some(sheet) => Some(Imposition::plan(
            sheet,
            (design.width.0, design.height.0),
            options.grid,
            options.gutter,
            options.crop_marks,
        )?),
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

    let title = format!("Thank-you notes ({} cards)", jobs.len());
    let mut out = Output {
        writer: options.write.then(|| {
            let mut w = PdfWriter::new(&fonts.fonts, &title);
            w.set_options(options.pdf_options);
            w
        }),
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
        split: Vec::new(),
    };
    let mut cards = Vec::new();
    let total = jobs.len();
    let mut done = 0;
    for round in jobs.chunks(ROUND) {
        let pages = lay_out_round(round, design, &fonts, &cache, threads);
        for (job, page) in round.iter().zip(pages) {
            match page {
                Ok((page, info)) => {
                    cards.push(CardInfo {
                        row: job.row,
                        copy: job.copy,
                        ..info
                    });
                    if problems.is_empty() {
                        if let Some(name) = &job.split_name {
                            // Titled as `render` titles it: a split card's PDF
                            // is the card rendered on its own.
                            let title = layout::card_title(&job.note);
                            let mut w = PdfWriter::new(&fonts.fonts, &title);
                            w.add_page(&page);
                            out.split.push((name.clone(), w.finish()));
                        }
                        out.add(page);
                    }
                }
                Err(e) => {
                    let row = recipients.rows.iter().find(|r| r.number == job.row);
                    problems.extend(e.0.into_iter().map(|d| Diagnostic {
                        place: row.map(|r| recipients.place(r)).or(d.place),
                        message: format!("row {}: {}", job.row, d.message),
                        ..d
                    }));
                }
            }
        }
        out.flush_pages();
        done += round.len();
        progress(done, total);
    }
    if !problems.is_empty() {
        return Err(Error(problems));
    }
    let (pdf, report, split) = out.finish();
    Ok(BatchOutput {
        pdf,
        report: Report { cards: report },
        cards,
        split,
        warnings,
    })
}

/// Shapes every distinct word of the batch once, on all threads.
/// The design's faces with the fallback faces the batch's notes need.
fn batch_fonts(jobs: &[Job], design: &Design) -> Result<FontSet> {
    let text: String = jobs.iter().map(|j| layout::note_text(&j.note)).collect();
    FontSet::load_for(
        &design.font,
        &design.source.display_path(),
        &design.font_sources,
        &text,
    )
}

fn shape_words(jobs: &[Job], design: &Design, fonts: &FontSet, threads: usize) -> WordCache {
    let mut distinct: std::collections::HashSet<(usize, bool, &str)> = Default::default();
    let mut seen_note: Option<*const Note> = None;
    for job in jobs {
        // Copies share one note: take its words once.
        let ptr = Arc::as_ptr(&job.note);
        if seen_note == Some(ptr) {
            continue;
        }
        seen_note = Some(ptr);
        distinct.extend(layout::words_to_shape(&job.note, design, fonts));
    }
    let mut words: Vec<(usize, bool, &str)> = distinct.into_iter().collect();
    words.sort_unstable();
    // Every card of a batch comes from one note, so one language.
    let lang = jobs
        .first()
        .map_or_else(String::new, |j| j.note.lang.clone());
    let caches = map_chunks(&words, threads, |_, chunk| {
        let mut shaper = Shaper::new(&fonts.fonts);
        shaper.lang.clone_from(&lang);
        for &(font, hyphenate, w) in chunk {
            // A word the font cannot draw is reported with its row later.
            let _ = shaper.word(font, w, hyphenate);
        }
        vec![shaper.into_cache()]
    });
    caches.into_iter().flatten().collect()
}

/// Lays out a round of cards on `threads` threads with the one stage chain
/// ([`layout::lay_out`]), each thread's shaper reading the batch's word
/// cache; results in job order.
fn lay_out_round(
    jobs: &[Job],
    design: &Design,
    fonts: &FontSet,
    cache: &WordCache,
    threads: usize,
) -> Vec<Result<(Page, CardInfo)>> {
    map_chunks(jobs, threads, |_, chunk| {
        let mut shaper = Shaper::with_shared(&fonts.fonts, cache);
        chunk
            .iter()
            .map(|job| {
                let (page, fitted) = layout::lay_out(&job.note, design, fonts, &mut shaper)?;
                let lines = fitted
                    .lines
                    .iter()
                    .filter(|l| l.role != crate::scene::Role::Signer)
                    .count();
                Ok((
                    page,
                    CardInfo {
                        row: job.row,
                        copy: job.copy,
                        size: fitted.size,
                        lines,
                        fullness: fitted.fullness,
                    },
                ))
            })
            .collect()
    })
}

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
    split: Vec<SplitFile>,
}

/// One card's own PDF: file name and bytes.
type SplitFile = (String, Vec<u8>);

impl Output<'_> {
    fn add(&mut self, card: Page) {
        match self.imposition {
            None => {
                // One card per page; a folded card printed duplex has its
                // outside first and the message inside, on the back.
                let (w, h) = (card.width, card.height);
                let page_no = self.pages + if self.duplex.is_some() { 2 } else { 1 };
                self.report
                    .extend(card_report(&self.fonts.fonts, &card, page_no, None));
                match self.duplex {
                    Some(d) => {
                        self.write(Page::blank(w, h));
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
                let target = match back {
                    Some(b) if self.folded => b,
                    _ => front,
                };
                place_card(target, &card, offset);
                self.report.extend(card_report(
                    &self.fonts.fonts,
                    &card,
                    page_no,
                    Some((page_no, offset)),
                ));
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

    fn write(&mut self, page: Page) {
        self.pages += 1;
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

    fn finish(mut self) -> (Option<Vec<u8>>, Vec<CardReport>, Vec<SplitFile>) {
        self.flush_sheet();
        self.flush_pages();
        (self.writer.map(PdfWriter::finish), self.report, self.split)
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
    used: BTreeSet<String>,
}

impl SplitNames {
    fn new(template: Option<&str>, recipients: &Recipients) -> Result<Option<SplitNames>> {
        let Some(source) = template else {
            return Ok(None);
        };
        let parsed = template::parse(source).map_err(|e| {
            Diagnostic::for_option("split_name", format!("{} in \"{source}\"", e.message))
                .hint(e.hint)
        })?;
        // Check the placeholders now.
        for field in parsed.fields() {
            if field.name != "row" && recipients.column(&field.name).is_none() {
                return Err(Diagnostic::for_option(
                    "split_name",
                    format!("{{{}}} names no column", field.name),
                )
                .hint(format!("columns: row, {}", recipients.headers.join(", ")))
                .into());
            }
        }
        Ok(Some(SplitNames {
            template: parsed,
            width: recipients
                .rows
                .last()
                .map_or(1, |r| r.number.to_string().len()),
            used: BTreeSet::new(),
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
        let mut candidate = base.clone();
        let mut n = 2;
        while self.used.contains(&candidate.to_lowercase()) {
            candidate = format!("{base}-{n}");
            n += 1;
        }
        self.used.insert(candidate.to_lowercase());
        format!("{candidate}.pdf")
    }
}

/// A file name stem safe on Linux, macOS and Windows: no separators or
/// reserved characters, no leading dots, no reserved device names, not
/// empty, at most 100 bytes.
pub fn safe_file_stem(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    s = s
        .trim_matches(|c: char| c == '.' || c.is_whitespace())
        .to_string();
    let mut cut = s.len().min(100);
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    s.truncate(cut);
    let s = s.trim_end_matches(['.', ' ']).to_string();
    if s.is_empty() {
        return "card".to_string();
    }
    let stem = s.split('.').next().unwrap_or("").to_ascii_uppercase();
    let reserved = matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit());
    if reserved {
        format!("_{s}")
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
    }
}
