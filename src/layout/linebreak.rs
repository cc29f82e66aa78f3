//! Optimal (total-fit) line breaking in the manner of Knuth and Plass: every
//! way of breaking a paragraph is scored at once and the one with the least
//! demerits wins, so no line is made bad to spare an earlier one.
//!
//! The input is abstract — pieces with widths in points and what may follow
//! each — so the algorithm is tested on its own (see `tests/linebreak.rs`).

/// What comes after a piece.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum After {
    /// A word space: a line may break here, or the space is set.
    Space,
    /// A hyphenation point inside a word: a break adds a hyphen.
    Hyphen,
    /// A break inside a word after an explicit dash: a break adds nothing.
    Joint,
    /// Nothing: the next piece continues the word, and no line breaks
    /// here (a word set in two faces).
    Glue,
    /// The end of the paragraph.
    End,
}

/// A word, or a part of a word between two places it may break.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Piece {
    /// Natural width in points.
    pub width: f32,
    /// What follows it.
    pub after: After,
}

/// How lines are set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measure {
    /// The line width in points.
    pub width: f32,
    /// Natural word space in points.
    pub space: f32,
    /// Width of an added hyphen in points.
    pub hyphen: f32,
    /// Justify (stretch and shrink spaces) instead of ragged right.
    pub justify: bool,
}

/// One line of a broken paragraph.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Line {
    /// First piece.
    pub start: usize,
    /// One past the last piece.
    pub end: usize,
    /// Whether the line ends with an added hyphen.
    pub hyphen: bool,
    /// Width with natural spaces, hyphen included.
    pub natural: f32,
    /// Number of word spaces in the line.
    pub spaces: usize,
    /// Extra width to add to each space (negative: shrink); 0 when ragged.
    pub space_adjust: f32,
}

impl Line {
    /// The width the line is set at.
    pub fn set_width(&self) -> f32 {
        self.natural + self.space_adjust * self.spaces as f32
    }
}

/// A piece wider than the line, alone: nothing can make the paragraph fit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Overfull {
    /// Index of the first piece that is too wide.
    pub piece: usize,
}

/// TeX's `\linepenalty`.
const LINE_PENALTY: f64 = 10.0;
/// Penalty of a hyphenated line break (TeX's `\hyphenpenalty`): justified
/// text needs hyphens far more than ragged text, where they are a last resort.
const HYPHEN_PENALTY_JUSTIFIED: f64 = 50.0;
const HYPHEN_PENALTY_RAGGED: f64 = 200.0;
/// Penalty of a break after an explicit dash (TeX's `\exhyphenpenalty`).
const JOINT_PENALTY: f64 = 50.0;
/// Two hyphenated lines in a row (TeX's `\doublehyphendemerits`).
const DOUBLE_HYPHEN_DEMERITS: f64 = 10_000.0;
/// A hyphen on the penultimate line (TeX's `\finalhyphendemerits`).
const FINAL_HYPHEN_DEMERITS: f64 = 5_000.0;
/// A line two or more fitness classes from its neighbour (TeX's `\adjdemerits`).
const ADJ_DEMERITS: f64 = 10_000.0;
/// Faults a setter avoids whenever any breaking can: three hyphenated lines
/// in a row, a last line that is the tail of a hyphenated word, and a lone
/// short word on the last line. Large enough to outweigh any other score.
const FAULT_DEMERITS: f64 = 1.0e9;
const MAX_BADNESS: f64 = 10_000.0;
/// TeX's `\pretolerance`: the first pass, without hyphenation.
pub const PRETOLERANCE: f64 = 100.0;
/// TeX's `\tolerance`: the second pass, with hyphenation.
pub const TOLERANCE: f64 = 800.0;
/// The emergency pass adds this much stretch to every line (TeX's
/// `\emergencystretch`), in natural word spaces.
pub const EMERGENCY_STRETCH_SPACES: f32 = 4.0;
/// Stretch and shrink of a justified word space, as fractions of its width
/// (what LuaTeX's font loader gives an OpenType font).
pub const STRETCH: f32 = 0.5;
/// See [`STRETCH`].
pub const SHRINK: f32 = 1.0 / 3.0;
/// Numerical slack for width comparisons, in points.
const EPS: f32 = 1e-3;

/// Breaks a paragraph into lines. For ragged text the result is stable: it
/// is the breaking that the paragraph gets at its own measured width, so
/// breaking again at [`measured_width`] gives the same lines.
///
/// Justified text is broken the way TeX breaks it: a first pass without
/// hyphenation at [`PRETOLERANCE`], a second with hyphenation at
/// [`TOLERANCE`], then an emergency pass with extra stretch, and only then
/// any breaking at all, however loose. Within a pass the demerits are TeX's
/// (line penalty, hyphen penalties, double and final hyphen demerits,
/// fitness classes), plus the faults a setter avoids (see
/// `FAULT_DEMERITS`).
pub fn break_lines(pieces: &[Piece], m: &Measure) -> Result<Vec<Line>, Overfull> {
    // Every run of pieces that no line may break inside (joined by glue)
    // must fit a line alone, with the hyphen a break after it adds: else no
    // breaking fits (joining the next piece only makes the line wider).
    let (mut start, mut run) = (0, 0.0);
    for (i, p) in pieces.iter().enumerate() {
        run += p.width;
        if p.after == After::Glue {
            continue;
        }
        let hyphen = if p.after == After::Hyphen {
            m.hyphen
        } else {
            0.0
        };
        if run + hyphen > m.width + EPS {
            return Err(Overfull { piece: start });
        }
        (start, run) = (i + 1, 0.0);
    }
    // A paragraph that fits on one line is set on one: any other breaking
    // has more lines, each costing at least what the one line costs. (Most
    // greetings; it spares the passes below.)
    if let Some(line) = one_line(pieces, m) {
        return Ok(vec![line]);
    }
    if m.justify {
        let passes = [
            Pass::new(PRETOLERANCE, false, 0.0),
            Pass::new(TOLERANCE, true, 0.0),
            Pass::new(TOLERANCE, true, EMERGENCY_STRETCH_SPACES * m.space),
        ];
        let mut first_feasible = None;
        for pass in passes {
            if let Some((lines, faults)) = total_fit(pieces, m, &pass) {
                if !faults {
                    return Ok(lines);
                }
                first_feasible.get_or_insert(lines);
            }
        }
        if let Some(lines) = first_feasible {
            return Ok(lines);
        }
        let last = Pass {
            cap: f64::MAX,
            ..Pass::last_resort()
        };
        return Ok(total_fit(pieces, m, &last)
            .expect("every piece fits alone")
            .0);
    }
    let pass = Pass::last_resort();
    let mut lines = total_fit(pieces, m, &pass)
        .expect("every piece fits alone")
        .0;
    // Narrowing the measure to the widest line can change which breaking is
    // optimal; repeat until the breaking is its own answer. The measure only
    // shrinks and each breaking stays feasible, so this ends.
    for _ in 0..32 {
        let w = measured_width(&lines);
        let again = total_fit(pieces, &Measure { width: w, ..*m }, &pass)
            .expect("the last breaking still fits")
            .0;
        if same_breaks(&again, &lines) {
            return Ok(lines);
        }
        lines = again;
    }
    Ok(lines)
}

/// The paragraph as one line at its natural width, when it fits one.
fn one_line(pieces: &[Piece], m: &Measure) -> Option<Line> {
    if pieces.is_empty() {
        return None;
    }
    let line = lines_at(pieces, m, &[pieces.len()]).pop()?;
    (line.natural <= m.width).then_some(line)
}

/// Whether some breaking of the paragraph (however loose) avoids ending it
/// with a lone short word or the tail of a hyphenated word: when none does,
/// such an ending is not a fault of the setting.
pub fn ending_avoidable(pieces: &[Piece], m: &Measure) -> bool {
    let pass = Pass {
        forbid_bad_ending: true,
        ..Pass::last_resort()
    };
    pieces.iter().all(|p| p.width <= m.width + EPS)
        && total_fit(pieces, m, &pass).is_some_and(|(_, faults)| !faults)
}

/// Whether a paragraph's last line is a lone short word: one word, no
/// wider than a quarter of the measure, after other lines.
pub fn is_runt(lines: &[Line], m: &Measure) -> bool {
    match lines {
        [.., prev, last] => last.spaces == 0 && !prev.hyphen && last.natural < m.width / 4.0,
        _ => false,
    }
}

/// Whether a paragraph's last line is only the tail of a word hyphenated
/// on the line before.
pub fn is_hyphen_tail(lines: &[Line]) -> bool {
    matches!(lines, [.., prev, last] if prev.hyphen && last.spaces == 0)
}

/// The widest line as set, in points.
pub fn measured_width(lines: &[Line]) -> f32 {
    lines.iter().map(Line::set_width).fold(0.0, f32::max)
}

fn same_breaks(a: &[Line], b: &[Line]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x.start == y.start && x.end == y.end)
}

fn breakable(after: After) -> bool {
    !matches!(after, After::End | After::Glue)
}

/// One pass of the breaker.
#[derive(Debug, Clone, Copy)]
struct Pass {
    /// Lines worse than this are not considered (infinite: every line is).
    tolerance: f64,
    /// Whether hyphenation points may be used.
    hyphens: bool,
    /// Extra stretch per line for the badness (not for the setting).
    emergency: f32,
    /// Reject endings with a lone short word or a hyphenated tail outright.
    forbid_bad_ending: bool,
    /// The most a line's badness counts: TeX's 10,000, or (justified text's
    /// last resort) no limit, so that of two impossible lines the less
    /// loose is taken.
    cap: f64,
}

impl Pass {
    fn new(tolerance: f64, hyphens: bool, emergency: f32) -> Pass {
        Pass {
            tolerance,
            hyphens,
            emergency,
            forbid_bad_ending: false,
            cap: MAX_BADNESS,
        }
    }

    fn last_resort() -> Pass {
        Pass::new(f64::INFINITY, true, 0.0)
    }
}

/// TeX's fitness classes: very loose, loose, decent, tight.
const DECENT: usize = 2;
/// Hyphenated line ends in a row at a break: 0, 1, 2 or more.
const RUNS: usize = 3;

fn fitness(badness: f64, stretching: bool) -> usize {
    match (stretching, badness) {
        (true, b) if b >= 100.0 => 0,
        (true, b) if b > 12.0 => 1,
        (false, b) if b > 12.0 => 3,
        _ => DECENT,
    }
}

/// The dynamic programme over break positions, each with the fitness class
/// of the line it ends and how many hyphenated line ends precede it in a
/// row: `best[j][f][r]` is the least total demerits of setting pieces
/// `0..j` with a break after piece `j - 1`. Returns the lines and whether
/// they end in a fault the breaker would have avoided (three hyphens in a
/// row, a lone short word or a hyphenated tail on the last line), or
/// `None` when no breaking is within the pass's tolerance.
fn total_fit(pieces: &[Piece], m: &Measure, pass: &Pass) -> Option<(Vec<Line>, bool)> {
    // One programme, compiled twice so that neither kind of text pays for
    // the other's tests in its inner loop.
    if m.justify {
        total_fit_as::<true>(pieces, m, pass)
    } else if pieces.iter().all(|p| p.after != After::Hyphen) {
        total_fit_ragged_plain(pieces, m, pass)
    } else {
        total_fit_as::<false>(pieces, m, pass)
    }
}

/// A reached state of a break position: the least total demerits, the
/// position and state it came from, and whether the lines so far hold a
/// fault.
#[derive(Debug, Clone, Copy, Default)]
struct Reached {
    total: f64,
    from: u32,
    state: u8,
    fault: bool,
}

/// [`total_fit`] for justified text (`JUSTIFY`, which `m.justify` must
/// equal) or ragged.
fn total_fit_as<const JUSTIFY: bool>(
    pieces: &[Piece],
    m: &Measure,
    pass: &Pass,
) -> Option<(Vec<Line>, bool)> {
    let n = pieces.len();
    if n == 0 {
        return Some((Vec::new(), false));
    }
    let stretch_per_space = m.space * STRETCH;
    let shrink_per_space = m.space * SHRINK;
    let ragged_stretch = (m.width / 5.0).max(1.0);
    let hyphen_penalty = if JUSTIFY {
        HYPHEN_PENALTY_JUSTIFIED
    } else {
        HYPHEN_PENALTY_RAGGED
    };
    const STATES: usize = 4 * RUNS;
    let idx = |f: usize, r: usize| f * RUNS + r;
    // `best[j * STATES + k]` is state `k` of position `j`; it holds a value
    // only where `live[j]` has bit `k` (most positions reach one or two of
    // the twelve states), so the table need not be filled first.
    let mut best = vec![Reached::default(); (n + 1) * STATES];
    let mut live = vec![0u16; n + 1];
    live[0] = 1 << idx(DECENT, 0);
    // A break after piece `j - 1` may start a line at `j`.
    let opens = |j: usize| j == 0 || breakable(pieces[j - 1].after);
    let flagged_at = |after: After| after == After::Hyphen || (JUSTIFY && after == After::Joint);
    for end in 1..=n {
        let last_piece = pieces[end - 1];
        let is_last = end == n;
        if !is_last && !breakable(last_piece.after) {
            continue;
        }
        if !is_last && !pass.hyphens && last_piece.after == After::Hyphen {
            continue;
        }
        let hyphen = last_piece.after == After::Hyphen && !is_last;
        // A break at a dash counts as hyphenated in justified text, as in
        // TeX; ragged text breaks there freely.
        let flagged = !is_last && flagged_at(last_piece.after);
        let mut natural = if hyphen { m.hyphen } else { 0.0 };
        let mut spaces = 0usize;
        for start in (0..end).rev() {
            natural += pieces[start].width;
            if start + 1 < end && pieces[start].after == After::Space {
                natural += m.space;
                spaces += 1;
            }
            let shrinkable = if JUSTIFY {
                spaces as f32 * shrink_per_space
            } else {
                0.0
            };
            if natural - shrinkable > m.width + EPS {
                break;
            }
            if live[start] == 0 || !opens(start) {
                continue;
            }
            let slack = m.width - natural;
            let badness: f64 = if JUSTIFY {
                if slack >= 0.0 {
                    if is_last {
                        0.0
                    } else {
                        let stretch = spaces as f32 * stretch_per_space + pass.emergency;
                        if stretch <= 0.0 && pass.cap <= MAX_BADNESS {
                            MAX_BADNESS
                        } else if stretch <= 0.0 {
                            // The last resort: a lone word on a line is as
                            // loose as a line with one space to stretch.
                            let r = (slack / stretch_per_space.max(EPS)) as f64;
                            100.0 * r * r * r
                        } else {
                            let r = (slack / stretch) as f64;
                            (100.0 * r * r * r).min(pass.cap)
                        }
                    }
                } else {
                    let r = (-slack / shrinkable.max(EPS)) as f64;
                    (100.0 * r * r * r).min(pass.cap)
                }
            } else if is_last {
                0.0
            } else {
                let r = (slack.max(0.0) / ragged_stretch) as f64;
                (100.0 * r * r * r).min(MAX_BADNESS)
            };
            if badness > pass.tolerance {
                continue;
            }
            let fit = if JUSTIFY {
                fitness(badness, slack >= 0.0)
            } else {
                DECENT
            };
            let mut demerits = (LINE_PENALTY + badness).powi(2);
            if hyphen {
                demerits += hyphen_penalty * hyphen_penalty;
            } else if flagged {
                // Only justified text flags a break at a dash.
                demerits += JOINT_PENALTY * JOINT_PENALTY;
            }
            // The ending: a lone short word, or the tail of a hyphenated word.
            let prev_hyphen = start > 0 && pieces[start - 1].after == After::Hyphen;
            let bad_ending =
                is_last && start > 0 && spaces == 0 && (prev_hyphen || natural < m.width / 4.0);
            if bad_ending && pass.forbid_bad_ending {
                continue;
            }
            if bad_ending {
                demerits += FAULT_DEMERITS;
            }
            let prev_flagged = start > 0 && flagged_at(pieces[start - 1].after);
            if prev_flagged {
                if is_last {
                    demerits += FINAL_HYPHEN_DEMERITS;
                } else if flagged {
                    demerits += DOUBLE_HYPHEN_DEMERITS;
                }
            }
            // In state order, as ties go to the first.
            let mut states = live[start];
            while states != 0 {
                let k = states.trailing_zeros() as usize;
                states &= states - 1;
                let (f0, r0) = (k / RUNS, k % RUNS);
                let from = best[start * STATES + k];
                let mut d = demerits;
                if JUSTIFY && f0.abs_diff(fit) > 1 {
                    d += ADJ_DEMERITS;
                }
                let run = if hyphen { (r0 + 1).min(RUNS - 1) } else { 0 };
                let triple = hyphen && r0 + 1 >= RUNS;
                if triple {
                    d += FAULT_DEMERITS;
                }
                let total = from.total + d;
                let to = idx(fit, run);
                let reached = live[end] & (1 << to) != 0;
                let slot = &mut best[end * STATES + to];
                if if reached {
                    total < slot.total
                } else {
                    total < f64::INFINITY
                } {
                    *slot = Reached {
                        total,
                        from: start as u32,
                        state: k as u8,
                        fault: from.fault || triple || bad_ending,
                    };
                    live[end] |= 1 << to;
                }
            }
        }
    }
    // The least total at the end (the first of equals, in state order).
    let mut state = None::<usize>;
    let mut states = live[n];
    while states != 0 {
        let k = states.trailing_zeros() as usize;
        states &= states - 1;
        if state.is_none_or(|s| best[n * STATES + k].total < best[n * STATES + s].total) {
            state = Some(k);
        }
    }
    let mut state = state?;
    let fault = best[n * STATES + state].fault;
    let mut ends = Vec::new();
    let mut e = n;
    while e > 0 {
        ends.push(e);
        let r = best[e * STATES + state];
        e = r.from as usize;
        state = usize::from(r.state);
    }
    ends.reverse();
    Some((lines_at(pieces, m, &ends), fault))
}

/// The lines ending at `ends` (each one past its last piece).
fn lines_at(pieces: &[Piece], m: &Measure, ends: &[usize]) -> Vec<Line> {
    let n = pieces.len();
    let shrink_per_space = m.space * SHRINK;
    let mut lines = Vec::with_capacity(ends.len());
    let mut start = 0;
    for &end in ends {
        let is_last = end == n;
        let hyphen = pieces[end - 1].after == After::Hyphen && !is_last;
        let mut natural = if hyphen { m.hyphen } else { 0.0 };
        let mut spaces = 0;
        for i in (start..end).rev() {
            natural += pieces[i].width;
            if i + 1 < end && pieces[i].after == After::Space {
                natural += m.space;
                spaces += 1;
            }
        }
        let space_adjust = if m.justify && spaces > 0 && (!is_last || natural > m.width) {
            let slack = m.width - natural;
            if slack >= 0.0 {
                slack / spaces as f32
            } else {
                (slack / spaces as f32).max(-shrink_per_space)
            }
        } else {
            0.0
        };
        lines.push(Line {
            start,
            end,
            hyphen,
            natural,
            spaces,
            space_adjust,
        });
        start = end;
    }
    lines
}

/// [`total_fit`] for ragged text without hyphenation points, where every
/// break position has one state (a decent line, no hyphens before it): the
/// same programme in one dimension, the same sums in the same order, so the
/// same lines.
fn total_fit_ragged_plain(pieces: &[Piece], m: &Measure, pass: &Pass) -> Option<(Vec<Line>, bool)> {
    let n = pieces.len();
    if n == 0 {
        return Some((Vec::new(), false));
    }
    let ragged_stretch = (m.width / 5.0).max(1.0);
    let limit = m.width + EPS;
    // Per break position: the least total demerits of the lines before it
    // (infinite where no line ends, so no line starts there either), where
    // the last of them starts, and whether they hold a fault.
    let mut total = vec![f64::INFINITY; n + 1];
    let mut from = vec![0u32; n + 1];
    let mut fault = vec![false; n + 1];
    total[0] = 0.0;
    // Every line but the last.
    for end in 1..n {
        if !breakable(pieces[end - 1].after) {
            continue;
        }
        let (mut natural, mut least, mut at) = (0.0f32, f64::INFINITY, 0);
        for start in (0..end).rev() {
            let p = pieces[start];
            natural += p.width;
            if start + 1 < end && p.after == After::Space {
                natural += m.space;
            }
            if natural > limit {
                break;
            }
            let r = ((m.width - natural).max(0.0) / ragged_stretch) as f64;
            let badness = (100.0 * r * r * r).min(MAX_BADNESS);
            if badness > pass.tolerance {
                continue;
            }
            let t = total[start] + (LINE_PENALTY + badness).powi(2);
            if t < least {
                (least, at) = (t, start);
            }
        }
        if least < f64::INFINITY {
            (total[end], from[end], fault[end]) = (least, at as u32, fault[at]);
        }
    }
    // The last line: no badness, but perhaps a bad ending.
    let (mut natural, mut spaces) = (0.0f32, 0);
    let (mut least, mut at, mut faulty) = (f64::INFINITY, 0, false);
    for start in (0..n).rev() {
        let p = pieces[start];
        natural += p.width;
        if start + 1 < n && p.after == After::Space {
            natural += m.space;
            spaces += 1;
        }
        if natural > limit {
            break;
        }
        if 0.0 > pass.tolerance {
            continue;
        }
        let mut demerits = LINE_PENALTY.powi(2);
        let bad_ending = start > 0 && spaces == 0 && natural < m.width / 4.0;
        if bad_ending && pass.forbid_bad_ending {
            continue;
        }
        if bad_ending {
            demerits += FAULT_DEMERITS;
        }
        let t = total[start] + demerits;
        if t < least {
            (least, at, faulty) = (t, start, fault[start] || bad_ending);
        }
    }
    if least == f64::INFINITY {
        return None;
    }
    from[n] = at as u32;
    let mut ends = Vec::new();
    let mut e = n;
    while e > 0 {
        ends.push(e);
        e = from[e] as usize;
    }
    ends.reverse();
    Some((lines_at(pieces, m, &ends), faulty))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(widths: &[f32]) -> Vec<Piece> {
        let mut v: Vec<Piece> = widths
            .iter()
            .map(|&width| Piece {
                width,
                after: After::Space,
            })
            .collect();
        v.last_mut().unwrap().after = After::End;
        v
    }

    #[test]
    fn the_one_state_programme_breaks_as_the_general_one() {
        // Paragraphs of 1-80 words (whole widths of 5-60 pt, so that ties
        // are common; some joined by dashes or glue) at widths of 60-300
        // pt, from a fixed pseudo-random sequence.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |k: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % k
        };
        let mut compared = 0;
        for _ in 0..2000 {
            let n = 1 + next(80) as usize;
            let mut pieces: Vec<Piece> = (0..n)
                .map(|_| Piece {
                    width: 5.0 + next(56) as f32,
                    after: match next(12) {
                        0 => After::Joint,
                        1 => After::Glue,
                        _ => After::Space,
                    },
                })
                .collect();
            pieces[n - 1].after = After::End;
            let m = Measure {
                width: 60.0 + next(2400) as f32 / 10.0,
                space: 2.0 + next(3) as f32,
                hyphen: 3.0,
                justify: false,
            };
            for pass in [
                Pass::last_resort(),
                Pass {
                    forbid_bad_ending: true,
                    ..Pass::last_resort()
                },
            ] {
                let general = total_fit_as::<false>(&pieces, &m, &pass);
                let plain = total_fit_ragged_plain(&pieces, &m, &pass);
                assert_eq!(general, plain, "{pieces:?} {m:?}");
                compared += usize::from(general.is_some());
            }
        }
        assert!(compared > 1000, "{compared} paragraphs broken");
    }

    #[test]
    fn a_lone_short_word_is_not_left_on_the_last_line() {
        // Ten words fill the first line exactly; greedy breaking would leave
        // the short eleventh word alone.
        let mut widths = vec![25.0; 10];
        widths.push(10.0);
        let m = Measure {
            width: 280.0,
            space: 3.0,
            hyphen: 3.0,
            justify: false,
        };
        let lines = break_lines(&words(&widths), &m).unwrap();
        let last = lines.last().unwrap();
        assert!(last.end - last.start >= 2, "{lines:?}");
    }

    #[test]
    fn hyphenation_is_a_last_resort_when_ragged() {
        // "A" alone leaves a moderately ragged first line (32 pt short of
        // 160); hyphenating the next word would fill it. Ragged text takes
        // the rag; justified text, with its smaller hyphen penalty, the hyphen.
        let p = vec![
            Piece {
                width: 128.0,
                after: After::Space,
            },
            Piece {
                width: 26.0,
                after: After::Hyphen,
            },
            Piece {
                width: 20.0,
                after: After::Space,
            },
            Piece {
                width: 40.0,
                after: After::End,
            },
        ];
        let mut m = Measure {
            width: 160.0,
            space: 3.0,
            hyphen: 3.0,
            justify: false,
        };
        let ragged = break_lines(&p, &m).unwrap();
        assert!(ragged.iter().all(|l| !l.hyphen), "{ragged:?}");
        m.justify = true;
        let justified = break_lines(&p, &m).unwrap();
        assert!(justified[0].hyphen, "{justified:?}");
    }
}
