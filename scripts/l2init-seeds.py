#!/usr/bin/env python3
"""Mean ± std over seeds of the L2 Init reproduction columns, from several `lifelong run --compare` directories
(one per seed, the same methods in each).

usage: scripts/l2init-seeds.py [--window K] RUN_DIR_SEED0 RUN_DIR_SEED1 [...]
  --window K   also the mean online accuracy over the first K and the last K tasks (the trend over a long stream)
"""
import json, math, os, sys

args = sys.argv[1:]
window = 0
if args[:1] == ["--window"]:
    window, args = int(args[1]), args[2:]

def load(root, method):
    r = json.load(open(os.path.join(root, method, "result.json")))
    layers = r["probes"][-1]["layers"] if r["probes"] else []
    mean = lambda key: sum(l[key] for l in layers) / len(layers) if layers else float("nan")
    online = r["online_accuracy"]
    windows = [sum(online[:window]) / window, sum(online[-window:]) / window] if window else []
    return [r["summary"]["total_online_accuracy"], *windows, online[-1], mean("dead_fraction"), mean("srank"),
            r["probes"][-1]["weight_magnitude"] if r["probes"] else float("nan")]

roots = args
methods = sorted(m for m in os.listdir(roots[0]) if all(os.path.exists(os.path.join(r, m, "result.json")) for r in roots))
print(f"{len(roots)} seeds")
windows = f" first {window} tasks | last {window} tasks |" if window else ""
print(f"| method | total online acc |{windows} last task online | dead fraction | srank | mean abs(θ) |")
print("|---|---|---|---|---|---|" + ("---|---|" if window else ""))
for m in methods:
    columns = list(zip(*[load(r, m) for r in roots]))
    cells = []
    for values in columns:
        mu = sum(values) / len(values)
        sd = math.sqrt(sum((v - mu) ** 2 for v in values) / (len(values) - 1)) if len(values) > 1 else 0.0
        cells.append(f"{mu:.3f} ± {sd:.3f}")
    print(f"| `{m}` | " + " | ".join(cells) + " |")
