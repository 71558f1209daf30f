#!/usr/bin/env python3
"""Writes sample_activations.npy: 16 seeded token rows of 128 float32 features, the input of
sample_weights.safetensors' fc1 layer (fc1.weight is 64 x 128, PyTorch's [out, in]), for
`make demo`'s `antgen run`. Needs only numpy; GELU-like, mostly positive, with a few outliers."""
import numpy as np

rng = np.random.default_rng(2027)
x = rng.standard_normal((16, 128)).astype(np.float32)
x = np.where(x > 0, x, 0.1 * x)          # leaky: activations after a nonlinearity
x[rng.integers(0, 16, 4), rng.integers(0, 128, 4)] *= 6.0   # a few outliers
np.save("sample_activations.npy", x.astype("<f4"))
