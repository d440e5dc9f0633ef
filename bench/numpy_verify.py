#!/usr/bin/env python3
"""The float64 baseline for issue 2's benchmark: read the same network JSON and
CSV, evaluate with numpy (BLAS matrix products), count label mismatches.

usage: numpy_verify.py NET DATA
"""
import json, sys
from fractions import Fraction
import numpy as np
import scipy.sparse as sp

net = json.load(open(sys.argv[1]))
data = np.loadtxt(sys.argv[2], delimiter=",", skiprows=1, comments="#")
X, y = data[:, :-1], data[:, -1].astype(np.int64)
h = X
for layer in net["layers"]:
    rows, cols, vals, bias = [], [], [], []
    for t, neuron in enumerate(layer["neurons"]):
        for j, v in zip(neuron["weights"]["indices"], neuron["weights"]["values"]):
            rows.append(t); cols.append(j); vals.append(float(Fraction(v)))
        bias.append(float(Fraction(neuron["bias"])))
    W = sp.csr_matrix((vals, (rows, cols)), shape=(len(layer["neurons"]), h.shape[1]))
    h = ((W @ h.T).T + np.array(bias) >= 0).astype(np.float64)
out = (h.astype(np.int64) * (1 << np.arange(h.shape[1]))).sum(axis=1)
print("float64 mismatches:", int((out != y).sum()), "of", len(y))
