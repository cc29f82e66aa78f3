//! `stationer envelopes`: one envelope per recipient in the cards' order,
//! addresses that extract in order, pages the envelope's size, placement by
//! postal convention, warnings for odd sizes, a missing column refused,
//! every envelope of the paper table, city-line templates, and previews
//! that match what `pdftoppm` makes of the PDF.

mod common;

use common::*;
use std::path::Path;

fn sample(name: &str) -> String {
    root()
        .join("samples")
        .join(name)
        .to_str()
        .unwrap()
        .to_string()
}

/// Pages of a PDF's text, each as its non-empty lines.
fn page_lines(pdf: &Path) -> Vec<Vec<String>> {
    run_tool("pdftotext", &[pdf.to_str().unwrap(), "-"])
        .split('\u{c}')
        .map(|p| {
            p.lines()
                .map(|l| l.trim().to_string())
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
        })
        .filter(|p| !p.is_empty())
        .collect()
}

#[test]
fn addresses_extract_in_order_with_the_return_address_first() {
    if !have_tool("pdftotext") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let o = stationer(
        dir.path(),
        &[
            "envelopes",
            "--data",
            &sample("addresses.csv"),
            "-o",
            "env.pdf",
            "--return-address",
            &sample("return.toml"),
            "--column",
            "name=full_name",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(o.stderr.is_empty(), "no warnings for US A2: {}", stderr(&o));
    let pages = page_lines(&dir.path().join("env.pdf"));
    let home = [
        "Alex Morgan",
        "418 Alder Street, Apt 3",
        "Portland, OR 97205",
    ];
    let expected: [&[&str]; 4] = [
        &[
            "Ms. Ana Rivera",
            "Northwind Press",
            "1450 Harbor Boulevard",
            "Suite 300",
            "Portland, OR 97209",
        ],
        &[
            "Mr. Tomás Núñez",
            "Smith, Jones & Partners",
            "88 Pearl Street",
            "Floor 12",
            "New York, NY 10004",
        ],
        &[
            "Dr. Zoë Brontë",
            "Fernhill Studio",
            "14 Fernhill Lane",
            // Royal Mail: the post town and the postcode on lines of their own.
            "Haworth",
            "BD22 8DR",
            "UNITED KINGDOM",
        ],
        &[
            "Ms. Siobhán O’Brien",
            "Atlas & Finch",
            "2 Merrion Square",
            "Dublin D02 XY45",
            "IRELAND",
        ],
    ];
    assert_eq!(pages.len(), 4);
    for (page, want) in pages.iter().zip(expected) {
        let abroad = want.last().unwrap().chars().all(|c| !c.is_lowercase());
        let mut all: Vec<&str> = home.to_vec();
        if abroad {
            all.push("USA");
        }
        all.extend(want);
        assert_eq!(page, &all, "{page:?}");
    }
}

#[test]
fn envelopes_follow_the_cards_order() {
    if !have_tool("pdftotext") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let data = sample("addresses.csv");
    let o = stationer(
        dir.path(),
        &[
            "batch",
            &sample("template.toml"),
            "--data",
            &data,
            "-o",
            "cards.pdf",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = stationer(
        dir.path(),
        &[
            "envelopes",
            "--data",
            &data,
            "-o",
            "env.pdf",
            "--column",
            "name=full_name",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let cards = page_lines(&dir.path().join("cards.pdf"));
    let envelopes = page_lines(&dir.path().join("env.pdf"));
    assert_eq!(cards.len(), envelopes.len());
    for (card, env) in cards.iter().zip(&envelopes) {
        // "Dear Ms. Rivera," on the card; "Ms. Ana Rivera" on its envelope.
        let surname = card[0].trim_end_matches(',').rsplit(' ').next().unwrap();
        assert!(env[0].ends_with(surname), "{card:?} vs {env:?}");
    }
}

#[test]
fn pages_are_the_envelope_size_and_the_blocks_sit_by_convention() {
    if !(have_tool("pdfinfo") && have_tool("pdftotext")) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mm = 72.0 / 25.4;
    let sizes = [
        ("us-a2", 414.0, 315.0),
        ("us-a6", 468.0, 342.0),
        ("us-a7", 522.0, 378.0),
        ("c6", 162.0 * mm, 114.0 * mm),
        ("dl", 220.0 * mm, 110.0 * mm),
    ];
    for (size, w, h) in sizes {
        let out = format!("{size}.pdf");
        let o = stationer(
            dir.path(),
            &[
                "envelopes",
                "--data",
                &sample("addresses.csv"),
                "-o",
                &out,
                "--size",
                size,
                "--return-address",
                &sample("return.toml"),
                "--column",
                "name=full_name",
            ],
        );
        assert!(o.status.success(), "{size}: {}", stderr(&o));
        let pdf = dir.path().join(&out);
        let info = run_tool("pdfinfo", &[pdf.to_str().unwrap()]);
        let line = info.lines().find(|l| l.starts_with("Page size:")).unwrap();
        let nums: Vec<f32> = line
            .split_whitespace()
            .filter_map(|t| t.parse().ok())
            .collect();
        assert!(
            (nums[0] - w).abs() < 0.01 && (nums[1] - h).abs() < 0.01,
            "{size}: {line}"
        );
        for words in bbox_words(&pdf) {
            // The return address is the small type at the top left; the
            // recipient's block the rest.
            let (ret, rcpt): (Vec<&BboxWord>, Vec<&BboxWord>) =
                words.iter().partition(|wd| wd.bbox[3] - wd.bbox[1] < 11.0);
            assert!(!ret.is_empty() && !rcpt.is_empty(), "{size}");
            for wd in &ret {
                assert!(
                    wd.bbox[0] >= 26.0 && wd.bbox[2] < w / 2.0 && wd.bbox[3] < h / 2.0,
                    "{size}: {wd:?}"
                );
            }
            let u = rcpt
                .iter()
                .fold([f32::MAX, f32::MAX, f32::MIN, f32::MIN], |u, wd| {
                    [
                        u[0].min(wd.bbox[0]),
                        u[1].min(wd.bbox[1]),
                        u[2].max(wd.bbox[2]),
                        u[3].max(wd.bbox[3]),
                    ]
                });
            let stamp = [w - 108.0, 0.0, w, 90.0];
            assert!(!overlaps(u, stamp, 0.0), "{size}: {u:?} in the stamp area");
            assert!(u[3] <= h - 45.0, "{size}: {u:?} in the barcode strip");
            assert!(
                u[0] >= 27.0 && u[2] <= w - 27.0,
                "{size}: {u:?} too near an edge"
            );
            assert!(
                (u[0] + u[2]) / 2.0 > w / 2.0,
                "{size}: {u:?} not right of the middle"
            );
            assert!(
                (u[1] + u[3]) / 2.0 > h / 2.0,
                "{size}: {u:?} not below the middle"
            );
            let last_return = ret.iter().map(|wd| wd.bbox[3]).fold(0.0, f32::max);
            assert!(u[1] > last_return, "{size}: the blocks overlap");
        }
    }
}

#[test]
fn a_layout_picks_its_envelope_and_odd_sizes_warn() {
    if !have_tool("pdfinfo") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let data = sample("addresses.csv");
    for (layout, size) in [
        ("classic-a2", "414 x 315"),
        ("folded-a2", "414 x 315"),
        ("portrait-a6", "459.213 x 323.15"),
        ("letterhead-a7", "522 x 378"),
    ] {
        let o = stationer(
            dir.path(),
            &[
                "envelopes",
                "--data",
                &data,
                "-o",
                "e.pdf",
                "--layout",
                layout,
                "--column",
                "name=full_name",
            ],
        );
        assert!(o.status.success(), "{layout}: {}", stderr(&o));
        assert!(o.stderr.is_empty(), "{layout}: {}", stderr(&o));
        let info = run_tool("pdfinfo", &[dir.path().join("e.pdf").to_str().unwrap()]);
        assert!(info.contains(size), "{layout}: {info}");
    }
    let o = stationer(
        dir.path(),
        &[
            "envelopes",
            "--data",
            &data,
            "-o",
            "sq.pdf",
            "--size",
            "6x6in",
            "--column",
            "name=full_name",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.starts_with("warning:") && err.contains("aspect ratio"),
        "{err}"
    );
    let o = stationer(
        dir.path(),
        &[
            "envelopes",
            "--data",
            &data,
            "-o",
            "small.pdf",
            "--size",
            "us-a2",
            "--layout",
            "letterhead-a7",
            "--column",
            "name=full_name",
        ],
    );
    assert!(o.status.success());
    assert!(
        stderr(&o).contains("does not fit a us-a2 envelope"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_missing_address_column_is_named_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("env.pdf");
    std::fs::write(&out, b"keep me").unwrap();
    std::fs::write(
        dir.path().join("r.csv"),
        "name,address1,town\nAna Rivera,12 Elm St,Portland\n",
    )
    .unwrap();
    let o = stationer(
        dir.path(),
        &["envelopes", "--data", "r.csv", "-o", "env.pdf"],
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("no column \"city\""), "{err}");
    assert!(
        err.contains("--column: ") && err.contains("city=COLUMN"),
        "{err}"
    );
    assert_eq!(std::fs::read(&out).unwrap(), b"keep me");
    // Renamed, it works.
    let o = stationer(
        dir.path(),
        &[
            "envelopes",
            "--data",
            "r.csv",
            "-o",
            "env.pdf",
            "--column",
            "city=town",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    // A renamed column that is not there is named too; so is an empty value.
    let o = stationer(
        dir.path(),
        &[
            "envelopes",
            "--data",
            "r.csv",
            "-o",
            "x.pdf",
            "--column",
            "name=full_name",
            "--column",
            "city=town",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("no column \"full_name\""),
        "{}",
        stderr(&o)
    );
    std::fs::write(
        dir.path().join("e.csv"),
        "name,address1,city\nAna Rivera,,Portland\n",
    )
    .unwrap();
    let o = stationer(dir.path(), &["envelopes", "--data", "e.csv", "-o", "x.pdf"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("row 1, column \"address1\": empty"),
        "{}",
        stderr(&o)
    );
    assert!(!dir.path().join("x.pdf").exists());
}

#[test]
fn a_bad_return_address_names_its_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("ret.toml"),
        "name = \"A\"\nstreet = \"x\"\n",
    )
    .unwrap();
    let o = stationer(
        dir.path(),
        &[
            "envelopes",
            "--data",
            &sample("addresses.csv"),
            "-o",
            "e.pdf",
            "--return-address",
            "ret.toml",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("ret.toml:2:1") && err.contains("street"),
        "{err}"
    );
}

/// `stationer envelopes` with the sample list and return address, the
/// `name` from `full_name`, and more arguments.
fn envelopes(dir: &Path, more: &[&str]) -> std::process::Output {
    let (data, ret) = (sample("addresses.csv"), sample("return.toml"));
    let mut args = vec![
        "envelopes",
        "--data",
        &data,
        "--return-address",
        &ret,
        "--column",
        "name=full_name",
    ];
    args.extend(more);
    stationer(dir, &args)
}

#[test]
fn every_envelope_of_the_paper_table_makes_pages_of_its_size() {
    if !have_tool("pdfinfo") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let papers: Vec<_> = stationer::paper::papers(stationer::paper::Use::Envelope).collect();
    assert!(papers.len() >= 5);
    for p in papers {
        let out = format!("{}.pdf", p.name);
        let o = envelopes(dir.path(), &["-o", &out, "--size", p.name]);
        assert!(o.status.success(), "{}: {}", p.name, stderr(&o));
        let info = run_tool("pdfinfo", &[dir.path().join(&out).to_str().unwrap()]);
        let pages: usize = info
            .lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        assert_eq!(pages, 4, "{}", p.name);
        let line = info.lines().find(|l| l.starts_with("Page size:")).unwrap();
        let nums: Vec<f32> = line
            .split_whitespace()
            .filter_map(|t| t.parse().ok())
            .collect();
        assert!(
            (nums[0] - p.width.0).abs() < 0.01 && (nums[1] - p.height.0).abs() < 0.01,
            "{}: {line}, table {} x {}",
            p.name,
            p.width.0,
            p.height.0
        );
    }
}

/// The recipient's city line of each page: the line before the country,
/// or the last line.
fn city_lines(pages: &[Vec<String>]) -> Vec<String> {
    pages
        .iter()
        .map(|p| {
            let last = p.last().unwrap();
            let upper = last.chars().all(|c| !c.is_lowercase());
            p[p.len() - 1 - usize::from(upper)].clone()
        })
        .collect()
}

#[test]
fn city_lines_take_escapes_optional_parts_and_defaults() {
    if !have_tool("pdftotext") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, [&str; 4]); 4] = [
        (
            "{city}, {region}, {postcode}",
            [
                "Portland, OR, 97209",
                "New York, NY, 10004",
                "Haworth, West Yorkshire, BD22 8DR",
                "Dublin, D02 XY45",
            ],
        ),
        (
            "{postcode} {city} {{{region}}}",
            [
                "97209 Portland {OR}",
                "10004 New York {NY}",
                "BD22 8DR Haworth {West Yorkshire}",
                // The braces are the region's text: they go with it.
                "D02 XY45 Dublin",
            ],
        ),
        (
            "{city} {region?} {postcode}",
            [
                "Portland OR 97209",
                "New York NY 10004",
                "Haworth West Yorkshire BD22 8DR",
                "Dublin D02 XY45",
            ],
        ),
        (
            "{city}, {region|Co. Dublin}",
            [
                "Portland, OR",
                "New York, NY",
                "Haworth, West Yorkshire",
                "Dublin, Co. Dublin",
            ],
        ),
    ];
    for (template, want) in cases {
        let o = envelopes(dir.path(), &["-o", "e.pdf", "--city-line", template]);
        assert!(o.status.success(), "{template}: {}", stderr(&o));
        let pages = page_lines(&dir.path().join("e.pdf"));
        assert_eq!(city_lines(&pages), want, "{template}");
    }
    // Unknown names are refused naming the allowed ones; nothing is written.
    let o = envelopes(
        dir.path(),
        &["-o", "bad.pdf", "--city-line", "{zip} {city}"],
    );
    assert_eq!(o.status.code(), Some(2), "a command-line mistake");
    let err = stderr(&o);
    assert!(
        err.contains("--city-line: unknown placeholder {zip}; use {city}, {region} and {postcode}"),
        "{err}"
    );
    let o = envelopes(dir.path(), &["-o", "bad.pdf", "--city-line", "{city} }"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("write }} for a literal brace"),
        "{}",
        stderr(&o)
    );
    assert!(!dir.path().join("bad.pdf").exists());
}

/// Percent of pixels that differ by more than 64 grey levels after a 3x3
/// blur (the limit the card preview test uses), and the inked pixels of `a`.
fn differing(a: &image::RgbImage, b: &image::RgbImage) -> (f64, usize) {
    assert!(
        a.width().abs_diff(b.width()) <= 1 && a.height().abs_diff(b.height()) <= 1,
        "preview {:?} but pdftoppm {:?}",
        a.dimensions(),
        b.dimensions()
    );
    let (w, h) = (
        a.width().min(b.width()) as usize,
        a.height().min(b.height()) as usize,
    );
    let ink = blur(&grey(a), w, h)
        .iter()
        .flatten()
        .filter(|p| **p < 192.0)
        .count();
    (100.0 * differing_share(a, b), ink)
}

#[test]
fn envelope_previews_match_pdftoppm_of_the_pdf() {
    if !have_tool("pdftoppm") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for (name, more) in [
        ("a2", &["--size", "us-a2"][..]),
        ("c6", &["--layout", "portrait-a6"][..]),
    ] {
        let (pdf, previews) = (format!("{name}.pdf"), format!("{name}-png"));
        let mut args = vec!["-o", &pdf, "--preview", &previews, "--dpi", "100"];
        args.extend(more);
        let o = envelopes(dir.path(), &args);
        assert!(o.status.success(), "{name}: {}", stderr(&o));
        let poppler = dir.path().join(format!("{name}-poppler"));
        run_tool(
            "pdftoppm",
            &[
                "-r",
                "100",
                "-png",
                dir.path().join(&pdf).to_str().unwrap(),
                poppler.to_str().unwrap(),
            ],
        );
        for page in 1..=4 {
            let ours = dir
                .path()
                .join(&previews)
                .join(format!("envelope-{page:03}.png"));
            let a = image::open(&ours).unwrap().into_rgb8();
            let theirs = format!("{}-{page}.png", poppler.display());
            let b = image::open(&theirs).unwrap().into_rgb8();
            let (pct, ink) = differing(&a, &b);
            eprintln!("{name} page {page}: {pct:.3}% of pixels differ (inked: {ink})");
            assert!(ink > 1000, "{name} page {page}: the preview shows no text");
            assert!(
                pct < 0.5,
                "{name} page {page}: {pct:.3}% of pixels differ from pdftoppm"
            );
        }
        assert!(!dir.path().join(&previews).join("envelope-005.png").exists());
    }
}

#[test]
fn a_preview_alone_writes_one_picture_per_envelope_at_its_size() {
    let dir = tempfile::tempdir().unwrap();
    let o = envelopes(dir.path(), &["--preview", "out/png", "--size", "dl"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut names: Vec<String> = std::fs::read_dir(dir.path().join("out/png"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "envelope-001.png",
            "envelope-002.png",
            "envelope-003.png",
            "envelope-004.png"
        ]
    );
    // DL, 220 x 110 mm, at the default 150 dpi.
    let img = image::open(dir.path().join("out/png/envelope-001.png")).unwrap();
    let px = |mm: f64| (mm / 25.4 * 150.0).round() as u32;
    assert_eq!((img.width(), img.height()), (px(220.0), px(110.0)));
    // Neither a PDF nor a picture is wanted: refused by the command line.
    let o = stationer(
        dir.path(),
        &["envelopes", "--data", &sample("addresses.csv")],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    // A resolution out of range is refused before anything is written.
    let o = envelopes(dir.path(), &["--preview", "hi", "--dpi", "5000"]);
    assert_eq!(o.status.code(), Some(2), "a command-line mistake");
    assert!(!dir.path().join("hi").exists());
}
