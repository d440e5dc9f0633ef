#!/usr/bin/env python3
"""The README's sizes table and timing table from the files bench/construct_table.sh wrote.

usage: python3 bench/sizes_table.py OUT_DIR

Reads OUT_DIR/con-LAYOUT-1eE.out (construct --json), OUT_DIR/baum-pairs-1eE.out when present,
and the /usr/bin/time -v logs (con-*, ver-*), and prints two Markdown tables: sizes per layout
and n, and construct against verify (wall time and peak memory).
"""
import json
import os
import re
import sys


def count(x):
    return f"{x:,}"


def wall_seconds(path):
    """Elapsed wall time of a /usr/bin/time -v log, in seconds."""
    text = open(path).read()
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text)
    parts = [float(p) for p in m.group(1).split(":")]
    seconds = 0.0
    for p in parts:
        seconds = seconds * 60 + p
    return seconds


def peak_mb(path):
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(path).read())
    return int(m.group(1)) / 1024


def main():
    out = sys.argv[1]
    rows = []
    for layout in ("uniform", "pairs"):
        for e in range(3, 10):
            tag = f"{layout}-1e{e}"
            con = os.path.join(out, f"con-{tag}.out")
            if os.path.exists(con):
                rows.append((layout, e, tag))
    print("| layout | n | δ | k (k0) | key stage, weight bits | N | neurons (A / B / C / D) | weights | depth | "
          "largest weight bits | one per point | baum1988 |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for layout, e, tag in rows:
        r = json.load(open(os.path.join(out, f"con-{tag}.out")))
        th, t = r["theory"], r["totals"]
        stages = {s["stage"]: s["neurons"] for s in r["stages"]}
        delta = r["separation"]["delta"] if r["separation"] else None
        k = count(th["k"]) + (f" ({count(th['k0'])})" if th.get("k0") is not None else "")
        key = th["compression"] + (f" (w = {th['rowWeight']})" if th.get("rowWeight") else "") \
            + f", {th['keyWeightBits']}-bit"
        split = " / ".join(count(stages.get(s, 0)) for s in "ABCD")
        baum_path = os.path.join(out, f"baum-{tag}.out")
        baum = ""
        if os.path.exists(baum_path) and os.path.getsize(baum_path) > 0:
            baum = count(json.load(open(baum_path))["totals"]["neurons"])
        print(f"| {layout} | 10^{e} | {delta if delta is not None else 'skipped'} | {k} | {key} | "
              f"{count(th['keyClasses'])} | {count(t['neurons'])} ({split}) | {count(t['weights'])} | {t['depth']} | "
              f"{t['largestWeightBits']} | {count(th['onePerPointNeurons'])} | {baum} |")
    print()
    print("| layout | n | construct s (MB) | verify s (MB) | construct / verify |")
    print("| --- | --- | --- | --- | --- |")
    for layout, e, tag in rows:
        con, ver = os.path.join(out, f"con-{tag}.time"), os.path.join(out, f"ver-{tag}.time")
        if not (os.path.exists(con) and os.path.exists(ver)):
            continue
        c, v = wall_seconds(con), wall_seconds(ver)
        print(f"| {layout} | 10^{e} | {c:.2f} ({peak_mb(con):,.0f}) | {v:.2f} ({peak_mb(ver):,.0f}) | {c / v:.2f} |")


if __name__ == "__main__":
    main()
