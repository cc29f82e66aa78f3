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
        // Past the list's end is about the input (1); not a list of rows
        // at all is a command-line mistake (2).
        let want = if bad == "9" { 1 } else { 2 };
        assert_eq!(o.status.code(), Some(want), "{bad}");
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

#[test]
fn crop_marks_stay_on_the_sheet_for_every_card_size_and_grid() {
    use stationer::batch::impose::{Imposition, CROP_WIDTH};
    use stationer::paper::{papers, Use};
    let sheets = [("letter", (612.0, 792.0)), ("a4", (595.2756, 841.8898))];
    let (mut shortened, mut refused, mut tried) = (0, 0, 0);
    for card in papers(Use::Card) {
        let (cw, ch) = (card.width.0, card.height.0);
        for (card_w, card_h) in [(cw, ch), (ch, cw)] {
            for &(sheet_name, sheet) in &sheets {
                for cols in 1..=6 {
                    for rows in 1..=6 {
                        let fits = |(w, h): (f32, f32)| {
                            cols as f32 * card_w <= w + 1e-3 && rows as f32 * card_h <= h + 1e-3
                        };
                        if !fits(sheet) && !fits((sheet.1, sheet.0)) {
                            continue;
                        }
                        tried += 1;
                        let what = format!(
                            "{} {card_w}x{card_h} {cols}x{rows} on {sheet_name}",
                            card.name
                        );
                        match Imposition::plan(
                            sheet,
                            (card_w, card_h),
                            Some((cols, rows)),
                            0.0,
                            true,
                        ) {
                            Err(e) => {
                                let msg = e.to_string();
                                assert!(msg.contains("crop marks need at least"), "{what}: {msg}");
                                refused += 1;
                            }
                            Ok(imp) => {
                                let h = CROP_WIDTH / 2.0;
                                let marks = imp.crop_mark_strokes();
                                assert!(!marks.is_empty(), "{what}");
                                if imp.mark_len.iter().any(|&l| l < 18.0) {
                                    shortened += 1;
                                }
                                for m in marks {
                                    for p in [m.from, m.to] {
                                        assert!(
                                            p[0] >= h - 1e-3
                                                && p[1] >= h - 1e-3
                                                && p[0] <= imp.sheet_w - h + 1e-3
                                                && p[1] <= imp.sheet_h - h + 1e-3,
                                            "{what}: mark end {p:?} off the {}x{} sheet",
                                            imp.sheet_w,
                                            imp.sheet_h
                                        );
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    assert!(
        tried > 40 && shortened > 0 && refused > 0,
        "{tried} {shortened} {refused}"
    );

    // Through the command line and poppler: the issue's A6 2x2 on A4 is
    // refused; 5x3.5in cards 1x3 on Letter get shortened marks, all on the paper.
    if !(have_tool("qpdf") && have_tool("pdfinfo")) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "note.toml", TEMPLATE.as_bytes());
    let mut csv = String::from("name,title,company,position,detail\n");
    for i in 1..=3 {
        csv.push_str(&format!("P{i},Dr.,C{i},R{i},Thanks.\n"));
    }
    write(dir.path(), "r.csv", csv.as_bytes());
    let run = |layout: &str, sheet: &str, grid: &str| {
        stationer(
            dir.path(),
            &[
                "batch",
                "note.toml",
                "--data",
                "r.csv",
                "-o",
                "s.pdf",
                "--layout",
                layout,
                "--sheet",
                sheet,
                "--grid",
                grid,
                "--crop-marks",
            ],
        )
    };
    let o = run("portrait-a6", "a4", "2x2");
    // The options do not go together: a command-line mistake.
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--crop-marks:"), "{}", stderr(&o));
    assert!(!dir.path().join("s.pdf").exists());
    let designs = stdout(&stationer(dir.path(), &["layouts"]));
    let postcard = designs
        .lines()
        .find(|l| l.contains("5 x 3.5 in"))
        .and_then(|l| l.split_whitespace().next())
        .expect("a bundled 5x3.5in design");
    let o = run(postcard, "letter", "1x3");
    assert!(o.status.success(), "{}", stderr(&o));
    let pdf = dir.path().join("s.pdf");
    let info = run_tool("pdfinfo", &["-box", pdf.to_str().unwrap()]);
    let media: Vec<f32> = info
        .lines()
        .find(|l| l.starts_with("MediaBox:"))
        .unwrap()
        .split_whitespace()
        .skip(1)
        .map(|v| v.parse().unwrap())
        .collect();
    let segs = segments(&pdf, dir.path());
    let shortest = segs[0]
        .iter()
        .map(|s| ((s[2] - s[0]).powi(2) + (s[3] - s[1]).powi(2)).sqrt())
        .fold(f32::MAX, f32::min);
    assert!(segs[0].len() >= 10 && shortest < 17.0, "{:?}", segs[0]);
    for s in &segs[0] {
        for (x, y) in [(s[0], s[1]), (s[2], s[3])] {
            assert!(
                x >= media[0] + 0.12
                    && x <= media[2] - 0.12
                    && y >= media[1] + 0.12
                    && y <= media[3] - 0.12,
                "mark {s:?} leaves the MediaBox {media:?}"
            );
        }
    }
}

#[test]
fn duplex_pdfs_carry_their_intent_and_print_uses_it() {
    if !have_tool("pdftotext") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "note.toml", TEMPLATE.as_bytes());
    write(
        dir.path(),
        "r.csv",
        b"name,title,company,position,detail\nAnn,Dr.,C,R,Thanks.\n",
    );
    for (duplex, name, sides) in [
        ("long", "DuplexFlipLongEdge", "sides=two-sided-long-edge"),
        ("short", "DuplexFlipShortEdge", "sides=two-sided-short-edge"),
    ] {
        let o = stationer(
            dir.path(),
            &[
                "batch",
                "note.toml",
                "--data",
                "r.csv",
                "-o",
                "d.pdf",
                "--layout",
                "folded-a2",
                "--duplex",
                duplex,
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let pdf = dir.path().join("d.pdf");
        if have_tool("qpdf") {
            let json = run_tool(
                "qpdf",
                &["--json", "--json-key=qpdf", pdf.to_str().unwrap()],
            );
            assert!(
                json.contains(&format!("\"/Duplex\": \"/{name}\"")),
                "{duplex}"
            );
        }
        // print --dry-run without --duplex reads it from the PDF.
        let o = stationer(dir.path(), &["print", "d.pdf", "--dry-run"]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(stdout(&o).contains(sides), "{duplex}: {}", stdout(&o));
        // --duplex still wins.
        let other = if duplex == "long" { "short" } else { "long" };
        let o = stationer(
            dir.path(),
            &["print", "d.pdf", "--dry-run", "--duplex", other],
        );
        assert!(!stdout(&o).contains(sides), "{}", stdout(&o));
        // And --duplex off prints it one-sided.
        let o = stationer(
            dir.path(),
            &["print", "d.pdf", "--dry-run", "--duplex", "off"],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(
            stdout(&o).contains("sides=one-sided") && !stdout(&o).contains(sides),
            "{}",
            stdout(&o)
        );
        // The front page (the outside) is not empty: monogram and lettering,
        // on the front cover (the right half).
        let words = bbox_words(&pdf);
        let front: Vec<&str> = words[0].iter().map(|w| w.text.as_str()).collect();
        assert_eq!(front, ["AM", "Thank", "you"], "{duplex}");
        assert!(
            words[0].iter().all(|w| w.bbox[0] > 306.0),
            "on the front cover"
        );
        let inside = run_tool(
            "pdftotext",
            &["-f", "2", "-l", "2", pdf.to_str().unwrap(), "-"],
        );
        assert!(inside.contains("Dear Dr. Ann,"), "{inside}");
    }
    // A one-sided PDF records nothing and prints one-sided.
    let o = stationer(
        dir.path(),
        &["batch", "note.toml", "--data", "r.csv", "-o", "s.pdf"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = stationer(dir.path(), &["print", "s.pdf", "--dry-run"]);
    assert!(!stdout(&o).contains("sides="), "{}", stdout(&o));
    // Imposed: the outsides go on the front sheet, each behind its inside,
    // and crop marks bring score marks at the folds.
    let o = stationer(
        dir.path(),
        &[
            "batch",
            "note.toml",
            "--data",
            "r.csv",
            "-o",
            "i.pdf",
            "--layout",
            "folded-a2",
            "--duplex",
            "long",
            "--sheet",
            "letter",
            "--crop-marks",
            "--report",
            "i.json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let pdf = dir.path().join("i.pdf");
    let words = bbox_words(&pdf);
    let front: Vec<&str> = words[0].iter().map(|w| w.text.as_str()).collect();
    assert_eq!(front, ["AM", "Thank", "you"]);
    if have_tool("qpdf") {
        let segs = segments(&pdf, dir.path());
        // Crop marks (18pt) in line with the trim's verticals; a score
        // mark (half as long) above and below the grid at each fold.
        let vertical = |s: &&[f32; 4]| (s[0] - s[2]).abs() < 0.01;
        let len = |s: &[f32; 4]| (s[3] - s[1]).abs();
        let mut trims: Vec<f32> = segs[0]
            .iter()
            .filter(vertical)
            .filter(|s| (len(s) - 18.0).abs() < 0.01)
            .map(|s| s[0])
            .collect();
        trims.sort_by(f32::total_cmp);
        trims.dedup();
        assert_eq!(trims.len(), 2, "{:?}", segs[0]);
        let fold = (trims[0] + trims[1]) / 2.0;
        let score = segs[0]
            .iter()
            .filter(vertical)
            .filter(|s| (s[0] - fold).abs() < 0.01 && (len(s) - 9.0).abs() < 0.01)
            .count();
        assert_eq!(
            score, 2,
            "a score mark above and below the grid: {:?}",
            segs[0]
        );
    }
}

#[test]
fn preview_guides_show_the_fold_line() {
    let dir = tempfile::tempdir().unwrap();
    let note = std::fs::read_to_string(root().join("samples/note.toml")).unwrap();
    write(dir.path(), "n.toml", note.as_bytes());
    let draw = |guides: bool| {
        let mut args = vec![
            "preview",
            "n.toml",
            "--layout",
            "folded-a2",
            "-o",
            "p.png",
            "--dpi",
            "72",
        ];
        if guides {
            args.push("--guides");
        }
        let o = stationer(dir.path(), &args);
        assert!(o.status.success(), "{}", stderr(&o));
        image::open(dir.path().join("p.png")).unwrap().to_rgb8()
    };
    let column = |img: &image::RgbImage, x: u32| {
        (0..img.height())
            .filter(|&y| {
                let p = img.get_pixel(x, y);
                p[0] > 150 && p[1] < 60 && p[2] > 100
            })
            .count()
    };
    let (plain, guided) = (draw(false), draw(true));
    // 612pt at 72 dpi: the fold at pixel 306, dashed in the trim colour.
    let h = guided.height() as usize;
    let on = column(&guided, 306).max(column(&guided, 305));
    assert!(on > h / 4 && on < h, "fold guide pixels: {on} of {h}");
    assert_eq!(column(&plain, 306), 0);
}

#[test]
fn envelopes_follow_each_country_honour_copies_and_match_the_cards_order() {
    if !have_tool("pdftotext") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let rows = [
        (
            "Ann Lee",
            "12 Elm St",
            "Portland",
            "OR",
            "97205",
            "U.S.",
            1,
            "Portland, OR 97205",
        ),
        (
            "Bo Roy",
            "24 Sussex Dr",
            "Ottawa",
            "ON",
            "K1M 1M4",
            "Canada",
            2,
            "Ottawa ON K1M 1M4",
        ),
        (
            "Cy Hart",
            "10 Downing St",
            "London",
            "",
            "SW1A 2AA",
            "United Kingdom",
            1,
            "London|SW1A 2AA",
        ),
        (
            "Di Kaur",
            "1 Main St",
            "Dublin",
            "",
            "D02 XY45",
            "Ireland",
            1,
            "Dublin D02 XY45",
        ),
        (
            "Ed Vogel",
            "Unter den Linden 1",
            "Berlin",
            "",
            "10117",
            "DE",
            1,
            "10117 Berlin",
        ),
        (
            "Flo Petit",
            "5 rue de Rivoli",
            "Paris",
            "",
            "75001",
            "France",
            0,
            "",
        ),
        (
            "Gia Russo",
            "Via Roma 2",
            "Roma",
            "RM",
            "00184",
            "Italy",
            1,
            "00184 Roma RM",
        ),
        (
            "Hugo Sanz",
            "Calle Mayor 3",
            "Madrid",
            "Madrid",
            "28013",
            "Spain",
            1,
            "28013 Madrid|Madrid",
        ),
        (
            "Ida de Vries",
            "Damrak 1",
            "Amsterdam",
            "",
            "1012 LG",
            "Netherlands",
            1,
            "1012 LG Amsterdam",
        ),
        (
            "Jo Smith",
            "1 George St",
            "Sydney",
            "NSW",
            "2000",
            "Australia",
            1,
            "Sydney NSW 2000",
        ),
        (
            "Ken Sato",
            "1-1 Chiyoda",
            "Chiyoda-ku",
            "Tokyo",
            "100-0001",
            "Japan",
            3,
            "Chiyoda-ku, Tokyo 100-0001",
        ),
    ];
    let mut csv = String::from(
        "name,address1,city,region,postcode,country,copies,title,company,position,detail\n",
    );
    for r in &rows {
        csv.push_str(&format!(
            "{},{},{},{},{},{},{},Dr.,C,R,Thanks.\n",
            r.0, r.1, r.2, r.3, r.4, r.5, r.6
        ));
    }
    write(dir.path(), "r.csv", csv.as_bytes());
    write(dir.path(), "ret.toml", b"name = \"Alex Morgan\"\naddress1 = \"9 Oak Ave\"\ncity = \"Portland\"\nregion = \"OR\"\npostcode = \"97201\"\ncountry = \"USA\"\n");
    let o = stationer(
        dir.path(),
        &[
            "envelopes",
            "--data",
            "r.csv",
            "-o",
            "env.pdf",
            "--copies-column",
            "copies",
            "--return-address",
            "ret.toml",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    write(dir.path(), "note.toml", TEMPLATE.as_bytes());
    let o = stationer(
        dir.path(),
        &[
            "batch",
            "note.toml",
            "--data",
            "r.csv",
            "-o",
            "cards.pdf",
            "--copies-column",
            "copies",
            "--report",
            "cards.json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let cards = json(&dir.path().join("cards.json"));
    let card_rows: Vec<u64> = cards["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["row"].as_u64().unwrap())
        .collect();
    let pdf = dir.path().join("env.pdf");
    let info = run_tool("pdfinfo", &[pdf.to_str().unwrap()]);
    let expected_pages: usize = rows.iter().map(|r| r.6).sum();
    assert!(
        info.contains(&format!("Pages:           {expected_pages}")),
        "{info}"
    );
    assert_eq!(card_rows.len(), expected_pages);
    for (i, row) in card_rows.iter().enumerate() {
        let r = &rows[*row as usize - 1];
        let p = (i + 1).to_string();
        let text = run_tool(
            "pdftotext",
            &["-f", &p, "-l", &p, "-layout", pdf.to_str().unwrap(), "-"],
        );
        let lines: Vec<String> = text
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|l| !l.is_empty())
            .collect();
        assert!(
            lines.contains(&r.0.to_string()),
            "envelope {p} is row {row}'s: {lines:?}"
        );
        for city_line in r.7.split('|') {
            assert!(
                lines.contains(&city_line.to_string()),
                "envelope {p} ({}): {city_line:?} in {lines:?}",
                r.5
            );
        }
        for l in &lines {
            assert!(
                !l.ends_with(',') && !l.starts_with(',') && !l.contains(", ,"),
                "{l:?}"
            );
        }
        // Abroad, the country's name in capitals; at home (the return
        // address says "USA", the row "U.S."), none.
        let abroad = r.5 != "U.S.";
        let country_line = match r.5 {
            "DE" => "GERMANY".to_string(),
            c => c.to_uppercase(),
        };
        assert_eq!(lines.contains(&country_line), abroad, "{lines:?}");
        assert!(!lines.iter().any(|l| l == "U.S." || l == "DE"), "{lines:?}");
    }
    // --rows picks the same rows as the batch's --rows.
    let o = stationer(
        dir.path(),
        &[
            "envelopes",
            "--data",
            "r.csv",
            "-o",
            "two.pdf",
            "--rows",
            "2,11",
            "--copies-column",
            "copies",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let info = run_tool("pdfinfo", &[dir.path().join("two.pdf").to_str().unwrap()]);
    assert!(info.contains("Pages:           5"), "{info}");
    // --city-line still sets one format for every address.
    let o = stationer(
        dir.path(),
        &[
            "envelopes",
            "--data",
            "r.csv",
            "-o",
            "one.pdf",
            "--city-line",
            "{postcode} {city}",
            "--rows",
            "1",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = run_tool(
        "pdftotext",
        &[dir.path().join("one.pdf").to_str().unwrap(), "-"],
    );
    assert!(text.contains("97205 Portland"), "{text}");
}

#[test]
fn the_loading_guide_says_how_to_load_for_every_feed_setting() {
    use stationer::batch::impose::Duplex;
    use stationer::printer::feed::{loading_guide, Align, Edge, Face, Feed};
    let a2 = [396.0, 306.0];
    // Exact words for one setting, one-sided and two-sided.
    let feed = Feed {
        face: Some(Face::Down),
        leading_edge: Some(Edge::Top),
        align: Some(Align::Center),
    };
    assert_eq!(
        loading_guide(&feed, Some("Manual"), a2, None),
        [
            "load the landscape card stock in tray Manual, the side to print facing down, \
             the top edge of the card as you read it (a long edge) going in first",
            "centre the stack between the tray's guides",
        ]
    );
    let two = loading_guide(&feed, None, [612.0, 396.0], Some(Duplex::Long));
    assert!(
        two[0].contains("the outside (page 1) facing down"),
        "{two:?}"
    );
    assert!(
        two[2].contains("inside (page 2) on the back, facing up")
            && two[2].contains("over its long edge"),
        "{two:?}"
    );
    // Every combination: each setting's words, and only those.
    let faces = [Face::Up, Face::Down];
    let edges = [Edge::Top, Edge::Bottom, Edge::Left, Edge::Right];
    let aligns = [Align::Center, Align::Left, Align::Right];
    for face in faces {
        for edge in edges {
            for align in aligns {
                for duplex in [None, Some(Duplex::Long), Some(Duplex::Short)] {
                    for size in [a2, [306.0, 396.0]] {
                        let feed = Feed {
                            face: Some(face),
                            leading_edge: Some(edge),
                            align: Some(align),
                        };
                        let words = loading_guide(&feed, None, size, duplex).join(" / ");
                        let what =
                            format!("{face:?} {edge:?} {align:?} {duplex:?} {size:?}: {words}");
                        assert!(words.contains(&format!("facing {}", face.name())), "{what}");
                        assert!(
                            words.contains(&format!("the {} edge of the card", edge.name())),
                            "{what}"
                        );
                        let long = matches!(
                            (edge, size[0] > size[1]),
                            (Edge::Top | Edge::Bottom, true) | (Edge::Left | Edge::Right, false)
                        );
                        assert!(
                            words.contains(if long {
                                "(a long edge)"
                            } else {
                                "(a short edge)"
                            }),
                            "{what}"
                        );
                        let said = match align {
                            Align::Center => "centre the stack between the tray's guides",
                            Align::Left => "against the tray's left edge",
                            Align::Right => "against the tray's right edge",
                        };
                        assert!(words.contains(said), "{what}");
                        assert_eq!(words.contains("page 2"), duplex.is_some(), "{what}");
                        assert!(!words.contains("does not say"), "{what}");
                    }
                }
            }
        }
    }
    // Nothing known: it says so and how to find out.
    let unknown = loading_guide(&Feed::default(), None, a2, None).join(" ");
    assert!(
        unknown.contains("does not say") && unknown.contains("stationer calibrate"),
        "{unknown}"
    );

    // Through the command line: profile set records it, print --dry-run says it.
    let dir = tempfile::tempdir().unwrap();
    let profiles = dir.path().join("p.toml");
    let p = profiles.to_str().unwrap();
    let o = stationer(
        dir.path(),
        &[
            "profile",
            "set",
            "office",
            "--profiles",
            p,
            "--face",
            "up",
            "--leading-edge",
            "bottom",
            "--align",
            "left",
            "--tray",
            "Manual",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&profiles).unwrap();
    assert!(
        text.contains("face = \"up\"") && text.contains("leading_edge = \"bottom\""),
        "{text}"
    );
    let o = stationer(
        dir.path(),
        &["profile", "set", "x", "--profiles", p, "--face", "sideways"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--face: \"sideways\" is not one of up, down"),
        "{}",
        stderr(&o)
    );
    let card = dir.path().join("card.pdf");
    let note = std::fs::read_to_string(root().join("samples/note.toml")).unwrap();
    write(dir.path(), "n.toml", note.as_bytes());
    let o = stationer(
        dir.path(),
        &["render", "n.toml", "-o", card.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = stationer(
        dir.path(),
        &[
            "print",
            "card.pdf",
            "--profile",
            "office",
            "--profiles",
            p,
            "--dry-run",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("InputSlot=Manual"), "{out}");
    assert!(
        out.contains(
            "load: load the landscape card stock in tray Manual, the side to print facing up, \
             the bottom edge of the card as you read it (a long edge) going in first"
        ),
        "{out}"
    );
    assert!(
        out.contains("load: push the stack against the tray's left edge"),
        "{out}"
    );
    // The calibration sheet asks the questions.
    let o = stationer(dir.path(), &["calibrate", "-o", "cal.pdf"]);
    assert!(o.status.success(), "{}", stderr(&o));
    if have_tool("pdftotext") {
        let text = run_tool(
            "pdftotext",
            &[dir.path().join("cal.pdf").to_str().unwrap(), "-"],
        );
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for q in [
            "--face up or down",
            "--leading-edge top, bottom, left or right",
            "--align center, left or right",
        ] {
            assert!(flat.contains(q), "{q}: {flat}");
        }
    }
}

/// A private cupsd with one queue for the HP Color LaserJet CM3530 PPD of
/// cups-filters, printing to a file (`FileDevice Yes`). Killed on drop.
struct HpCups {
    dir: tempfile::TempDir,
    child: std::process::Child,
}

impl Drop for HpCups {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const HP_PPD: &str = "/usr/share/ppd/cupsfilters/HP-Color_LaserJet_CM3530_MFP-PDF.ppd";

impl HpCups {
    fn socket(&self) -> std::path::PathBuf {
        self.dir.path().join("cups.sock")
    }
    fn job_file(&self) -> std::path::PathBuf {
        self.dir.path().join("out/job.prn")
    }
    fn start() -> Option<HpCups> {
        use std::os::unix::fs::PermissionsExt;
        use std::process::{Command, Stdio};
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        // cupsd's filters run as lp: the folders must be open to it.
        std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o755)).unwrap();
        for sub in ["spool/tmp", "out", "log", "cache", "state"] {
            std::fs::create_dir_all(d.join(sub)).unwrap();
        }
        std::fs::set_permissions(d.join("out"), std::fs::Permissions::from_mode(0o1777)).unwrap();
        std::fs::write(d.join("out/job.prn"), b"").unwrap();
        std::fs::set_permissions(
            d.join("out/job.prn"),
            std::fs::Permissions::from_mode(0o666),
        )
        .unwrap();
        let port = (30000 + std::process::id() % 20000) as u16;
        std::fs::write(
            d.join("cupsd.conf"),
            format!(
                "LogLevel warn\nListen 127.0.0.1:{port}\nListen {}/cups.sock\nBrowsing No\n\
                 WebInterface No\n<Location />\n  Order allow,deny\n  Allow from 127.0.0.1\n\
                 </Location>\n<Policy default>\n  <Limit All>\n    Order deny,allow\n  \
                 </Limit>\n</Policy>\n",
                d.display()
            ),
        )
        .unwrap();
        std::fs::write(
            d.join("cups-files.conf"),
            format!(
                "ServerRoot {0}\nRequestRoot {0}/spool\nTempDir {0}/spool/tmp\n\
                 CacheDir {0}/cache\nStateDir {0}/state\nErrorLog {0}/log/error_log\n\
                 AccessLog {0}/log/access_log\nPageLog {0}/log/page_log\nSystemGroup root\n\
                 FileDevice Yes\n",
                d.display()
            ),
        )
        .unwrap();
        let child = Command::new("cupsd")
            .arg("-f")
            .arg("-c")
            .arg(d.join("cupsd.conf"))
            .arg("-s")
            .arg(d.join("cups-files.conf"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let cups = HpCups { dir, child };
        let running = || {
            Command::new("lpstat")
                .arg("-r")
                .env("CUPS_SERVER", cups.socket())
                .output()
                .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("is running"))
        };
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while !running() && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let o = Command::new("lpadmin")
            .env("CUPS_SERVER", cups.socket())
            .args(["-p", "hp", "-E", "-v"])
            .arg(format!("file://{}", cups.job_file().display()))
            .args(["-P", HP_PPD])
            .output()
            .ok()?;
        assert!(
            o.status.success(),
            "lpadmin: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        Some(cups)
    }

    /// The PDF inside the job file (after its PJL header), once written.
    fn job_pdf(&self) -> Vec<u8> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            let d = std::fs::read(self.job_file()).unwrap_or_default();
            if let (Some(i), Some(j)) = (
                d.windows(5).position(|w| w == b"%PDF-"),
                d.windows(5).rposition(|w| w == b"%%EOF"),
            ) {
                if j > i {
                    return d[i..j + 5].to_vec();
                }
            }
            assert!(
                std::time::Instant::now() < deadline,
                "no job output; log: {}",
                std::fs::read_to_string(self.dir.path().join("log/error_log")).unwrap_or_default()
            );
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }
}

#[test]
fn a_card_the_queue_has_no_paper_for_is_not_sent_as_letter_and_prints_placed() {
    let tools = ["cupsd", "lpadmin", "lpstat", "ipptool", "pdftotext"];
    // Looked up on PATH and in the system folders, never run to find out.
    let path = std::env::var_os("PATH").unwrap_or_default();
    let have = tools.iter().all(|t| {
        std::env::split_paths(&path)
            .chain(["/usr/sbin", "/usr/bin"].map(std::path::PathBuf::from))
            .any(|d| d.join(t).is_file())
    });
    if !have || !Path::new(HP_PPD).exists() {
        if std::env::var("STATIONER_REQUIRE_TOOLS").as_deref() == Ok("1") {
            panic!("the private-cupsd test needs cups, ipptool and cups-filters' {HP_PPD}");
        }
        eprintln!("SKIPPED: needs cupsd, ipptool and {HP_PPD}");
        return;
    }
    let Some(cups) = HpCups::start() else {
        eprintln!("SKIPPED: cupsd did not start");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let note = std::fs::read_to_string(root().join("samples/note.toml")).unwrap();
    write(dir.path(), "n.toml", note.as_bytes());
    let o = stationer(dir.path(), &["render", "n.toml", "-o", "a2.pdf"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let env = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_stationer"))
            .current_dir(dir.path())
            .env("CUPS_SERVER", cups.socket())
            .args(args)
            .output()
            .unwrap()
    };
    // Not silently sent as Letter: refused, saying what CUPS would do and what works.
    for args in [
        &["print", "a2.pdf", "--printer", "hp"][..],
        &["print", "a2.pdf", "--printer", "hp", "--dry-run"][..],
    ] {
        let o = env(args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains("hp takes no 5.5 x 4.25 in paper"), "{err}");
        assert!(
            err.contains("on Letter paper instead") && err.contains("turned 90° and centred"),
            "{err}"
        );
        assert!(err.contains("--on-sheet letter"), "{err}");
    }
    assert_eq!(
        std::fs::read(cups.job_file()).unwrap(),
        b"",
        "nothing was sent"
    );
    // A profile that says the tray centres card stock; dry-run shows the placement.
    let profiles = dir.path().join("p.toml");
    let o = stationer(
        dir.path(),
        &[
            "profile",
            "set",
            "hp",
            "--profiles",
            profiles.to_str().unwrap(),
            "--align",
            "center",
            "--face",
            "up",
            "--leading-edge",
            "top",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let p = profiles.to_str().unwrap();
    let o = env(&[
        "print",
        "a2.pdf",
        "--printer",
        "hp",
        "--on-sheet",
        "letter",
        "--profile",
        "hp",
        "--profiles",
        p,
        "--dry-run",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("place: the 5.5 x 4.25 in card 1.5in from the left edge of a letter sheet"),
        "{out}"
    );
    assert!(
        out.contains("media=Letter") && out.contains("load: "),
        "{out}"
    );
    let o = env(&[
        "print",
        "a2.pdf",
        "--printer",
        "hp",
        "--on-sheet",
        "letter",
        "--profile",
        "hp",
        "--profiles",
        p,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("(Letter, 1 copy, no scaling)"),
        "{}",
        stdout(&o)
    );
    // In the job: a Letter page, every word of the card where the feed puts
    // the card (centred at the top edge: 108pt right of the card's own place).
    let inner = dir.path().join("inner.pdf");
    std::fs::write(&inner, cups.job_pdf()).unwrap();
    let job = std::fs::read(cups.job_file()).unwrap();
    assert!(String::from_utf8_lossy(&job).contains("@PJL SET PAPER=LETTER"));
    let info = run_tool("pdfinfo", &[inner.to_str().unwrap()]);
    assert!(info.contains("612 x 792 pts"), "{info}");
    let ours = bbox_words(&dir.path().join("a2.pdf"));
    let printed = bbox_words(&inner);
    assert_eq!(ours[0].len(), printed[0].len());
    assert!(!ours[0].is_empty());
    for (a, b) in ours[0].iter().zip(&printed[0]) {
        assert_eq!(a.text, b.text);
        let want = [a.bbox[0] + 108.0, a.bbox[1], a.bbox[2] + 108.0, a.bbox[3]];
        for k in 0..4 {
            assert!(
                (want[k] - b.bbox[k]).abs() < 0.05,
                "{}: {:?} vs {:?}",
                a.text,
                want,
                b.bbox
            );
        }
        assert!(
            inside(b.bbox, [108.0, 0.0, 504.0, 306.0], 0.0),
            "{} off the card",
            b.text
        );
    }
    // A printer that takes card stock by another edge first gets the card
    // turned so that edge leads: every word where the turned card lies.
    let (w, h) = (396.0, 306.0);
    for (edge, turn) in [("left", 90), ("bottom", 180), ("right", 270)] {
        let o = stationer(
            dir.path(),
            &[
                "profile",
                "set",
                "hp",
                "--profiles",
                p,
                "--align",
                "center",
                "--face",
                "up",
                "--leading-edge",
                edge,
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        std::fs::write(cups.job_file(), b"").unwrap();
        let o = env(&[
            "print",
            "a2.pdf",
            "--printer",
            "hp",
            "--on-sheet",
            "letter",
            "--profile",
            "hp",
            "--profiles",
            p,
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        let out = stdout(&o);
        assert!(
            out.contains(&format!(
                "turned {turn}° so that the card's {edge} edge leads"
            )),
            "{out}"
        );
        std::fs::write(&inner, cups.job_pdf()).unwrap();
        let info = run_tool("pdfinfo", &[inner.to_str().unwrap()]);
        assert!(info.contains("612 x 792 pts"), "{edge}: {info}");
        let printed = bbox_words(&inner);
        assert_eq!(ours[0].len(), printed[0].len(), "{edge}");
        // Where the card lies on the sheet: centred across, at the top.
        let (lw, lh) = if turn == 180 { (w, h) } else { (h, w) };
        let ox = (612.0 - lw) / 2.0;
        // poppler lists a turned page's words in its own reading order:
        // each of ours is found by its text where the turned card puts it.
        for a in &ours[0] {
            let [u0, v0, u1, v1] = a.bbox;
            // The card turned clockwise by `turn` degrees, then moved to its place.
            let want = match turn {
                90 => [ox + h - v1, u0, ox + h - v0, u1],
                180 => [ox + w - u1, h - v1, ox + w - u0, h - v0],
                _ => [ox + v0, w - u1, ox + v1, w - u0],
            };
            let found = printed[0]
                .iter()
                .find(|b| b.text == a.text && (0..4).all(|k| (want[k] - b.bbox[k]).abs() < 0.1));
            let b = found
                .unwrap_or_else(|| panic!("{edge}: {} not at {want:?}: {:?}", a.text, printed[0]));
            assert!(
                inside(b.bbox, [ox, 0.0, ox + lw, lh], 0.0),
                "{edge}: {} off the card",
                b.text
            );
        }
    }
}
