#!/usr/bin/env bash
# Fetches a real English corpus for the model-level figures: the quotations of the Debian
# package `fortunes` (fortune-mod's data files, 1:1.99.1-7.3, pinned by sha256). From the
# files wisdom, science and education, every fortune whose text (attribution lines starting
# with "--" removed, lines joined by single spaces) has no indented line (verse, dialogue,
# tables) and is 30 to 300 characters long becomes one line, in file order, duplicates dropped.
# Output (ignored by git):
#   data/corpus/fortunes.txt      every kept sentence, one per line (UTF-8)
#   data/corpus/fortunes-200.txt  its first 200 lines (the benchmark corpus)
# Needs apt (Debian); not part of `make test`. Called by scripts/fetch-model.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
out=data/corpus
deb_version='1:1.99.1-7.3'
deb_sha256=41d0551dc0ff52f875a2ecef7c39da2f672ab468c37e170119f7e0245a9d63c5
if [ -f "$out/fortunes.txt" ] && [ -f "$out/fortunes-200.txt" ]; then
    echo "fetch-corpus: $out is already complete"; exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/antgen-corpus.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
( cd "$tmp" && { timeout 300 apt-get download "fortunes=$deb_version" >/dev/null 2>&1 ||
    { timeout 300 apt-get update -qq && timeout 300 apt-get download "fortunes=$deb_version" >/dev/null; }; } )
deb=$(ls "$tmp"/fortunes_*.deb)
got=$(sha256sum "$deb" | cut -d' ' -f1)
if [ "$got" != "$deb_sha256" ]; then
    echo "fetch-corpus: $(basename "$deb") has sha256 $got, expected $deb_sha256" >&2; exit 1
fi
dpkg-deb -x "$deb" "$tmp/x"
mkdir -p "$tmp/corpus"
python3 - "$tmp/x/usr/share/games/fortunes" "$tmp/corpus" <<'PY'
import re, sys
src, dst = sys.argv[1], sys.argv[2]
seen, kept = set(), []
for name in ("wisdom", "science", "education"):
    for entry in open(f"{src}/{name}", encoding="utf-8").read().split("\n%\n"):
        lines = [l for l in entry.split("\n") if not l.strip().startswith("--")]
        if any(l[:1] in (" ", "\t") for l in lines):
            continue
        text = re.sub(r"\s+", " ", " ".join(lines)).strip()
        if 30 <= len(text) <= 300 and text not in seen:
            seen.add(text)
            kept.append(text)
open(f"{dst}/fortunes.txt", "w", encoding="utf-8").write("\n".join(kept) + "\n")
open(f"{dst}/fortunes-200.txt", "w", encoding="utf-8").write("\n".join(kept[:200]) + "\n")
print(f"fetch-corpus: {len(kept)} sentences from fortunes (wisdom, science, education)")
PY
mkdir -p data
rm -rf "$out.old"; [ -d "$out" ] && mv "$out" "$out.old"
mv "$tmp/corpus" "$out"; rm -rf "$out.old"
echo "fetch-corpus: wrote $out"
