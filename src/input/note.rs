//! The note: the words of one card (a TOML file, DESIGN.md "The note").

use super::toml_error;
use crate::diag::{Diagnostic, Place, Result};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The most text a note's fields may hold together, in bytes. A thank-you
/// note is a few hundred words; this bounds work on hostile input.
pub const MAX_NOTE_BYTES: usize = 20_000;

/// A commented starter note (`stationer init`, and the live preview when it
/// is started without a note): every key explained, ready to edit.
pub const STARTER_NOTE: &str = include_str!("starter-note.toml");

/// One text field of the note, with where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The text.
    pub text: String,
    /// 1-based line of the file where the text starts.
    pub line: usize,
}

impl Field {
    /// The 1-based line in the file of a byte offset into the text
    /// (exact unless the string holds escape sequences).
    pub fn line_of(&self, offset: usize) -> usize {
        self.line
            + self.text[..offset.min(self.text.len())]
                .matches('\n')
                .count()
    }
}

/// A validated note.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    /// The note file, as named by the user.
    pub path: PathBuf,
    /// The design it asks for (a bundled name or a path), if any.
    pub layout: Option<String>,
    /// "Dear Ms. Rivera," (optional).
    pub greeting: Option<Field>,
    /// The message; paragraphs separated by blank lines.
    pub body: Field,
    /// "With gratitude," (optional).
    pub closing: Option<Field>,
    /// The name printed under the signature area.
    pub signer: Field,
    /// The sender's contact line ("alex@example.com · 503 555 0142"),
    /// printed by designs whose header uses `{contact}` (optional). The same
    /// on every card of a batch: `{column}` placeholders are not filled in.
    pub contact: Option<Field>,
    /// The note's language (one of [`LANGS`]): hyphenation patterns and
    /// the quotation marks of smart punctuation. Default `en-US`.
    pub lang: String,
    /// Whether typed punctuation is made typographic ([`smarten`]); merged
    /// CSV values follow the note. Default on.
    pub smart_punctuation: bool,
}

/// The languages a note may name in `lang`.
pub const LANGS: [&str; 7] = ["en-US", "en-GB", "de", "fr", "es", "nl", "it"];

/// The language of `lang` as written (`en`, `en_gb`, `de-DE`, `FR`…), or
/// `None` for one without patterns.
pub fn known_lang(lang: &str) -> Option<&'static str> {
    let tag = lang.trim().replace('_', "-").to_ascii_lowercase();
    let (primary, region) = tag.split_once('-').unwrap_or((&tag, ""));
    match (primary, region) {
        ("en", "" | "us") => Some("en-US"),
        ("en", "gb" | "uk" | "ie" | "au" | "nz") => Some("en-GB"),
        ("en", _) => Some("en-US"),
        ("de", _) => Some("de"),
        ("fr", _) => Some("fr"),
        ("es", _) => Some("es"),
        ("nl", _) => Some("nl"),
        ("it", _) => Some("it"),
        _ => None,
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNote {
    layout: Option<String>,
    greeting: Option<Spanned<String>>,
    body: Spanned<String>,
    closing: Option<Spanned<String>>,
    signer: Spanned<String>,
    contact: Option<Spanned<String>>,
    lang: Option<Spanned<String>>,
    smart_punctuation: Option<bool>,
}

/// Parses and validates a note read from `path`.
pub fn parse_note(path: &Path, text: &str) -> Result<Note> {
    let raw: RawNote = toml::from_str(text).map_err(|e| toml_error(path, text, &e))?;
    let field = |s: &Spanned<String>| {
        let start = s.span().start;
        let mut line = crate::diag::line_col(text, start).0;
        // A multi-line string's first newline is not part of the value.
        let rest = &text[start.min(text.len())..];
        if (rest.starts_with("\"\"\"") || rest.starts_with("'''"))
            && rest[3..].starts_with(['\n', '\r'])
        {
            line += 1;
        }
        Field {
            text: s.get_ref().clone(),
            line,
        }
    };
    let lang = match &raw.lang {
        None => "en-US",
        Some(l) => known_lang(l.get_ref()).ok_or_else(|| {
            Diagnostic::at(
                Place {
                    line: Some(crate::diag::line_col(text, l.span().start).0),
                    ..Place::file(path)
                },
                format!("lang \"{}\" has no hyphenation patterns", l.get_ref()),
            )
            .hint(format!("one of {}", LANGS.join(", ")))
        })?,
    };
    let smart = raw.smart_punctuation.unwrap_or(true);
    let field = |s: &Spanned<String>| {
        let mut f = field(s);
        if smart {
            f.text = smarten(&f.text, lang);
        }
        f
    };
    let note = Note {
        lang: lang.to_string(),
        smart_punctuation: smart,
        path: path.to_path_buf(),
        layout: raw.layout,
        greeting: raw.greeting.as_ref().map(field),
        body: field(&raw.body),
        closing: raw.closing.as_ref().map(field),
        signer: field(&raw.signer),
        contact: raw.contact.as_ref().map(field),
    };
    note.check(path)?;
    Ok(note)
}

impl Note {
    /// The fields in reading order, with their keys.
    pub fn fields(&self) -> impl Iterator<Item = (&'static str, &Field)> {
        [
            ("greeting", self.greeting.as_ref()),
            ("body", Some(&self.body)),
            ("closing", self.closing.as_ref()),
            ("signer", Some(&self.signer)),
        ]
        .into_iter()
        .filter_map(|(k, f)| f.map(|f| (k, f)))
    }

    /// Checks what every note must satisfy (also after merging a CSV row).
    pub fn check(&self, path: &Path) -> Result<()> {
        let at = |f: &Field| Place {
            line: Some(f.line),
            col: None,
            ..Place::file(path)
        };
        if self.body.text.trim().is_empty() {
            return Err(Diagnostic::at(at(&self.body), "body is empty").into());
        }
        if self.signer.text.trim().is_empty() {
            return Err(Diagnostic::at(at(&self.signer), "signer is empty")
                .hint("the signer is the name printed under the signature area")
                .into());
        }
        let all = || {
            self.fields()
                .chain(self.contact.as_ref().map(|f| ("contact", f)))
        };
        let total: usize = all().map(|(_, f)| f.text.len()).sum();
        if total > MAX_NOTE_BYTES {
            return Err(Diagnostic::at(
                Place::file(path),
                format!("the note is {total} bytes long; a card holds far less (limit {MAX_NOTE_BYTES})"),
            )
            .into());
        }
        for (key, f) in all() {
            if key != "body" && f.text.trim().contains('\n') {
                return Err(Diagnostic::at(at(f), format!("{key} must be a single line")).into());
            }
            if let Some((i, c)) = f
                .text
                .char_indices()
                .find(|&(_, c)| c.is_control() && c != '\n' && c != '\t' && c != '\r')
            {
                return Err(Diagnostic::at(
                    Place {
                        line: Some(f.line_of(i)),
                        ..Place::file(path)
                    },
                    format!("{key} holds the control character U+{:04X}", c as u32),
                )
                .into());
            }
        }
        Ok(())
    }

    /// The body's paragraphs (split at blank lines) as words, each with its
    /// byte offset into the body text.
    pub fn paragraphs(&self) -> Vec<Vec<(usize, &str)>> {
        let text = self.body.text.as_str();
        let mut paragraphs = Vec::new();
        let mut current = Vec::new();
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            if line.trim().is_empty() {
                if !current.is_empty() {
                    paragraphs.push(std::mem::take(&mut current));
                }
            } else {
                current.extend(words(line).map(|(i, w)| (offset + i, w)));
            }
            offset += line.len();
        }
        if !current.is_empty() {
            paragraphs.push(current);
        }
        paragraphs
    }
}

/// Whether a character separates words: white space, except the no-break
/// spaces (no-break, narrow no-break, figure), which hold their words
/// together and print inside them.
pub fn is_word_space(c: char) -> bool {
    c.is_whitespace() && !matches!(c, '\u{00A0}' | '\u{202F}' | '\u{2007}')
}

/// The words of a text (split at white space, not at no-break spaces),
/// each with its byte offset.
pub fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split(is_word_space)
        .filter(|w| !w.is_empty())
        .map(move |w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
}

/// Typed punctuation made typographic, in the quotation marks of `lang`
/// (one of [`LANGS`]): straight double and single quotes become curly
/// opening and closing quotes (German „…“ and ‚…‘; French « … » with narrow
/// no-break spaces inside; Spanish and Italian «…»), an apostrophe inside
/// or after a word ’ (don’t, O’Brien, ’90s), `---` an em dash, `--` an en
/// dash and `...` an ellipsis. Text inside `{…}` placeholders is left alone.
pub fn smarten(text: &str, lang: &str) -> String {
    let (dq, sq) = match lang {
        "de" => (["\u{201E}", "\u{201C}"], ["\u{201A}", "\u{2018}"]),
        "fr" => (
            ["\u{AB}\u{202F}", "\u{202F}\u{BB}"],
            ["\u{2039}\u{202F}", "\u{202F}\u{203A}"],
        ),
        "es" | "it" => (["\u{AB}", "\u{BB}"], ["\u{2018}", "\u{2019}"]),
        _ => (["\u{201C}", "\u{201D}"], ["\u{2018}", "\u{2019}"]),
    };
    // Text with nothing to make typographic (most merged values) is kept.
    if !text.contains(['"', '\'']) && !text.contains("--") && !text.contains("...") {
        return text.to_owned();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut depth = 0usize;
    let mut open_double = false;
    let mut open_single = 0usize;
    let mut i = 0;
    // Whether a quote after `prev` opens: at the start, after white space,
    // an opening bracket, a dash or another opening quote.
    let opens = |prev: Option<char>| {
        prev.is_none_or(|p| {
            p.is_whitespace()
                || matches!(
                    p,
                    '(' | '['
                        | '{'
                        | '\u{2013}'
                        | '\u{2014}'
                        | '-'
                        | '/'
                        | '\u{201C}'
                        | '\u{2018}'
                        | '\u{201E}'
                        | '\u{201A}'
                        | '\u{AB}'
                        | '\u{2039}'
                )
        })
    };
    while i < chars.len() {
        let c = chars[i];
        let prev = out.chars().next_back();
        let next = chars.get(i + 1).copied();
        if c == '{' {
            depth += 1;
        } else if c == '}' {
            depth = depth.saturating_sub(1);
        }
        if depth > 0 || c == '}' {
            out.push(c);
            i += 1;
            continue;
        }
        match c {
            '-' if next == Some('-') => {
                if chars.get(i + 2) == Some(&'-') {
                    out.push('\u{2014}');
                    i += 3;
                } else {
                    out.push('\u{2013}');
                    i += 2;
                }
                continue;
            }
            '.' if next == Some('.') && chars.get(i + 2) == Some(&'.') => {
                out.push('\u{2026}');
                i += 3;
                continue;
            }
            '"' => {
                // Double quotes pair up: one is open until the next.
                open_double = !open_double;
                if open_double {
                    out.push_str(dq[0]);
                    if lang == "fr" && next.is_some_and(char::is_whitespace) {
                        i += 1; // the typed space becomes the narrow one
                    }
                } else {
                    if lang == "fr" && prev.is_some_and(char::is_whitespace) {
                        out.pop();
                    }
                    out.push_str(dq[1]);
                }
            }
            '\'' => {
                let letter_before = prev.is_some_and(char::is_alphanumeric);
                let letter_after = next.is_some_and(char::is_alphanumeric);
                let digit_after = next.is_some_and(|n| n.is_ascii_digit());
                if letter_before && letter_after {
                    // Inside a word: don’t, O’Brien.
                    out.push('\u{2019}');
                } else if open_single > 0
                    && (letter_before
                        || !opens(prev)
                        || next.is_none_or(|n| n.is_whitespace() || n.is_ascii_punctuation()))
                {
                    // Closes the single quote opened before, in the
                    // language's own mark (‚…‘ in German, ‹ … › in French).
                    open_single -= 1;
                    if lang == "fr" && prev.is_some_and(char::is_whitespace) {
                        out.pop();
                    }
                    out.push_str(sq[1]);
                } else if letter_before || (opens(prev) && digit_after) || !opens(prev) {
                    // An apostrophe: the students’ work, ’90s.
                    out.push('\u{2019}');
                } else {
                    open_single += 1;
                    out.push_str(sq[0]);
                    if lang == "fr" && next.is_some_and(char::is_whitespace) {
                        i += 1; // the typed space becomes the narrow one
                    }
                }
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_split_at_blank_lines() {
        let src = "body = \"\"\"\nOne two\nthree.\n\n  \nFour.\n\"\"\"\nsigner = \"A\"\n";
        let note = parse_note(Path::new("n.toml"), src).unwrap();
        let words: Vec<Vec<&str>> = note
            .paragraphs()
            .iter()
            .map(|p| p.iter().map(|w| w.1).collect())
            .collect();
        assert_eq!(words, vec![vec!["One", "two", "three."], vec!["Four."]]);
        assert_eq!(note.paragraphs()[1][0].0, 19);
        assert_eq!(note.body.line, 2);
        assert_eq!(note.signer.line, 8);
    }

    #[test]
    fn contact_is_optional_and_one_line() {
        let src = "body = \"x\"\nsigner = \"A\"\ncontact = \"a@example.com\"\n";
        let note = parse_note(Path::new("n.toml"), src).unwrap();
        assert_eq!(note.contact.unwrap().text, "a@example.com");
        let src = "body = \"x\"\nsigner = \"A\"\ncontact = \"\"\"\na\nb\n\"\"\"\n";
        let err = parse_note(Path::new("n.toml"), src)
            .unwrap_err()
            .to_string();
        assert!(err.contains("contact must be a single line"), "{err}");
    }

    #[test]
    fn punctuation_is_made_typographic() {
        assert_eq!(
            smarten("\"deep dive\" -- don't, O'Brien's '90s... a---b", "en-US"),
            "\u{201C}deep dive\u{201D} \u{2013} don\u{2019}t, O\u{2019}Brien\u{2019}s \u{2019}90s\u{2026} a\u{2014}b"
        );
        assert_eq!(smarten("'single'", "en-US"), "\u{2018}single\u{2019}");
        // Each language closes a single quote with its own mark.
        assert_eq!(smarten("'single'", "de"), "\u{201A}single\u{2018}");
        assert_eq!(
            smarten("'single'", "fr"),
            "\u{2039}\u{202F}single\u{202F}\u{203A}"
        );
        assert_eq!(
            smarten("' oui ' et l'ami", "fr"),
            "\u{2039}\u{202F}oui\u{202F}\u{203A} et l\u{2019}ami"
        );
        assert_eq!(
            smarten("'O'Brien's'", "de"),
            "\u{201A}O\u{2019}Brien\u{2019}s\u{2018}"
        );
        assert_eq!(
            smarten("the students' work", "de"),
            "the students\u{2019} work"
        );
        assert_eq!(
            smarten("Er sagte \"Danke\".", "de"),
            "Er sagte \u{201E}Danke\u{201C}."
        );
        assert_eq!(
            smarten("Il a dit \" merci \" et \"bravo\".", "fr"),
            "Il a dit \u{AB}\u{202F}merci\u{202F}\u{BB} et \u{AB}\u{202F}bravo\u{202F}\u{BB}."
        );
        // Placeholders' names are never touched.
        assert_eq!(
            smarten("\"{first--name's}\" -- ok", "en-US"),
            "\u{201C}{first--name's}\u{201D} \u{2013} ok"
        );
    }

    #[test]
    fn lang_and_smart_punctuation_keys() {
        let src = "body = \"it's\"\nsigner = \"A\"\n";
        let note = parse_note(Path::new("n.toml"), src).unwrap();
        assert_eq!(note.lang, "en-US");
        assert_eq!(note.body.text, "it\u{2019}s");
        let src = "body = \"it's\"\nsigner = \"A\"\nsmart_punctuation = false\nlang = \"de-DE\"\n";
        let note = parse_note(Path::new("n.toml"), src).unwrap();
        assert_eq!(note.body.text, "it's");
        assert_eq!(note.lang, "de");
        let src = "body = \"x\"\nsigner = \"A\"\nlang = \"tlh\"\n";
        let err = parse_note(Path::new("n.toml"), src)
            .unwrap_err()
            .to_string();
        assert!(err.contains("n.toml:3") && err.contains("en-GB"), "{err}");
    }

    #[test]
    fn no_break_spaces_hold_words_together() {
        let w: Vec<&str> = words("Ms.\u{A0}Núñez and\u{202F}co x\u{2009}y")
            .map(|w| w.1)
            .collect();
        assert_eq!(w, vec!["Ms.\u{A0}Núñez", "and\u{202F}co", "x", "y"]);
    }

    #[test]
    fn unknown_key_is_named_with_its_line() {
        let err = parse_note(
            Path::new("n.toml"),
            "body = \"x\"\nsigner = \"A\"\nsigne = \"B\"\n",
        )
        .unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("n.toml:3:1"), "{msg}");
        assert!(msg.contains("signe"), "{msg}");
    }
}
