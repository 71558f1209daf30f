#!/bin/sh
# Model-level benchmarks of issue 26 (docs/performance.md, "Whole model"): release build,
# data/minilm and data/corpus from `make fetch-model`. Each line: wall time, peak RSS and the
# 1-minute load average before the run (the machine may be shared).
set -eu
A=.build/release/antgen
OUT=build/bench-model
mkdir -p "$OUT"
[ -f data/minilm/model.safetensors ] && [ -f data/corpus/fortunes.txt ] || { echo "bench-model: run make fetch-model first" >&2; exit 1; }
# 200 long lines: consecutive fortunes joined until 250-400 characters, keeping only lines of
# at most 128 WordPiece tokens (the model's own count, [CLS] and [SEP] included; no truncation)
awk 'BEGIN { line = "" } { if (length(line) + length($0) + 1 > 400) line = ""; line = (line == "" ? $0 : line " " $0);
     if (length(line) >= 250) { print line; line = "" } }' data/corpus/fortunes.txt |
    python3 scripts/bench-long-corpus.py data/minilm/vocab.txt 128 200 > "$OUT/long-200.txt"
head -50 "$OUT/long-200.txt" > "$OUT/long-50.txt"
head -1 data/corpus/fortunes-200.txt > "$OUT/one.txt"
bench() { # name, then the infer arguments
    name=$1; shift
    load=$(cut -d' ' -f1 /proc/loadavg)
    /usr/bin/time -f "%e %M" -o "$OUT/$name.time" $A infer --model data/minilm "$@" --out "$OUT/$name.npy" --json "$OUT/$name.json" \
        > "$OUT/$name.log" 2> "$OUT/$name.err"
    set -- $(cat "$OUT/$name.time")
    python3 - "$OUT/$name.json" "$name" "$1" "$2" "$load" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); t = r["timing"]; tok = r["tokens"]
print(f"{sys.argv[2]}: {r['sentences']} sentences, {tok['total']} tokens (longest {tok['longest']}), {r['precision']}: "
      f"infer {t['inferSeconds']:.2f} s, wall {sys.argv[3]} s, peak RSS {int(sys.argv[4]) // 1024} MiB, load {sys.argv[5]}"
      + (f", RTL {r['array']['rtlCheckedProducts']}/{r['array']['products']} products bit-identical" if r.get('array', {}).get('rtlCheckedProducts') else ""))
PY
}
bench fp32-short --sentences data/corpus/fortunes-200.txt --precision fp32
bench golden-short --sentences data/corpus/fortunes-200.txt --array ant --precision a8w8 --no-synth
bench fp32-long --sentences "$OUT/long-200.txt" --precision fp32
bench golden-long --sentences "$OUT/long-200.txt" --array ant --precision a8w8 --no-synth
bench golden-long-50 --sentences "$OUT/long-50.txt" --array ant --precision a8w8 --no-synth
bench rtl-32x32-warmup --sentences "$OUT/one.txt" --array ant --rows 32 --cols 32 --precision a8w4 --rtl --batch 1 --no-synth
bench rtl-32x32 --sentences "$OUT/one.txt" --array ant --rows 32 --cols 32 --precision a8w4 --rtl --batch 1 --no-synth
