#!/usr/bin/env python3
"""Mean ± std over seeds of final ACC, average incremental ACC, BWT, and SoTU's collision rate (measured / random-mask
closed form) and mean pairwise cosine after the last task, from a scripts/sotu-sweep.sh output folder.

usage: scripts/sotu-table.py OUT
"""
import json, math, os, re, sys

root = sys.argv[1]
seeds = sorted(d for d in os.listdir(root) if re.fullmatch(r"s\d+", d) and os.path.isdir(os.path.join(root, d)))
runs = sorted({m for s in seeds for m in os.listdir(os.path.join(root, s))})

def stat(values):
    values = [v for v in values if v is not None]
    if not values: return "—"
    mu = sum(values) / len(values)
    sd = math.sqrt(sum((v - mu) ** 2 for v in values) / (len(values) - 1)) if len(values) > 1 else 0.0
    return f"{mu:.3f} ± {sd:.3f}"

print(f"{len(seeds)} seeds ({', '.join(seeds)})")
print("| run | ACC | avg inc. ACC | BWT | collision (measured) | collision (random masks) | mean pairwise cosine |")
print("|---|---|---|---|---|---|---|")
for run in runs:
    results = [json.load(open(p)) for s in seeds if os.path.exists(p := os.path.join(root, s, run, "result.json"))]
    method = [r["probes"][-1].get("method", {}) if r["probes"] else {} for r in results]
    cells = [stat([r["summary"][k] for r in results]) for k in ("acc", "avg_incremental_acc", "bwt")]
    cells += [stat([m.get(k) for m in method]) for k in ("collision_rate", "collision_rate_random", "mean_pairwise_cosine")]
    print(f"| `{run}` | " + " | ".join(cells) + " |")
