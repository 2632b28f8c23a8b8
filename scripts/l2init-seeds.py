#!/usr/bin/env python3
"""Mean ± std over seeds of the L2 Init reproduction columns, from several `lifelong run --compare` directories
(one per seed, the same methods in each).

usage: scripts/l2init-seeds.py [--window K] [--trajectory K] [--partial] RUN_DIR_SEED0 RUN_DIR_SEED1 [...]
  --window K       also the mean online accuracy over the first K and the last K tasks (the trend over a long stream)
  --trajectory K   instead, the mean online accuracy of each block of K tasks, mean over seeds (one row per method)
  --partial        also the methods finished in only some of the directories, over those, with a column of how many
"""
import json, math, os, sys

args = sys.argv[1:]
window = trajectory = 0
partial = False
while args[:1] in (["--window"], ["--trajectory"], ["--partial"]):
    if args[0] == "--partial":
        partial, args = True, args[1:]
        continue
    if args[0] == "--window": window = int(args[1])
    else: trajectory = int(args[1])
    args = args[2:]

def load(root, method):
    r = json.load(open(os.path.join(root, method, "result.json")))
    layers = r["probes"][-1]["layers"] if r["probes"] else []
    mean = lambda key: sum(l[key] for l in layers) / len(layers) if layers else float("nan")
    online = r["online_accuracy"]
    windows = [sum(online[:window]) / window, sum(online[-window:]) / window] if window else []
    return [r["summary"]["total_online_accuracy"], *windows, online[-1], mean("dead_fraction"), mean("srank"),
            r["probes"][-1]["weight_magnitude"] if r["probes"] else float("nan")]

roots = args
finished = lambda m: [r for r in roots if os.path.exists(os.path.join(r, m, "result.json"))]
candidates = sorted({m for r in roots if os.path.isdir(r) for m in os.listdir(r)})
methods = [m for m in candidates if finished(m) and (partial or len(finished(m)) == len(roots))]
seeds_column = (" seeds |", "---|") if partial else ("", "")   # header cell and rule of the --partial column
print(f"{len(roots)} seeds")
if trajectory:
    def blocks(root, m):
        online = json.load(open(os.path.join(root, m, "result.json")))["online_accuracy"]
        return [sum(online[i:i + trajectory]) / len(online[i:i + trajectory]) for i in range(0, len(online), trajectory)]
    per_method = {m: [sum(v) / len(v) for v in zip(*[blocks(r, m) for r in finished(m)])] for m in methods}
    starts = range(1, 1 + trajectory * len(next(iter(per_method.values()))), trajectory)
    print("| method |" + seeds_column[0] + " " + " | ".join(f"{a}–{a + trajectory - 1}" for a in starts) + " |")
    print("|---|" + seeds_column[1] + "---|" * len(starts))
    for m, values in per_method.items():
        seeds = f" {len(finished(m))} |" if partial else ""
        print(f"| `{m}` |{seeds} " + " | ".join(f"{v:.3f}" for v in values) + " |")
    sys.exit(0)
windows = f" first {window} tasks | last {window} tasks |" if window else ""
print(f"| method |{seeds_column[0]} total online acc |{windows} last task online | dead fraction | srank | mean abs(θ) |")
print("|---|" + seeds_column[1] + "---|---|---|---|---|" + ("---|---|" if window else ""))
for m in methods:
    columns = list(zip(*[load(r, m) for r in finished(m)]))
    cells = []
    for values in columns:
        mu = sum(values) / len(values)
        sd = math.sqrt(sum((v - mu) ** 2 for v in values) / (len(values) - 1)) if len(values) > 1 else 0.0
        cells.append(f"{mu:.3f} ± {sd:.3f}" if len(values) > 1 else f"{mu:.3f}")   # one seed has no spread to show
    seeds = f" {len(finished(m))} |" if partial else ""
    print(f"| `{m}` |{seeds} " + " | ".join(cells) + " |")
