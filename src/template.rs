//! The one `{name}` template parser, used by the note's placeholders in a
//! batch, the design's lettering, `--split-name` file names and envelope
//! city lines, so every template in Stationer follows one rule:
//!
//! - `{name}` is a placeholder; white space around the name is ignored;
//! - `{name?}` may come out empty, and then the space before it goes with it
//!   (`"Dear {title?} {name},"` reads `"Dear Ann,"` without a title);
//! - `{name|default}` takes `default` when the value is empty;
//! - `{{` and `}}` are literal braces; a lone `}`, a `{` never closed and an
//!   empty name are errors.
//!
//! Which names exist, and what an empty required value means, is the
//! caller's business: [`Template::fill`] reports the required placeholders
//! that came out empty.

use std::fmt;

/// A placeholder of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The name between the braces, trimmed.
    pub name: String,
    /// `{name?}`: may be empty.
    pub optional: bool,
    /// `{name|default}`: the value used when the field is empty.
    pub default: Option<String>,
    /// Byte offset of the opening `{` in the template's source.
    pub offset: usize,
}

impl Field {
    /// Whether an empty value is a problem: neither `?` nor a default.
    pub fn required(&self) -> bool {
        !self.optional && self.default.is_none()
    }
}

/// A piece of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Literal text, braces unescaped.
    Text(String),
    /// A placeholder.
    Field(Field),
}

/// A parsed template.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Template {
    /// Text and placeholders, in order.
    pub parts: Vec<Part>,
}

/// Why a template could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    /// Byte offset in the source where the problem starts.
    pub offset: usize,
    /// What is wrong: short, lower-case.
    pub message: String,
    /// How to write it instead.
    pub hint: String,
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// A template filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filled<'t> {
    /// The text.
    pub text: String,
    /// Required placeholders whose value was empty, in order.
    pub empty: Vec<&'t Field>,
}

/// Parses a template.
pub fn parse(source: &str) -> Result<Template, TemplateError> {
    let mut parts = Vec::new();
    let mut lit = String::new();
    let mut i = 0;
    let bytes = source.as_bytes();
    while i < source.len() {
        let Some(k) = source[i..].find(['{', '}']) else {
            lit.push_str(&source[i..]);
            break;
        };
        let at = i + k;
        lit.push_str(&source[i..at]);
        let next = bytes.get(at + 1).copied();
        match (bytes[at], next) {
            (b'{', Some(b'{')) => {
                lit.push('{');
                i = at + 2;
            }
            (b'}', Some(b'}')) => {
                lit.push('}');
                i = at + 2;
            }
            (b'}', _) => {
                return Err(TemplateError {
                    offset: at,
                    message: "a '}' has no '{'".into(),
                    hint: "write }} for a literal brace".into(),
                })
            }
            _ => {
                let Some(len) = source[at + 1..].find('}') else {
                    return Err(TemplateError {
                        offset: at,
                        message: "a '{' is never closed".into(),
                        hint: "write {{ for a literal brace".into(),
                    });
                };
                let inner = &source[at + 1..at + 1 + len];
                let field = parse_field(inner, at)?;
                if !lit.is_empty() {
                    parts.push(Part::Text(std::mem::take(&mut lit)));
                }
                parts.push(Part::Field(field));
                i = at + 1 + len + 1;
            }
        }
    }
    if !lit.is_empty() {
        parts.push(Part::Text(lit));
    }
    Ok(Template { parts })
}

fn parse_field(inner: &str, offset: usize) -> Result<Field, TemplateError> {
    let (name, default) = match inner.split_once('|') {
        Some((n, d)) => (n, Some(d.to_string())),
        None => (inner, None),
    };
    if inner.contains('{') {
        return Err(TemplateError {
            offset,
            message: "a '{' inside a placeholder".into(),
            hint: "close the placeholder first, or write {{ for a literal brace".into(),
        });
    }
    let name = name.trim();
    let (name, optional) = match name.strip_suffix('?') {
        Some(n) => (n.trim_end(), true),
        None => (name, false),
    };
    if name.is_empty() {
        return Err(TemplateError {
            offset,
            message: "an empty or broken placeholder".into(),
            hint: "write {name} with a name, or {{ for a literal brace".into(),
        });
    }
    Ok(Field {
        name: name.to_string(),
        optional,
        default,
        offset,
    })
}

impl Template {
    /// The placeholders, in order.
    pub fn fields(&self) -> impl Iterator<Item = &Field> {
        self.parts.iter().filter_map(|p| match p {
            Part::Field(f) => Some(f),
            Part::Text(_) => None,
        })
    }

    /// Whether the template has no placeholders.
    pub fn is_literal(&self) -> bool {
        self.fields().next().is_none()
    }

    /// Fills the template, taking each placeholder's value from `value`. An
    /// empty optional value takes the spaces before it along (or, at the
    /// start of a line, the spaces after it); an empty value with a default
    /// takes the default.
    pub fn fill<'t>(&'t self, mut value: impl FnMut(&Field) -> String) -> Filled<'t> {
        let mut text = String::new();
        let mut empty = Vec::new();
        let mut eat_space = false;
        for part in &self.parts {
            match part {
                Part::Text(t) => {
                    let t = if eat_space {
                        t.trim_start_matches([' ', '\t'])
                    } else {
                        t
                    };
                    eat_space = false;
                    text.push_str(t);
                }
                Part::Field(f) => {
                    let v = value(f);
                    if !v.trim().is_empty() {
                        text.push_str(&v);
                        eat_space = false;
                    } else if let Some(d) = &f.default {
                        text.push_str(d);
                    } else if f.optional {
                        let kept = text.trim_end_matches([' ', '\t']).len();
                        if kept == text.len() || kept == 0 || text[..kept].ends_with('\n') {
                            eat_space = true;
                        }
                        text.truncate(kept);
                    } else {
                        empty.push(f);
                    }
                }
            }
        }
        Filled { text, empty }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fill(t: &str, values: &[(&str, &str)]) -> String {
        let t = parse(t).unwrap();
        let filled = t.fill(|f| {
            values
                .iter()
                .find(|(k, _)| *k == f.name)
                .map_or(String::new(), |(_, v)| v.to_string())
        });
        filled.text
    }

    #[test]
    fn placeholders_escapes_and_spaces() {
        assert_eq!(fill("Dear {name},", &[("name", "Ann")]), "Dear Ann,");
        assert_eq!(fill("{{x}} {{ {name} }}", &[("name", "A")]), "{x} { A }");
        assert_eq!(fill("Dear { name },", &[("name", "Ann")]), "Dear Ann,");
    }

    #[test]
    fn optional_fields_take_their_space_along() {
        let t = "Dear {title?} {name},";
        assert_eq!(fill(t, &[("name", "Ann")]), "Dear Ann,");
        assert_eq!(
            fill(t, &[("name", "Ann"), ("title", "Dr.")]),
            "Dear Dr. Ann,"
        );
        assert_eq!(fill("{title?} Ann", &[]), "Ann");
        assert_eq!(fill("Ann {suffix?}", &[]), "Ann");
    }

    #[test]
    fn defaults_fill_empty_values() {
        assert_eq!(fill("Dear {name|Friend},", &[]), "Dear Friend,");
        assert_eq!(fill("Dear {name|Friend},", &[("name", "Bo")]), "Dear Bo,");
        assert_eq!(fill("{a|}x", &[]), "x");
    }

    #[test]
    fn empty_required_fields_are_reported() {
        let t = parse("{a} {b?} {c|d} {e}").unwrap();
        let f = t.fill(|_| String::new());
        let names: Vec<&str> = f.empty.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["a", "e"]);
    }

    #[test]
    fn broken_templates_point_at_the_brace() {
        for (t, at) in [("ab {x", 3), ("ab } x", 3), ("a {} b", 2), ("a { {b} }", 2)] {
            let e = parse(t).unwrap_err();
            assert_eq!(e.offset, at, "{t}: {e:?}");
        }
        assert!(parse("a {b}}").is_err());
        assert_eq!(parse("{company|x. {detail}").unwrap_err().offset, 0);
    }
}
