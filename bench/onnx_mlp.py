#!/usr/bin/env python3
"""The ONNX benchmark's model, data and onnxruntime side (bench/onnx_mlp.sh).

usage: onnx_mlp.py make DIR [--n N] [--seed S]   writes DIR/mlp.onnx, DIR/X.npy, DIR/y.npy, DIR/data.npz
       onnx_mlp.py ort DIR                       onnxruntime (float32, as the model is) on DIR/X.npy: labels, seconds,
                                                 and how many differ from DIR/y.npy (the exact labels)

The model: a binarized MLP 784-256-256-4 in float32, three Gemm + Sign layers (weights +-1, transB = 1 as
PyTorch exports, biases in +-[0.25, 4) off the integers), the last Sign's +1s are the label bits. The points:
n digit-like images, float32 pixels k/255.

Exact labels without a rational evaluator: every float32 pixel k/255 is a multiple of 2^-31 below 1 and every
bias a multiple of 2^-26 below 4, so every partial sum of layer 0 is a multiple of 2^-31 below 2^10 + 4: it
needs at most 42 significant bits, and float64 computes it exactly in any order. Later layers sum +-1 terms
and a bias, exactly as well. So float64 numpy gives the exact pre-activations, and their signs the exact
labels (a zero pre-activation, a tie, is counted and reported; with these biases there is none).
"""
import argparse, os, sys, time

import numpy as np


def make(folder, n, seed):
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    rng = np.random.RandomState(seed)
    sizes = [784, 256, 256, 4]
    weights, biases, nodes, init, h = [], [], [], [], "X"
    for l in range(3):
        w = rng.choice(np.array([-1, 1], np.float32), (sizes[l + 1], sizes[l]))
        b = (rng.choice([-1, 1], sizes[l + 1]) * (rng.randint(1, 16, sizes[l + 1]) / 4 + rng.randint(1, 8, sizes[l + 1]) / 32)).astype(np.float32)
        b[b == np.round(b)] += np.float32(0.125)  # never an integer bias
        weights.append(w)
        biases.append(b)
        init += [numpy_helper.from_array(w, f"W{l}"), numpy_helper.from_array(b, f"B{l}")]
        out = "Y" if l == 2 else f"s{l}"
        nodes += [helper.make_node("Gemm", [h, f"W{l}", f"B{l}"], [f"z{l}"], name=f"gemm{l}", transB=1),
                  helper.make_node("Sign", [f"z{l}"], [out], name=f"sign{l}")]
        h = out
    graph = helper.make_graph(nodes, "binarized_mlp", [helper.make_tensor_value_info("X", TensorProto.FLOAT, ["N", 784])],
                              [helper.make_tensor_value_info("Y", TensorProto.FLOAT, ["N", 4])], init)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="memcert-bench")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(folder, "mlp.onnx"))
    # Digit-like images: a blob of ink on a dark background, pixels k/255 in float32.
    images = np.zeros((n, 28, 28))
    yy, xx = np.mgrid[0:28, 0:28]
    for i in range(n):
        cy, cx, r = rng.uniform(8, 20), rng.uniform(8, 20), rng.uniform(3, 8)
        images[i] = np.clip(255 * np.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / (2 * r * r)) + rng.randint(0, 40, (28, 28)), 0, 255)
    X = (np.round(images).reshape(n, 784) / 255).astype(np.float32)
    h, ties = X.astype(np.float64), 0
    for w, b in zip(weights, biases):
        z = h @ w.T.astype(np.float64) + b.astype(np.float64)
        ties += int((z == 0).any(axis=1).sum())
        h = np.sign(z)
    y = ((h > 0) * (1 << np.arange(4))).sum(axis=1).astype(np.int64)
    np.save(os.path.join(folder, "X.npy"), X)
    np.save(os.path.join(folder, "y.npy"), y)
    np.savez(os.path.join(folder, "data.npz"), X=X, y=y)
    print(f"wrote mlp.onnx, X.npy ({n} x 784 float32), y.npy, data.npz in {folder}; exact labels: {np.bincount(y, minlength=16).tolist()}, ties {ties}")


def ort(folder):
    start = time.perf_counter()
    import onnxruntime
    session = onnxruntime.InferenceSession(os.path.join(folder, "mlp.onnx"), providers=["CPUExecutionProvider"])
    X = np.load(os.path.join(folder, "X.npy"))
    out = session.run(None, {"X": X})[0]
    labels = ((out == 1) * (1 << np.arange(out.shape[1]))).sum(axis=1)
    zeros = int((out == 0).any(axis=1).sum())
    seconds = time.perf_counter() - start
    exact = np.load(os.path.join(folder, "y.npy"))
    print(f"onnxruntime {onnxruntime.__version__}: {len(X)} points in {seconds:.3f} s (load + run); "
          f"{int((labels != exact).sum())} labels differ from the exact ones, {zeros} points with a Sign output 0")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["make", "ort"])
    p.add_argument("folder")
    p.add_argument("--n", type=int, default=10000)
    p.add_argument("--seed", type=int, default=14)
    a = p.parse_args()
    os.makedirs(a.folder, exist_ok=True)
    make(a.folder, a.n, a.seed) if a.mode == "make" else ort(a.folder)


if __name__ == "__main__":
    main()
