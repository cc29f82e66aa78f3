//! Fitting: the largest body size in the design's range at which greeting,
//! body and closing fit above the signature area — or a refusal that says
//! how much to cut.

use super::linebreak::{
    break_lines, ending_avoidable, is_hyphen_tail, is_runt, After, Line, Measure, Piece,
};
use super::place::protrusion;
use super::{Content, Word};
use crate::diag::{Diagnostic, Place, Result};
use crate::input::design::{Align, Anchor, Side, Style, VAlign};
use crate::input::Design;
use crate::scene::{CardBoxes, Role};
use crate::text::{FontSet, ShapedWord};
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

/// Sizes are tried in steps of this many points.
pub const SIZE_STEP: f32 = 0.1;
/// Space kept between the signature area and the text above and below it, in points.
pub const SIGNATURE_PAD: f32 = 2.0;

/// Part of a word set on a line.
#[derive(Debug, Clone)]
pub struct Part {
    /// The word.
    pub word: Arc<ShapedWord>,
    /// Which of its glyphs.
    pub glyphs: Range<usize>,
    /// Whether a word space comes before it.
    pub space_before: bool,
    /// The face it is set in.
    pub font: usize,
    /// Its bidirectional embedding level (odd: right to left).
    pub level: u8,
}

/// A line as set: where, in what, and which word parts.
#[derive(Debug, Clone)]
pub struct SetLine {
    /// What the line is.
    pub role: Role,
    /// Face index.
    pub font: usize,
    /// Size in points.
    pub size: f32,
    /// Left end of the baseline.
    pub x: f32,
    /// Baseline from the top.
    pub baseline: f32,
    /// Word parts in order.
    pub parts: Vec<Part>,
    /// Whether the line ends with an added hyphen.
    pub hyphen: bool,
    /// Width of each word space as set, in points.
    pub space: f32,
}

impl SetLine {
    /// The line's text as set, with its added hyphen.
    pub fn text(&self) -> String {
        let mut t = String::new();
        for p in &self.parts {
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
        if self.hyphen {
            t.push('-');
        }
        t
    }
}

/// A card's text laid out at the chosen size.
#[derive(Debug, Clone)]
pub struct Fitted {
    /// The body size chosen.
    pub size: f32,
    /// Every line, in reading order.
    pub lines: Vec<SetLine>,
    /// The boxes the layout decided.
    pub boxes: CardBoxes,
    /// Lines of body text (greeting and closing not counted).
    pub body_lines: usize,
    /// How full the space for text is: 1.0 is exactly full.
    pub fullness: f32,
    /// What a typesetter would mark in the setting at this size (empty when
    /// some size in the design's range sets the note cleanly).
    pub faults: Vec<Fault>,
    /// Warnings about the design (a signature area too small to sign in).
    pub warnings: Vec<Diagnostic>,
}

/// A fault in a setting, which fitting avoids when any size in the
/// design's range allows.
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    /// What is wrong.
    pub kind: FaultKind,
    /// The line it is on (index into [`Fitted::lines`]).
    pub line: usize,
}

/// The kinds of [`Fault`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FaultKind {
    /// This many lines in a row (three or more) end in a hyphen.
    HyphenRun(usize),
    /// A paragraph's last line is only the tail of a hyphenated word.
    HyphenTail,
    /// A paragraph's last line is one short word, and a breaking exists
    /// that avoids it.
    Runt,
    /// Justified word spaces wider than the design's `max_space` (ems).
    Loose(f32),
    /// Justified word spaces narrower than the design's `min_space` (ems).
    Tight(f32),
}

impl std::fmt::Display for FaultKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FaultKind::HyphenRun(n) => write!(f, "{n} hyphenated lines in a row"),
            FaultKind::HyphenTail => {
                write!(f, "the paragraph ends with the tail of a hyphenated word")
            }
            FaultKind::Runt => write!(f, "the paragraph ends with one short word"),
            FaultKind::Loose(em) => {
                write!(f, "word spaces of {em:.2} em, wider than the design allows")
            }
            FaultKind::Tight(em) => write!(
                f,
                "word spaces of {em:.2} em, narrower than the design allows"
            ),
        }
    }
}

/// Below this height (0.4 in) a signature area is too small to sign in.
pub const SIGNATURE_WARN_HEIGHT: f32 = 28.8;

struct Attempt {
    fitted: Fitted,
    /// How far the text runs past the space it has, in points (<= 0: fits).
    overflow: f32,
    /// A word or line too wide for its space even on a line of its own.
    overfull: Option<String>,
    leading: f32,
}

impl Attempt {
    fn fits(&self) -> bool {
        self.overfull.is_none() && self.overflow <= 1e-3
    }
}

/// Finds the largest size in `[size_min, size_max]` (in steps of 0.1 pt) at
/// which the note fits, or refuses with how much to cut.
pub fn fit(
    content: &Content,
    design: &Design,
    fonts: &FontSet,
    note_path: &Path,
) -> Result<Fitted> {
    let mut fitted = best_fitting(
        design.size_min..=design.size_max,
        SIZE_STEP,
        |size| attempt(content, design, fonts, size),
        Attempt::fits,
        |a| a.fitted.faults.len(),
    )
    .map(|a| a.fitted)
    .map_err(|smallest| -> crate::diag::Error {
        refusal(&smallest, content, design, note_path).into()
    })?;
    if design.signature_height.0 < SIGNATURE_WARN_HEIGHT - 1e-3 {
        fitted.warnings.push(
            Diagnostic::at(
                Place::file(&design.source.display_path()),
                format!(
                    "signature.height: the signature area is {:.2}in ({:.1}mm) tall, too small for most signatures",
                    design.signature_height.0 / 72.0,
                    design.signature_height.0 / 72.0 * 25.4
                ),
            )
            .hint("make it at least 0.5in (12.7mm)")
            .warning(),
        );
    }
    Ok(fitted)
}

/// The one size search, for cards, envelope addresses, calibration text and
/// anything else set at "the largest size that fits": tries `set` at sizes
/// from the top of `sizes` down to its bottom in steps of `step` (the
/// bottom always included), the largest first, then a binary search, and
/// returns the attempt at the largest size that `fits`, or the attempt at
/// the smallest size when none does. `fits` must hold at every size below
/// one where it holds (smaller text never needs more room).
pub fn largest_fitting<A>(
    sizes: std::ops::RangeInclusive<f32>,
    step: f32,
    set: impl FnMut(f32) -> A,
    fits: impl Fn(&A) -> bool,
) -> std::result::Result<A, A> {
    best_fitting(sizes, step, set, fits, |_| 0)
}

/// The size search with a judge of quality: finds the largest size that
/// `fits` as [`largest_fitting`] does, then walks down from it, one step at
/// a time, to the first size whose attempt has no `faults`; when none is
/// clean, the attempt with the fewest (the largest of equals). Faults need
/// not be monotone in the size, so every step below the largest that fits
/// may be tried; a note that sets cleanly at that size costs nothing more.
pub fn best_fitting<A>(
    sizes: std::ops::RangeInclusive<f32>,
    step: f32,
    mut set: impl FnMut(f32) -> A,
    fits: impl Fn(&A) -> bool,
    faults: impl Fn(&A) -> usize,
) -> std::result::Result<A, A> {
    let (min, max) = (*sizes.start(), *sizes.end());
    let steps = ((max - min) / step).round().max(0.0) as usize;
    let size_at = |i: usize| {
        if i >= steps {
            min
        } else {
            max - i as f32 * step
        }
    };
    let first = set(size_at(0));
    let (mut hi, mut best) = if fits(&first) {
        (0, first)
    } else {
        let smallest = set(size_at(steps));
        if !fits(&smallest) {
            return Err(smallest);
        }
        // Invariant: `lo` does not fit, `hi` fits.
        let (mut lo, mut hi, mut best) = (0, steps, smallest);
        while hi - lo > 1 {
            let mid = (lo + hi) / 2;
            let a = set(size_at(mid));
            if fits(&a) {
                hi = mid;
                best = a;
            } else {
                lo = mid;
            }
        }
        (hi, best)
    };
    // The largest that fits is `best`, at step `hi`; walk down for quality.
    let mut fewest = faults(&best);
    while fewest > 0 && hi < steps {
        hi += 1;
        let a = set(size_at(hi));
        // A smaller size can need more lines (a break that avoids a fault
        // may add one), so it is taken only when it fits too.
        if !fits(&a) {
            continue;
        }
        let n = faults(&a);
        if n < fewest {
            fewest = n;
            best = a;
        }
    }
    Ok(best)
}

fn refusal(a: &Attempt, content: &Content, design: &Design, note_path: &Path) -> Diagnostic {
    let size = design.size_min;
    let place = Place::file(note_path);
    let design_name = design.source.display_path();
    if let Some(what) = &a.overfull {
        return Diagnostic::at(
            place,
            format!("{what} is wider than the space it has on the card, even at the smallest size ({size}pt)"),
        )
        .hint("shorten it, or choose a wider design (stationer layouts)");
    }
    let lines_over = (a.overflow / a.leading).ceil().max(1.0) as usize;
    let words = content.body_words().max(1);
    let per_line = words as f32 / a.fitted.body_lines.max(1) as f32;
    let words_over = (lines_over as f32 * per_line).ceil() as usize;
    // Words are a useful measure only when cutting some of the body's
    // words would do: not when the overflow is more lines than the body
    // has (blank lines, a greeting and closing, a tall signature area).
    let hint = if lines_over < a.fitted.body_lines && words_over < words {
        format!(
            "cut {} (about {} of its {words}), or choose a design with more room (stationer layouts)",
            plural(lines_over, "line"),
            plural(words_over, "word"),
        )
    } else {
        format!(
            "cut {} of the note, or choose a design with more room (stationer layouts)",
            plural(lines_over, "line"),
        )
    };
    Diagnostic::at(
        place,
        format!(
            "the note does not fit on the card ({}): at the smallest size, {size}pt, it runs {} over the space above the signature area",
            design_name.display(),
            plural(lines_over, "line"),
        ),
    )
    .hint(hint)
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// Lays the card out at one size.
fn attempt(content: &Content, design: &Design, fonts: &FontSet, size: f32) -> Attempt {
    let [x0, y0, x1, y1] = design.text_area();
    let text_w = x1 - x0;
    let leading = design.leading.at(size);
    let regular = fonts.get(Style::Regular);
    let mut lines = Vec::new();
    let mut overfull = None;
    let mut faults = Vec::new();
    let mut baseline = y0 + regular.ascent(size);
    let mut body_lines = 0;

    let mut set_paragraph = |words: &[Word],
                             role: Role,
                             justify: bool,
                             baseline: &mut f32,
                             lines: &mut Vec<SetLine>|
     -> usize {
        let Some(first) = words.first() else { return 0 };
        let font = first.base;
        let scale = fonts.fonts[font].scale(size);
        let spacing = content.spacing[font];
        let (pieces, origin) = pieces(words, fonts, size);
        let measure = Measure {
            width: text_w,
            space: spacing.space.1 as f32 * scale,
            hyphen: spacing.hyphen.1 as f32 * scale,
            justify,
        };
        match break_lines(&pieces, &measure) {
            Ok(broken) => {
                let first_line = lines.len();
                for (i, l) in broken.iter().enumerate() {
                    // A right-to-left paragraph is set flush right.
                    let x = if first.rtl_paragraph && !justify {
                        x1 - l.set_width()
                    } else {
                        x0
                    };
                    let parts = parts(words, &pieces, &origin, l.start..l.end);
                    let full = justify && i + 1 < broken.len();
                    let (hang_left, hang_right) = if design.protrusion && role == Role::Body {
                        hang(&parts, l, spacing.hyphen.1 as f32 * scale, scale)
                    } else {
                        (0.0, 0.0)
                    };
                    // A full justified line widens by what hangs at both
                    // ends; other lines hang only at the left.
                    let mut space = measure.space + l.space_adjust;
                    if full && l.spaces > 0 {
                        space += (hang_left + hang_right) / l.spaces as f32;
                    }
                    if justify
                        && role == Role::Body
                        && l.spaces > 0
                        && (full || l.space_adjust < 0.0)
                    {
                        let em = space / size;
                        if em > design.max_space + 1e-4 {
                            faults.push(Fault {
                                kind: FaultKind::Loose(em),
                                line: lines.len(),
                            });
                        } else if em < design.min_space - 1e-4 {
                            faults.push(Fault {
                                kind: FaultKind::Tight(em),
                                line: lines.len(),
                            });
                        }
                    }
                    lines.push(SetLine {
                        role,
                        font,
                        size,
                        x: x - hang_left,
                        baseline: *baseline,
                        parts,
                        hyphen: l.hyphen,
                        space,
                    });
                    *baseline += leading;
                }
                if role == Role::Body {
                    paragraph_faults(&broken, &pieces, &measure, first_line, &mut faults);
                }
                broken.len()
            }
            Err(e) => {
                let (w, _) = origin[e.piece];
                overfull.get_or_insert_with(|| {
                    format!("the word {}", crate::diag::quote(&words[w].shaped.text))
                });
                *baseline += leading;
                1
            }
        }
    };

    let justify = design.align == Align::Justified;
    if set_paragraph(
        &content.greeting,
        Role::Greeting,
        false,
        &mut baseline,
        &mut lines,
    ) > 0
    {
        baseline += design.greeting_gap * leading;
    }
    for (i, para) in content.body.iter().enumerate() {
        if i > 0 {
            baseline += design.paragraph_gap * leading;
        }
        body_lines += set_paragraph(para, Role::Body, justify, &mut baseline, &mut lines);
    }
    // The signature area's horizontal place.
    let sig_w = design.signature_width.0;
    let (sx0, sx1) = match design.signature_side {
        Side::Right => (x1 - sig_w, x1),
        Side::Left => (x0, x0 + sig_w),
    };
    // A single line (closing, printed name) starts at the signature area's
    // left edge, moved left if it would run past the text area.
    let mut single =
        |words: &[Word], role: Role, size: f32, baseline: f32, lines: &mut Vec<SetLine>| {
            let Some(first) = words.first() else { return };
            let font = first.base;
            let scale = fonts.fonts[font].scale(size);
            let space = content.spacing[font].space.1 as f32 * scale;
            let width: f32 = words
                .iter()
                .map(|w| {
                    w.shaped.width as f32
                        * fonts.fonts[w.font].scale(fonts.matched_size(w.font, w.base, size))
                })
                .sum::<f32>()
                + space * words.iter().skip(1).filter(|w| !w.glued).count() as f32;
            if width > text_w + 1e-3 {
                let text: Vec<&str> = words.iter().map(|w| w.shaped.text.as_str()).collect();
                overfull.get_or_insert_with(|| {
                    format!(
                        "the {} {}",
                        role_name(role),
                        crate::diag::quote(&text.join(" "))
                    )
                });
            }
            let x = if first.rtl_paragraph {
                // Right to left: flush with the signature area's right edge.
                (sx1.min(x1) - width).max(x0)
            } else if sx0 + width <= x1 {
                sx0
            } else {
                (x1 - width).max(x0)
            };
            lines.push(SetLine {
                role,
                font,
                size,
                x,
                baseline,
                parts: words
                    .iter()
                    .enumerate()
                    .map(|(i, w)| Part {
                        word: w.shaped.clone(),
                        glyphs: 0..w.shaped.glyphs.len(),
                        space_before: i > 0 && !w.glued,
                        font: w.font,
                        level: w.level,
                    })
                    .collect(),
                hyphen: false,
                space,
            });
        };
    let mut text_bottom = baseline - leading + regular.descent(size);
    if !content.closing.is_empty() {
        baseline += design.closing_gap * leading;
        single(&content.closing, Role::Closing, size, baseline, &mut lines);
        text_bottom = baseline + fonts.fonts[content.closing[0].font].descent(size);
    }
    let signer_size = design.signer_size.unwrap_or(size);
    let signer_font = fonts.get(design.signer_style);
    let (s_asc, s_desc) = (
        signer_font.ascent(signer_size),
        signer_font.descent(signer_size),
    );
    let sig_h = design.signature_height.0;
    let below = SIGNATURE_PAD + sig_h + SIGNATURE_PAD + s_asc + s_desc;
    let overflow = text_bottom + below - y1;
    let (sig_top, signer_baseline) = match design.signature_anchor {
        Anchor::Flow => {
            let top = text_bottom + SIGNATURE_PAD;
            (top, top + sig_h + SIGNATURE_PAD + s_asc)
        }
        Anchor::Bottom => {
            let base = y1 - s_desc;
            (base - s_asc - SIGNATURE_PAD - sig_h, base)
        }
    };
    single(
        &content.signer,
        Role::Signer,
        signer_size,
        signer_baseline,
        &mut lines,
    );
    let capacity = y1 - below - y0;
    // Centring: share the free space above and below. With the signature
    // area at the bottom, only the text above it moves.
    let mut sig_top = sig_top;
    let fullness = (text_bottom - y0) / capacity.max(1.0);
    let share = match design.valign {
        VAlign::Top => 0.0,
        VAlign::Center => 0.5,
        VAlign::Optical => 0.4,
    };
    if share > 0.0 && overflow < 0.0 {
        let dy = -overflow * share;
        let flow = design.signature_anchor == Anchor::Flow;
        for l in &mut lines {
            if flow || l.role != Role::Signer {
                l.baseline += dy;
            }
        }
        if flow {
            sig_top += dy;
        }
    }
    Attempt {
        fitted: Fitted {
            size,
            lines,
            boxes: CardBoxes {
                font_size: size,
                text_area: [x0, y0, x1, y1],
                body_box: [x0, y0, x1, sig_top],
                signature_box: [sx0, sig_top, sx1, sig_top + sig_h],
            },
            body_lines,
            fullness,
            faults,
            warnings: Vec::new(),
        },
        overflow,
        overfull,
        leading,
    }
}

/// How far a line's first and last characters hang into the margins, in
/// points (see [`protrusion`]); `hyphen` is the added hyphen's advance.
fn hang(parts: &[Part], line: &Line, hyphen: f32, scale: f32) -> (f32, f32) {
    let char_at = |w: &ShapedWord, g: usize| w.text[w.glyphs[g].cluster as usize..].chars().next();
    let left = parts
        .first()
        .filter(|p| !p.glyphs.is_empty())
        .and_then(|p| {
            let c = char_at(&p.word, p.glyphs.start)?;
            Some(protrusion(c).0 * p.word.glyphs[p.glyphs.start].advance as f32 * scale)
        })
        .unwrap_or(0.0);
    let right = if line.hyphen {
        protrusion('-').1 * hyphen
    } else {
        parts
            .last()
            .filter(|p| !p.glyphs.is_empty())
            .and_then(|p| {
                let g = p.glyphs.end - 1;
                let c = char_at(&p.word, g)?;
                Some(protrusion(c).1 * p.word.glyphs[g].advance as f32 * scale)
            })
            .unwrap_or(0.0)
    };
    (left, right)
}

/// The faults of one broken paragraph whose first line is `first` in the
/// card's lines: runs of hyphenated line ends, and a bad last line.
fn paragraph_faults(
    broken: &[Line],
    pieces: &[Piece],
    measure: &Measure,
    first: usize,
    faults: &mut Vec<Fault>,
) {
    let mut run = 0;
    for (i, l) in broken.iter().enumerate() {
        if l.hyphen {
            run += 1;
        }
        let ends = !l.hyphen || i + 1 == broken.len();
        if ends && run >= 3 {
            let end = if l.hyphen { i + 1 } else { i };
            faults.push(Fault {
                kind: FaultKind::HyphenRun(run),
                line: first + end - run,
            });
        }
        if !l.hyphen {
            run = 0;
        }
    }
    let last = first + broken.len().saturating_sub(1);
    let kind = if is_hyphen_tail(broken) {
        Some(FaultKind::HyphenTail)
    } else if is_runt(broken, measure) {
        Some(FaultKind::Runt)
    } else {
        None
    };
    if let Some(kind) = kind {
        if ending_avoidable(pieces, measure) {
            faults.push(Fault { kind, line: last });
        }
    }
}

fn role_name(role: Role) -> &'static str {
    match role {
        Role::Greeting => "greeting",
        Role::Body => "body",
        Role::Closing => "closing",
        Role::Signer => "printed name",
        Role::Decoration => "design lettering",
    }
}

/// A paragraph's words cut at their break points; `origin[i]` is the word
/// and glyph range of piece `i`.
fn pieces(words: &[Word], fonts: &FontSet, size: f32) -> (Vec<Piece>, Vec<(usize, Range<usize>)>) {
    let n = words.iter().map(|w| w.shaped.breaks.len() + 1).sum();
    let mut pieces = Vec::with_capacity(n);
    let mut origin = Vec::with_capacity(n);
    for (wi, w) in words.iter().enumerate() {
        let s = &w.shaped;
        let scale = fonts.fonts[w.font].scale(fonts.matched_size(w.font, w.base, size));
        let mut start = 0;
        for b in &s.breaks {
            pieces.push(Piece {
                width: s.advance(start, b.glyph) as f32 * scale,
                after: if b.adds_hyphen {
                    After::Hyphen
                } else {
                    After::Joint
                },
            });
            origin.push((wi, start..b.glyph));
            start = b.glyph;
        }
        pieces.push(Piece {
            width: s.advance(start, s.glyphs.len()) as f32 * scale,
            after: match words.get(wi + 1) {
                None => After::End,
                Some(next) if next.glued => After::Glue,
                Some(_) => After::Space,
            },
        });
        origin.push((wi, start..s.glyphs.len()));
    }
    (pieces, origin)
}

/// The word parts of pieces `range`, joining pieces of the same word.
fn parts(
    words: &[Word],
    pieces: &[Piece],
    origin: &[(usize, Range<usize>)],
    range: Range<usize>,
) -> Vec<Part> {
    let mut out: Vec<Part> = Vec::with_capacity(range.len());
    let first = range.start;
    for i in range {
        let (wi, glyphs) = &origin[i];
        let joins = i > first && matches!(pieces[i - 1].after, After::Hyphen | After::Joint);
        match out.last_mut() {
            Some(last) if joins => last.glyphs.end = glyphs.end,
            _ => out.push(Part {
                word: words[*wi].shaped.clone(),
                glyphs: glyphs.clone(),
                space_before: i > first && pieces[i - 1].after == After::Space,
                font: words[*wi].font,
                level: words[*wi].level,
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{best_fitting, largest_fitting};

    #[test]
    fn the_walk_for_quality_never_takes_a_size_that_does_not_fit() {
        // Fits at 10.0 and below, except 9.8 (a smaller size that needs a
        // line more); faults everywhere but 9.8 and 9.5.
        let fits = |s: &f32| *s <= 10.0 + 1e-4 && (s - 9.8).abs() > 1e-4;
        let faults = |s: &f32| usize::from((s - 9.8).abs() > 1e-4 && (s - 9.5).abs() > 1e-4);
        let best = best_fitting(9.0..=12.0, 0.1, |s| s, fits, faults).unwrap();
        assert!((best - 9.5).abs() < 1e-4, "{best}");
    }

    #[test]
    fn the_size_search_finds_the_largest_step_that_fits() {
        // Fits up to 10.3 exactly, on a 0.1 grid from 12 down to 8.
        let mut tried = Vec::new();
        let best = largest_fitting(
            8.0..=12.0,
            0.1,
            |s| {
                tried.push(s);
                s
            },
            |&s| s <= 10.3 + 1e-4,
        );
        assert!((best.unwrap() - 10.3).abs() < 1e-4);
        assert_eq!(tried[0], 12.0, "the largest size is tried first");
        assert!(tried.len() < 10, "a binary search, not a scan: {tried:?}");
        // Nothing fits: the smallest attempt comes back for the refusal.
        assert_eq!(largest_fitting(8.0..=12.0, 0.1, |s| s, |_| false), Err(8.0));
        // Everything fits: the largest, at once.
        assert_eq!(largest_fitting(9.0..=11.5, 0.25, |s| s, |_| true), Ok(11.5));
        // The bottom of the range is a step even when the range is not a
        // whole number of steps.
        assert_eq!(
            largest_fitting(9.0..=9.3, 0.25, |s| s, |&s| s < 9.1),
            Ok(9.0)
        );
    }
}
