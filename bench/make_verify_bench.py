#!/usr/bin/env python3
"""Benchmark inputs for issue 2: a 3-layer threshold network (200 first-layer
neurons with 32-bit dyadic weights, later layers small integers) and n points
in d dimensions written as decimals. Labels are the network's float64 outputs,
so exact verification decides whether float64 was right on every point.

usage: make_verify_bench.py OUT_DIR [n] [d] [seed]
"""
import json, os, sys
import numpy as np

out = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
d = int(sys.argv[3]) if len(sys.argv) > 3 else 32
rng = np.random.default_rng(int(sys.argv[4]) if len(sys.argv) > 4 else 1)
os.makedirs(out, exist_ok=True)

def dyadic(v, bits=32):
    p = int(round(v * 2**bits)); q = 2**bits
    from math import gcd
    g = gcd(p, q)
    p, q = p // g, q // g
    return str(p) if q == 1 else f"{p}/{q}"

k1, k2 = 200, 24
W1 = rng.standard_normal((k1, d)); b1 = rng.standard_normal(k1) * 0.1
W1 = np.round(W1 * 2**32) / 2**32; b1 = np.round(b1 * 2**32) / 2**32
W2 = rng.integers(-1, 2, size=(k2, k1)); b2 = rng.integers(-3, 4, size=k2)
W3 = rng.integers(-2, 3, size=(1, k2)); b3 = np.array([0])

layers = [
    {"name": "random-hyperplanes", "neurons": [
        {"weights": {"indices": list(range(d)), "values": [dyadic(w) for w in W1[t]]}, "bias": dyadic(b1[t])}
        for t in range(k1)]},
    {"name": "hidden", "neurons": [
        {"weights": {"indices": [j for j in range(k1) if W2[t, j] != 0],
                     "values": [str(int(W2[t, j])) for j in range(k1) if W2[t, j] != 0]}, "bias": str(int(b2[t]))}
        for t in range(k2)]},
    {"name": "output", "neurons": [
        {"weights": {"indices": [j for j in range(k2) if W3[0, j] != 0],
                     "values": [str(int(W3[0, j])) for j in range(k2) if W3[0, j] != 0]}, "bias": "0"}]},
]
with open(os.path.join(out, "net.json"), "w") as f:
    json.dump({"format": "memcert.network/1", "inputDimension": d, "outputBits": 1, "layers": layers,
               "provenance": {"method": "benchmark", "script": "bench/make_verify_bench.py"}}, f)

X = rng.uniform(-1, 1, size=(n, d))
h1 = (X @ W1.T + b1 >= 0).astype(np.int64)
h2 = (h1 @ W2.T + b2 >= 0).astype(np.int64)
y = (h2 @ W3.T + b3 >= 0).astype(np.int64)[:, 0]
with open(os.path.join(out, "data.csv"), "w") as f:
    f.write(",".join([f"x{j+1}" for j in range(d)] + ["label"]) + "\n")
    for i in range(n):
        f.write(",".join(f"{v:.15f}" for v in X[i]) + f",{y[i]}\n")
