#!/usr/bin/env python3
"""Prints the L2 Init reproduction tables (markdown) from `lifelong run --compare` output directories.

usage: scripts/l2init-table.py RUN_DIR [RUN_DIR ...]
Each RUN_DIR holds one subdirectory per method with its result.json. Columns: total online accuracy, online accuracy
of the first and last task, and at the end of the run the dead-unit fraction, srank (mean over layers) and mean |θ|.
"""
import json, os, sys

def rows(root):
    for name in sorted(os.listdir(root)):
        path = os.path.join(root, name, "result.json")
        if not os.path.exists(path):
            continue
        r = json.load(open(path))
        probes = r["probes"][-1] if r["probes"] else None
        layers = probes["layers"] if probes else []
        mean = lambda key: sum(l[key] for l in layers) / len(layers) if layers else float("nan")
        yield (name, r["summary"]["total_online_accuracy"], r["online_accuracy"][0], r["online_accuracy"][-1],
               mean("dead_fraction"), mean("srank"), probes["weight_magnitude"] if probes else float("nan"))

for root in sys.argv[1:]:
    print(f"\n{root}\n")
    print("| method | total online acc | task 1 online | last task online | dead fraction | srank | mean abs(θ) |")
    print("|---|---|---|---|---|---|---|")
    for name, total, first, last, dead, srank, magnitude in rows(root):
        print(f"| `{name}` | {total:.3f} | {first:.3f} | {last:.3f} | {dead:.2f} | {srank:.1f} | {magnitude:.4f} |")
