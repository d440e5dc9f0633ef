#!/usr/bin/env python3
"""Regenerates the ONNX and NumPy test fixtures in Tests/Fixtures/onnx/ (deterministic: fixed seeds).

usage: python3 scripts/make_onnx_fixtures.py [FOLDER]      (needs numpy and onnx: bash scripts/setup)

Models (made with the onnx package's helpers, checked with onnx.checker):
  gemm_sign.onnx        float32 Gemm + Sign, 4 -> 8 -> 8 -> 2 (random float32 weights)
  gemm_ge_cast.onnx     float32 Gemm + GreaterOrEqual(per-neuron constant) + Cast, 4 -> 6 -> 3; weights and
                        inputs are multiples of 1/8 and 1/16, so float64 sums are exact (for the export test)
  matmul_bn_less.onnx   float32 MatMul + Add + BatchNormalization (var + eps a perfect square) + Less + Cast, 3 -> 4 -> 1
  bn_irrational.onnx    as above with var = 2: sqrt is irrational and the offset is nonzero, so import refuses it
  tie_sign.onnx         Gemm [0.1, -0.1] + Sign, 2 -> 1: at x = (1, 1) the float32 pre-activation is exactly 0
  tie_greater.onnx      the same with Greater(z, 0) + Cast
  relu.onnx             Gemm + Relu: an unsupported operator
  branching.onnx        one tensor feeding two nodes: not a chain
Points (no labels: the tests compute them by exact rational evaluation):
  gemm_sign_X.npy (float32, 200 x 4), gemm_ge_X.npy (float32, 120 x 4), bn_X.npy (float64, 50 x 3),
  tie_X.npy (float32, 3 x 2, row 0 is the tie).
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = [helper.make_opsetid("", 13)]


def model(name, nodes, initializers, d, outputs, out_type=TensorProto.FLOAT):
    graph = helper.make_graph(nodes, name, [helper.make_tensor_value_info("X", TensorProto.FLOAT, ["N", d])],
                              [helper.make_tensor_value_info("Y", out_type, ["N", outputs])],
                              [numpy_helper.from_array(a, n) for n, a in initializers.items()])
    m = helper.make_model(graph, opset_imports=OPSET, producer_name="memcert-fixtures")
    m.ir_version = 8
    onnx.checker.check_model(m)
    return m


def main(folder):
    os.makedirs(folder, exist_ok=True)
    save = lambda m, n: onnx.save(m, os.path.join(folder, n))
    rng = np.random.RandomState(14)

    # Gemm + Sign chain (a binarized MLP): the last Sign's outputs are the label bits.
    sizes, init, nodes, h = [4, 8, 8, 2], {}, [], "X"
    for l in range(3):
        init[f"W{l}"] = rng.randn(sizes[l + 1], sizes[l]).astype(np.float32)  # transB = 1, as PyTorch writes
        init[f"B{l}"] = (rng.randn(sizes[l + 1]) * 0.1).astype(np.float32)
        out = "Y" if l == 2 else f"s{l}"
        nodes += [helper.make_node("Gemm", [h, f"W{l}", f"B{l}"], [f"z{l}"], name=f"gemm{l}", transB=1),
                  helper.make_node("Sign", [f"z{l}"], [out], name=f"sign{l}")]
        h = out
    save(model("gemm_sign", nodes, init, 4, 2), "gemm_sign.onnx")
    np.save(os.path.join(folder, "gemm_sign_X.npy"), rng.randn(200, 4).astype(np.float32))

    # Gemm + GreaterOrEqual + Cast chain with dyadic weights of few bits.
    sizes, init, nodes, h = [4, 6, 3], {}, [], "X"
    for l in range(2):
        init[f"W{l}"] = (rng.randint(-8, 9, (sizes[l], sizes[l + 1])) / 8).astype(np.float32)
        init[f"B{l}"] = (rng.randint(-4, 5, sizes[l + 1]) / 4).astype(np.float32)
        init[f"T{l}"] = (rng.randint(-2, 3, sizes[l + 1]) / 4).astype(np.float32)
        out = "Y" if l == 1 else f"h{l}"
        nodes += [helper.make_node("Gemm", [h, f"W{l}", f"B{l}"], [f"z{l}"], name=f"gemm{l}"),
                  helper.make_node("GreaterOrEqual", [f"z{l}", f"T{l}"], [f"b{l}"], name=f"ge{l}"),
                  helper.make_node("Cast", [f"b{l}"], [out], name=f"cast{l}", to=TensorProto.FLOAT)]
        h = out
    save(model("gemm_ge_cast", nodes, init, 4, 3), "gemm_ge_cast.onnx")
    np.save(os.path.join(folder, "gemm_ge_X.npy"), (rng.randint(-16, 17, (120, 4)) / 16).astype(np.float32))

    # MatMul + Add + BatchNormalization + Less + Cast; var + eps in {1/4, 4, 9/16, 1}: square roots are rational.
    def bn_model(name, variance):
        init = {"W": rng.randn(3, 4).astype(np.float32), "B": rng.randn(4).astype(np.float32),
                "gamma": np.array([1.5, -2.0, 0.5, 0.0], np.float32), "beta": np.array([0.25, -0.5, 1.0, 0.75], np.float32),
                "mean": rng.randn(4).astype(np.float32), "var": np.array(variance, np.float32),
                "c": np.array(0.125, np.float32), "V": np.array([[1], [1], [-1], [1]], np.float32)}
        nodes = [helper.make_node("MatMul", ["X", "W"], ["xw"], name="matmul"),
                 helper.make_node("Add", ["xw", "B"], ["z"], name="add"),
                 helper.make_node("BatchNormalization", ["z", "gamma", "beta", "mean", "var"], ["y"], name="bn", epsilon=0.0),
                 helper.make_node("Less", ["y", "c"], ["b"], name="less"),
                 helper.make_node("Cast", ["b"], ["h"], name="cast", to=TensorProto.FLOAT),
                 helper.make_node("MatMul", ["h", "V"], ["z2"], name="matmul2"),
                 helper.make_node("Greater", ["z2", "c"], ["b2"], name="greater"),
                 helper.make_node("Cast", ["b2"], ["Y"], name="cast2", to=TensorProto.FLOAT)]
        return model(name, nodes, init, 3, 1)
    save(bn_model("matmul_bn_less", [0.25, 4.0, 0.5625, 1.0]), "matmul_bn_less.onnx")
    save(bn_model("bn_irrational", [0.25, 2.0, 0.5625, 1.0]), "bn_irrational.onnx")
    np.save(os.path.join(folder, "bn_X.npy"), rng.randn(50, 3))

    # Ties: 0.1f * 1 + (-0.1f) * 1 = 0 exactly in float32.
    tie = {"W": np.array([[0.1, -0.1]], np.float32), "B": np.array([0.0], np.float32), "zero": np.array(0.0, np.float32)}
    save(model("tie_sign", [helper.make_node("Gemm", ["X", "W", "B"], ["z"], name="gemm", transB=1),
                            helper.make_node("Sign", ["z"], ["Y"], name="sign")], tie, 2, 1), "tie_sign.onnx")
    save(model("tie_greater", [helper.make_node("Gemm", ["X", "W", "B"], ["z"], name="gemm", transB=1),
                               helper.make_node("Greater", ["z", "zero"], ["b"], name="greater"),
                               helper.make_node("Cast", ["b"], ["Y"], name="cast", to=TensorProto.FLOAT)], tie, 2, 1), "tie_greater.onnx")
    np.save(os.path.join(folder, "tie_X.npy"), np.array([[1, 1], [1, 0], [0, 1]], np.float32))

    # Refused graphs.
    save(model("relu", [helper.make_node("Gemm", ["X", "W", "B"], ["z"], name="gemm", transB=1),
                        helper.make_node("Relu", ["z"], ["Y"], name="relu1")], tie, 2, 1), "relu.onnx")
    save(model("branching", [helper.make_node("Gemm", ["X", "W", "B"], ["z"], name="gemm", transB=1),
                             helper.make_node("Sign", ["z"], ["Y"], name="sign"),
                             helper.make_node("Relu", ["z"], ["r"], name="side")], tie, 2, 1), "branching.onnx")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures", "onnx"))
