//! Both directions: the Unicode bidirectional algorithm (UAX #9, by the
//! `unicode-bidi` crate) per paragraph. Lines are broken in logical order;
//! each line's words are then put in display order by [`visual_order`].
//! A word is shaped in its own direction (see `shape`), so the unit of
//! reordering is the word, or, where the algorithm gives a word's
//! characters different levels (the full stop after a Hebrew name in an
//! English sentence stays on the name's right), each run of one level in
//! it ([`Levels::runs`]).

use std::ops::Range;
use unicode_bidi::ParagraphBidiInfo;

/// A paragraph's direction and the embedding level of each of its words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Levels {
    /// Whether the paragraph is right to left (its first strong letter is
    /// Hebrew, Arabic, …): it is then set flush right.
    pub rtl: bool,
    /// Per word, its resolved embedding level (odd: right to left).
    pub words: Vec<u8>,
    /// Per word, its runs of one resolved level: byte ranges in the word
    /// and their levels, in logical order. Empty for a paragraph without a
    /// right-to-left letter, where every word is one run at level 0.
    pub runs: Vec<Vec<(Range<usize>, u8)>>,
}

/// The levels of a paragraph made of `words` separated by spaces.
pub fn levels<'a>(words: impl Iterator<Item = &'a str> + Clone) -> Levels {
    if !words.clone().any(has_rtl_char) {
        // The common case, and the only answer for text without a
        // right-to-left letter: everything at level 0.
        return Levels {
            rtl: false,
            words: vec![0; words.count()],
            runs: Vec::new(),
        };
    }
    let mut text = String::new();
    let mut starts = Vec::new();
    for (i, w) in words.enumerate() {
        if i > 0 {
            text.push(' ');
        }
        starts.push((text.len(), w.len()));
        text.push_str(w);
    }
    let info = ParagraphBidiInfo::new(&text, None);
    let runs = starts
        .iter()
        .map(|&(start, len)| {
            let mut runs: Vec<(Range<usize>, u8)> = Vec::new();
            let word = &text[start..start + len];
            for (i, c) in word.char_indices() {
                let level = info.levels.get(start + i).map_or(0, |l| l.number());
                match runs.last_mut() {
                    Some((r, l)) if *l == level => r.end = i + c.len_utf8(),
                    _ => runs.push((i..i + c.len_utf8(), level)),
                }
            }
            if runs.is_empty() {
                runs.push((0..0, info.paragraph_level.number()));
            }
            runs
        })
        .collect();
    let words = starts
        .iter()
        .map(|&(start, len)| {
            let word = &text[start..start + len];
            // The level of the word's first letter or digit (its neutral
            // punctuation follows the letters it is attached to).
            let at = word
                .char_indices()
                .find(|(_, c)| c.is_alphanumeric())
                .map_or(0, |(i, _)| i);
            info.levels
                .get(start + at)
                .map_or(info.paragraph_level.number(), |l| l.number())
        })
        .collect();
    Levels {
        rtl: info.paragraph_level.is_rtl(),
        words,
        runs,
    }
}

/// Whether a text has a character of a right-to-left class. A character
/// from U+0590 (Hebrew) up starts with a byte of 0xD6 or more in UTF-8, so
/// text without such a byte (all Latin text) is answered by a byte scan.
fn has_rtl_char(text: &str) -> bool {
    text.bytes().any(|b| b >= 0xD6) && text.chars().any(is_rtl_char)
}

/// Whether a character is of a right-to-left class (R, AL).
fn is_rtl_char(c: char) -> bool {
    // Nothing before Hebrew is right to left (a quick answer for Latin).
    c >= '\u{0590}'
        && matches!(
            unicode_bidi::bidi_class(c),
            unicode_bidi::BidiClass::R | unicode_bidi::BidiClass::AL
        )
}

/// The display order of a line's items at these levels (rule L2): from
/// the highest level down to the lowest odd one, every run of items at
/// that level or above is reversed. `order[k]` is the logical index of the
/// k-th item from the left.
pub fn visual_order(levels: &[u8]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..levels.len()).collect();
    let Some(&max) = levels.iter().max() else {
        return order;
    };
    let min_odd = levels.iter().copied().filter(|l| l % 2 == 1).min();
    let Some(min_odd) = min_odd else {
        return order;
    };
    for level in (min_odd..=max).rev() {
        let mut i = 0;
        while i < order.len() {
            if levels[order[i]] >= level {
                let start = i;
                while i < order.len() && levels[order[i]] >= level {
                    i += 1;
                }
                order[start..i].reverse();
            } else {
                i += 1;
            }
        }
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hebrew_name_in_english_is_reversed_as_a_unit() {
        let words = ["Thanks,", "דוד", "לוי,", "for", "it."];
        let l = levels(words.iter().copied());
        assert!(!l.rtl);
        assert_eq!(l.words, vec![0, 1, 1, 0, 0]);
        assert_eq!(visual_order(&l.words), vec![0, 2, 1, 3, 4]);
        // The comma after the name is at the English sentence's level: a
        // run of its own, shown on the name's right.
        assert_eq!(l.runs[2], vec![(0..6, 1), (6..7, 0)]);
        assert_eq!(l.runs[1], vec![(0..6, 1)]);
        assert_eq!(l.runs[0], vec![(0..7, 0)]);
    }

    #[test]
    fn a_hebrew_paragraph_is_right_to_left() {
        let words = ["שלום", "דוד", "2024"];
        let l = levels(words.iter().copied());
        assert!(l.rtl);
        assert_eq!(l.words, vec![1, 1, 2]);
        assert_eq!(visual_order(&l.words), vec![2, 1, 0]);
        let latin = levels(["a", "b"].iter().copied());
        assert_eq!(
            latin,
            Levels {
                rtl: false,
                words: vec![0, 0],
                runs: Vec::new(),
            }
        );
    }
}
