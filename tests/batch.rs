//! Batch: mail merge, checks before writing, split files, imposition, duplex,
//! and the same bytes on any number of threads.

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

fn csv_rows(n: usize) -> String {
    let mut s = String::from("name,title,company,position,detail\n");
    for i in 1..=n {
        s.push_str(&format!(
            "Person{i},Dr.,Company {i},role {i},It was a pleasure.\n"
        ));
    }
    s
}

#[test]
fn merges_bom_crlf_quotes_and_line_breaks_in_row_order() {
    if !have_tool("pdftotext") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "note.toml", TEMPLATE.as_bytes());
    let csv = "\u{FEFF}name,title,company,position,detail\r\n\
               José Núñez,Mr.,\"Smith, Jones & Partners\",editor,\"Your team’s plan —\r\nwith its two lines — impressed me.\"\r\n\
               Zoë Brontë,Dr.,\"The \"\"Quoted\"\" Press\",designer,Thanks again.\r\n\
               Alice Johnson,Ms.,Northwind,analyst,See you soon.\r\n";
    write(dir.path(), "r.csv", csv.as_bytes());
    let o = stationer(
        dir.path(),
        &["batch", "note.toml", "--data", "r.csv", "-o", "cards.pdf"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(o.stderr.is_empty(), "quiet on success: {}", stderr(&o));
    let pdf = dir.path().join("cards.pdf");
    let info = run_tool("pdfinfo", &[pdf.to_str().unwrap()]);
    assert!(info.contains("Pages:           3"), "{info}");
    let expect = [
        [
            "José Núñez",
            "Smith, Jones & Partners",
            "Your team’s plan",
            "impressed me.",
        ],
        [
            "Zoë Brontë",
            // Merged values get smart punctuation, as the note's text does.
            "The “Quoted” Press",
            "designer",
            "Thanks again.",
        ],
        ["Alice Johnson", "Northwind", "analyst", "See you soon."],
    ];
    for (i, values) in expect.iter().enumerate() {
        let p = (i + 1).to_string();
        let text = run_tool(
            "pdftotext",
            &["-f", &p, "-l", &p, pdf.to_str().unwrap(), "-"],
        );
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for v in values {
            assert!(flat.contains(v), "page {p} lacks {v:?}: {flat}");
        }
    }
}

#[test]
fn a_missing_column_is_named_and_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "note.toml",
        TEMPLATE.replace("{company}", "{firm}").as_bytes(),
    );
    write(dir.path(), "r.csv", csv_rows(3).as_bytes());
    let o = stationer(
        dir.path(),
        &["batch", "note.toml", "--data", "r.csv", "-o", "cards.pdf"],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("{firm}") && err.contains("note.toml:4"),
        "{err}"
    );
    assert!(err.contains("company"), "lists the columns: {err}");
    assert!(!dir.path().join("cards.pdf").exists());
}

#[test]
fn rows_that_do_not_fit_are_all_named_and_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "note.toml", TEMPLATE.as_bytes());
    let long = "I enjoyed every part of our conversation about the catalogue. ".repeat(14);
    let mut csv = String::from("name,title,company,position,detail\n");
    for i in 1..=8 {
        let detail = if i == 3 || i == 7 {
            long.as_str()
        } else {
            "Thanks."
        };
        csv.push_str(&format!("P{i},Dr.,C{i},R{i},{detail}\n"));
    }
    write(dir.path(), "r.csv", csv.as_bytes());
    write(dir.path(), "cards.pdf", b"old");
    let o = stationer(
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
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("row 3:") && err.contains("row 7:"), "{err}");
    assert!(err.contains("r.csv:4") && err.contains("r.csv:8"), "{err}");
    assert_eq!(err.matches("does not fit").count(), 2, "{err}");
    assert!(err.contains("cut "), "{err}");
    assert_eq!(std::fs::read(dir.path().join("cards.pdf")).unwrap(), b"old");
    assert!(!dir.path().join("r.json").exists());

    // `check --data` reports the same rows and writes nothing.
    let o = stationer(dir.path(), &["check", "note.toml", "--data", "r.csv"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("row 3:") && err.contains("row 7:"), "{err}");
}

#[test]
fn empty_values_and_bad_rows_are_reported_together() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "note.toml", TEMPLATE.as_bytes());
    write(
        dir.path(),
        "r.csv",
        b"name,title,company,position,detail\nA,Dr.,,R,D\nB,Dr.,C,R\nC,Dr.,C,R,\xff\n",
    );
    let o = stationer(
        dir.path(),
        &["batch", "note.toml", "--data", "r.csv", "-o", "c.pdf"],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("row 2 has 4 fields"), "{err}");
    assert!(err.contains("row 3, column \"detail\": not UTF-8"), "{err}");
    assert!(!dir.path().join("c.pdf").exists());
    // With the file read, an empty value used by the note is named.
    write(
        dir.path(),
        "r.csv",
        b"name,title,company,position,detail\nA,Dr.,,R,D\n",
    );
    let o = stationer(
        dir.path(),
        &["batch", "note.toml", "--data", "r.csv", "-o", "c.pdf"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("row 1, column \"company\": empty"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn split_files_stay_inside_the_folder_and_never_overwrite_each_other() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "note.toml", TEMPLATE.as_bytes());
    let names = ["../../x", "/tmp/y", "CON", "", "Twin", "Twin", "a\\b:c*d"];
    let mut csv = String::from("name,title,company,position,detail\n");
    for n in names {
        csv.push_str(&format!("\"{n}\",Dr.,C,R,Thanks.\n"));
    }
    write(dir.path(), "r.csv", csv.as_bytes());
    // The greeting uses {name}, which is empty in one row: name the files by
    // another template and keep the greeting without it.
    write(
        dir.path(),
        "note.toml",
        TEMPLATE.replace("{title} {name}", "{title}").as_bytes(),
    );
    let o = stationer(
        dir.path(),
        &[
            "batch",
            "note.toml",
            "--data",
            "r.csv",
            "-o",
            "all.pdf",
            "--split",
            "out",
            "--split-name",
            "{name}",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = dir.path().join("out");
    let files: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(files.len(), names.len(), "{files:?}");
    for f in &files {
        assert!(
            f.ends_with(".pdf") && !f.contains('/') && !f.starts_with('.'),
            "{f}"
        );
        assert!(!f.to_uppercase().starts_with("CON."), "{f}");
    }
    assert!(!dir.path().join("x.pdf").exists() && !Path::new("/tmp/y.pdf").exists());
    let mut lower: Vec<String> = files.iter().map(|f| f.to_lowercase()).collect();
    lower.sort();
    lower.dedup();
    assert_eq!(lower.len(), names.len());
}

#[test]
fn imposed_sheets_have_exact_size_right_count_and_marks_outside_every_card() {
    if !(have_tool("pdftotext") && have_tool("qpdf")) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "note.toml", TEMPLATE.as_bytes());
    write(dir.path(), "r.csv", csv_rows(5).as_bytes());
    let o = stationer(
        dir.path(),
        &[
            "batch",
            "note.toml",
            "--data",
            "r.csv",
            "-o",
            "s.pdf",
            "--sheet",
            "letter",
            "--crop-marks",
            "--report",
            "s.json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let pdf = dir.path().join("s.pdf");
    let info = run_tool("pdfinfo", &[pdf.to_str().unwrap()]);
    assert!(info.contains("Pages:           3"), "5 cards 2-up: {info}");
    assert!(info.contains("Page size:       612 x 792 pts"), "{info}");
    let report: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("s.json")).unwrap()).unwrap();
    let cards = report["cards"].as_array().unwrap();
    assert_eq!(cards.len(), 5);
    let segs = segments(&pdf, dir.path());
    let words = bbox_words(&pdf);
    for (i, card) in cards.iter().enumerate() {
        let sheet = card["sheet_page"].as_u64().unwrap() as usize;
        assert_eq!(sheet, i / 2 + 1);
        let off = card["offset"].as_array().unwrap();
        let (ox, oy) = (
            off[0].as_f64().unwrap() as f32,
            off[1].as_f64().unwrap() as f32,
        );
        let (w, h) = (
            card["width"].as_f64().unwrap() as f32,
            card["height"].as_f64().unwrap() as f32,
        );
        let trim = [ox, oy, ox + w, oy + h];
        // Crop marks: every drawn line of the sheet lies outside this card's trim.
        let marks = &segs[sheet - 1];
        assert!(marks.len() >= 10, "crop marks on sheet {sheet}: {marks:?}");
        for s in marks {
            let (x0, x1) = (s[0].min(s[2]), s[0].max(s[2]));
            let (y0, y1) = (792.0 - s[1].max(s[3]), 792.0 - s[1].min(s[3]));
            let inside = x1 > trim[0] + 0.01
                && x0 < trim[2] - 0.01
                && y1 > trim[1] + 0.01
                && y0 < trim[3] - 0.01;
            assert!(!inside, "mark {s:?} enters card {} at {trim:?}", i + 1);
        }
        // The report's offset places the card's first word where poppler finds it.
        let first = rect(&card["lines"][0]["box"]);
        let expected = [first[0] + ox, first[1] + oy];
        let found = words[sheet - 1].iter().find(|w| {
            (w.bbox[0] - expected[0]).abs() < 0.5 && (w.bbox[1] - expected[1]).abs() < 0.5
        });
        assert!(
            found.is_some_and(|w| w.text == "Dear"),
            "card {}: no 'Dear' at {expected:?}",
            i + 1
        );
    }
}

fn rect(v: &Value) -> [f32; 4] {
    let a = v.as_array().unwrap();
    [0, 1, 2, 3].map(|i| a[i].as_f64().unwrap() as f32)
}

#[test]
fn folded_duplex_puts_the_outside_first_and_turns_the_back_for_the_printer() {
    if !have_tool("pdfinfo") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "note.toml", TEMPLATE.as_bytes());
    write(dir.path(), "r.csv", csv_rows(2).as_bytes());
    for (duplex, rot) in [("long", "180"), ("short", "0")] {
        let out = format!("{duplex}.pdf");
        let o = stationer(
            dir.path(),
            &[
                "batch",
                "note.toml",
                "--data",
                "r.csv",
                "-o",
                &out,
                "--layout",
                "folded-a2",
                "--duplex",
                duplex,
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let pdf = dir.path().join(&out);
        let info = run_tool("pdfinfo", &["-f", "1", "-l", "4", pdf.to_str().unwrap()]);
        let rots: Vec<&str> = info
            .lines()
            .filter(|l| l.contains("rot:"))
            .map(|l| l.split_whitespace().last().unwrap())
            .collect();
        // Outside (blank, upright), inside (message, turned as the printer needs), twice.
        assert_eq!(rots, ["0", rot, "0", rot], "{duplex}: {info}");
        let words = bbox_words(&pdf);
        // Outsides carry the design's front (on the front cover, the right
        // half), never the message.
        for outside in [&words[0], &words[2]] {
            let text: Vec<&str> = outside.iter().map(|w| w.text.as_str()).collect();
            assert_eq!(text, ["AM", "Thank", "you"], "{duplex}");
            assert!(outside.iter().all(|w| w.bbox[0] >= 306.0), "{duplex}");
        }
        // The message is on the inside right panel; seen turned, on the left.
        let right = words[1].iter().all(|w| w.bbox[0] >= 306.0);
        let left = words[1].iter().all(|w| w.bbox[2] <= 306.0);
        assert!(
            !words[1].is_empty() && if rot == "0" { right } else { left },
            "{duplex}"
        );
    }
    // A flat design has no back to print.
    let o = stationer(
        dir.path(),
        &[
            "batch",
            "note.toml",
            "--data",
            "r.csv",
            "-o",
            "x.pdf",
            "--duplex",
            "long",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn from_skip_and_copies_place_the_right_cards() {
    if !have_tool("pdftotext") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "note.toml", TEMPLATE.as_bytes());
    write(
        dir.path(),
        "r.csv",
        b"name,title,company,position,detail,n\nAnn,Dr.,C,R,D,2\nBob,Dr.,C,R,D,0\nCy,Dr.,C,R,D,1\n",
    );
    let o = stationer(
        dir.path(),
        &[
            "batch",
            "note.toml",
            "--data",
            "r.csv",
            "-o",
            "c.pdf",
            "--copies-column",
            "n",
            "--from",
            "2",
            "--report",
            "c.json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = run_tool(
        "pdftotext",
        &[dir.path().join("c.pdf").to_str().unwrap(), "-"],
    );
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert_eq!(
        pages.len(),
        2,
        "Ann twice, Bob never, Cy once; from card 2: {text}"
    );
    assert!(pages[0].contains("Ann") && pages[1].contains("Cy"));

    let o = stationer(
        dir.path(),
        &[
            "batch",
            "note.toml",
            "--data",
            "r.csv",
            "-o",
            "s.pdf",
            "--sheet",
            "letter",
            "--skip",
            "1",
            "--report",
            "s.json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let report: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("s.json")).unwrap()).unwrap();
    let offsets: Vec<f64> = report["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["offset"][1].as_f64().unwrap())
        .collect();
    // Two slots a sheet; the first is skipped: card 1 goes to the lower slot.
    assert!(offsets[0] > offsets[1], "{offsets:?}");
    assert_eq!(report["cards"][1]["sheet_page"], 2);
}

#[test]
fn the_same_bytes_on_one_thread_and_on_all() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "note.toml", TEMPLATE.as_bytes());
    write(dir.path(), "r.csv", csv_rows(300).as_bytes());
    let run = |threads: &str, out: &str| {
        let o = stationer(
            dir.path(),
            &[
                "batch",
                "note.toml",
                "--data",
                "r.csv",
                "-o",
                out,
                "--threads",
                threads,
                "--sheet",
                "a4",
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        std::fs::read(dir.path().join(out)).unwrap()
    };
    assert!(run("1", "one.pdf") == run("0", "all.pdf"));
    assert!(run("3", "three.pdf") == run("1", "one-again.pdf"));
}

#[test]
fn contact_sheet_shows_every_card_and_marks_the_ones_that_do_not_fit() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "note.toml", TEMPLATE.as_bytes());
    let long = "I enjoyed every part of our conversation about the catalogue. ".repeat(14);
    let mut csv = String::from("name,title,company,position,detail\n");
    for i in 1..=4 {
        let detail = if i == 2 { long.as_str() } else { "Thanks." };
        csv.push_str(&format!("P{i},Dr.,C{i},R{i},{detail}\n"));
    }
    write(dir.path(), "r.csv", csv.as_bytes());
    // `preview --data` exits 1 like `check --data`, naming the row, and writes nothing.
    let o = stationer(
        dir.path(),
        &[
            "preview",
            "note.toml",
            "--data",
            "r.csv",
            "-o",
            "sheet.png",
            "--dpi",
            "30",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("row 2:") && stderr(&o).contains("does not fit"));
    assert!(!dir.path().join("sheet.png").exists());
    // The library's contact sheet marks the card that does not fit.
    use stationer::batch::{contact_sheet, merge::parse_csv, proofs};
    let recipients = parse_csv(Path::new("r.csv"), csv.as_bytes()).unwrap();
    let note = stationer::parse_note(Path::new("note.toml"), TEMPLATE).unwrap();
    let design = stationer::design_for(&note, None).unwrap();
    let (fonts, proofs) = proofs(&note, &design, &recipients, 1).unwrap();
    let scene = contact_sheet(&design, &fonts, &proofs);
    let options = stationer::PngOptions {
        dpi: 30,
        guides: false,
        background: None,
    };
    let picture = stationer::export::png::render_png(&scene, 0, &options);
    let png = stationer::export::png::encode_png(&picture, options.dpi);
    let img = image::load_from_memory(&png).unwrap().to_rgb8();
    // A 2x2 grid: count strongly red pixels per quadrant.
    let (w, h) = img.dimensions();
    let mut red = [0u32; 4];
    for (x, y, p) in img.enumerate_pixels() {
        if p[0] > 150 && p[1] < 80 && p[2] < 80 {
            red[((y * 2 / h) * 2 + x * 2 / w) as usize] += 1;
        }
    }
    assert!(red[1] > 100, "card 2 is marked: {red:?}");
    assert!(
        red[0] == 0 && red[2] == 0 && red[3] == 0,
        "the others are not: {red:?}"
    );
    // All fitting: the sheet is written.
    write(
        dir.path(),
        "r.csv",
        csv.replace(long.as_str(), "Thanks.").as_bytes(),
    );
    let o = stationer(
        dir.path(),
        &[
            "preview",
            "note.toml",
            "--data",
            "r.csv",
            "-o",
            "sheet.png",
            "--dpi",
            "30",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(dir.path().join("sheet.png").exists());
}

/// A note with the values of one row put in by hand (TOML-quoted), for
/// comparing a batch's card with `render` of the same note.
fn merged_by_hand(template: &str, headers: &[&str], values: &[&str]) -> String {
    let mut note = template.to_string();
    for (h, v) in headers.iter().zip(values) {
        note = note.replace(&format!("{{{h}}}"), v);
    }
    note
}

const CHAIN_HEADERS: [&str; 5] = ["name", "title", "company", "position", "detail"];

fn chain_rows() -> Vec<[String; 5]> {
    let sentence = "Our talk about the spring catalogue and the reader surveys and the new \
                    imprint stayed with me all week. ";
    (1..=5)
        .map(|i| {
            [
                format!("Person {i}"),
                ["Dr.", "Ms.", "Mr."][i % 3].to_string(),
                format!("Company {}", "X".repeat(i * 3)),
                format!("role {i}"),
                // Rows 2 and 4 are long enough to be set smaller.
                match i {
                    2 => sentence.repeat(4),
                    4 => sentence.repeat(6),
                    _ => "Thanks again.".to_string(),
                },
            ]
        })
        .collect()
}

#[test]
fn every_card_of_a_batch_is_the_card_render_makes_of_the_same_note() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "note.toml", TEMPLATE.as_bytes());
    let rows = chain_rows();
    let mut csv = CHAIN_HEADERS.join(",") + "\n";
    for r in &rows {
        csv.push_str(&(r.join(",") + "\n"));
    }
    write(dir.path(), "r.csv", csv.as_bytes());
    let o = stationer(
        dir.path(),
        &[
            "batch",
            "note.toml",
            "--data",
            "r.csv",
            "-o",
            "all.pdf",
            "--report",
            "all.json",
            "--split",
            "split",
            "--split-name",
            "{row}",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let batch: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("all.json")).unwrap()).unwrap();
    let cards = batch["cards"].as_array().unwrap();
    assert_eq!(cards.len(), rows.len());
    let mut sizes = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let values: Vec<&str> = r.iter().map(String::as_str).collect();
        let name = format!("card{}.toml", i + 1);
        write(
            dir.path(),
            &name,
            merged_by_hand(TEMPLATE, &CHAIN_HEADERS, &values).as_bytes(),
        );
        let (pdf, json) = (format!("card{}.pdf", i + 1), format!("card{}.json", i + 1));
        let o = stationer(
            dir.path(),
            &["render", &name, "-o", &pdf, "--report", &json],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let single: Value =
            serde_json::from_slice(&std::fs::read(dir.path().join(&json)).unwrap()).unwrap();
        let (b, s) = (&cards[i], &single["cards"][0]);
        for key in [
            "font_size",
            "body_box",
            "signature_box",
            "lines",
            "width",
            "height",
        ] {
            assert_eq!(b[key], s[key], "card {}: {key} differs", i + 1);
        }
        assert!(!s["lines"].as_array().unwrap().is_empty());
        sizes.push(s["font_size"].as_f64().unwrap());
        // The card's own PDF from the batch is the PDF `render` makes.
        let split = std::fs::read(dir.path().join(format!("split/{}.pdf", i + 1))).unwrap();
        let rendered = std::fs::read(dir.path().join(&pdf)).unwrap();
        assert!(split == rendered, "card {}: PDF bytes differ", i + 1);
    }
    // The rows were chosen to be set at different sizes: the comparison
    // covers more than one fit.
    sizes.dedup();
    assert!(sizes.len() > 1, "{sizes:?}");
}

#[test]
fn contact_sheet_cards_are_the_cards_layout_card_makes() {
    use stationer::batch::{contact_sheet, merge::parse_csv, proofs};
    use stationer::input::note::parse_note;
    let rows = chain_rows();
    let mut csv = CHAIN_HEADERS.join(",") + "\n";
    for r in &rows {
        csv.push_str(&(r.join(",") + "\n"));
    }
    let recipients = parse_csv(Path::new("r.csv"), csv.as_bytes()).unwrap();
    let note = parse_note(Path::new("note.toml"), TEMPLATE).unwrap();
    let design = stationer::design_for(&note, None).unwrap();
    let (fonts, proofs) = proofs(&note, &design, &recipients, 2).unwrap();
    assert_eq!(proofs.len(), rows.len());
    for (proof, r) in proofs.iter().zip(&rows) {
        let values: Vec<&str> = r.iter().map(String::as_str).collect();
        let by_hand = parse_note(
            Path::new("card.toml"),
            &merged_by_hand(TEMPLATE, &CHAIN_HEADERS, &values),
        )
        .unwrap();
        let card = stationer::layout_card(&by_hand, &design).unwrap();
        assert!(
            proof.card.as_ref().unwrap() == &card.scene.pages[0],
            "row {}: the proof's page differs from layout_card's",
            proof.row
        );
        assert_eq!(proof.name, r[0]);
    }
    // The sheet holds every card and one label per card.
    let sheet = contact_sheet(&design, &fonts, &proofs);
    assert_eq!(sheet.pages.len(), 1);
    let labels = sheet.pages[0]
        .items
        .iter()
        .filter(|i| matches!(i, stationer::scene::Item::Text(t) if t.text.starts_with(|c: char| c.is_ascii_digit())))
        .count();
    assert_eq!(labels, rows.len());
}

fn run_template(dir: &Path, note: &str, csv: &str) -> std::process::Output {
    write(dir, "note.toml", note.as_bytes());
    write(dir, "r.csv", csv.as_bytes());
    stationer(
        dir,
        &[
            "batch",
            "note.toml",
            "--data",
            "r.csv",
            "-o",
            "cards.pdf",
            "--report",
            "cards.json",
        ],
    )
}

#[test]
fn optional_placeholders_take_their_space_and_defaults_fill_in() {
    let dir = tempfile::tempdir().unwrap();
    let note = TEMPLATE
        .replace("{title} {name}", "{title?} {name|Friend}")
        .replace("{company}", "{company|your company}");
    let csv = "name,title,company,position,detail\n\
               Ann,,Northwind,editor,Thanks.\n\
               ,Dr.,,analyst,See you soon.\n\
               Bo,Mr.,Atlas,designer,Thanks.\n";
    let o = run_template(dir.path(), &note, csv);
    assert!(o.status.success(), "{}", stderr(&o));
    let report: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("cards.json")).unwrap()).unwrap();
    let first_line = |i: usize| {
        report["cards"][i]["lines"][0]["text"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(first_line(0), "Dear Ann,");
    assert_eq!(first_line(1), "Dear Dr. Friend,");
    assert_eq!(first_line(2), "Dear Mr. Bo,");
    if !have_tool("pdftotext") {
        return;
    }
    let pdf = dir.path().join("cards.pdf");
    let page = |p: &str| run_tool("pdftotext", &["-f", p, "-l", p, pdf.to_str().unwrap(), "-"]);
    let one = page("1");
    assert!(one.contains("Dear Ann,"), "{one}");
    let two = page("2");
    assert!(two.contains("Dear Dr. Friend,"), "{two}");
    assert!(
        two.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .contains("at your company"),
        "{two}"
    );
    for (p, text) in [("1", &one), ("2", &two), ("3", &page("3"))] {
        for line in text.lines() {
            assert!(!line.contains("  "), "page {p}: a double space in {line:?}");
            assert!(
                !line.starts_with(' '),
                "page {p}: a leading space in {line:?}"
            );
        }
    }
}

#[test]
fn a_required_placeholder_that_is_empty_is_named_with_a_fix() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "name,title,company,position,detail\nAnn,,Northwind,editor,Thanks.\n";
    let o = run_template(dir.path(), TEMPLATE, csv);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("r.csv:2") && err.contains("row 1, column \"title\": empty"),
        "{err}"
    );
    assert!(err.contains("{title?}") && err.contains("{title|"), "{err}");
    assert!(!dir.path().join("cards.pdf").exists());
    // A broken placeholder names the note's line, by the one parser's rule.
    let o = run_template(dir.path(), &TEMPLATE.replace("{detail}", "{detail|x"), csv);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("note.toml:4") && err.contains("never closed"),
        "{err}"
    );
}

#[test]
fn split_names_follow_the_template_rule() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "note.toml",
        TEMPLATE.replace("{title} {name}", "{title}").as_bytes(),
    );
    write(
        dir.path(),
        "r.csv",
        b"name,title,company,position,detail\nAnn,Dr.,C,R,Thanks.\n,Dr.,C,R,Thanks.\n",
    );
    let split = |name: &str| {
        stationer(
            dir.path(),
            &[
                "batch",
                "note.toml",
                "--data",
                "r.csv",
                "-o",
                "all.pdf",
                "--split",
                "out",
                "--split-name",
                name,
            ],
        )
    };
    let o = split("{{{row}}} {title?} {name|anon}");
    assert!(o.status.success(), "{}", stderr(&o));
    let mut files: Vec<String> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    files.sort();
    assert_eq!(files, ["{1} Dr. Ann.pdf", "{2} Dr. anon.pdf"]);
    // Errors name the option, as the command line spells it.
    let o = split("{row}-{nmae}");
    // A command-line mistake: exit 2.
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("--split-name: {nmae} names no column"),
        "{err}"
    );
    assert!(err.contains("columns: row, name"), "{err}");
    let o = split("{row");
    let err = stderr(&o);
    assert!(err.contains("--split-name: a '{' is never closed"), "{err}");
}

#[test]
fn library_messages_name_options_not_flags() {
    use stationer::batch::{impose::parse_grid, merge::parse_csv, run_batch, BatchOptions};
    use stationer::input::note::parse_note;
    let recipients = parse_csv(Path::new("r.csv"), csv_rows(3).as_bytes()).unwrap();
    let note = parse_note(Path::new("note.toml"), TEMPLATE).unwrap();
    let design = stationer::design_for(&note, None).unwrap();
    let cases: Vec<(&str, BatchOptions)> = vec![
        (
            "copies_column",
            BatchOptions {
                copies_column: Some("n".into()),
                ..BatchOptions::default()
            },
        ),
        (
            "duplex",
            BatchOptions {
                duplex: Some(stationer::batch::impose::Duplex::Long),
                ..BatchOptions::default()
            },
        ),
        (
            "from",
            BatchOptions {
                from: 9,
                ..BatchOptions::default()
            },
        ),
        (
            "max_cards",
            BatchOptions {
                max_cards: 2,
                ..BatchOptions::default()
            },
        ),
        (
            "skip",
            BatchOptions {
                skip: 1,
                ..BatchOptions::default()
            },
        ),
        (
            "split_name",
            BatchOptions {
                split_name: Some("{x}".into()),
                ..BatchOptions::default()
            },
        ),
        (
            "sheet",
            BatchOptions {
                sheet: Some((100.0, 100.0)),
                ..BatchOptions::default()
            },
        ),
    ];
    let mut errors = Vec::new();
    for (option, options) in cases {
        let e = run_batch(&note, &design, &recipients, &options, &|_, _| {}).unwrap_err();
        errors.push((option, e));
    }
    errors.push(("grid", parse_grid("0x4").unwrap_err()));
    errors.push(("grid", parse_grid("2by4").unwrap_err()));
    for (option, e) in errors {
        let d = &e.diagnostics()[0];
        assert_eq!(d.option, Some(option), "{d:?}");
        for text in std::iter::once(&d.message).chain(&d.hints) {
            assert!(!text.contains("--"), "{option}: a flag in {text:?}");
        }
    }
}

#[test]
fn a_note_without_placeholders_warns_that_every_card_is_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let literal = "body = \"Thank you for the visit.\"\nsigner = \"Alex Morgan\"\n";
    let o = run_template(dir.path(), literal, &csv_rows(3));
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains(
            "warning: note.toml: the note has no placeholders: all 3 cards will be the same"
        ),
        "{err}"
    );
    assert!(err.contains("hint: put {column} placeholders"), "{err}");
    assert!(dir.path().join("cards.pdf").exists());
    // With placeholders, no warning.
    let o = run_template(dir.path(), TEMPLATE, &csv_rows(3));
    assert!(o.status.success() && o.stderr.is_empty(), "{}", stderr(&o));
}
