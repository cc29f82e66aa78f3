//! Where a word may break across lines: the rules of Unicode line breaking
//! (UAX #14) that apply inside a word (between ideographs, after dashes),
//! places in URLs and e-mail addresses, zero-width spaces and soft hyphens;
//! never next to a no-break space or word joiner.
//!
//! Words are what lies between ordinary spaces; a no-break space, narrow
//! no-break space or figure space is part of its word (see
//! `input::note::words`), so no line can end at one.

use unicode_linebreak::{break_property, BreakClass};

/// A word ready to shape: the characters that print nothing (zero-width
/// space, soft hyphen, word joiner) taken out, and where it may break.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    /// The text to shape and print.
    pub text: String,
    /// Byte offsets into `text` where a break may come, each with whether a
    /// break there adds a hyphen (a soft hyphen), in order.
    pub breaks: Vec<(usize, bool)>,
    /// Whether the word has a soft hyphen: its author chose where it may be
    /// hyphenated, so dictionary hyphenation is not used.
    pub soft_hyphens: bool,
}

fn glue(c: char) -> bool {
    matches!(
        break_property(c as u32),
        BreakClass::NonBreakingGlue | BreakClass::WordJoiner
    )
}

/// Characters between which UAX #14 breaks inside a word: ideographs,
/// kana, hangul and the like.
fn breaks_around(c: char) -> bool {
    matches!(
        break_property(c as u32),
        BreakClass::Ideographic
            | BreakClass::ConditionalJapaneseStarter
            | BreakClass::HangulLvSyllable
            | BreakClass::HangulLvtSyllable
            | BreakClass::HangulLJamo
            | BreakClass::HangulVJamo
            | BreakClass::HangulTJamo
            | BreakClass::ZeroWidthSpace
    )
}

/// Whether a word is a URL or an e-mail address.
fn is_address(word: &str) -> bool {
    word.contains("://")
        || word.starts_with("www.")
        || word
            .split_once('@')
            .is_some_and(|(a, b)| !a.is_empty() && b.contains('.'))
}

/// Prepares one word (no ordinary white space inside) for shaping.
pub fn prepare(word: &str) -> Prepared {
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    let address = is_address(word);
    // Breaks before the character at index i of `chars`, with whether a
    // hyphen is added; and whether a break there is forbidden.
    let mut at: Vec<Option<bool>> = vec![None; chars.len() + 1];
    let mut forbidden = vec![false; chars.len() + 1];
    for (i, &(_, c)) in chars.iter().enumerate() {
        if glue(c) {
            forbidden[i] = true;
            forbidden[i + 1] = true;
        }
        let next = chars.get(i + 1).map(|p| p.1);
        match c {
            '\u{200B}' => at[i + 1] = Some(false),
            '\u{00AD}' => at[i + 1] = Some(true),
            '-' | '\u{2010}' | '\u{2013}' | '\u{2014}' | '/' if i > 0 => {
                at[i + 1].get_or_insert(false);
            }
            '.' | '@' | '_' | '?' | '&' | '=' | '#' | '~' | ':'
                if address && i > 0 && next.is_some_and(|n| n.is_alphanumeric()) =>
            {
                at[i + 1].get_or_insert(false);
            }
            _ => {}
        }
        if let Some(n) = next {
            if (breaks_around(c) || breaks_around(n)) && !matches!(c, '\u{200B}' | '\u{00AD}') {
                // Only where UAX #14 itself allows it (no break before
                // closing punctuation, small kana, ...).
                let pair: String = [c, n].iter().collect();
                let allowed =
                    unicode_linebreak::linebreaks(&pair).any(|(pos, _)| pos == c.len_utf8());
                if allowed {
                    at[i + 1].get_or_insert(false);
                }
            }
        }
    }
    // A URL's "//" stays together (a break may follow it).
    if address {
        for (i, w) in chars.windows(2).enumerate() {
            if w[0].1 == '/' && w[1].1 == '/' {
                at[i + 1] = None;
            }
        }
    }
    let mut text = String::with_capacity(word.len());
    let mut breaks = Vec::new();
    let mut soft_hyphens = false;
    for (i, &(_, c)) in chars.iter().enumerate() {
        if let Some(hyphen) = at[i] {
            if !forbidden[i] && !text.is_empty() {
                match breaks.last_mut() {
                    Some((o, h)) if *o == text.len() => *h |= hyphen,
                    _ => breaks.push((text.len(), hyphen)),
                }
            }
        }
        match c {
            '\u{200B}' | '\u{2060}' | '\u{FEFF}' => {}
            '\u{00AD}' => soft_hyphens = true,
            _ => text.push(c),
        }
    }
    // No break at the very end (after a trailing dash or soft hyphen).
    breaks.retain(|&(o, _)| o < text.len());
    Prepared {
        text,
        breaks,
        soft_hyphens,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_characters_become_breaks() {
        let p = prepare("long\u{200B}word");
        assert_eq!(p.text, "longword");
        assert_eq!(p.breaks, vec![(4, false)]);
        let p = prepare("hy\u{AD}phen\u{AD}ation");
        assert_eq!(p.text, "hyphenation");
        assert_eq!(p.breaks, vec![(2, true), (6, true)]);
        assert!(p.soft_hyphens);
    }

    #[test]
    fn no_break_next_to_glue() {
        let p = prepare("a-\u{2060}b");
        assert_eq!(p.text, "a-b");
        assert!(p.breaks.is_empty(), "{p:?}");
        let p = prepare("Núñez\u{A0}Ms.");
        assert!(p.breaks.is_empty(), "{p:?}");
        let p = prepare("well-\u{A0}x");
        assert!(p.breaks.is_empty(), "{p:?}");
    }

    #[test]
    fn addresses_break_after_separators() {
        let p = prepare("https://example.com/a/b");
        let cut: Vec<&str> = p.breaks.iter().map(|&(o, _)| &p.text[o..]).collect();
        assert_eq!(cut, vec!["example.com/a/b", "com/a/b", "a/b", "b"]);
        let p = prepare("first.last@example.org");
        let cut: Vec<&str> = p.breaks.iter().map(|&(o, _)| &p.text[o..]).collect();
        assert_eq!(cut, vec!["last@example.org", "example.org", "org"]);
        // An ordinary sentence's full stop is not a break.
        assert!(prepare("end.Next").breaks.is_empty());
    }

    #[test]
    fn ideographs_break_between_each_other() {
        let p = prepare("山田太郎");
        assert_eq!(p.breaks.len(), 3);
        // Not before an ideographic full stop.
        let p = prepare("山田。");
        assert_eq!(p.breaks, vec![(3, false)]);
    }
}
