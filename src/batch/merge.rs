//! Mail merge: a recipient list (CSV) and a note whose text fields hold
//! `{column}` placeholders (`{column?}` may be empty, `{column|default}` has
//! a default; the one parser of [`crate::template`]) become one note per
//! row, with every problem reported by row and column.

use crate::diag::{Diagnostic, Place, Result};
use crate::input::Note;
use crate::template;
use std::path::{Path, PathBuf};

/// The most recipient rows read from one CSV file.
pub const MAX_ROWS: usize = 100_000;
/// The largest CSV file read, in bytes.
pub const MAX_CSV_BYTES: u64 = 64 * 1024 * 1024;

/// A recipient list.
#[derive(Debug, Clone)]
pub struct Recipients {
    /// The file, as named by the user.
    pub path: PathBuf,
    /// Column names from the header row.
    pub headers: Vec<String>,
    /// Data rows in file order.
    pub rows: Vec<Row>,
}

/// One recipient.
#[derive(Debug, Clone)]
pub struct Row {
    /// 1-based number among the data rows (the header is not counted).
    pub number: usize,
    /// 1-based line of the file where the row starts.
    pub line: u64,
    /// One value per column.
    pub values: Vec<String>,
}

impl Recipients {
    /// Index of a column by name.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }

    /// The number of copies a row asks for in column `col`: 0 to 100,
    /// spaces around it allowed. The one reading of a copies column, for
    /// cards and envelopes.
    pub fn copies(&self, row: &Row, col: usize) -> std::result::Result<usize, Diagnostic> {
        match row.values[col].trim().parse::<usize>() {
            Ok(n) if n <= 100 => Ok(n),
            _ => Err(Diagnostic::at(
                self.place(row),
                format!(
                    "row {}, column {}: {} is not a number of copies (0 to 100)",
                    row.number,
                    crate::diag::quote(&self.headers[col]),
                    crate::diag::quote(&row.values[col])
                ),
            )),
        }
    }

    /// [`Recipients::copies`] with the copies column, if there is one; one
    /// copy without.
    pub fn copies_of(
        &self,
        row: &Row,
        col: Option<usize>,
    ) -> std::result::Result<usize, Diagnostic> {
        col.map_or(Ok(1), |c| self.copies(row, c))
    }

    /// A place in the CSV file: its line, for messages about a row.
    pub fn place(&self, row: &Row) -> Place {
        Place {
            line: Some(row.line as usize),
            ..Place::file(&self.path)
        }
    }
}

/// Reads a recipient list: a header row, then one row per recipient. UTF-8
/// with or without a byte-order mark, CRLF or LF line ends, RFC 4180 quoting
/// (commas, quotes and line breaks inside quoted fields). `-` reads standard
/// input, named `<standard input>` in messages.
pub fn read_csv(path: &Path) -> Result<Recipients> {
    let stdin = path.as_os_str() == "-";
    let path = if stdin {
        Path::new(crate::input::STDIN_NAME)
    } else {
        path
    };
    let fail = |why: String| Diagnostic::at(Place::file(path), why);
    let role = "the recipient list";
    let read = if stdin {
        crate::io::read_bounded_stdin(MAX_CSV_BYTES, role)
    } else {
        crate::io::read_bounded(path, MAX_CSV_BYTES, role)
    };
    let mut data = read.map_err(|e| match e {
        crate::io::ReadError::TooLarge(_) => fail(format!("cannot read: {e} for a recipient list")),
        e => fail(format!("cannot read: {e}")),
    })?;
    if data.starts_with(b"\xEF\xBB\xBF") {
        data.drain(..3);
    }
    let recipients = parse_csv(path, &data)?;
    if recipients.rows.is_empty() {
        return Err(
            fail("the list has no recipient rows, only a header (or nothing)".into())
                .hint("add one row per recipient under the header row")
                .into(),
        );
    }
    Ok(recipients)
}

/// Parses CSV bytes (see [`read_csv`]); `path` names the file in messages.
pub fn parse_csv(path: &Path, data: &[u8]) -> Result<Recipients> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(data);
    let mut records = reader.byte_records();
    let at_line = |line: u64, msg: String| {
        Diagnostic::at(
            Place {
                line: Some(line as usize),
                ..Place::file(path)
            },
            msg,
        )
    };
    let csv_error = |e: csv::Error| {
        let line = e.position().map_or(1, |p| {
            line_breaks(&data[..(p.byte() as usize).min(data.len())]) + 1
        });
        at_line(
            line,
            format!(
                "malformed CSV: {}",
                crate::diag::foreign_message(&e.to_string())
            ),
        )
    };
    let Some(header) = records.next() else {
        return Err(Diagnostic::at(
            Place::file(path),
            "the file is empty; it needs a header row naming the columns",
        )
        .into());
    };
    let header = header.map_err(csv_error)?;
    let mut headers = Vec::new();
    for (i, h) in header.iter().enumerate() {
        let h = std::str::from_utf8(h)
            .map_err(|_| at_line(1, format!("header column {} is not UTF-8 text", i + 1)))?;
        let h = h.trim().to_string();
        if h.is_empty() {
            return Err(at_line(1, format!("header column {} has no name", i + 1)).into());
        }
        if headers.contains(&h) {
            return Err(at_line(
                1,
                format!("the header names column {} twice", crate::diag::quote(&h)),
            )
            .into());
        }
        headers.push(h);
    }
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let (mut line, mut counted) = (1u64, 0usize);
    for record in records {
        let record = record.map_err(csv_error)?;
        // The csv crate's line numbers slip with CRLF line ends; count
        // from the record's byte offset instead.
        let mut byte = record
            .position()
            .map_or(0, |p| p.byte() as usize)
            .min(data.len());
        while byte < data.len() && matches!(data[byte], b'\r' | b'\n') {
            byte += 1;
        }
        line += line_breaks(&data[counted..byte]);
        counted = byte;
        // A line holding nothing at all is skipped, as spreadsheets write them.
        if record.len() == 1 && record[0].is_empty() {
            continue;
        }
        let number = rows.len() + problems.len() + 1;
        if rows.len() >= MAX_ROWS {
            return Err(at_line(
                line,
                format!("more than {MAX_ROWS} recipient rows; split the list"),
            )
            .into());
        }
        if record.len() != headers.len() {
            problems.push(
                at_line(
                    line,
                    format!(
                        "row {number} has {} fields; the header has {}",
                        record.len(),
                        headers.len()
                    ),
                )
                .hint("a field holding a comma must be quoted: \"Smith, Jones & Partners\""),
            );
            continue;
        }
        let mut values = Vec::with_capacity(record.len());
        let mut bad = false;
        for (i, v) in record.iter().enumerate() {
            match std::str::from_utf8(v) {
                Ok(v) => values.push(v.trim().to_string()),
                Err(_) => {
                    problems.push(
                        at_line(
                            line,
                            format!(
                                "row {number}, column {}: not UTF-8 text",
                                crate::diag::quote(&headers[i])
                            ),
                        )
                        .hint("save the file as UTF-8 (CSV UTF-8 in a spreadsheet)"),
                    );
                    bad = true;
                    break;
                }
            }
        }
        if !bad {
            rows.push(Row {
                number,
                line,
                values,
            });
        }
    }
    // Quotes come in pairs in any well-formed file; an odd count means a
    // quoted field runs on to the end of the file.
    if data.iter().filter(|&&b| b == b'"').count() % 2 == 1 {
        problems.push(match first_quote_problem(data) {
            Some((at, true)) => at_line(
                line_breaks(&data[..at]) + 1,
                "a quote inside a field that does not start with one".into(),
            )
            .hint("quote the whole field and write the quote twice: \"The \"\"Quoted\"\" Press\""),
            opened => at_line(
                opened.map_or_else(
                    || rows.last().map_or(line, |r: &Row| r.line),
                    |(at, _)| line_breaks(&data[..at]) + 1,
                ),
                "a quoted field is never closed (unbalanced quotes)".into(),
            )
            .hint("a quote inside a quoted field is written twice: \"The \"\"Quoted\"\" Press\""),
        });
    }
    if !problems.is_empty() {
        return Err(crate::diag::Error(problems));
    }
    Ok(Recipients {
        path: path.to_path_buf(),
        headers,
        rows,
    })
}

/// Line breaks in CSV bytes: LF, CRLF or a lone CR (old Mac files) each
/// end one line.
fn line_breaks(data: &[u8]) -> u64 {
    let mut n = 0;
    for (i, &b) in data.iter().enumerate() {
        if b == b'\n' || (b == b'\r' && data.get(i + 1) != Some(&b'\n')) {
            n += 1;
        }
    }
    n
}

/// Where the quoting of a CSV first goes wrong: the byte offset of a bare
/// quote inside an unquoted field (`true`), or of the opening quote of a
/// quoted field that is never closed (`false`).
fn first_quote_problem(data: &[u8]) -> Option<(usize, bool)> {
    let (mut field_start, mut quoted_at, mut i) = (true, None, 0);
    while i < data.len() {
        let b = data[i];
        match quoted_at {
            Some(_) if b == b'"' && data.get(i + 1) == Some(&b'"') => i += 1,
            Some(_) if b == b'"' => quoted_at = None,
            Some(_) => {}
            None if b == b'"' && field_start => quoted_at = Some(i),
            None if b == b'"' => return Some((i, true)),
            None => {}
        }
        field_start = quoted_at.is_none() && matches!(b, b',' | b'\n' | b'\r');
        i += 1;
    }
    quoted_at.map(|at| (at, false))
}

/// Refuses a note whose text has `{column}` placeholders when there is no
/// recipient list to fill them: rendered alone it would print the braces.
/// The error names every placeholder at its line and suggests a batch.
pub fn refuse_unfilled(note: &Note) -> Result<()> {
    let mut names: Vec<String> = Vec::new();
    let mut first: Option<Place> = None;
    for (_, field) in note.fields() {
        let Ok(t) = template::parse(&field.text) else {
            continue;
        };
        for f in t.fields() {
            if first.is_none() {
                first = Some(Place {
                    line: Some(field.line_of(f.offset)),
                    ..Place::file(&note.path)
                });
            }
            let name = format!("{{{}}}", f.name);
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    let Some(place) = first else {
        return Ok(());
    };
    Err(Diagnostic::at(
        place,
        format!(
            "the note has placeholders ({}) and no recipient list to fill them",
            names.join(", ")
        ),
    )
    .hint(
        "make one card per recipient with `stationer batch` and a recipient list (CSV) \
         whose columns fill them, or write the values into the note",
    )
    .into())
}

/// A note whose text fields take values from a recipient row.
#[derive(Debug, Clone)]
pub struct Template {
    note: Note,
    /// Per field key: its template, parsed by [`crate::template::parse`].
    fields: Vec<(&'static str, template::Template)>,
}

impl Template {
    /// Parses the placeholders of every text field of a note (`{column}`,
    /// `{column?}`, `{column|default}`, `{{ }}`: see [`crate::template`])
    /// against the recipient list's columns. An unknown column, an unclosed
    /// brace or an empty placeholder is an error naming the note's line.
    pub fn new(note: &Note, recipients: &Recipients) -> Result<Template> {
        let mut fields = Vec::new();
        let mut problems = Vec::new();
        for (key, field) in note.fields() {
            let at = |offset: usize, message: String, hint: String| {
                Diagnostic::at(
                    Place {
                        line: Some(field.line_of(offset)),
                        ..Place::file(&note.path)
                    },
                    format!("{key}: {message}"),
                )
                .hint(hint)
            };
            match template::parse(&field.text) {
                Ok(t) => {
                    let unknown: Vec<&template::Field> = t
                        .fields()
                        .filter(|f| recipients.column(&f.name).is_none())
                        .collect();
                    if unknown.is_empty() {
                        fields.push((key, t));
                        continue;
                    }
                    problems.extend(unknown.into_iter().map(|f| {
                        let columns = format!(
                            "columns: {}",
                            crate::diag::list(recipients.headers.iter().map(|h| h.as_str()), 12)
                        );
                        let hint = match crate::diag::closest(
                            &f.name,
                            recipients.headers.iter().map(String::as_str),
                        ) {
                            Some(near) => format!(
                                "did you mean {}? {columns}",
                                crate::diag::escape(
                                    &format!("{{{near}}}"),
                                    crate::diag::QUOTE_MAX_CHARS
                                )
                            ),
                            None => columns,
                        };
                        at(
                            f.offset,
                            format!(
                                "the placeholder {} names no column of {}",
                                crate::diag::escape(
                                    &format!("{{{}}}", f.name),
                                    crate::diag::QUOTE_MAX_CHARS
                                ),
                                crate::diag::path(&recipients.path)
                            ),
                            hint,
                        )
                    }));
                }
                Err(e) => problems.push(at(e.offset, e.message, e.hint)),
            }
        }
        if !problems.is_empty() {
            return Err(crate::diag::Error(problems));
        }
        Ok(Template {
            note: note.clone(),
            fields,
        })
    }

    /// The columns the template uses.
    pub fn columns(&self, recipients: &Recipients) -> Vec<usize> {
        let mut cols: Vec<usize> = self
            .fields
            .iter()
            .flat_map(|(_, t)| t.fields())
            .filter_map(|f| recipients.column(&f.name))
            .collect();
        cols.sort_unstable();
        cols.dedup();
        cols
    }

    /// Whether no field of the note has a placeholder: every row makes the
    /// same card.
    pub fn is_literal(&self) -> bool {
        self.fields.iter().all(|(_, t)| t.is_literal())
    }

    /// The note for one row. A required placeholder (neither `?` nor a
    /// default) whose column is empty in the row is an error naming the row
    /// and column.
    pub fn merge(&self, recipients: &Recipients, row: &Row) -> Result<Note> {
        let mut note = self.note.clone();
        let mut problems = Vec::new();
        for (key, t) in &self.fields {
            let filled = t.fill(|f| {
                let value = recipients
                    .column(&f.name)
                    .map_or_else(String::new, |c| row.values[c].clone());
                // Merged values are made typographic as the note's own text was.
                if note.smart_punctuation {
                    crate::input::note::smarten(&value, &note.lang)
                } else {
                    value
                }
            });
            for f in filled.empty {
                problems.push(
                    Diagnostic::at(
                        recipients.place(row),
                        format!(
                            "row {}, column {}: empty, but the note's {key} uses it",
                            row.number,
                            crate::diag::quote(&f.name)
                        ),
                    )
                    .hint(format!(
                        "fill in the value or remove the row; or write {{{0}?}} in the note \
                         if it may be empty, or {{{0}|default}} to give a default",
                        f.name
                    )),
                );
            }
            let field = match *key {
                "greeting" => note.greeting.as_mut(),
                "body" => Some(&mut note.body),
                "closing" => note.closing.as_mut(),
                _ => Some(&mut note.signer),
            };
            if let Some(f) = field {
                f.text = filled.text;
            }
        }
        if !problems.is_empty() {
            return Err(crate::diag::Error(problems));
        }
        note.check(&recipients.path).map_err(|e| {
            crate::diag::Error(
                e.0.into_iter()
                    .map(|d| Diagnostic {
                        place: Some(recipients.place(row)),
                        message: format!("row {}: {}", row.number, d.message),
                        ..d
                    })
                    .collect(),
            )
        })?;
        Ok(note)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recipients(csv: &str) -> Recipients {
        parse_csv(Path::new("r.csv"), csv.as_bytes()).unwrap()
    }

    #[test]
    fn reads_quotes_commas_and_line_breaks() {
        let r = recipients("name,company\r\n\"Ann\",\"Smith, Jones & Partners\"\r\n\"Bo \"\"B\"\"\",\"Two\nLines\"\r\n");
        assert_eq!(r.headers, ["name", "company"]);
        assert_eq!(r.rows[0].values, ["Ann", "Smith, Jones & Partners"]);
        assert_eq!(r.rows[1].values, ["Bo \"B\"", "Two\nLines"]);
        assert_eq!(r.rows[1].number, 2);
        assert_eq!(r.rows[1].line, 3);
    }

    #[test]
    fn ragged_rows_are_reported_by_row() {
        let err = parse_csv(Path::new("r.csv"), b"a,b\n1,2\n1\n1,2,3\n").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("r.csv:3: row 2 has 1 fields"), "{msg}");
        assert!(msg.contains("r.csv:4: row 3 has 3 fields"), "{msg}");
    }

    #[test]
    fn placeholders_and_literal_braces() {
        let r = recipients("name\nAnn\n");
        let note = crate::input::note::parse_note(
            Path::new("n.toml"),
            "body = \"Hi {name}, {{not}} }}x{{\"\nsigner = \"{ name }\"\n",
        )
        .unwrap();
        let t = Template::new(&note, &r).unwrap();
        let merged = t.merge(&r, &r.rows[0]).unwrap();
        assert_eq!(merged.body.text, "Hi Ann, {not} }x{");
        assert_eq!(merged.signer.text, "Ann");
    }

    #[test]
    fn unknown_column_is_named_with_the_columns() {
        let r = recipients("name,title\nAnn,Dr.\n");
        let note = crate::input::note::parse_note(
            Path::new("n.toml"),
            "body = \"x\"\nsigner = \"{nmae}\"\n",
        )
        .unwrap();
        let msg = Template::new(&note, &r).unwrap_err().to_string();
        assert!(
            msg.contains("n.toml:2") && msg.contains("{nmae}") && msg.contains("name, title"),
            "{msg}"
        );
    }

    #[test]
    fn optional_and_default_placeholders_follow_the_template_rule() {
        let r = recipients("name,title\nAnn,\n,Dr.\n");
        let note = crate::input::note::parse_note(
            Path::new("n.toml"),
            "greeting = \"Dear {title?} {name|Friend},\"\nbody = \"x\"\nsigner = \"B\"\n",
        )
        .unwrap();
        let t = Template::new(&note, &r).unwrap();
        assert!(!t.is_literal());
        assert_eq!(t.columns(&r), [0, 1]);
        let greeting = |i: usize| t.merge(&r, &r.rows[i]).unwrap().greeting.unwrap().text;
        assert_eq!(greeting(0), "Dear Ann,");
        assert_eq!(greeting(1), "Dear Dr. Friend,");
    }

    #[test]
    fn every_unknown_placeholder_is_named_at_its_line() {
        let r = recipients("name\nAnn\n");
        let note = crate::input::note::parse_note(
            Path::new("n.toml"),
            "body = \"\"\"\n{a}\nand {b?}\n\"\"\"\nsigner = \"{name}\"\n",
        )
        .unwrap();
        let e = Template::new(&note, &r).unwrap_err();
        let msg = e.to_string();
        assert_eq!(e.0.len(), 2, "{msg}");
        assert!(msg.contains("n.toml:2: body: the placeholder {a}"), "{msg}");
        assert!(msg.contains("n.toml:3: body: the placeholder {b}"), "{msg}");
    }
}
