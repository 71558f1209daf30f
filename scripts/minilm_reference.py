#!/usr/bin/env python3
"""Independent reference embeddings for a BERT-layout sentence encoder (all-MiniLM-L6-v2).

Usage: minilm_reference.py MODEL_DIR SENTENCES OUT.npy [--compare EMB.npy] [--hf-tokenizer]

numpy only, float64 throughout: its own BERT basic tokenizer and WordPiece (written from the
BERT paper's description, not from antgen's Swift code), embeddings, six encoder layers
(attention over each sentence's own tokens, exact-erf GELU, LayerNorm), mean pooling and L2
normalisation, as the sentence-transformers pipeline runs them. Truncation length:
sentence_bert_config.json's max_seq_length, else tokenizer_config.json's model_max_length,
else max_position_embeddings.

--hf-tokenizer also tokenizes with the Hugging Face `tokenizers` library (BertWordPieceTokenizer
on the same vocab.txt, a second and unrelated implementation) and stops if any sentence's
ids differ. --compare prints the per-sentence cosine of EMB.npy (e.g. `antgen infer`'s
output) against the reference: min, mean, and how many are below 0.99999; exit 1 if any is.
"""
import json
import math
import os
import struct
import sys
import unicodedata

import numpy as np


def load_safetensors(path):
    with open(path, "rb") as f:
        size = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(size))
        blob = f.read()
    kinds = {"F32": np.float32, "F64": np.float64, "F16": np.float16, "I64": np.int64}
    tensors = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        lo, hi = meta["data_offsets"]
        tensors[name] = np.frombuffer(blob[lo:hi], dtype=kinds[meta["dtype"]]).reshape(meta["shape"])
    return tensors


def optional_json(folder, name):
    path = os.path.join(folder, name)
    return json.load(open(path)) if os.path.exists(path) else {}


class Tokenizer:
    def __init__(self, vocab_path, lower, strip, max_len):
        self.ids = {}
        with open(vocab_path, encoding="utf-8") as f:
            for n, line in enumerate(f):
                self.ids.setdefault(line.rstrip("\n").rstrip("\r"), n)
        self.lower, self.strip, self.max_len = lower, strip, max_len

    @staticmethod
    def is_cjk(cp):
        return any(a <= cp <= b for a, b in [(0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x2A6DF), (0x2A700, 0x2B73F),
                                              (0x2B740, 0x2B81F), (0x2B820, 0x2CEAF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F)])

    @staticmethod
    def is_punct(ch):
        cp = ord(ch)
        return 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126 or unicodedata.category(ch)[0] == "P"

    def words(self, text):
        chars = []
        for ch in text:
            cat = unicodedata.category(ch)
            if ord(ch) in (0, 0xFFFD):
                continue
            if ch in " \t\n\r" or cat == "Zs":
                chars.append(" ")
            elif cat in ("Cc", "Cf"):
                continue
            elif self.is_cjk(ord(ch)):
                chars.extend([" ", ch, " "])
            else:
                chars.append(ch)
        out = []
        for word in "".join(chars).split(" "):
            if not word:
                continue
            if self.lower:
                word = word.lower()
            if self.strip:
                word = "".join(c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) != "Mn")
            piece = ""
            for ch in word:
                if self.is_punct(ch):
                    if piece:
                        out.append(piece)
                    out.append(ch)
                    piece = ""
                else:
                    piece += ch
            if piece:
                out.append(piece)
        return out

    def pieces(self, word):
        if len(word) > 100:
            return [self.ids["[UNK]"]]
        found, i = [], 0
        while i < len(word):
            for j in range(len(word), i, -1):
                key = ("##" if i else "") + word[i:j]
                if key in self.ids:
                    found.append(self.ids[key])
                    i = j
                    break
            else:
                return [self.ids["[UNK]"]]
        return found

    def encode(self, text):
        body = [t for w in self.words(text) for t in self.pieces(w)]
        cut = len(body) > self.max_len - 2
        return [self.ids["[CLS]"]] + body[: self.max_len - 2] + [self.ids["[SEP]"]], cut


def norm(x, g, b, eps):
    mu = x.mean(axis=1, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * g + b


ERF = np.vectorize(math.erf)


def embed(ids, w, cfg):
    get = lambda name: w[name].astype(np.float64)
    n, width, heads = len(ids), cfg["hidden_size"], cfg["num_attention_heads"]
    hd = width // heads
    x = get("embeddings.word_embeddings.weight")[ids] + get("embeddings.position_embeddings.weight")[:n] \
        + get("embeddings.token_type_embeddings.weight")[0]
    x = norm(x, get("embeddings.LayerNorm.weight"), get("embeddings.LayerNorm.bias"), cfg["layer_norm_eps"])
    for layer in range(cfg["num_hidden_layers"]):
        p = "encoder.layer.%d." % layer
        dense = lambda name, v: v @ get(p + name + ".weight").T + get(p + name + ".bias")
        q, k, v = (dense("attention.self." + r, x).reshape(n, heads, hd).transpose(1, 0, 2) for r in ("query", "key", "value"))
        s = q @ k.transpose(0, 2, 1) / math.sqrt(hd)
        s = np.exp(s - s.max(axis=2, keepdims=True))
        ctx = ((s / s.sum(axis=2, keepdims=True)) @ v).transpose(1, 0, 2).reshape(n, width)
        x = norm(dense("attention.output.dense", ctx) + x, get(p + "attention.output.LayerNorm.weight"),
                 get(p + "attention.output.LayerNorm.bias"), cfg["layer_norm_eps"])
        h = dense("intermediate.dense", x)
        h = 0.5 * h * (1.0 + ERF(h / math.sqrt(2.0)))
        x = norm(dense("output.dense", h) + x, get(p + "output.LayerNorm.weight"), get(p + "output.LayerNorm.bias"), cfg["layer_norm_eps"])
    pooled = x.mean(axis=0)
    return pooled / max(np.linalg.norm(pooled), 1e-12)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) < 3:
        sys.exit(__doc__)
    folder, corpus, out = args[:3]
    compare = sys.argv[sys.argv.index("--compare") + 1] if "--compare" in sys.argv else None
    cfg = json.load(open(os.path.join(folder, "config.json")))
    tok_cfg = optional_json(folder, "tokenizer_config.json")
    st_cfg = optional_json(folder, "sentence_bert_config.json")
    max_len = min(st_cfg.get("max_seq_length", tok_cfg.get("model_max_length", cfg["max_position_embeddings"])),
                  cfg["max_position_embeddings"])
    lower = tok_cfg.get("do_lower_case", True)
    strip = lower if tok_cfg.get("strip_accents") is None else tok_cfg["strip_accents"]
    tok = Tokenizer(os.path.join(folder, "vocab.txt"), lower, strip, max_len)
    sentences = open(corpus, encoding="utf-8").read().split("\n")
    if sentences and sentences[-1] == "":
        sentences.pop()
    encoded = [tok.encode(s) for s in sentences]
    if "--hf-tokenizer" in sys.argv:
        from tokenizers import BertWordPieceTokenizer
        hf = BertWordPieceTokenizer(os.path.join(folder, "vocab.txt"), lowercase=lower, strip_accents=strip)
        hf.enable_truncation(max_len)
        bad = [i for i, s in enumerate(sentences) if hf.encode(s).ids != encoded[i][0]]
        print("minilm_reference: HF tokenizers agrees on %d of %d sentences" % (len(sentences) - len(bad), len(sentences)))
        if bad:
            sys.exit("minilm_reference: token ids differ from HF tokenizers on line %d" % (bad[0] + 1))
    weights = {k[5:] if k.startswith("bert.") else k: t for k, t in load_safetensors(os.path.join(folder, "model.safetensors")).items()}
    ref = np.stack([embed(np.array(ids), weights, cfg) for ids, _ in encoded])
    np.save(out, ref.astype(np.float32))
    print("minilm_reference: %d sentences, %d tokens, %d truncated -> %s" % (
        len(sentences), sum(len(ids) for ids, _ in encoded), sum(cut for _, cut in encoded), out))
    if compare:
        emb = np.load(compare).astype(np.float64)
        cos = (emb * ref).sum(axis=1) / np.linalg.norm(emb, axis=1) / np.linalg.norm(ref, axis=1)
        low = int((cos < 0.99999).sum())
        print("minilm_reference: cosine vs %s: min %.9f (line %d), mean %.9f, below 0.99999: %d" % (
            compare, cos.min(), int(cos.argmin()) + 1, cos.mean(), low))
        sys.exit(1 if low else 0)


if __name__ == "__main__":
    main()
