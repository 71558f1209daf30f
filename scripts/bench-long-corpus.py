#!/usr/bin/env python3
# Usage: bench-long-corpus.py VOCAB LIMIT N < lines. Counts uncased BERT WordPiece tokens
# ([CLS] and [SEP] included) per line and prints the first N lines of at most LIMIT tokens: the
# long corpus of `make bench-model` (docs/performance.md), every line within 128 tokens.
import sys, unicodedata
vocab = set(l.rstrip("\n") for l in open(sys.argv[1], encoding="utf-8"))
limit, want = int(sys.argv[2]), int(sys.argv[3])
def is_punct(ch):
    cp = ord(ch)
    return (33 <= cp <= 47) or (58 <= cp <= 64) or (91 <= cp <= 96) or (123 <= cp <= 126) or unicodedata.category(ch).startswith("P")
def words(text):
    text = unicodedata.normalize("NFD", text.lower())
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    out, cur = [], ""
    for ch in text:
        if ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf"):
            if cur: out.append(cur); cur = ""
        elif is_punct(ch):
            if cur: out.append(cur); cur = ""
            out.append(ch)
        else:
            cur += ch
    if cur: out.append(cur)
    return out
def pieces(word):
    if len(word) > 100: return 1
    n, start = 0, 0
    while start < len(word):
        end = len(word)
        while end > start and ((word[start:end] if start == 0 else "##" + word[start:end]) not in vocab): end -= 1
        if end == start: return 1
        n += 1; start = end
    return n
kept = 0
for line in sys.stdin:
    line = line.rstrip("\n")
    if 2 + sum(pieces(w) for w in words(line)) <= limit:
        print(line); kept += 1
        if kept == want: break
