#!/usr/bin/env python3
"""MNIST-like integer data for the baum1988 benchmark: N images of 28 x 28
pixels (d = 784, integers 0..255) in 10 classes, as memcert CSV (784 pixel
columns, then the label).

Each class is a fixed set of pen strokes (polylines in the unit square). An image
draws its class's strokes after a random affine jitter (rotation, scale, shear,
shift) with a random pen width, anti-aliased and rounded to integers, inside the
central 20 x 20 box like MNIST's size normalisation; shifts of up to 2 pixels
leave a border that is zero in every image. So, as in MNIST, the points are far
from general position: the always-zero pixels and the clipping at 255 put the data
in an affine subspace of dimension well below 784 (printed on stderr, computed
in floating point for information only).

usage: make_digits.py OUT.csv [--n 5000] [--seed 1]
"""
import argparse
import sys

import numpy as np

# Pen strokes per class, in box coordinates (0..1, y down).
STROKES = {
    0: [[(0.5, 0.05), (0.2, 0.2), (0.12, 0.5), (0.2, 0.8), (0.5, 0.95), (0.8, 0.8), (0.88, 0.5), (0.8, 0.2), (0.5, 0.05)]],
    1: [[(0.35, 0.2), (0.55, 0.05), (0.55, 0.95)], [(0.35, 0.95), (0.75, 0.95)]],
    2: [[(0.15, 0.25), (0.4, 0.05), (0.75, 0.12), (0.8, 0.35), (0.15, 0.95), (0.88, 0.95)]],
    3: [[(0.15, 0.1), (0.8, 0.1), (0.45, 0.45), (0.85, 0.65), (0.6, 0.95), (0.15, 0.85)]],
    4: [[(0.65, 0.95), (0.65, 0.05), (0.1, 0.65), (0.9, 0.65)]],
    5: [[(0.85, 0.05), (0.2, 0.05), (0.15, 0.45), (0.65, 0.4), (0.85, 0.7), (0.55, 0.95), (0.15, 0.88)]],
    6: [[(0.75, 0.05), (0.3, 0.4), (0.15, 0.75), (0.45, 0.95), (0.8, 0.78), (0.6, 0.52), (0.2, 0.65)]],
    7: [[(0.1, 0.08), (0.9, 0.08), (0.4, 0.95)], [(0.3, 0.5), (0.75, 0.5)]],
    8: [[(0.5, 0.5), (0.2, 0.3), (0.5, 0.05), (0.8, 0.3), (0.5, 0.5), (0.15, 0.75), (0.5, 0.95), (0.85, 0.75), (0.5, 0.5)]],
    9: [[(0.8, 0.35), (0.5, 0.05), (0.2, 0.3), (0.5, 0.5), (0.8, 0.35), (0.7, 0.95)]],
}

SIDE = 28
BOX = 20  # strokes live in the central 20 x 20 box before jitter


def segment_distance(px, py, a, b):
    """Distance from every pixel centre (px, py) to the segment a-b."""
    ax, ay = a
    bx, by = b
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = np.clip(((px - ax) * dx + (py - ay) * dy) / max(length2, 1e-12), 0.0, 1.0)
    return np.hypot(px - (ax + t * dx), py - (ay + t * dy))


def render(label, rng, px, py):
    angle = rng.uniform(-0.3, 0.3)
    scale = rng.uniform(0.8, 1.1)
    shear = rng.uniform(-0.25, 0.25)
    shift = rng.uniform(-2.0, 2.0, size=2)
    width = rng.uniform(0.4, 1.3)
    c, s = np.cos(angle), np.sin(angle)
    m = scale * np.array([[c, -s], [s, c]]) @ np.array([[1.0, shear], [0.0, 1.0]])
    centre = np.array([SIDE / 2.0, SIDE / 2.0])
    distance = np.full(px.shape, np.inf)
    for stroke in STROKES[label]:
        pts = [centre + shift + m @ ((np.array(p) - 0.5) * BOX) for p in stroke]
        # Jitter each control point a little: no two images share a shape.
        pts = [p + rng.normal(0.0, 0.6, size=2) for p in pts]
        for a, b in zip(pts, pts[1:]):
            distance = np.minimum(distance, segment_distance(px, py, a, b))
    ink = np.clip(1.0 - (distance - width) / 1.2, 0.0, 1.0)  # anti-aliased edge
    pressure = rng.uniform(0.75, 1.25)
    image = np.rint(np.clip(ink * 255.0 * pressure, 0, 255)).astype(np.int64)
    # Keep the 2-pixel border blank, as MNIST's centring does.
    image[:2, :] = 0
    image[-2:, :] = 0
    image[:, :2] = 0
    image[:, -2:] = 0
    return image.reshape(-1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out")
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.n < 1:
        sys.exit("make_digits.py: --n must be positive")
    rng = np.random.default_rng(args.seed)
    py, px = np.mgrid[0:SIDE, 0:SIDE] + 0.5
    images, labels, seen = [], [], set()
    while len(images) < args.n:
        label = int(rng.integers(0, 10))
        image = render(label, rng, px, py)
        key = image.tobytes()
        if key in seen or not image.any():
            continue  # distinct points only
        seen.add(key)
        images.append(image)
        labels.append(label)
    data = np.array(images)
    with open(args.out, "w") as f:
        for image, label in zip(data, labels):
            f.write(",".join(map(str, image.tolist())) + f",{label}\n")
    constant = int((data.max(axis=0) == data.min(axis=0)).sum())
    rank = int(np.linalg.matrix_rank((data[1:] - data[0]).astype(np.float64)))
    print(f"make_digits: n = {args.n}, d = {SIDE * SIDE}, {constant} constant pixels, "
          f"affine hull dimension ~{rank} (floating point)", file=sys.stderr)


if __name__ == "__main__":
    main()
