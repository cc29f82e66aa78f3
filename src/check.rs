//! What `check` finds, as JSON: for scripts (`stationer check --format
//! json`) and for the live preview page (`POST /check`), the same document.
//!
//! ```json
//! {"fits": true, "design": "classic-a2", "card": {"width": 396.0, "height": 306.0},
//!  "font_size": 12.3, "size_range": [10.0, 13.0],
//!  "lines": {"total": 9, "greeting": 1, "body": 7, "closing": 1},
//!  "fullness": 0.83, "diagnostics": []}
//! ```
//! A note that does not fit has `"fits": false`, `font_size`, `lines` and
//! `fullness` null, and the refusal (with how much to cut) in `diagnostics`.
//! Lengths are in points.

use crate::diag::{Diagnostic, Severity};
use crate::input::Design;
use crate::layout::Card;
use crate::scene::Role;
use serde_json::{json, Value};

/// One diagnostic as JSON: `severity` ("error" or "warning"), `file`,
/// `line` and `column` (null when unknown), `option`, `message`, `hints`.
pub fn diagnostic_json(d: &Diagnostic) -> Value {
    json!({
        "severity": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
        "file": d.place.as_ref().map(|p| p.file.clone()),
        "line": d.place.as_ref().and_then(|p| p.line),
        "column": d.place.as_ref().and_then(|p| p.col),
        "option": d.option,
        "message": d.message,
        "hints": d.hints,
    })
}

/// Diagnostics as a JSON array.
pub fn diagnostics_json(ds: &[Diagnostic]) -> Value {
    Value::Array(ds.iter().map(diagnostic_json).collect())
}

fn round(v: f32, places: i32) -> f64 {
    let k = 10f64.powi(places);
    (v as f64 * k).round() / k
}

/// A design as the user names it: a bundled design's name, or its file.
pub fn design_name(design: &Design) -> String {
    match &design.source {
        crate::input::DesignSource::Bundled(name) => name.to_string(),
        crate::input::DesignSource::File(path) => path.display().to_string(),
    }
}

/// The check of one card: how it was set on `design`, or why not.
pub fn check_json(design: &Design, card: &crate::diag::Result<Card>) -> Value {
    let mut v = json!({
        "fits": card.is_ok(),
        "design": design_name(design),
        "card": {"width": round(design.width.0, 2), "height": round(design.height.0, 2)},
        "font_size": null,
        "size_range": [design.size_min, design.size_max],
        "lines": null,
        "fullness": null,
        "faults": [],
        "diagnostics": [],
    });
    match card {
        Ok(card) => {
            let f = &card.fitted;
            let count = |role| f.lines.iter().filter(|l| l.role == role).count();
            let (g, c) = (count(Role::Greeting), count(Role::Closing));
            v["font_size"] = json!(round(f.size, 1));
            v["lines"] = json!({
                "total": g + f.body_lines + c,
                "greeting": g,
                "body": f.body_lines,
                "closing": c,
            });
            v["fullness"] = json!(round(f.fullness, 3));
            v["faults"] = Value::Array(
                f.faults
                    .iter()
                    .map(|fault| {
                        let text = f.lines.get(fault.line).map(|l| l.text());
                        json!({
                            "line": fault.line + 1,
                            "message": fault.kind.to_string(),
                            "text": text,
                        })
                    })
                    .collect(),
            );
        }
        Err(e) => v["diagnostics"] = diagnostics_json(e.diagnostics()),
    }
    v
}

/// The check of a note that could not be read or whose design could not be
/// loaded: the same document, `"fits": false` and `design` null.
pub fn failure_json(e: &crate::diag::Error) -> Value {
    json!({
        "fits": false,
        "design": null,
        "card": null,
        "font_size": null,
        "size_range": null,
        "lines": null,
        "fullness": null,
        "faults": [],
        "diagnostics": diagnostics_json(e.diagnostics()),
    })
}
