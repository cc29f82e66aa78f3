//! Postal addresses: the fields, the return address file, and the city line
//! (a template of the one parser, [`crate::template`]).

use crate::diag::{Diagnostic, Place, Result};
use crate::input::toml_error;
use crate::template::{self, Part, Template};
use serde::Deserialize;
use std::path::Path;

/// The default city line: `{city}, {region} {postcode}` (US style).
pub const DEFAULT_CITY_LINE: &str = "{city}, {region} {postcode}";

/// The placeholders a city line may use.
pub const CITY_FIELDS: &[&str] = &["city", "region", "postcode"];

/// The address fields: CSV column (by default the field's own name) and
/// whether every row needs a value.
pub const FIELDS: &[(&str, bool)] = &[
    ("name", true),
    ("company", false),
    ("address1", true),
    ("address2", false),
    ("city", true),
    ("region", false),
    ("postcode", false),
    ("country", false),
];

/// A postal address: the fields of [`FIELDS`], each possibly empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Address {
    /// The person.
    #[serde(default)]
    pub name: String,
    /// The organisation, if any.
    #[serde(default)]
    pub company: String,
    /// Street and number.
    #[serde(default)]
    pub address1: String,
    /// Suite, floor, building.
    #[serde(default)]
    pub address2: String,
    /// City or town.
    #[serde(default)]
    pub city: String,
    /// State, province or county.
    #[serde(default)]
    pub region: String,
    /// ZIP or postal code.
    #[serde(default)]
    pub postcode: String,
    /// Country; left off an envelope going to the return address's country.
    #[serde(default)]
    pub country: String,
}

impl Address {
    /// The field called `name` (one of [`FIELDS`]).
    pub fn field(&self, name: &str) -> Option<&str> {
        Some(match name {
            "name" => &self.name,
            "company" => &self.company,
            "address1" => &self.address1,
            "address2" => &self.address2,
            "city" => &self.city,
            "region" => &self.region,
            "postcode" => &self.postcode,
            "country" => &self.country,
            _ => return None,
        })
    }

    pub(crate) fn field_mut(&mut self, name: &str) -> Option<&mut String> {
        Some(match name {
            "name" => &mut self.name,
            "company" => &mut self.company,
            "address1" => &mut self.address1,
            "address2" => &mut self.address2,
            "city" => &mut self.city,
            "region" => &mut self.region,
            "postcode" => &mut self.postcode,
            "country" => &mut self.country,
            _ => return None,
        })
    }

    /// The lines of the address block: name, company, street lines, the
    /// city line, and the country's name in capitals unless it is `home`
    /// (see [`same_country`] and [`country_line`]). Empty lines are left out.
    pub fn lines(&self, city_line: &CityLine, home: &str) -> Vec<String> {
        let mut lines: Vec<String> = [&self.name, &self.company, &self.address1, &self.address2]
            .into_iter()
            .map(|s| s.trim().to_string())
            .collect();
        lines.extend(city_line.fill(self).lines().map(|l| l.trim().to_string()));
        let country = self.country.trim();
        if !country.is_empty() && !same_country(country, home) {
            lines.push(country_line(country));
        }
        lines.retain(|l| !l.is_empty());
        lines
    }
}

/// A city line: a template of `{city}`, `{region}` and `{postcode}` in the
/// one template syntax (`{{` and `}}` for literal braces, `{name|default}`).
/// Every part is optional: an empty one goes with the separator before it
/// (see [`CityLine::fill`]; `"Dublin D02 XY45"` for an empty region,
/// `"Portland"` for an empty region and postcode). [`CityLine::for_country`]
/// gives each country's own format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CityLine {
    template: Template,
}

impl CityLine {
    /// Parses a city line. A broken template, or a placeholder other than
    /// [`CITY_FIELDS`], is an error about the option `city_line`.
    pub fn parse(source: &str) -> Result<CityLine> {
        let mut template = template::parse(source).map_err(|e| {
            Diagnostic::for_option(
                "city_line",
                format!(
                    "{} (character {} of {})",
                    e.message,
                    source[..e.offset].chars().count() + 1,
                    crate::diag::quote(source)
                ),
            )
            .hint(e.hint)
        })?;
        let unknown: Vec<Diagnostic> = template
            .fields()
            .filter(|f| !CITY_FIELDS.contains(&f.name.as_str()))
            .map(|f| {
                Diagnostic::for_option(
                    "city_line",
                    format!(
                        "unknown placeholder {{{}}}; use {}",
                        f.name,
                        allowed_placeholders()
                    ),
                )
            })
            .collect();
        if !unknown.is_empty() {
            return Err(crate::diag::Error(unknown));
        }
        for part in &mut template.parts {
            if let Part::Field(f) = part {
                f.optional = true;
            }
        }
        Ok(CityLine { template })
    }

    /// The city line of an address. When a part is empty, the text that
    /// separates it from the part before goes with it (for the first part,
    /// the text before it; for the last, the text after it), so nothing is
    /// left dangling: `"{city}, {region} {postcode}"` with no region reads
    /// `"Dublin D02 XY45"`, with no city `"OR 97205"`. A line break (`\n`)
    /// in the template starts another line of the address.
    pub fn fill(&self, address: &Address) -> String {
        // Literal text before each part, and after the last.
        let mut texts: Vec<String> = vec![String::new()];
        let mut values: Vec<String> = Vec::new();
        for part in &self.template.parts {
            match part {
                Part::Text(t) => texts.last_mut().expect("one text").push_str(t),
                Part::Field(f) => {
                    let v = address.field(&f.name).unwrap_or("").trim();
                    let v = match (&f.default, v.is_empty()) {
                        (Some(d), true) => d.clone(),
                        _ => v.to_string(),
                    };
                    values.push(v);
                    texts.push(String::new());
                }
            }
        }
        if values.iter().all(|v| !v.is_empty()) {
            // Nothing left out: the template's text stays as written.
            let mut out = texts[0].clone();
            for (v, t) in values.iter().zip(&texts[1..]) {
                out.push_str(v);
                out.push_str(t);
            }
            return out;
        }
        let last = values.len().saturating_sub(1);
        let mut out = String::new();
        let mut any = false;
        for (i, v) in values.iter().enumerate() {
            if v.is_empty() {
                continue;
            }
            if any {
                out.push_str(&texts[i]);
            } else if i == 0 {
                out.push_str(&texts[0]);
            }
            out.push_str(v);
            any = true;
            if i == last {
                out.push_str(&texts[i + 1]);
            }
        }
        out.trim().to_string()
    }
}

/// City-line formats by country: the names a country column may hold
/// (compared without case, dots and surrounding spaces) and the template.
pub const COUNTRY_FORMATS: &[(&[&str], &str)] = &[
    (
        &[
            "us",
            "usa",
            "united states",
            "united states of america",
            "america",
        ],
        "{city}, {region} {postcode}",
    ),
    (&["ca", "can", "canada"], "{city} {region} {postcode}"),
    (
        &[
            "gb",
            "uk",
            "united kingdom",
            "great britain",
            "england",
            "scotland",
            "wales",
            "northern ireland",
        ],
        "{city}\n{postcode}",
    ),
    (
        &["ie", "ireland", "éire", "eire"],
        "{city} {postcode}\n{region}",
    ),
    (
        &["de", "deu", "germany", "deutschland"],
        "{postcode} {city}",
    ),
    (&["fr", "fra", "france"], "{postcode} {city}"),
    (
        &["it", "ita", "italy", "italia"],
        "{postcode} {city} {region}",
    ),
    (
        &["es", "esp", "spain", "españa", "espana"],
        "{postcode} {city}\n{region}",
    ),
    (
        &[
            "nl",
            "nld",
            "netherlands",
            "the netherlands",
            "nederland",
            "holland",
        ],
        "{postcode} {city}",
    ),
    (&["au", "aus", "australia"], "{city} {region} {postcode}"),
    (
        &["jp", "jpn", "japan", "nippon", "nihon"],
        "{city}, {region} {postcode}",
    ),
];

impl CityLine {
    /// The city-line format of a country as written in a country column
    /// (`"DE"`, `"Germany"`, `"Deutschland"`; see [`COUNTRY_FORMATS`]), or
    /// `None` for a country without one.
    pub fn for_country(country: &str) -> Option<CityLine> {
        country_entry(country).map(|(_, t)| CityLine::parse(t).expect("the country formats parse"))
    }
}

/// A country as written, for comparing: without case, dots and surrounding
/// spaces.
fn country_key(country: &str) -> String {
    country
        .trim()
        .trim_end_matches('.')
        .replace('.', "")
        .to_lowercase()
}

/// The index of a country as written in [`COUNTRY_FORMATS`].
fn country_index(country: &str) -> Option<usize> {
    let key = country_key(country);
    COUNTRY_FORMATS
        .iter()
        .position(|(names, _)| names.contains(&key.as_str()))
}

/// The entry of [`COUNTRY_FORMATS`] for a country as written.
fn country_entry(country: &str) -> Option<&'static (&'static [&'static str], &'static str)> {
    country_index(country).map(|i| &COUNTRY_FORMATS[i])
}

/// Whether two countries as written are the same one: `"US"`, `"USA"`,
/// `"U.S.A."` and `"United States"` are; so are equal names the table does
/// not know (compared without case and dots).
pub fn same_country(a: &str, b: &str) -> bool {
    match (country_index(a), country_index(b)) {
        (Some(x), Some(y)) => x == y,
        _ => country_key(a) == country_key(b),
    }
}

/// The country line of an envelope going abroad: what was written, in
/// capitals, except that a two-letter code the table knows is written out
/// (`"DE"` gives `GERMANY`, `"USA"` stays `USA`).
pub fn country_line(country: &str) -> String {
    let key = country_key(country);
    match country_entry(country) {
        Some((names, _)) if key.len() == 2 && key != "uk" => names
            .iter()
            .find(|n| n.len() > 3)
            .unwrap_or(&names[0])
            .to_uppercase(),
        _ => country.trim().to_uppercase(),
    }
}

impl Default for CityLine {
    fn default() -> CityLine {
        CityLine::parse(DEFAULT_CITY_LINE).expect("the default city line parses")
    }
}

/// `{city}, {region} and {postcode}`.
fn allowed_placeholders() -> String {
    let names: Vec<String> = CITY_FIELDS.iter().map(|n| format!("{{{n}}}")).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => names.concat(),
    }
}

/// Reads a return address from a TOML file with the keys of [`Address`].
pub fn read_return_address(path: &Path) -> Result<Address> {
    let text = crate::input::bundled::read_text_as(path, None, "the return address")?;
    let a: Address = toml::from_str(&text).map_err(|e| toml_error(path, &text, &e))?;
    if a.name.trim().is_empty() && a.address1.trim().is_empty() {
        return Err(Diagnostic::at(
            Place::file(path),
            "the return address has neither a name nor an address1",
        )
        .into());
    }
    Ok(a)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn portland() -> Address {
        Address {
            name: "Ana Rivera".into(),
            address1: "12 Elm St".into(),
            city: "Portland".into(),
            region: "OR".into(),
            postcode: "97205".into(),
            country: "USA".into(),
            ..Address::default()
        }
    }

    #[test]
    fn city_lines_close_up_empty_parts() {
        let us = CityLine::default();
        let mut a = portland();
        assert_eq!(
            a.lines(&us, "usa"),
            ["Ana Rivera", "12 Elm St", "Portland, OR 97205"]
        );
        a.region.clear();
        // The comma belonged to the region: it goes with it.
        assert_eq!(a.lines(&us, "")[2], "Portland 97205");
        assert_eq!(a.lines(&us, "")[3], "USA");
        a.postcode.clear();
        assert_eq!(a.lines(&us, "")[2], "Portland");
        a.city.clear();
        a.region = "OR".into();
        assert_eq!(us.fill(&a), "OR");
        a.postcode = "10115".into();
        a.city = "Berlin".into();
        let eu = CityLine::parse("{postcode} {city}").unwrap();
        assert_eq!(a.lines(&eu, "")[2], "10115 Berlin");
        a.postcode.clear();
        assert_eq!(eu.fill(&a), "Berlin");
    }

    #[test]
    fn commas_left_by_empty_parts_go() {
        let t = CityLine::parse("{city}, {region}, {postcode}").unwrap();
        let mut a = portland();
        assert_eq!(t.fill(&a), "Portland, OR, 97205");
        a.region.clear();
        assert_eq!(t.fill(&a), "Portland, 97205");
        a.city.clear();
        assert_eq!(t.fill(&a), "97205");
        // Nothing left out: the template's text stays as written.
        let lit = CityLine::parse("{city},, {postcode},").unwrap();
        assert_eq!(lit.fill(&portland()), "Portland,, 97205,");
    }

    #[test]
    fn escapes_and_defaults_follow_the_one_template_rule() {
        let t = CityLine::parse("{postcode} {city} {{{region}}}").unwrap();
        let mut a = portland();
        assert_eq!(t.fill(&a), "97205 Portland {OR}");
        a.region.clear();
        // The braces around the region are its text: they go with it.
        assert_eq!(t.fill(&a), "97205 Portland");
        let d = CityLine::parse("{city} {region|(no state)}").unwrap();
        assert_eq!(d.fill(&a), "Portland (no state)");
        let spaced = CityLine::parse("{ city }, { region? } {postcode}").unwrap();
        assert_eq!(spaced.fill(&portland()), "Portland, OR 97205");
    }

    #[test]
    fn every_country_has_its_city_line_and_no_stray_separators() {
        let full = |country: &str| Address {
            city: "City".into(),
            region: "RG".into(),
            postcode: "P0 1".into(),
            country: country.into(),
            ..Address::default()
        };
        let cases = [
            ("US", "City, RG P0 1", "City P0 1", "RG P0 1"),
            ("Canada", "City RG P0 1", "City P0 1", "RG P0 1"),
            ("United Kingdom", "City\nP0 1", "City\nP0 1", "P0 1"),
            ("Ireland", "City P0 1\nRG", "City P0 1", "P0 1\nRG"),
            ("Deutschland", "P0 1 City", "P0 1 City", "P0 1"),
            ("FR", "P0 1 City", "P0 1 City", "P0 1"),
            ("Italia", "P0 1 City RG", "P0 1 City", "P0 1 RG"),
            ("ES", "P0 1 City\nRG", "P0 1 City", "P0 1\nRG"),
            ("The Netherlands", "P0 1 City", "P0 1 City", "P0 1"),
            ("AU", "City RG P0 1", "City P0 1", "RG P0 1"),
            ("Japan", "City, RG P0 1", "City P0 1", "RG P0 1"),
            ("U.S.A.", "City, RG P0 1", "City P0 1", "RG P0 1"),
        ];
        for (country, all, no_region, no_city) in cases {
            let t = CityLine::for_country(country).unwrap_or_else(|| panic!("{country}"));
            let mut a = full(country);
            assert_eq!(t.fill(&a), all, "{country}");
            a.region.clear();
            assert_eq!(t.fill(&a), no_region, "{country} without a region");
            a.region = "RG".into();
            a.city.clear();
            assert_eq!(t.fill(&a), no_city, "{country} without a city");
            for line in t.fill(&a).lines() {
                assert!(
                    !line.starts_with([',', ' '])
                        && !line.ends_with([',', ' '])
                        && !line.contains("  "),
                    "{country}: {line:?}"
                );
            }
        }
        assert!(CityLine::for_country("Atlantis").is_none());
        // One country however it is written; abroad, its name.
        for us in ["US", "u.s.a.", " United States ", "USA"] {
            assert!(same_country(us, "USA"), "{us}");
        }
        assert!(!same_country("Canada", "USA"));
        assert!(same_country("Atlantis", "ATLANTIS"));
        assert_eq!(country_line("DE"), "GERMANY");
        assert_eq!(country_line("jp"), "JAPAN");
        assert_eq!(country_line("Atlantis"), "ATLANTIS");
        assert_eq!(country_line("USA"), "USA");
        assert_eq!(country_line("uk"), "UK");
        // The lines of an address: a two-line city line gives two lines.
        let mut a = full("GB");
        a.name = "Ann".into();
        a.address1 = "1 High St".into();
        let gb = CityLine::for_country("gb").unwrap();
        assert_eq!(a.lines(&gb, "GB"), ["Ann", "1 High St", "City", "P0 1"]);
    }

    #[test]
    fn unknown_and_broken_placeholders_are_refused() {
        let e = CityLine::parse("{town}, {zip}").unwrap_err();
        assert_eq!(e.0.len(), 2);
        for d in &e.0 {
            assert_eq!(d.option, Some("city_line"));
            assert!(
                d.message.contains("use {city}, {region} and {postcode}"),
                "{}",
                d.message
            );
        }
        assert!(e.0[0].message.contains("{town}"));
        let e = CityLine::parse("{city} {postcode").unwrap_err();
        assert!(e.0[0].message.contains("never closed"), "{e}");
        assert!(e.0[0].message.contains("character 8"), "{e}");
        assert!(CityLine::parse("{city} }").is_err());
        assert!(e.to_string().starts_with("error: city_line: "), "{e}");
    }
}
