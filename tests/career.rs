//! A career office's batch and printing that comes out right: placeholders
//! refused without data, --keep-going and --rows, a report that traces every
//! card to its row and copy, duplex intent, folded fronts, crop marks on the
//! paper, and envelopes by country.

mod common;

use common::*;
use serde_json::Value;
use std::path::Path;

const TEMPLATE: &str = r#"
greeting = "Dear {title} {name},"
body = """
Thank you for meeting with me about the {position} role at {company}. {detail}
"""
closing = "With gratitude,"
signer = "Alex Morgan"
"#;

fn write(dir: &Path, name: &str, data: &[u8]) {
    std::fs::write(dir.join(name), data).unwrap();
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// Eight rows; rows 3 and 7 do not fit, row 5 has no title (required).
fn eight_rows() -> String {
    let long = "I enjoyed every part of our conversation about the catalogue. ".repeat(14);
    let mut csv = String::from("name,title,company,position,detail,copies\n");
    for i in 1..=8 {
        let detail = if i == 3 || i == 7 {
            long.as_str()
        } else {
            "Thanks."
        };
        let title = if i == 5 { "" } else { "Dr." };
        let copies = if i == 2 { 2 } else { 1 };
        csv.push_str(&format!("P{i},{title},C{i},R{i},{detail},{copies}\n"));
    }
    csv
}

#[test]
fn render_preview_and_check_refuse_a_note_with_placeholders_and_suggest_batch() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "note.toml", TEMPLATE.as_bytes());
    for args in [
        &["render", "note.toml", "-o", "card.pdf"][..],
        &["preview", "note.toml", "-o", "card.png"][..],
        &["check", "note.toml"][..],
    ] {
        let o = stationer(dir.path(), args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        let err = stderr(&o);
        assert!(err.contains("note.toml:2"), "{args:?}: {err}");
        for p in ["{title}", "{name}", "{position}", "{company}", "{detail}"] {
            assert!(err.contains(p), "{args:?} names {p}: {err}");
        }
        assert!(err.contains("stationer batch"), "{args:?}: {err}");
        assert!(!dir.path().join("card.pdf").exists());
        assert!(!dir.path().join("card.png").exists());
    }
    // The bundled sample template too.
    let tmp = dir.path().join("t.pdf");
    let o = stationer(
        &root(),
        &[
            "render",
            "samples/template.toml",
            "-o",
            tmp.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("{interview_date}"), "{}", stderr(&o));
    // The library refuses it too.
    let note = stationer::parse_note(Path::new("n.toml"), TEMPLATE).unwrap();
    let e = stationer::render_pdf(&note, &Default::default()).unwrap_err();
    assert!(e.to_string().contains("{title}"), "{e}");
    assert!(!e.to_string().contains("--"), "no flag in the library: {e}");
    // Literal braces are not placeholders.
    let note = stationer::parse_note(
        Path::new("n.toml"),
        "body = \"a {{brace}}\"\nsigner = \"A\"\n",
    )
    .unwrap();
    assert!(stationer::render_pdf(&note, &Default::default()).is_ok());
}

#[test]
fn keep_going_makes_the_good_cards_lists_the_rest_and_exits_3() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "note.toml", TEMPLATE.as_bytes());
    write(dir.path(), "r.csv", eight_rows().as_bytes());
    let args = [
        "batch",
        "note.toml",
        "--data",
        "r.csv",
        "-o",
        "cards.pdf",
        "--report",
        "r.json",
        "--copies-column",
        "copies",
    ];
    // Without --keep-going: nothing.
    let o = stationer(dir.path(), &args);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(!dir.path().join("cards.pdf").exists());
    let mut with = args.to_vec();
    with.push("--keep-going");
    let o = stationer(dir.path(), &with);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(3), "{err}");
    for row in [3, 5, 7] {
        assert!(err.contains(&format!("row {row}: skipped")), "{err}");
    }
    assert!(
        err.contains("does not fit") && err.contains("\"title\": empty"),
        "{err}"
    );
    assert!(err.contains("done in part"), "{err}");
    let report = json(&dir.path().join("r.json"));
    let skipped = report["skipped"].as_array().unwrap();
    let rows: Vec<u64> = skipped.iter().map(|s| s["row"].as_u64().unwrap()).collect();
    assert_eq!(rows, [3, 5, 7]);
    assert!(skipped[0]["reason"]
        .as_str()
        .unwrap()
        .contains("does not fit"));
    assert!(skipped[1]["reason"].as_str().unwrap().contains("title"));
    let traced: Vec<(u64, u64)> = report["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["row"].as_u64().unwrap(), c["copy"].as_u64().unwrap()))
        .collect();
    assert_eq!(traced, [(1, 1), (2, 1), (2, 2), (4, 1), (6, 1), (8, 1)]);
    if !have_tool("pdftotext") {
        return;
    }
    let pdf = dir.path().join("cards.pdf");
    let info = run_tool("pdfinfo", &[pdf.to_str().unwrap()]);
    assert!(info.contains("Pages:           6"), "{info}");
    let names = ["P1", "P2", "P2", "P4", "P6", "P8"];
    for (i, name) in names.iter().enumerate() {
        let p = (i + 1).to_string();
        let text = run_tool(
            "pdftotext",
            &["-f", &p, "-l", &p, pdf.to_str().unwrap(), "-"],
        );
        assert!(
            text.contains(&format!("Dear Dr. {name},")),
            "page {p}: {text}"
        );
        assert!(
            text.contains(&format!("C{}. Thanks.", &name[1..])),
            "page {p}: {text}"
        );
    }
}

#[test]
fn rows_selects_data_rows_by_number() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "note.toml", TEMPLATE.as_bytes());
    write(dir.path(), "r.csv", eight_rows().as_bytes());
    let run = |rows: &str| {
        stationer(
            dir.path(),
            &[
                "batch",
                "note.toml",
                "--data",
                "r.csv",
                "-o",
                "cards.pdf",
                "--report",
                "r.json",
                "--rows",
                rows,
            ],
        )
    };
    let o = run("1,4,6-8");
    assert_eq!(
        o.status.code(),
        Some(1),
        "row 7 does not fit: {}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("row 7:"));
    let o = run("1,4,6,8");
    assert!(o.status.success(), "{}", stderr(&o));
    let report = json(&dir.path().join("r.json"));
    let rows: Vec<u64> = report["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["row"].as_u64().unwrap())
        .collect();
    assert_eq!(rows, [1, 4, 6, 8]);
    if have_tool("pdftotext") {
        let text = run_tool(
            "pdftotext",
            &[dir.path().join("cards.pdf").to_str().unwrap(), "-"],
        );
        assert!(
            text.contains("Dear Dr. P4,") && !text.contains("P2,"),
            "{text}"
        );
    }
    for bad in ["0", "9", "3-1", "x", "2,"] {
        let o = run(bad);
        assert_eq!(o.status.code(), Some(1), "{bad}");
        assert!(stderr(&o).contains("--rows"), "{bad}: {}", stderr(&o));
    }
}

#[test]
fn check_data_prints_every_row_failures_included() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "note.toml", TEMPLATE.as_bytes());
    write(dir.path(), "r.csv", eight_rows().as_bytes());
    let o = stationer(dir.path(), &["check", "note.toml", "--data", "r.csv"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    let rows: Vec<&str> = out
        .lines()
        .filter(|l| !l.contains("cards fit"))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|w| w.parse::<usize>().is_ok())
        .collect();
    assert_eq!(rows, ["1", "2", "3", "4", "5", "6", "7", "8"], "{out}");
    assert!(out.contains("5 cards fit; 3 rows fail"), "{out}");
    let line = |n: &str| out.lines().find(|l| l.trim_start().starts_with(n)).unwrap();
    assert!(
        line("3 ").contains("fails: ") && line("3 ").contains("does not fit"),
        "{out}"
    );
    assert!(line("5 ").contains("title"), "{out}");
    assert!(line("4 ").contains("pt"), "{out}");
}

/// Every line of every card in a report is where `pdftotext -bbox` finds its
/// words, on the page as displayed (turned duplex backs included).
fn report_matches_poppler(pdf: &Path, report: &Value) {
    let pages = bbox_words(pdf);
    let cards = report["cards"].as_array().unwrap();
    assert!(!cards.is_empty());
    for card in cards {
        let page = card["sheet_page"]
            .as_u64()
            .or(card["page"].as_u64())
            .unwrap() as usize;
        let off = card["offset"].as_array().map_or([0.0, 0.0], |o| {
            [o[0].as_f64().unwrap() as f32, o[1].as_f64().unwrap() as f32]
        });
        for line in card["lines"].as_array().unwrap() {
            let b: Vec<f32> = line["box"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_f64().unwrap() as f32)
                .collect();
            let bx = [b[0] + off[0], b[1] + off[1], b[2] + off[0], b[3] + off[1]];
            for word in line["text"].as_str().unwrap().split_whitespace() {
                assert!(
                    pages[page - 1]
                        .iter()
                        .any(|w| w.text == word && inside(w.bbox, bx, 1.5)),
                    "page {page}: {word:?} not inside {bx:?}; poppler: {:?}",
                    pages[page - 1]
                        .iter()
                        .filter(|w| w.text == word)
                        .collect::<Vec<_>>()
                );
            }
        }
    }
}

#[test]
fn rotated_backs_report_boxes_and_offsets_as_poppler_sees_them() {
    if !have_tool("pdftotext") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "note.toml", TEMPLATE.as_bytes());
    let mut csv = String::from("name,title,company,position,detail\n");
    for i in 1..=3 {
        csv.push_str(&format!("P{i},Dr.,C{i},R{i},Thanks.\n"));
    }
    write(dir.path(), "r.csv", csv.as_bytes());
    for extra in [
        &["--duplex", "long"][..],
        &["--duplex", "short"][..],
        &["--duplex", "long", "--sheet", "letter"][..],
        &["--duplex", "short", "--sheet", "a4"][..],
        &["--sheet", "letter"][..],
    ] {
        let mut args = vec![
            "batch",
            "note.toml",
            "--data",
            "r.csv",
            "-o",
            "c.pdf",
            "--report",
            "c.json",
            "--layout",
            "folded-a2",
        ];
        args.extend_from_slice(extra);
        let o = stationer(dir.path(), &args);
        assert!(o.status.success(), "{extra:?}: {}", stderr(&o));
        let report = json(&dir.path().join("c.json"));
        report_matches_poppler(&dir.path().join("c.pdf"), &report);
    }
}
