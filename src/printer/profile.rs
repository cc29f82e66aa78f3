//! Printer profiles: how a printer misplaces what it prints, measured from the
//! calibration sheet, kept as the correction that undoes it.
//!
//! Profiles live in one TOML file, one table per profile (default
//! `$XDG_CONFIG_HOME/stationer/profiles.toml`, else
//! `~/.config/stationer/profiles.toml`; commands take `--profiles FILE`):
//!
//! ```toml
//! [office]
//! offset_x = "1.2mm"      # move everything right (negative: left)
//! offset_y = "-0.5mm"     # move everything down (negative: up)
//! scale_x = 1.01          # stretch across (1 is none)
//! scale_y = 1.0           # stretch down
//! back_offset_x = "0.8mm" # the backs of two-sided sheets (default: as the front)
//! back_offset_y = "0mm"
//! margin_bottom = "5mm"   # how close to each edge the printer can print
//! printer = "Office_Laser" # defaults for `stationer print --profile office`
//! tray = "Manual"
//! ```
//!
//! A library user corrects a Scene with [`load`] and [`Profile::correct`]
//! (which sets each page's [`Page::transform`](crate::scene::Page::transform),
//! honoured by the PDF and PNG exporters alike), then checks what will be
//! printed with [`preflight`](crate::printer::preflight::preflight).

use crate::diag::{Diagnostic, Error, Result};
use crate::input::bundled::read_text_as;
use crate::input::{at_span, toml_error};
use crate::io::{Commit, Plan};
use crate::scene::{Scene, Transform};
use crate::units::Pt;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The scales a profile accepts (1 is none).
pub const SCALE_RANGE: std::ops::RangeInclusive<f32> = 0.5..=2.0;
/// The largest offset a profile accepts, either way: 50 mm, in points.
pub const MAX_OFFSET: Pt = Pt(50.0 * 72.0 / 25.4);
/// The largest unprintable margin a profile accepts: 50 mm, in points.
pub const MAX_MARGIN: Pt = Pt(50.0 * 72.0 / 25.4);

/// How close to each edge of the sheet a printer can print, in points
/// (0, the default, for an edge with no known limit).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Margins {
    /// From the top edge.
    pub top: Pt,
    /// From the right edge.
    pub right: Pt,
    /// From the bottom edge.
    pub bottom: Pt,
    /// From the left edge.
    pub left: Pt,
}

/// One printer's profile: the correction applied to what is printed on it.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// Its name (a table name in the profiles file).
    pub name: String,
    /// Move across, in points, positive to the right (default 0).
    pub offset_x: Pt,
    /// Move down, in points, positive downwards (default 0).
    pub offset_y: Pt,
    /// Scale across, 0.5 to 2 (default 1, none).
    pub scale_x: f32,
    /// Scale down, 0.5 to 2 (default 1, none).
    pub scale_y: f32,
    /// Move across on the backs of two-sided sheets, in points (default: `offset_x`).
    pub back_offset_x: Option<Pt>,
    /// Move down on the backs of two-sided sheets, in points (default: `offset_y`).
    pub back_offset_y: Option<Pt>,
    /// How close to the sheet's edges the printer can print (default: no limits).
    pub margins: Margins,
    /// The CUPS queue `stationer print --profile` uses when no `--printer` is given.
    pub printer: Option<String>,
    /// The tray (`InputSlot`) `stationer print --profile` uses when no `--tray` is given.
    pub tray: Option<String>,
    /// How the printer takes card stock (face, leading edge, alignment):
    /// what the loading guide says (see [`crate::printer::feed`]).
    pub feed: crate::printer::feed::Feed,
}

impl Profile {
    /// A profile that changes nothing.
    pub fn new(name: &str) -> Profile {
        Profile {
            name: name.to_string(),
            offset_x: Pt(0.0),
            offset_y: Pt(0.0),
            scale_x: 1.0,
            scale_y: 1.0,
            back_offset_x: None,
            back_offset_y: None,
            margins: Margins::default(),
            printer: None,
            tray: None,
            feed: Default::default(),
        }
    }

    /// The correction for the fronts of sheets (and one-sided printing), on
    /// the sheet as printed (a page's rotation applied): `x' = x * scale_x +
    /// offset_x`, `y' = y * scale_y + offset_y`, in points from the sheet's
    /// top-left corner, y down.
    pub fn correction(&self) -> Transform {
        Transform {
            scale: [self.scale_x, self.scale_y],
            offset: [self.offset_x.0, self.offset_y.0],
        }
    }

    /// The correction for the backs of two-sided sheets: the same scale,
    /// the back's offsets (the front's where the back was not measured).
    pub fn back_correction(&self) -> Transform {
        Transform {
            offset: [
                self.back_offset_x.unwrap_or(self.offset_x).0,
                self.back_offset_y.unwrap_or(self.offset_y).0,
            ],
            ..self.correction()
        }
    }

    /// The corrections for odd and even pages: with `two_sided`, even pages
    /// (the backs) get [`Profile::back_correction`].
    pub fn corrections(&self, two_sided: bool) -> (Transform, Transform) {
        let back = if two_sided {
            self.back_correction()
        } else {
            self.correction()
        };
        (self.correction(), back)
    }

    /// Corrects a Scene for this printer: sets every page's transform, so
    /// that both the PDF and the PNG preview draw the items where the
    /// printer needs them. With `two_sided`, even pages get the back's offsets.
    pub fn correct(&self, scene: &mut Scene, two_sided: bool) {
        let (odd, even) = self.corrections(two_sided);
        scene.place_on_sheets(odd, even);
    }

    /// Checks the values a profile holds (as the file's reader does).
    pub fn validate(&self) -> Result<()> {
        let mut problems = Vec::new();
        for (key, v) in self.fields() {
            if let Err(m) = check(key, v) {
                problems.push(Diagnostic::new(format!("profile {}: {m}", self.name)));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error(problems))
        }
    }

    fn fields(&self) -> Vec<(&'static str, Value)> {
        let m = &self.margins;
        let mut f = vec![
            ("offset_x", Value::Offset(self.offset_x)),
            ("offset_y", Value::Offset(self.offset_y)),
            ("scale_x", Value::Scale(self.scale_x as f64)),
            ("scale_y", Value::Scale(self.scale_y as f64)),
        ];
        if let Some(b) = self.back_offset_x {
            f.push(("back_offset_x", Value::Offset(b)));
        }
        if let Some(b) = self.back_offset_y {
            f.push(("back_offset_y", Value::Offset(b)));
        }
        for (key, v) in [
            ("margin_top", m.top),
            ("margin_right", m.right),
            ("margin_bottom", m.bottom),
            ("margin_left", m.left),
        ] {
            if v.0 != 0.0 {
                f.push((key, Value::Margin(v)));
            }
        }
        if let Some(p) = &self.printer {
            f.push(("printer", Value::Name(p.clone())));
        }
        if let Some(t) = &self.tray {
            f.push(("tray", Value::Name(t.clone())));
        }
        if let Some(v) = self.feed.face {
            f.push(("face", Value::Name(v.name().into())));
        }
        if let Some(v) = self.feed.leading_edge {
            f.push(("leading_edge", Value::Name(v.name().into())));
        }
        if let Some(v) = self.feed.align {
            f.push(("align", Value::Name(v.name().into())));
        }
        f
    }
}

/// A profile value, for checking and writing.
enum Value {
    Offset(Pt),
    Scale(f64),
    Margin(Pt),
    Name(String),
}

/// Why a profile value is refused: the key and the reason, as one message.
#[derive(Debug, Clone, PartialEq)]
struct BadValue(String);

impl std::fmt::Display for BadValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether a value is acceptable for its key; the reason when not.
fn check(key: &str, v: Value) -> std::result::Result<(), BadValue> {
    let bad = |m: String| Err(BadValue(m));
    match v {
        Value::Offset(p) if p.0.abs() > MAX_OFFSET.0 => bad(format!(
            "{key}: {} mm is more than a printer is ever off (at most 50 mm either way)",
            mm(p)
        )),
        Value::Scale(s) if s <= 0.0 || s.is_nan() => bad(format!(
            "{key}: {s} is not a scale; it must be more than 0 (1 is no scaling)"
        )),
        Value::Scale(s) if !SCALE_RANGE.contains(&(s as f32)) => bad(format!(
            "{key}: {s} is outside 0.5 to 2 (1 is no scaling; 1.01 stretches by 1%)"
        )),
        Value::Margin(p) if p.0 < 0.0 || p.0 > MAX_MARGIN.0 => {
            bad(format!("{key}: must be between 0 and 50mm"))
        }
        // The same checks as `print --printer` and `--tray`.
        Value::Name(n) if key == "printer" => crate::printer::cups::check_queue_name(&n)
            .map_err(|e| BadValue(format!("{key}: {}", e.0[0].message))),
        Value::Name(n) if key == "tray" => crate::printer::cups::check_tray_name(&n)
            .map_err(|e| BadValue(format!("{key}: {}", e.0[0].message))),
        Value::Name(n) if n.trim().is_empty() || n.chars().any(char::is_control) => bad(format!(
            "{key}: {} is not a usable name",
            crate::diag::quote(&n)
        )),
        _ => Ok(()),
    }
}

/// Whether a name can name a profile: letters, digits, `-` and `_`, at most 64.
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    offset_x: Option<Spanned<Pt>>,
    offset_y: Option<Spanned<Pt>>,
    scale_x: Option<Spanned<f64>>,
    scale_y: Option<Spanned<f64>>,
    back_offset_x: Option<Spanned<Pt>>,
    back_offset_y: Option<Spanned<Pt>>,
    margin_top: Option<Spanned<Pt>>,
    margin_right: Option<Spanned<Pt>>,
    margin_bottom: Option<Spanned<Pt>>,
    margin_left: Option<Spanned<Pt>>,
    printer: Option<Spanned<String>>,
    tray: Option<Spanned<String>>,
    face: Option<Spanned<String>>,
    leading_edge: Option<Spanned<String>>,
    align: Option<Spanned<String>>,
}

/// Parses a profiles file. `path` names it in messages; every problem found
/// is reported, each at its file, line and column.
pub fn parse_profiles(path: &Path, text: &str) -> Result<Vec<Profile>> {
    let raw: BTreeMap<String, RawProfile> =
        toml::from_str(text).map_err(|e| toml_error(path, text, &e))?;
    let mut problems = Vec::new();
    let mut profiles = Vec::new();
    for (name, r) in raw {
        let mut p = Profile::new(&name);
        {
            let mut take = |key: &str, v: &Option<Spanned<Pt>>, kind: fn(Pt) -> Value| {
                let s = v.as_ref()?;
                match check(key, kind(*s.get_ref())) {
                    Ok(()) => Some(*s.get_ref()),
                    Err(m) => {
                        problems.push(at_span(path, text, s.span(), format!("[{name}] {m}")));
                        None
                    }
                }
            };
            p.offset_x = take("offset_x", &r.offset_x, Value::Offset).unwrap_or_default();
            p.offset_y = take("offset_y", &r.offset_y, Value::Offset).unwrap_or_default();
            p.back_offset_x = take("back_offset_x", &r.back_offset_x, Value::Offset);
            p.back_offset_y = take("back_offset_y", &r.back_offset_y, Value::Offset);
            p.margins = Margins {
                top: take("margin_top", &r.margin_top, Value::Margin).unwrap_or_default(),
                right: take("margin_right", &r.margin_right, Value::Margin).unwrap_or_default(),
                bottom: take("margin_bottom", &r.margin_bottom, Value::Margin).unwrap_or_default(),
                left: take("margin_left", &r.margin_left, Value::Margin).unwrap_or_default(),
            };
        }
        for (key, v, out) in [
            ("scale_x", &r.scale_x, &mut p.scale_x),
            ("scale_y", &r.scale_y, &mut p.scale_y),
        ] {
            if let Some(s) = v {
                match check(key, Value::Scale(*s.get_ref())) {
                    Ok(()) => *out = *s.get_ref() as f32,
                    Err(m) => problems
                        .push(at_span(path, text, s.span(), format!("[{name}] {m}")).hint(
                            "scale_x and scale_y stretch what is printed: 1.01 is 1% larger",
                        )),
                }
            }
        }
        for (key, v, out) in [
            ("printer", &r.printer, &mut p.printer),
            ("tray", &r.tray, &mut p.tray),
        ] {
            if let Some(s) = v {
                match check(key, Value::Name(s.get_ref().clone())) {
                    Ok(()) => *out = Some(s.get_ref().clone()),
                    Err(m) => problems.push(at_span(path, text, s.span(), format!("[{name}] {m}"))),
                }
            }
        }
        {
            use crate::printer::feed::{Align, Edge, Face};
            let mut word = |key: &str, v: &Option<Spanned<String>>, words: &str| {
                let s = v.as_ref()?;
                let w = s.get_ref().as_str();
                let ok = match key {
                    "face" => Face::parse(w).is_some(),
                    "leading_edge" => Edge::parse(w).is_some(),
                    _ => Align::parse(w).is_some(),
                };
                if !ok {
                    problems.push(at_span(
                        path,
                        text,
                        s.span(),
                        format!("[{name}] {key}: \"{w}\" is not one of {words}"),
                    ));
                }
                Some(w.to_string())
            };
            p.feed.face = word("face", &r.face, "up, down").and_then(|w| Face::parse(&w));
            p.feed.leading_edge = word("leading_edge", &r.leading_edge, "top, bottom, left, right")
                .and_then(|w| Edge::parse(&w));
            p.feed.align =
                word("align", &r.align, "center, left, right").and_then(|w| Align::parse(&w));
        }
        profiles.push(p);
    }
    if problems.is_empty() {
        Ok(profiles)
    } else {
        Err(Error(problems))
    }
}

/// The default profiles file: `$XDG_CONFIG_HOME/stationer/profiles.toml`, else
/// `$HOME/.config/stationer/profiles.toml`.
pub fn default_path() -> Result<PathBuf> {
    let var = |name: &str| {
        std::env::var_os(name)
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
    };
    let base = var("XDG_CONFIG_HOME")
        .or_else(|| var("HOME").map(|h| h.join(".config")))
        .ok_or_else(|| {
            Diagnostic::for_option(
                "profiles",
                "none given, and neither XDG_CONFIG_HOME nor HOME is set to find the default \
                 printer profiles file",
            )
            .hint("name the profiles file")
        })?;
    Ok(base.join("stationer").join("profiles.toml"))
}

/// The profiles of one file, in name order.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileFile {
    /// Where they are kept.
    pub path: PathBuf,
    /// Whether the file exists (a missing file holds no profiles).
    pub exists: bool,
    /// The profiles, by name.
    pub profiles: Vec<Profile>,
}

impl ProfileFile {
    /// Reads a profiles file (`None`: [`default_path`]); a missing file holds none.
    pub fn load(path: Option<&Path>) -> Result<ProfileFile> {
        let path = match path {
            Some(p) => p.to_path_buf(),
            None => default_path()?,
        };
        if !path.exists() {
            return Ok(ProfileFile {
                path,
                exists: false,
                profiles: Vec::new(),
            });
        }
        let text = read_text_as(&path, None, "the profiles file")?;
        let profiles = parse_profiles(&path, &text)?;
        Ok(ProfileFile {
            path,
            exists: true,
            profiles,
        })
    }

    /// The profile of a name.
    pub fn get(&self, name: &str) -> Result<&Profile> {
        self.profiles
            .iter()
            .find(|p| p.name == name)
            .ok_or_else(|| self.unknown(name).into())
    }

    fn unknown(&self, name: &str) -> Diagnostic {
        let d = Diagnostic::new(format!(
            "no printer profile {} in {}",
            crate::diag::quote(name),
            crate::diag::path(&self.path)
        ));
        if self.profiles.is_empty() {
            d.hint(format!(
                "make one: stationer calibrate -o sheet.pdf, print and measure it, then \
                 stationer profile set {name} ... (the sheet gives the command)"
            ))
        } else {
            let names: Vec<&str> = self.profiles.iter().map(|p| p.name.as_str()).collect();
            d.hint(format!("profiles: {}", names.join(", ")))
        }
    }

    /// Adds a profile or replaces the one of the same name.
    pub fn set(&mut self, profile: Profile) {
        match self.profiles.iter_mut().find(|p| p.name == profile.name) {
            Some(p) => *p = profile,
            None => {
                self.profiles.push(profile);
                self.profiles.sort_by(|a, b| a.name.cmp(&b.name));
            }
        }
    }

    /// Removes a profile.
    pub fn remove(&mut self, name: &str) -> Result<()> {
        let before = self.profiles.len();
        self.profiles.retain(|p| p.name != name);
        if self.profiles.len() == before {
            return Err(self.unknown(name).into());
        }
        Ok(())
    }

    /// The file's text: a comment, then one table per profile.
    pub fn to_toml(&self) -> String {
        let mut out = String::from(
            "# Stationer printer profiles (see `stationer profile --help`).\n\
             # Offsets move what is printed right and down; scale 1 is none.\n\
             # Written by `stationer profile set`, which does not keep comments.\n",
        );
        for p in &self.profiles {
            out.push_str(&format!("\n[{}]\n", toml_key(&p.name)));
            for (key, v) in p.fields() {
                let value = match v {
                    Value::Offset(l) | Value::Margin(l) => format!("\"{}mm\"", mm(l)),
                    Value::Scale(s) => {
                        let s = format!("{}", (s * 1e6).round() / 1e6);
                        if s.contains('.') {
                            s
                        } else {
                            format!("{s}.0")
                        }
                    }
                    Value::Name(n) => toml_string(&n),
                };
                out.push_str(&format!("{key} = {value}\n"));
            }
        }
        out
    }

    /// Writes the file whole or not at all, making its folder when it is
    /// the default one.
    pub fn save(&self) -> Result<()> {
        if let Ok(default) = default_path() {
            if default == self.path {
                if let Some(dir) = self.path.parent() {
                    crate::io::create_dir(dir)?;
                }
            }
        }
        let mut plan = Plan::new();
        plan.update("the profiles file", &self.path);
        let mut commit = Commit::new(plan)?;
        commit.stage("the profiles file", &self.path, self.to_toml().as_bytes())?;
        commit.finish()
    }

    /// Reads a profiles file to change it: takes an exclusive lock (on
    /// `.profiles.toml.lock` beside it) that is held until the returned
    /// lock is dropped, after [`ProfileFile::save`], so that concurrent
    /// changes all land. A profiles file that is a symbolic link is
    /// changed where the link points.
    pub fn load_locked(path: Option<&Path>) -> Result<(ProfileFile, crate::io::FileLock)> {
        let mut path = match path {
            Some(p) => p.to_path_buf(),
            None => {
                let p = default_path()?;
                if let Some(dir) = p.parent() {
                    crate::io::create_dir(dir)?;
                }
                p
            }
        };
        for _ in 0..16 {
            let Ok(target) = std::fs::read_link(&path) else {
                break;
            };
            path = match path.parent() {
                Some(dir) => dir.join(target),
                None => target,
            };
        }
        // Refused before the lock file is made beside it: a device or a
        // FIFO is never a profiles file.
        if let Ok(m) = std::fs::metadata(&path) {
            if !m.is_file() {
                return Err(Diagnostic::new(format!(
                    "the profiles file {} is {}; only a regular file is changed",
                    path.display(),
                    crate::io::kind_of(&m)
                ))
                .into());
            }
        }
        let lock = crate::io::lock_beside(&path)?;
        Ok((ProfileFile::load(Some(&path))?, lock))
    }
}

/// Loads one profile by name from a profiles file (`None`: [`default_path`]).
/// This is what `render --profile` does:
///
/// ```no_run
/// # fn main() -> stationer::diag::Result<()> {
/// # let mut scene: stationer::scene::Scene = unimplemented!();
/// let profile = stationer::printer::profile::load(None, "office")?;
/// profile.correct(&mut scene, false);
/// let found = stationer::printer::preflight::preflight(&scene, &profile);
/// // `found` holds errors (the correction moves text off the card or into
/// // the margins) and warnings; show them, and stop on an error.
/// let pdf = stationer::export::pdf::write_pdf(&scene);
/// # Ok(()) }
/// ```
pub fn load(profiles_path: Option<&Path>, name: &str) -> Result<Profile> {
    let file = ProfileFile::load(profiles_path)?;
    file.get(name).cloned()
}

/// A length in millimetres, to 0.001 mm, without trailing zeros.
fn mm(p: Pt) -> String {
    mm_rounded(p, 1000.0)
}

/// A length in millimetres, to 0.1 mm, for messages.
pub(crate) fn mm1(p: Pt) -> String {
    mm_rounded(p, 10.0)
}

fn mm_rounded(p: Pt, per_mm: f64) -> String {
    let v = (p.0 as f64 * 25.4 / 72.0 * per_mm).round() / per_mm;
    // No "-0".
    let v = if v == 0.0 { 0.0 } else { v };
    format!("{v}")
}

fn toml_key(name: &str) -> String {
    if valid_name(name) {
        name.to_string()
    } else {
        toml_string(name)
    }
}

fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Vec<Profile>> {
        parse_profiles(Path::new("profiles.toml"), text)
    }

    #[test]
    fn reads_a_profile() {
        let p = parse(
            "[office]\noffset_x = \"1.2mm\"\noffset_y = \"-0.5mm\"\nscale_x = 1.01\nscale_y = 1\n\
             margin_bottom = \"5mm\"\nprinter = \"Office\"\n",
        )
        .unwrap();
        assert_eq!(p.len(), 1);
        let p = &p[0];
        assert_eq!(p.name, "office");
        assert!((p.offset_x.0 - Pt::mm(1.2).0).abs() < 1e-4);
        assert!((p.scale_x - 1.01).abs() < 1e-6);
        assert_eq!(p.scale_y, 1.0);
        assert_eq!(p.back_correction(), p.correction());
        assert_eq!(p.printer.as_deref(), Some("Office"));
    }

    #[test]
    fn errors_name_the_line() {
        for (text, line, says) in [
            ("[a]\n\nscale_x = 0\n", 3, "must be more than 0"),
            ("[a]\nscale_y = -1.0\n", 2, "must be more than 0"),
            ("[a]\nscale_x = \"big\"\n", 2, "invalid type"),
            ("[a]\noffset_x = 3\n", 2, "no unit"),
            (
                "[a]\noffset_x = \"1.2mm\"\nofset_y = \"1mm\"\n",
                3,
                "unknown field",
            ),
            ("[a]\nmargin_top = \"-2mm\"\n", 2, "between 0 and 50mm"),
            ("[a]\noffset_y = \"3in\"\n", 2, "at most 50 mm"),
        ] {
            let e = parse(text).unwrap_err().to_string();
            assert!(
                e.contains(&format!("profiles.toml:{line}:")) && e.contains(says),
                "{text:?} gave {e}"
            );
        }
    }

    #[test]
    fn writes_what_it_reads() {
        let mut p = Profile::new("office");
        p.offset_x = Pt::mm(1.2);
        p.offset_y = Pt::mm(-0.5);
        p.scale_x = 1.0046;
        p.back_offset_y = Some(Pt::mm(0.75));
        p.margins.bottom = Pt::mm(5.0);
        // Quotes and backslashes survive the round trip (spaces are no tray name).
        p.tray = Some("Manual\"feed\"\\\\x".into());
        let mut odd = Profile::new("a.b c");
        odd.scale_y = 0.995;
        let file = ProfileFile {
            path: PathBuf::from("p.toml"),
            exists: false,
            profiles: vec![odd, p],
        };
        let text = file.to_toml();
        assert!(text.contains("offset_x = \"1.2mm\""), "{text}");
        assert!(text.contains("scale_y = 1.0\n"), "{text}");
        let back = parse(&text).unwrap();
        assert_eq!(back.len(), 2);
        for (a, b) in back.iter().zip(&file.profiles) {
            assert_eq!(a.name, b.name);
            assert!((a.offset_x.0 - b.offset_x.0).abs() < 1e-3);
            assert!((a.scale_x - b.scale_x).abs() < 1e-6);
            assert_eq!(a.tray, b.tray);
            assert_eq!(a.margins.bottom.0.round(), b.margins.bottom.0.round());
        }
    }
}
