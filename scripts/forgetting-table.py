#!/usr/bin/env python3
"""Markdown table of ACC and BWT (mean ± std over seeds) from the runs of scripts/forgetting-reproduce.sh.

usage: scripts/forgetting-table.py [RUNS_ROOT]                 every protocol × method, one row each
       scripts/forgetting-table.py RUNS_ROOT --scenarios SUFFIX  split MNIST as van de Ven et al. tabulate it: one row
                                                               per method, ACC in the task-, domain- and class-incremental
                                                               scenarios side by side (protocols split-*SUFFIX, e.g. -2000)
"""
import json, statistics, sys
from pathlib import Path

args = sys.argv[1:]
suffix = None
if "--scenarios" in args:
    at = args.index("--scenarios")
    suffix, args = args[at + 1], args[:at] + args[at + 2:]
root = Path(args[0] if args else "runs/forgetting")


def results(method_dir):
    return [json.loads(f.read_text()) for f in sorted(method_dir.glob("s*/result.json"))]


def stat(runs, key):
    values = [r["summary"][key] for r in runs]
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{100 * statistics.mean(values):.1f} ± {100 * sd:.1f}"


if suffix is not None:
    scenarios = ["task", "domain", "class"]
    protocols = [root / f"split-{s}{suffix}" for s in scenarios]
    methods = sorted({m.name for p in protocols if p.is_dir() for m in p.iterdir() if m.is_dir()})
    print("| method | " + " | ".join(f"{s}-incremental ACC" for s in scenarios) + " |")
    print("|---|" + "---|" * len(scenarios))
    for method in methods:
        cells = []
        for p in protocols:
            runs = results(p / method)
            cells.append(f"{stat(runs, 'acc')} ({len(runs)})" if runs else "not run")
        print(f"| {method} | " + " | ".join(cells) + " |")
    sys.exit(0)

print("| protocol | method | seeds | ACC | BWT |\n|---|---|---|---|---|")
for protocol in sorted(p for p in root.iterdir() if p.is_dir()):
    for method in sorted(m for m in protocol.iterdir() if m.is_dir()):
        runs = results(method)
        if runs:
            print(f"| {protocol.name} | {method.name} | {len(runs)} | {stat(runs, 'acc')} | {stat(runs, 'bwt')} |")
