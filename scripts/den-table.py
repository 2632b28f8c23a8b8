#!/usr/bin/env python3
"""Tables for the DEN reproduction (docs/reproductions/forgetting.md) from `lifelong run configs/den-permuted-mnist.yaml`
directories, one per seed: ACC, BWT, forgetting and final mean AUROC per method (mean ± std over seeds), and DEN's
network size after each task (mean over seeds).

usage: scripts/den-table.py RUN_DIR_SEED0 RUN_DIR_SEED1 [...]
"""
import json, math, os, sys

def mean_std(values):
    mu = sum(values) / len(values)
    sd = math.sqrt(sum((v - mu) ** 2 for v in values) / (len(values) - 1)) if len(values) > 1 else 0.0
    return mu, sd

def cell(values, scale=100.0, digits=1):
    mu, sd = mean_std([v * scale for v in values])
    return f"{mu:.{digits}f} ± {sd:.{digits}f}"

roots = sys.argv[1:]
methods = sorted(m for m in os.listdir(roots[0]) if all(os.path.exists(os.path.join(r, m, "result.json")) for r in roots))
results = {m: [json.load(open(os.path.join(r, m, "result.json"))) for r in roots] for m in methods}
print(f"{len(roots)} seeds")
print("| method | ACC (%) | BWT (%) | forgetting (%) | final mean AUROC (%) | parameters after the last task |")
print("|---|---|---|---|---|---|")
for m, runs in results.items():
    aurocs = [sum(r["auroc_matrix"][-1]) / len(r["auroc_matrix"][-1]) for r in runs] if "auroc_matrix" in runs[0] else None
    params = [r["probes"][-1].get("method", {}).get("parameters") for r in runs]
    size = f"{mean_std(params)[0]:,.0f}" if all(p is not None for p in params) else "fixed"
    print(f"| `{m}` | {cell([r['summary']['acc'] for r in runs])} | {cell([r['summary']['bwt'] for r in runs])} | "
          f"{cell([r['summary']['forgetting'] for r in runs])} | {cell(aurocs) if aurocs else '—'} | {size} |")

if "den" in results:
    runs = results["den"]
    layers = sorted({k.split(".", 1)[1] for p in runs[0]["probes"] for k in p.get("method", {}) if k.startswith("units.")})
    print()
    print("| after task | " + " | ".join(f"units {l}" for l in layers) + " | " + " | ".join(f"split {l}" for l in layers) + " | expanded (seeds) | ACC so far (%) |")
    print("|---" * (2 + 2 * len(layers) + 1) + "|")
    for t in range(len(runs[0]["probes"])):
        probes = [r["probes"][t]["method"] for r in runs]
        units = [f"{mean_std([p[f'units.{l}'] for p in probes])[0]:.1f}" for l in layers]
        split = [f"{mean_std([p[f'split.{l}'] for p in probes])[0]:.1f}" for l in layers]
        expanded = sum(int(p["expanded"]) for p in probes)
        acc = [sum(v for v in r["accuracy_matrix"][t][: t + 1]) / (t + 1) for r in runs]
        print(f"| {t + 1} | " + " | ".join(units) + " | " + " | ".join(split) + f" | {expanded}/{len(runs)} | {cell(acc)} |")
