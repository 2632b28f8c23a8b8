#!/usr/bin/env python3
"""The oracle-head analysis of SoTU runs made with oracle=last or oracle=every (scripts/sotu-sweep.sh with
SOTU_EXTRA=",oracle=every"): final ACC of the method's own head, of the oracle head (refitted on every task's training
data with the final merged features) and of the frozen-θ₀ head, mean ± std over seeds; then, for every run scored after
each task (oracle=every), its accuracy matrices side by side.

usage: scripts/sotu-oracle-table.py OUT [BASELINES]     BASELINES: another sweep folder to take simplecil / ranpac runs
                                                        from where OUT has none
"""
import json, math, os, re, sys

root = sys.argv[1]
baselines = sys.argv[2] if len(sys.argv) > 2 else root

def seeds_of(folder):
    return sorted(d for d in os.listdir(folder) if re.fullmatch(r"s\d+", d) and os.path.isdir(os.path.join(folder, d)))

def load(folder, seed, run):
    path = os.path.join(folder, seed, run, "result.json")
    return json.load(open(path)) if os.path.exists(path) else None

def stat(values):
    values = [v for v in values if v is not None]
    if not values: return "—"
    mu = sum(values) / len(values)
    sd = math.sqrt(sum((v - mu) ** 2 for v in values) / (len(values) - 1)) if len(values) > 1 else 0.0
    return f"{mu:.3f} ± {sd:.3f} ({len(values)})"

seeds = seeds_of(root)
runs = sorted({m for s in seeds for m in os.listdir(os.path.join(root, s)) if m.startswith("sotu")})
print(f"seeds: {', '.join(seeds)}; (n) = seeds finished")
print("| run | own head (ACC) | oracle head | frozen-θ₀ head | oracle − own | oracle − frozen | baseline on θ₀ (separate run) |")
print("|---|---|---|---|---|---|---|")
for run in runs:
    own, oracle, frozen, base = [], [], [], []
    baseline = "ranpac" if "ranpac" in run else "simplecil"
    for s in seeds:
        r = load(root, s, run)
        if r is None or "oracle_acc" not in r["probes"][-1].get("method", {}): continue
        m = r["probes"][-1]["method"]
        own.append(r["summary"]["acc"]); oracle.append(m["oracle_acc"]); frozen.append(m["frozen_acc"])
        b = load(root, s, baseline) or load(baselines, s, baseline)
        base.append(b["summary"]["acc"] if b else None)
    gaps = lambda a, b: [x - y for x, y in zip(a, b)]
    print(f"| `{run}` | {stat(own)} | {stat(oracle)} | {stat(frozen)} | {stat(gaps(oracle, own))} | {stat(gaps(oracle, frozen))} | {baseline} {stat(base)} |")

for s in seeds:
    for run in runs:
        r = load(root, s, run)
        if r is None or any("oracle_acc" not in p.get("method", {}) for p in r["probes"]): continue
        print(f"\n{s}/{run}: accuracy on task j after task t — own head | oracle head | frozen-θ₀ head")
        for t, (row, probe) in enumerate(zip(r["accuracy_matrix"], r["probes"])):
            m = probe["method"]
            cells = lambda f: " ".join(f"{f(j):.2f}" for j in range(t + 1))
            print(f"  t={t}: {cells(lambda j: row[j])} | {cells(lambda j: m[f'oracle_acc.{j}'])} | {cells(lambda j: m[f'frozen_acc.{j}'])}")
