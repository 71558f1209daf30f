"""Builds the compat-mode fixture: tensors plus what the ANT reference's float32 sequence
(spec section 4, decision 4) chooses for them, emulated here with numpy float32 so the
Swift tests compare against an independent implementation.

Run from this folder:  python3 make_compat_fixture.py
"""
import json
import numpy as np

f32 = np.float32


def normalise(values, bits):
    """Pad to 2**bits entries with zeros, sort, scale so the maximum is about 10 (float32)."""
    values = list(values) + [0.0] * (2 ** bits - len(values))
    grid = np.sort(np.array(values, dtype=f32))
    return grid * ((f32(1) / grid.max()) * f32(10))


def magnitudes(kind, b):
    """Spec section 1 magnitudes (B magnitude bits) as real numbers."""
    if kind == "int":
        return [float(i) for i in range(2 ** b)]
    if kind == "pot":
        return [0.0] + [2.0 ** i for i in range(2 ** b - 1)]
    if kind == "flint":
        n = b
        out = [0.0]
        for k in range(1, n):
            out += [2.0 ** -k * (1 + j / 2 ** (n - 1 - k)) for j in range(2 ** (n - 1 - k))]
        out += [1 + j / 2 ** (n - 2) for j in range(2 ** (n - 2))]
        for k in range(1, n - 1):
            out += [2.0 ** k * (1 + j / 2 ** (n - 2 - k)) for j in range(2 ** (n - 2 - k))]
        return out + [2.0 ** (n - 1)]
    eb = int(kind[len("float"):])
    mb = b - eb
    out = []
    for e in range(2 ** eb):
        for m in range(2 ** mb):
            out.append(m * 2.0 ** -mb if e == 0 else 2.0 ** (e - 1) * (1 + m / 2 ** mb))
    return out


def grid(kind, bits, signed):
    b = bits - 1 if signed else bits
    mags = magnitudes(kind, b)
    if not signed:
        return normalise(mags, bits)
    if kind == "int":
        return normalise([float(v) for v in range(-(2 ** b), 2 ** b)], bits)
    return normalise(mags + [-m for m in mags], bits)


def nearest(xs, g):
    """The reference kernel: smallest |x - g| in float32, later grid value on ties, 0 past 102400."""
    distance = np.abs(xs[:, None] - g[None, :]).astype(f32)
    index = len(g) - 1 - np.argmin(distance[:, ::-1], axis=1)
    q = g[index].copy()
    q[distance[np.arange(len(xs)), index] > 102400] = 0
    return q


def channel_mse(x, s, g):
    xs = (x / s).astype(f32)
    q = nearest(xs, g)
    passed = ((q - xs).astype(f32) + xs).astype(f32)
    error = ((passed * s).astype(f32) - x).astype(f32)
    return f32(np.sum((error * error).astype(f32).astype(np.float64))) * (f32(1) / f32(len(x)))


def search(rows, g):
    """Per-row strict-minimum search over ratios 75..149; returns (score sum, alphas)."""
    scores, alphas = [], []
    for x in rows:
        base = np.abs(x).max()
        best, alpha = f32(1e10), base
        for i in range(75, 150):
            a = f32(base * f32(i * 0.01))
            score = channel_mse(x, f32(a / g.max()), g)
            if score < best:
                best, alpha = score, a
        scores.append(best)
        alphas.append(alpha)
    return float(f32(np.sum(np.array(scores, dtype=np.float64)))), [float(a) for a in alphas]


def case(name, data, signed, per_channel, types):
    """types: what the reference enables for the mode "ant-" + "-".join(types) (its substring
    test enables float whenever float2 is named, so both are listed)."""
    rows = data if per_channel else data.reshape(1, -1)
    selection = {}
    for t in types:
        scored_with = "float1" if t in ("float2", "float3", "float4") else ("float3" if t == "float" else t)
        selection[t] = search(rows, grid(scored_with, 4, signed))
    chosen = min(types, key=lambda t: (selection[t][0], types.index(t)))
    final_kind = "float3" if chosen == "float" else chosen
    _, alphas = search(rows, grid(final_kind, 4, signed))
    np.save(name + ".npy", data)
    return {"file": name + ".npy", "scores": {t: selection[t][0] for t in types}, "chosen": chosen, "alphas": alphas}


rng = np.random.default_rng(2024)
weights = (rng.standard_normal((12, 40)) * np.linspace(0.5, 3, 12)[:, None]).astype(f32)
activations = np.maximum(rng.standard_normal((4, 64)), 0).astype(f32)
expected = [
    case("compat_weights", weights, True, True, ["int", "flint", "pot", "float", "float2"]),
    case("compat_activations", activations, False, False, ["int", "flint", "pot", "float", "float2"]),
]
with open("compat_expected.json", "w") as handle:
    json.dump(expected, handle, indent=1)

# Small numpy-written files for the .npy reader: float16, big-endian float32, float64 with a
# version 2.0 header.
small = np.array([[1.5, -2.25, 0.0], [65504.0, -(2.0 ** -14), 3.0]])
np.save("numpy_float16.npy", small.astype(np.float16))
np.save("numpy_float32_big_endian.npy", small.astype(">f4"))
with open("numpy_float64_v2.npy", "wb") as handle:
    np.lib.format.write_array(handle, small.astype(np.float64), version=(2, 0))
