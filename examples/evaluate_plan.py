#!/usr/bin/env python3
"""Scores an antgen plan: quantizes every tensor as the plan says and prints the worst
layer's cosine similarity between W·x and Q·x over fixed random inputs (1.0 = unchanged).
Standard library only. Replace score() with your framework's evaluation (docs/tuning.md)."""
import bisect
import json
import math
import random
import struct
import sys


def read_safetensors(path):
    """Every tensor of a safetensors file as (shape, flat list of floats)."""
    with open(path, "rb") as f:
        size = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(size))
        data = f.read()
    codes = {"F16": "e", "F32": "f", "F64": "d"}
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        code = codes[info["dtype"]]
        count = (end - start) // struct.calcsize(code)
        tensors[name] = (info["shape"], list(struct.unpack(f"<{count}{code}", data[start:end])))
    return tensors


def quantize(values, tensor):
    """Nearest value of alpha * grid / q_max per channel, ties to the larger value."""
    grid, alphas = tensor["grid"], tensor["alphas"]
    length = len(values) // len(alphas)
    out = []
    for channel, alpha in enumerate(alphas):
        levels = [alpha * g / tensor["maxPositiveUnits"] for g in grid]
        midpoints = [(a + b) / 2 for a, b in zip(levels, levels[1:])]
        for x in values[channel * length:(channel + 1) * length]:
            out.append(levels[bisect.bisect_right(midpoints, x)])
    return out


def score(plan, inputs=32):
    rng = random.Random(0)
    files, worst = {}, 1.0
    for tensor in plan["tensors"]:
        shape, weights = files.setdefault(tensor["file"], read_safetensors(tensor["file"]))[tensor["name"]]
        rows, cols = shape[0], len(weights) // shape[0]
        quantized = quantize(weights, tensor)
        yz = yy = zz = 0.0
        for _ in range(inputs):
            x = [rng.gauss(0, 1) for _ in range(cols)]
            for r in range(rows):
                w, q = weights[r * cols:(r + 1) * cols], quantized[r * cols:(r + 1) * cols]
                y = sum(a * b for a, b in zip(w, x))
                z = sum(a * b for a, b in zip(q, x))
                yz, yy, zz = yz + y * z, yy + y * y, zz + z * z
        worst = min(worst, yz / math.sqrt(yy * zz))
    return worst


print(score(json.load(open(sys.argv[1]))))
