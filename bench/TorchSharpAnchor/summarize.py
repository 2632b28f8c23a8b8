#!/usr/bin/env python3
"""Medians and spreads of interleave.sh's records: per workload, steps/s and steps per CPU second of each engine, and
the ratio ours/TorchSharp per round (wall and CPU), median with min–max. Reads the records from stdin or the files named."""
import fileinput, json, statistics
from collections import defaultdict

runs = defaultdict(lambda: defaultdict(dict))   # workload -> round -> engine -> record
order = []
for line in fileinput.input():
    line = line.strip()
    if not line.startswith("{"):
        continue
    r = json.loads(line)
    if r["engine"] == "lifelong":
        engine = "base" if r.get("build") == "baseline" else "ours"
    else:
        engine = "pytorch" if r["engine"].startswith("pytorch") else "torch"
    runs[r["workload"]][r["round"]][engine] = r
    if r["workload"] not in order:
        order.append(r["workload"])

def fmt(values):
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"

has_base = any("base" in e for w in runs.values() for e in w.values())
has_pytorch = any("pytorch" in e for w in runs.values() for e in w.values())
print("| workload | " + ("baseline steps/s | baseline steps/CPU s | " if has_base else "") + "ours steps/s | TorchSharp steps/s | ours/TorchSharp, wall | ours steps/CPU s | TorchSharp steps/CPU s | ours/TorchSharp, CPU time | "
      + ("PyTorch 1.13 steps/s | ours/PyTorch, wall | " if has_pytorch else "") + "rounds |")
print("|---|" + ("---|---|" if has_base else "") + "---|---|---|---|---|---|---|" + ("---|---|" if has_pytorch else ""))
for w in order:
    pairs = [e for e in runs[w].values() if "ours" in e and "torch" in e]
    if not pairs:
        continue
    cpu = lambda rec: rec["steps"] / rec["cpu_seconds"]
    wall_ratio = [p["ours"]["steps_per_s"] / p["torch"]["steps_per_s"] for p in pairs]
    cpu_ratio = [cpu(p["ours"]) / cpu(p["torch"]) for p in pairs]
    med = lambda xs: statistics.median(xs)
    based = [p["base"] for p in pairs if "base" in p]
    before = f"{med([b['steps_per_s'] for b in based]):.1f} | {med([cpu(b) for b in based]):.1f} | " if based else ("– | – | " if has_base else "")
    with_pytorch = [p for p in pairs if "pytorch" in p]
    versus_pytorch = (f"{med([p['pytorch']['steps_per_s'] for p in with_pytorch]):.1f} | "
                      f"{fmt([p['ours']['steps_per_s'] / p['pytorch']['steps_per_s'] for p in with_pytorch])} | ") if with_pytorch else ("– | – | " if has_pytorch else "")
    print(f"| `{w}` | {before}{med([p['ours']['steps_per_s'] for p in pairs]):.1f} | {med([p['torch']['steps_per_s'] for p in pairs]):.1f} | "
          f"{fmt(wall_ratio)} | {med([cpu(p['ours']) for p in pairs]):.1f} | {med([cpu(p['torch']) for p in pairs]):.1f} | {fmt(cpu_ratio)} | {versus_pytorch}{len(pairs)} |")
