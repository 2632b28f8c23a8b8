#!/usr/bin/env python3
"""Mean ± std over seeds of the L2 Init reproduction columns, from several `lifelong run --compare` directories
(one per seed, the same methods in each).

usage: scripts/l2init-seeds.py RUN_DIR_SEED0 RUN_DIR_SEED1 [...]
"""
import json, math, os, sys

def load(root, method):
    r = json.load(open(os.path.join(root, method, "result.json")))
    layers = r["probes"][-1]["layers"] if r["probes"] else []
    mean = lambda key: sum(l[key] for l in layers) / len(layers) if layers else float("nan")
    return [r["summary"]["total_online_accuracy"], r["online_accuracy"][-1], mean("dead_fraction"), mean("srank"),
            r["probes"][-1]["weight_magnitude"] if r["probes"] else float("nan")]

roots = sys.argv[1:]
methods = sorted(m for m in os.listdir(roots[0]) if all(os.path.exists(os.path.join(r, m, "result.json")) for r in roots))
print(f"{len(roots)} seeds")
print("| method | total online acc | last task online | dead fraction | srank | mean abs(θ) |")
print("|---|---|---|---|---|---|")
for m in methods:
    columns = list(zip(*[load(r, m) for r in roots]))
    cells = []
    for values in columns:
        mu = sum(values) / len(values)
        sd = math.sqrt(sum((v - mu) ** 2 for v in values) / (len(values) - 1)) if len(values) > 1 else 0.0
        cells.append(f"{mu:.3f} ± {sd:.3f}")
    print(f"| `{m}` | " + " | ".join(cells) + " |")
