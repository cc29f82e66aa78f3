//! `stationer envelopes`: one envelope per recipient in the cards' order,
//! addresses that extract in order, pages the envelope's size, placement by
//! postal convention, warnings for odd sizes, and a missing column refused.

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
            "Haworth, West Yorkshire BD22 8DR",
            "UNITED KINGDOM",
        ],
        &[
            "Ms. Siobhán O’Brien",
            "Atlas & Finch",
            "2 Merrion Square",
            "Dublin, D02 XY45",
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
    assert!(err.contains("--column city=COLUMN"), "{err}");
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
