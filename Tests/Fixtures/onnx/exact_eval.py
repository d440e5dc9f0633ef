#!/usr/bin/env python3
"""Test helper: evaluates a chain ONNX model on points with exact rational arithmetic (fractions),
independently of memcert (the model is read with the onnx package), or with onnxruntime.

usage: exact_eval.py exact MODEL POINTS.npy OUT_FOLDER   writes X.npy (the points), y.npy (int64 labels),
                                                         data.npz (X, y), full.npy (float64, labels last)
                                                         and ties.json (rows where a Sign output is 0)
       exact_eval.py ort MODEL POINTS.npy                prints onnxruntime's labels Σ o_j 2^j as JSON
Labels are Σ_j o_j 2^j over the last node's outputs (Sign's +1/-1 read as 1/0); a tied row gets label 0.
"""
import json
import os
import sys
from fractions import Fraction

import numpy as np


def exact(model_path, points):
    import onnx
    from onnx import numpy_helper
    model = onnx.load(model_path)
    g = model.graph
    consts = {t.name: numpy_helper.to_array(t) for t in g.initializer}
    for node in g.node:
        if node.op_type == "Constant":
            consts[node.output[0]] = numpy_helper.to_array(node.attribute[0].t)
    F = lambda a: [[Fraction(float(v)) for v in row] for row in np.atleast_2d(a)] if np.ndim(a) == 2 else [Fraction(float(v)) for v in np.ravel(a)]
    def sqrt(q):
        p, r = int(q.numerator ** 0.5), int(q.denominator ** 0.5)
        for a in (p - 1, p, p + 1):
            for b in (r - 1, r, r + 1):
                if b > 0 and Fraction(a * a, b * b) == q:
                    return Fraction(a, b)
        raise ValueError("irrational square root")
    labels, ties = [], []
    for i, x in enumerate(points):
        vals = {g.input[0].name: [Fraction(float(v)) for v in x]}
        tie = False
        get = lambda n: vals[n] if n in vals else consts[n]
        vec = lambda a, n: a if isinstance(a, list) else ([Fraction(float(v)) for v in np.ravel(a)] * (n if np.size(a) == 1 else 1))
        for node in g.node:
            op, ins = node.op_type, node.input
            at = {a.name: helper_value(a) for a in node.attribute}
            if op == "Constant":
                continue
            if op in ("Gemm", "MatMul"):
                h, W = get(ins[0]), consts[ins[1]]
                W = W.T if at.get("transB", 0) else W
                alpha = Fraction(float(at.get("alpha", 1.0)))
                out = [alpha * sum(h[k] * Fraction(float(W[k, j])) for k in range(len(h))) for j in range(W.shape[1])]
                if op == "Gemm" and len(ins) > 2:
                    c = vec(consts[ins[2]], len(out))
                    out = [o + Fraction(float(at.get("beta", 1.0))) * cj for o, cj in zip(out, c)]
            elif op == "Add":
                a, b = (get(ins[0]), get(ins[1])) if ins[0] in vals else (get(ins[1]), get(ins[0]))
                out = [u + v for u, v in zip(a, vec(b, len(a)))]
            elif op == "BatchNormalization":
                z = get(ins[0])
                s, b, m, v = (vec(consts[n], len(z)) for n in ins[1:5])
                eps = Fraction(float(np.float32(at.get("epsilon", 1e-5))))
                out = [s[j] * (z[j] - m[j]) / sqrt(v[j] + eps) + b[j] for j in range(len(z))]
            elif op == "Sign":
                z = get(ins[0])
                tie = tie or any(t == 0 for t in z)
                out = [Fraction((t > 0) - (t < 0)) for t in z]
            elif op in ("Greater", "GreaterOrEqual", "Less", "LessOrEqual"):
                first = ins[0] in vals
                a = get(ins[0]) if first else vec(consts[ins[0]], len(get(ins[1])))
                b = get(ins[1]) if not first or ins[1] in vals else vec(consts[ins[1]], len(a))
                f = {"Greater": lambda u, w: u > w, "GreaterOrEqual": lambda u, w: u >= w,
                     "Less": lambda u, w: u < w, "LessOrEqual": lambda u, w: u <= w}[op]
                out = [Fraction(int(f(u, w))) for u, w in zip(a, b)]
            elif op == "Cast":
                out = get(ins[0])
            else:
                raise ValueError(f"unsupported op {op}")
            vals[node.output[0]] = out
        o = vals[g.output[0].name]
        labels.append(0 if tie else sum(int(v == 1) << j for j, v in enumerate(o)))
        if tie:
            ties.append(i)
    return labels, ties


def helper_value(a):
    from onnx import helper
    return helper.get_attribute_value(a)


def main():
    mode, model, points = sys.argv[1], sys.argv[2], np.load(sys.argv[3])
    if mode == "ort":
        import onnxruntime as ort
        session = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
        feed = points.astype(np.float64 if session.get_inputs()[0].type == "tensor(double)" else np.float32)
        out = session.run(None, {session.get_inputs()[0].name: feed})[0]
        print(json.dumps([int(sum((1 << j) for j, v in enumerate(row) if v == 1)) for row in out]))
        return
    folder = sys.argv[4]
    labels, ties = exact(model, points)
    y = np.array(labels, np.int64)
    np.save(os.path.join(folder, "X.npy"), points)
    np.save(os.path.join(folder, "y.npy"), y)
    np.savez(os.path.join(folder, "data.npz"), X=points, y=y)
    np.save(os.path.join(folder, "full.npy"), np.c_[points.astype(np.float64), y.astype(np.float64)])
    with open(os.path.join(folder, "ties.json"), "w") as f:
        json.dump(ties, f)


if __name__ == "__main__":
    main()
