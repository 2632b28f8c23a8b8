#!/usr/bin/env python3
"""Markdown table of ACC and BWT (mean ± std over seeds) from the runs of scripts/forgetting-reproduce.sh."""
import json, statistics, sys
from pathlib import Path

root = Path(sys.argv[1] if len(sys.argv) > 1 else "runs/forgetting")
print("| protocol | method | seeds | ACC | BWT |\n|---|---|---|---|---|")
for protocol in sorted(p for p in root.iterdir() if p.is_dir()):
    for method in sorted(m for m in protocol.iterdir() if m.is_dir()):
        results = [json.loads(f.read_text()) for f in sorted(method.glob("s*/result.json"))]
        if not results:
            continue
        def stat(key):
            values = [r["summary"][key] for r in results]
            sd = statistics.stdev(values) if len(values) > 1 else 0.0
            return f"{100 * statistics.mean(values):.1f} ± {100 * sd:.1f}"
        print(f"| {protocol.name} | {method.name} | {len(results)} | {stat('acc')} | {stat('bwt')} |")
