#!/usr/bin/env python3
"""Per workload and thread count, the runs of `run.sh --paired --json` (one object a line, from stdin or the files
named): the median over runs of each run's median pair ratio ours/TorchSharp, with every run's ratio, and the median
block rates. Prints a markdown table per thread count."""
import fileinput, json, statistics
from collections import defaultdict

runs = defaultdict(list)   # (threads, workload) -> records
order = []
for line in fileinput.input():
    line = line.strip()
    if not line.startswith("{"):
        continue
    r = json.loads(line)
    key = (r["threads"], r["workload"])
    runs[key].append(r)
    if r["workload"] not in order:
        order.append(r["workload"])

for threads in sorted({t for t, _ in runs}):
    print(f"\n{threads} thread{'s' if threads > 1 else ''}:\n")
    print("| workload | ours steps/s | TorchSharp steps/s | ours/TorchSharp, median of runs | each run's median (quartiles) | pairs per run |")
    print("|---|---|---|---|---|---|")
    for w in order:
        rs = runs.get((threads, w))
        if not rs:
            continue
        med = statistics.median
        each = ", ".join(f"{r['ratio']:.3f} ({r['ratio_p25']:.2f}–{r['ratio_p75']:.2f})" for r in rs)
        print(f"| `{w}` | {med(r['ours_steps_per_s'] for r in rs):.1f} | {med(r['torchsharp_steps_per_s'] for r in rs):.1f} | "
              f"**{med(r['ratio'] for r in rs):.3f}** | {each} | {min(r['pairs'] for r in rs)}–{max(r['pairs'] for r in rs)} |")
