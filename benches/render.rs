//! Render benchmark: prints the median time to lay out one card (shaping,
//! breaking, fitting, placing — in process) and the median whole-process
//! time of `stationer render` on the bundled sample.
//!
//! Run with `cargo bench --bench render`.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let note_path = root.join("samples/note.toml");
    let note = stationer::load_note(&note_path).expect("sample note");
    let design = stationer::design_for(&note, None).expect("sample design");

    // Warm up, then time each layout on its own.
    for _ in 0..50 {
        stationer::layout_card(&note, &design).unwrap();
    }
    let layout: Vec<Duration> = (0..2000)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(stationer::layout_card(&note, &design).unwrap());
            t.elapsed()
        })
        .collect();
    let card = stationer::layout_card(&note, &design).unwrap();
    let pdf: Vec<Duration> = (0..500)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(stationer::export::write_pdf(&card.scene));
            t.elapsed()
        })
        .collect();

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("card.pdf");
    // Timed as installed, a fresh copy (as `bench/compare.sh` does): how
    // the linker's own file sits in the page cache slows its start here.
    let bin = dir.path().join("stationer");
    std::fs::copy(env!("CARGO_BIN_EXE_stationer"), &bin).unwrap();
    let run = || {
        let t = Instant::now();
        let s = Command::new(&bin)
            .args([
                "render",
                note_path.to_str().unwrap(),
                "-o",
                out.to_str().unwrap(),
            ])
            .status()
            .unwrap();
        assert!(s.success());
        t.elapsed()
    };
    for _ in 0..5 {
        run();
    }
    let process: Vec<Duration> = (0..100).map(|_| run()).collect();

    println!(
        "layout of one card (shape, break, fit, place), median of 2000: {:.3} ms",
        ms(median(layout))
    );
    println!(
        "PDF export of one card, median of 500:                      {:.3} ms",
        ms(median(pdf))
    );
    println!(
        "whole process `stationer render` of the sample, median of 100: {:.2} ms",
        ms(median(process))
    );
}
