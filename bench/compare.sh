#!/usr/bin/env bash
# Stationer against the tools a user would pick instead, on the shared
# benchmark's workloads (../shared/bench/anchors): W1 1,000 cards one per
# page, W2 the same 2-up on Letter with crop marks, W3 10 cards. Every output
# is checked with the anchors' check_pdf.py, then each command is timed with
# the anchors' bench.py (whole process, median wall and CPU, peak RSS), all in
# one run so the figures compare side by side.
#
# usage: bash bench/compare.sh
#   RUNS=5          timed runs per command (after 1 warm-up)
#   PEERS="typst-py reportlab fpdf2"   which peers to time (typst-py is the
#                   Typst compiler through its PyPI binding; TYPST_BIN=path
#                   adds a Typst CLI binary)
#   BIG=1           also time 10,000 cards (W1 data repeated) for memory
# After the workloads: one card against Typst's one card, the 150-dpi
# preview against pdftoppm, and the live preview's POST /preview.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
ANCHORS="${ANCHORS:-$ROOT/../shared/bench/anchors}"
WORK="${WORK:-${TMPDIR:-/tmp}/stationer-compare}"
VENV="${VENV:-${TMPDIR:-/tmp}/anchors-venv}"
RUNS="${RUNS:-5}"
PEERS="${PEERS:-typst-py reportlab fpdf2}"
export SOURCE_DATE_EPOCH=0 PYTHONDONTWRITEBYTECODE=1

[ -d "$ANCHORS" ] || { echo "no anchors at $ANCHORS" >&2; exit 2; }
case "$WORK" in ""|/|"$HOME"|"$ROOT"*) echo "refusing WORK=$WORK" >&2; exit 2 ;; esac
rm -rf "$WORK"; mkdir -p "$WORK/out" "$WORK/fonts"

for p in poppler-utils qpdf python3-venv; do
  dpkg -s "$p" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "$p"; }
done
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install -q --disable-pip-version-check typst==0.15.2 reportlab==5.1.0 fpdf2==2.8.9
PY="$VENV/bin/python"

(cd "$ROOT" && cargo build --release -q)
ST="$ROOT/target/release/stationer"
cp "$ROOT/fonts/caladea/Caladea-Regular.ttf" "$WORK/fonts/"
FONT="$WORK/fonts/Caladea-Regular.ttf"
"$PY" "$ANCHORS/gen_recipients.py" 1000 "$WORK/recipients.csv"
"$PY" "$ANCHORS/gen_recipients.py" 10 "$WORK/recipients-10.csv"
cp "$ANCHORS/typst/cards.typ" "$WORK/"

# name|workload|layout|csv|output|command
jobs=()
for w in W1 W2 W3; do
  case $w in
    W1) lay=1up; csv=recipients.csv; extra="" ;;
    W2) lay=2up; csv=recipients.csv; extra="--sheet letter --crop-marks" ;;
    W3) lay=1up; csv=recipients-10.csv; extra="" ;;
  esac
  o="$WORK/out"
  jobs+=("stationer|$w|$lay|$csv|$o/stationer-$w.pdf|$ST batch $HERE/w1/note.toml --layout $HERE/w1/design.toml --data $WORK/$csv -o $o/stationer-$w.pdf $extra")
  for peer in $PEERS; do
    case $peer in
      typst-py) jobs+=("typst-py|$w|$lay|$csv|$o/typst-py-$w.pdf|$PY $ANCHORS/typst/compile.py $WORK $csv $lay $o/typst-py-$w.pdf $WORK/fonts") ;;
      reportlab) jobs+=("reportlab|$w|$lay|$csv|$o/reportlab-$w.pdf|$PY $ANCHORS/reportlab/cards.py $WORK/$csv $lay $o/reportlab-$w.pdf $FONT") ;;
      fpdf2) jobs+=("fpdf2|$w|$lay|$csv|$o/fpdf2-$w.pdf|$PY $ANCHORS/fpdf2/cards.py $WORK/$csv $lay $o/fpdf2-$w.pdf $FONT") ;;
    esac
  done
  if [ -n "${TYPST_BIN:-}" ]; then
    jobs+=("typst-cli|$w|$lay|$csv|$o/typst-cli-$w.pdf|$TYPST_BIN compile --root $WORK --font-path $WORK/fonts --ignore-system-fonts --input csv=$csv --input layout=$lay $WORK/cards.typ $o/typst-cli-$w.pdf")
  fi
done

echo "== outputs and checks (check_pdf.py: text of every page, words outside the text area)"
printf 'tool\tworkload\tbytes\tpages\ttext ok\toutside\tfonts emb/sub/uni\n'
for j in "${jobs[@]}"; do
  IFS='|' read -r name w lay csv out cmd <<<"$j"
  # shellcheck disable=SC2086
  $cmd >/dev/null
  "$PY" "$ANCHORS/check_pdf.py" "$WORK/$csv" "$lay" "$out" | "$PY" -c '
import json, sys
d = json.load(sys.stdin)
f = ";".join(x["emb"] + "/" + x["sub"] + "/" + x["uni"] for x in d["fonts"])
print(sys.argv[1], sys.argv[2], d["bytes"], d["pages"], "%d/%d" % (d["pages_text_ok"], d["pages_expected"]),
      d["words_outside_text_area"], f, sep="\t")' "$name" "$w"
done

echo
echo "== timing: $RUNS runs each after a warm-up; seconds and MiB (medians)"
printf 'label\truns\twall min\twall median\twall max\tcpu median\tpeak MiB\n'
for w in W1 W2 W3; do
  for j in "${jobs[@]}"; do
    IFS='|' read -r name jw lay csv out cmd <<<"$j"
    [ "$jw" = "$w" ] || continue
    # shellcheck disable=SC2086
    "$PY" "$ANCHORS/bench.py" "$name-$w" "$RUNS" -- $cmd
  done
done

echo
echo "== one card: render of the bundled sample, against Typst's one-card run (the first row of W3)"
head -2 "$WORK/recipients.csv" > "$WORK/recipients-1.csv"
"$PY" "$ANCHORS/bench.py" "stationer-render" "$((RUNS * 3))" -- "$ST" render "$ROOT/samples/note.toml" -o "$WORK/out/one.pdf"
"$PY" "$ANCHORS/bench.py" "typst-py-1card" "$((RUNS * 3))" -- "$PY" "$ANCHORS/typst/compile.py" "$WORK" recipients-1.csv 1up "$WORK/out/typst-1.pdf" "$WORK/fonts"

echo
echo "== preview at 150 dpi of that card, against pdftoppm -r 150 of its PDF"
"$PY" "$ANCHORS/bench.py" "stationer-preview" "$((RUNS * 3))" -- "$ST" preview "$ROOT/samples/note.toml" -o "$WORK/out/one.png" --dpi 150
"$PY" "$ANCHORS/bench.py" "pdftoppm-150" "$((RUNS * 3))" -- pdftoppm -r 150 -png -singlefile "$WORK/out/one.pdf" "$WORK/out/poppler"

echo
echo "== live preview: POST /preview?dpi=150 of the sample note to stationer serve (median of 50)"
"$ST" serve > "$WORK/serve.out" 2>&1 &
serve_pid=$!
trap 'kill $serve_pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do grep -q "http://" "$WORK/serve.out" && break; sleep 0.1; done
url=$(grep -o "http://127.0.0.1:[0-9]*/" "$WORK/serve.out" | head -1)
"$PY" - "$url" "$ROOT/samples/note.toml" <<'PYEOF'
import sys, time, urllib.request
url, note = sys.argv[1], open(sys.argv[2], "rb").read()
def post():
    r = urllib.request.Request(url + "preview?dpi=150", data=note, method="POST",
                               headers={"Content-Type": "application/toml"})
    t = time.perf_counter()
    with urllib.request.urlopen(r) as resp:
        body = resp.read()
    return time.perf_counter() - t, body
for _ in range(5):
    post()
times = sorted(post()[0] for _ in range(50))
_, png = post()
print("POST /preview\t50\tmedian %.1f ms\tmin %.1f ms\tmax %.1f ms\tPNG %d bytes" % (
    times[25] * 1e3, times[0] * 1e3, times[-1] * 1e3, len(png)))
PYEOF
kill $serve_pid 2>/dev/null || true

if [ "${BIG:-0}" = 1 ]; then
  echo
  echo "== 10,000 cards (the 1,000 rows ten times), one per page"
  { head -1 "$WORK/recipients.csv"; for _ in $(seq 10); do tail -n +2 "$WORK/recipients.csv"; done; } > "$WORK/recipients-10k.csv"
  "$PY" "$ANCHORS/bench.py" "stationer-10k" 3 -- "$ST" batch "$HERE/w1/note.toml" --layout "$HERE/w1/design.toml" \
    --data "$WORK/recipients-10k.csv" -o "$WORK/out/stationer-10k.pdf"
  "$PY" "$ANCHORS/bench.py" "stationer-10k-1thread" 3 -- "$ST" batch "$HERE/w1/note.toml" --layout "$HERE/w1/design.toml" \
    --data "$WORK/recipients-10k.csv" -o "$WORK/out/stationer-10k-1.pdf" --threads 1
  cmp "$WORK/out/stationer-10k.pdf" "$WORK/out/stationer-10k-1.pdf" && echo "10k cards: same bytes on 1 thread and on all"
fi
