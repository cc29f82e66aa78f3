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

const LINE_PENALTY: f32 = 10.0;
/// Penalty of a hyphenated line break: justified text needs hyphens far more
/// than ragged text, where they are a last resort.
const HYPHEN_PENALTY_JUSTIFIED: f32 = 50.0;
const HYPHEN_PENALTY_RAGGED: f32 = 200.0;
const DOUBLE_HYPHEN_DEMERITS: f32 = 3000.0;
const RUNT_DEMERITS: f32 = 60_000.0;
const MAX_BADNESS: f32 = 10_000.0;
/// Numerical slack for width comparisons, in points.
const EPS: f32 = 1e-3;

/// Breaks a paragraph into lines. For ragged text the result is stable: it
/// is the breaking that the paragraph gets at its own measured width, so
/// breaking again at [`measured_width`] gives the same lines.
pub fn break_lines(pieces: &[Piece], m: &Measure) -> Result<Vec<Line>, Overfull> {
    let mut lines = total_fit(pieces, m)?;
    if m.justify {
        return Ok(lines);
    }
    // Narrowing the measure to the widest line can change which breaking is
    // optimal; repeat until the breaking is its own answer. The measure only
    // shrinks and each breaking stays feasible, so this ends.
    for _ in 0..32 {
        let w = measured_width(&lines);
        let again = total_fit(pieces, &Measure { width: w, ..*m })?;
        if same_breaks(&again, &lines) {
            return Ok(lines);
        }
        lines = again;
    }
    Ok(lines)
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

/// The dynamic programme: `best[j]` is the least total demerits of setting
/// pieces `0..j` with a break after piece `j - 1`.
fn total_fit(pieces: &[Piece], m: &Measure) -> Result<Vec<Line>, Overfull> {
    let n = pieces.len();
    if n == 0 {
        return Ok(Vec::new());
    }
    if let Some(piece) = pieces.iter().position(|p| p.width > m.width + EPS) {
        return Err(Overfull { piece });
    }
    let stretch_per_space = m.space * 0.5;
    let shrink_per_space = m.space / 3.0;
    let ragged_stretch = (m.width / 5.0).max(1.0);
    let hyphen_penalty = if m.justify {
        HYPHEN_PENALTY_JUSTIFIED
    } else {
        HYPHEN_PENALTY_RAGGED
    };
    let mut best = vec![f32::INFINITY; n + 1];
    let mut from = vec![0usize; n + 1];
    best[0] = 0.0;
    for end in 1..=n {
        let last_piece = pieces[end - 1];
        let is_last = end == n;
        if !is_last && !breakable(last_piece.after) {
            continue;
        }
        let hyphen = last_piece.after == After::Hyphen && !is_last;
        let mut natural = if hyphen { m.hyphen } else { 0.0 };
        let mut spaces = 0usize;
        for start in (0..end).rev() {
            natural += pieces[start].width;
            if start + 1 < end && pieces[start].after == After::Space {
                natural += m.space;
                spaces += 1;
            }
            let shrinkable = if m.justify {
                spaces as f32 * shrink_per_space
            } else {
                0.0
            };
            if natural - shrinkable > m.width + EPS {
                break;
            }
            if start > 0 && !breakable(pieces[start - 1].after) {
                continue;
            }
            if !best[start].is_finite() {
                continue;
            }
            let slack = m.width - natural;
            let badness = if is_last {
                0.0
            } else if m.justify {
                if slack >= 0.0 {
                    if spaces == 0 {
                        MAX_BADNESS
                    } else {
                        let r = slack / (spaces as f32 * stretch_per_space);
                        (100.0 * r * r * r).min(MAX_BADNESS)
                    }
                } else {
                    let r = -slack / shrinkable.max(EPS);
                    (100.0 * r * r * r).min(MAX_BADNESS)
                }
            } else {
                let r = slack.max(0.0) / ragged_stretch;
                (100.0 * r * r * r).min(MAX_BADNESS)
            };
            let mut demerits = (LINE_PENALTY + badness).powi(2);
            if hyphen {
                demerits += hyphen_penalty * hyphen_penalty;
                if start > 0 && pieces[start - 1].after == After::Hyphen {
                    demerits += DOUBLE_HYPHEN_DEMERITS;
                }
            }
            // A lone short word on the last line of a longer paragraph.
            if is_last && start > 0 && spaces == 0 && natural < m.width / 4.0 {
                demerits += RUNT_DEMERITS;
            }
            let total = best[start] + demerits;
            if total < best[end] {
                best[end] = total;
                from[end] = start;
            }
        }
    }
    if !best[n].is_finite() {
        // Every piece fits alone, so a breaking exists; this is unreachable
        // but kept as an error rather than a panic.
        return Err(Overfull { piece: 0 });
    }
    let mut ends = Vec::new();
    let mut e = n;
    while e > 0 {
        ends.push(e);
        e = from[e];
    }
    ends.reverse();
    let mut lines = Vec::with_capacity(ends.len());
    let mut start = 0;
    for end in ends {
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
    Ok(lines)
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
