#!/usr/bin/env python3
"""Writes sample_weights.safetensors: three small seeded tensors (F32, F16, BF16-free)
for `make demo`'s `antgen quantize` run. Needs only numpy; the safetensors layout
(8-byte little-endian header length, JSON header, raw little-endian data) is written by hand."""
import json
import struct
import numpy as np

rng = np.random.default_rng(2026)
tensors = {
    "conv1.weight": rng.standard_normal((32, 3, 3, 3)).astype(np.float32) * 0.2,
    "fc1.weight": rng.laplace(0.0, 0.05, (64, 128)).astype(np.float32),
    "fc2.weight": (rng.standard_normal((10, 64)) * 0.1).astype(np.float16),
}
header, blobs, offset = {}, [], 0
for name, array in tensors.items():
    data = np.ascontiguousarray(array).astype(array.dtype.newbyteorder("<")).tobytes()
    dtype = {np.float32: "F32", np.float16: "F16"}[array.dtype.type]
    header[name] = {"dtype": dtype, "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
    blobs.append(data)
    offset += len(data)
text = json.dumps(header, sort_keys=True).encode()
text += b" " * (-len(text) % 8)
with open("sample_weights.safetensors", "wb") as f:
    f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))
