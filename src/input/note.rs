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
    let note = Note {
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

/// The words of a text (split at white space), each with its byte offset.
pub fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split(char::is_whitespace)
        .filter(|w| !w.is_empty())
        .map(move |w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
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
