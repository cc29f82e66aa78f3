#!/usr/bin/env python3
"""Counts typographic faults of the corpus notes (tests/corpus) on every
bundled design, from the outside: the report's lines (`--report`) and the
word boxes of `pdftotext -bbox`. The same definition as tests/typography.rs:

- three or more body lines in a row ending in a hyphen;
- a paragraph whose last line is one word after a hyphenated line (a tail);
- a paragraph's last line of one word narrower than a quarter of the measure;
- in justified designs, a full line whose word spaces are wider than 0.5 em
  or narrower than 0.16 em.

usage: python3 bench/typography/faults.py STATIONER_BINARY [OUT_DIR]
Prints one row per design and the total; for a before/after figure run it
with the old and the new binary.
"""
import json, os, re, subprocess, sys, glob

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = sys.argv[1]
OUT = sys.argv[2] if len(sys.argv) > 2 else "/tmp/stationer-faults"
os.makedirs(OUT, exist_ok=True)
DESIGNS = sorted(os.path.basename(p)[:-5] for p in glob.glob(os.path.join(ROOT, "layouts", "*.toml")))
NOTES = sorted(glob.glob(os.path.join(ROOT, "tests", "corpus", "*.toml")))
JUSTIFIED = {d for d in DESIGNS if 'align = "justified"' in open(os.path.join(ROOT, "layouts", d + ".toml")).read()}


def words(pdf):
    html = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True, text=True, check=True).stdout
    out = []
    for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html):
        out.append((float(m[1]), float(m[2]), float(m[3]), float(m[4]), m[5]))
    return out


def faults(design, note):
    base = os.path.join(OUT, f"{design}-{os.path.basename(note)[:-5]}")
    r = subprocess.run([BIN, "render", note, "--layout", design, "-o", base + ".pdf", "--report", base + ".json"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        return None  # does not fit at all
    card = json.load(open(base + ".json"))["cards"][0]
    size = card["font_size"]
    lines = card["lines"][1:-2]  # greeting first; closing and printed name last
    measure = card["body_box"][2] - card["body_box"][0]
    ws = words(base + ".pdf")
    found = []
    # paragraphs: a gap wider than the usual line pitch starts a new one
    paras, cur = [], []
    for i, l in enumerate(lines):
        if cur and l["box"][1] - cur[-1]["box"][1] > 1.2 * (lines[1]["box"][1] - lines[0]["box"][1] if len(lines) > 1 else 1e9):
            paras.append(cur); cur = []
        cur.append(l)
    if cur:
        paras.append(cur)
    for p in paras:
        run = 0
        for l in p + [{"text": ""}]:
            if l["text"].endswith("-"):
                run += 1
            else:
                if run >= 3:
                    found.append(f"{run} hyphens in a row")
                run = 0
        if len(p) >= 2 and " " not in p[-1]["text"].strip():
            if p[-2]["text"].endswith("-"):
                found.append("hyphenated tail: " + p[-1]["text"])
            elif p[-1]["box"][2] - p[-1]["box"][0] < measure / 4:
                found.append("runt: " + p[-1]["text"])
        if design in JUSTIFIED:
            for l in p[:-1]:
                y0, y1 = l["box"][1], l["box"][3]
                row = sorted(w for w in ws if w[1] >= y0 - 1 and w[3] <= y1 + 1)
                gaps = [b[0] - a[2] for a, b in zip(row, row[1:])]
                if gaps:
                    if max(gaps) / size > 0.5 + 0.005:
                        found.append(f"loose {max(gaps)/size:.2f}em: {l['text']}")
                    if min(gaps) / size < 0.16 - 0.005:
                        found.append(f"tight {min(gaps)/size:.2f}em: {l['text']}")
    return found


total = 0
for d in DESIGNS:
    n, refused, detail = 0, 0, []
    for note in NOTES:
        f = faults(d, note)
        if f is None:
            refused += 1
            continue
        n += len(f)
        detail += [f"{os.path.basename(note)}: {x}" for x in f]
    total += n
    print(f"{d:<16} faults {n:>3}   notes set {len(NOTES) - refused:>2}/{len(NOTES)}")
    for x in detail:
        print("    " + x)
print(f"total faults {total}")
