//! Inputs the fuzzers once crashed on (`fuzz/regressions/TARGET/`), and the
//! seed inputs (`fuzz/seeds/TARGET/`), replayed through the same entry points
//! as the fuzz targets: each must run without panicking.

use std::path::Path;

fn replay(dir: &str, run: fn(&[u8])) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut n = 0;
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return 0;
    };
    let mut paths: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
    paths.sort();
    for path in paths {
        let data = std::fs::read(&path).unwrap();
        eprintln!("replaying {}", path.display());
        run(&data);
        n += 1;
    }
    n
}

#[test]
fn card_inputs_run_clean() {
    let n = replay("fuzz/seeds/card", stationer::fuzzing::card)
        + replay("fuzz/regressions/card", stationer::fuzzing::card);
    assert!(n >= 3, "seeds missing");
}

#[test]
fn merge_inputs_run_clean() {
    let n = replay("fuzz/seeds/merge", stationer::fuzzing::merge)
        + replay("fuzz/regressions/merge", stationer::fuzzing::merge);
    assert!(n >= 2, "seeds missing");
}

#[test]
fn font_inputs_run_clean() {
    let n = replay("fonts/caladea", stationer::fuzzing::font)
        + replay("fuzz/regressions/font", stationer::fuzzing::font);
    assert!(n >= 4, "seeds missing");
}

#[test]
fn design_inputs_run_clean() {
    let n = replay("fuzz/seeds/design", stationer::fuzzing::design)
        + replay("fuzz/regressions/design", stationer::fuzzing::design);
    assert!(n >= 3, "seeds missing");
}

#[test]
fn profiles_inputs_run_clean() {
    let n = replay("fuzz/seeds/profiles", stationer::fuzzing::profiles)
        + replay("fuzz/regressions/profiles", stationer::fuzzing::profiles);
    assert!(n >= 1, "seeds missing");
}

#[test]
fn split_inputs_run_clean() {
    let n = replay("fuzz/seeds/split", stationer::fuzzing::split_names)
        + replay("fuzz/regressions/split", stationer::fuzzing::split_names);
    assert!(n >= 2, "seeds missing");
}
