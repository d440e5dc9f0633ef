#!/usr/bin/env python3
"""Writes a large labeled data set and a threshold network that memorizes it, streaming.

usage: make_stream_data.py N D OUT_DIR [--seed S] [--npy]

OUT_DIR/data.csv: N rows of D integer coordinates in [-999, 999] (fixed width, with a sign
and leading zeros, which grammar N allows), then the label; written in batches of 100,000
rows, so memory stays small whatever N is.
OUT_DIR/network.json: a memcert.network/1 teacher: 16 first-layer neurons with integer
weights in [-9, 9], then 2 output neurons over them; every label is the teacher's output,
computed exactly with integers here, so the network memorizes the data by construction.
With --npy, OUT_DIR/data.npy instead: the same rows as float64 (N, D + 1), labels last, C order,
its header written first and the rows appended in batches (numpy's own header format).
"""
import json
import os
import sys

import numpy as np


def main():
    npy = "--npy" in sys.argv
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    seed = 1
    if "--seed" in sys.argv:
        seed = int(sys.argv[sys.argv.index("--seed") + 1])
        args = [a for a in args if a != str(seed)]
    n, d, out = int(args[0]), int(args[1]), args[2]
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(seed)
    k = 16
    w1 = rng.integers(-9, 10, size=(k, d), dtype=np.int64)
    b1 = rng.integers(-50, 51, size=k, dtype=np.int64)
    w2 = rng.choice(np.array([-1, 1], dtype=np.int64), size=(2, k))
    b2 = np.array([-1, 0], dtype=np.int64)
    network = {
        "format": "memcert.network/1", "inputDimension": d, "outputBits": 2,
        "layers": [
            {"neurons": [{"weights": {"indices": list(range(d)), "values": [str(v) for v in w1[t]]}, "bias": str(b1[t])}
                         for t in range(k)]},
            {"neurons": [{"weights": {"indices": list(range(k)), "values": [str(v) for v in w2[j]]}, "bias": str(b2[j])}
                         for j in range(2)]},
        ],
    }
    with open(os.path.join(out, "network.json"), "w") as f:
        json.dump(network, f)
    if npy:
        with open(os.path.join(out, "data.npy"), "wb") as f:
            np.lib.format.write_array_header_1_0(f, {"descr": "<f8", "fortran_order": False, "shape": (n, d + 1)})
            done = 0
            while done < n:
                m = min(100_000, n - done)
                x = rng.integers(-999, 1000, size=(m, d), dtype=np.int64)
                h = (x @ w1.T + b1 >= 0).astype(np.int64)
                o = (h @ w2.T + b2 >= 0).astype(np.int64)
                label = o[:, 0] + 2 * o[:, 1]
                f.write(np.hstack([x, label[:, None]]).astype("<f8").tobytes())
                done += m
        print(f"wrote {out}/data.npy ({n} rows, d = {d}) and {out}/network.json")
        return
    width = d * 5 + 2  # "+ddd," per coordinate, then the label digit and LF
    with open(os.path.join(out, "data.csv"), "wb") as f:
        f.write(("".join(f"x{j}," for j in range(1, d + 1)) + "label\n").encode())
        done = 0
        while done < n:
            m = min(100_000, n - done)
            x = rng.integers(-999, 1000, size=(m, d), dtype=np.int64)
            h = (x @ w1.T + b1 >= 0).astype(np.int64)
            o = (h @ w2.T + b2 >= 0).astype(np.int64)
            label = o[:, 0] + 2 * o[:, 1]
            buf = np.empty((m, width), dtype=np.uint8)
            mag = np.abs(x)
            cols = np.arange(d) * 5
            buf[:, cols] = np.where(x < 0, ord("-"), ord("+"))
            buf[:, cols + 1] = ord("0") + mag // 100
            buf[:, cols + 2] = ord("0") + (mag // 10) % 10
            buf[:, cols + 3] = ord("0") + mag % 10
            buf[:, cols + 4] = ord(",")
            buf[:, width - 2] = ord("0") + label
            buf[:, width - 1] = ord("\n")
            f.write(buf.tobytes())
            done += m
    print(f"wrote {out}/data.csv ({n} rows, d = {d}) and {out}/network.json")


if __name__ == "__main__":
    main()
