#!/usr/bin/env python3
"""The seed table of scripts/torch-ppo-continual-cartpole.py runs, as Markdown: per level and over the whole run, the
mean over seeds of each seed's mean iteration return, with the standard error (sample std / sqrt(seeds), C-CHAIN's
Table 1 statistic) and the sample standard deviation.

Each argument is a run's --json summary or its stdout (the per-iteration TSV). A TSV of a run that has not finished
contributes only its complete levels, and a seed counts in the "average" column only when all its levels are there,
so a table from unfinished runs says how many seeds each cell has.

  /usr/bin/python3 scripts/torch-ppo-table.py docs/reproductions/rl-torch/vanilla-seed*.json
"""
import json
import math
import sys


def load(path, iterations_per_level, levels):
    """(label, per-level means of the complete levels, whole-run average or None)."""
    if path.endswith(".json"):
        with open(path) as f:
            run = json.load(f)
        config = run["config"]
        return f"seed {config['seed']}", run["level_means"], run["average"], config
    by_level = {}
    with open(path) as f:
        next(f)
        for line in f:
            fields = line.split("\t")
            if len(fields) == 5:
                by_level.setdefault(int(fields[1]), []).append(float(fields[2]))
    complete = [by_level[l] for l in range(levels) if len(by_level.get(l, [])) == iterations_per_level]
    means = [sum(r) / len(r) for r in complete]
    average = sum(sum(r) for r in complete) / (levels * iterations_per_level) if len(complete) == levels else None
    return path, means, average, None


def cell(values):
    n = len(values)
    if n == 0:
        return "–"
    mean = sum(values) / n
    if n == 1:
        return f"{mean:.1f} (1 seed)"
    std = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    return f"{mean:.1f} ± {std / math.sqrt(n):.1f} (std {std:.1f}, n {n})"


def main():
    if len(sys.argv) < 2:
        print("usage: torch-ppo-table.py RUN.json|RUN.tsv ... (see the docstring)", file=sys.stderr)
        sys.exit(2)
    levels, per_level = 10, 200
    try:
        for path in sys.argv[1:]:
            if path.endswith(".json"):
                with open(path) as f:
                    config = json.load(f)["config"]
                levels, per_level = config["levels"], config["iterations_per_level"]
        runs = [load(path, per_level, levels) for path in sys.argv[1:]]
    except (OSError, ValueError, KeyError, StopIteration) as e:
        print(f"cannot read a run: {e}", file=sys.stderr)
        sys.exit(1)
    if any(r[3] is not None and (r[3]["levels"], r[3]["iterations_per_level"]) != (levels, per_level) for r in runs):
        print("the runs have different --levels or --iterations-per-level; tabulate them separately", file=sys.stderr)
        sys.exit(1)
    print("| level | " + " | ".join(r[0] for r in runs) + " | mean ± s.e. over seeds |")
    print("|---|" + "---|" * (len(runs) + 1))
    for level in range(levels):
        values = [r[1][level] for r in runs if len(r[1]) > level]
        row = [f"{r[1][level]:.1f}" if len(r[1]) > level else "–" for r in runs]
        print(f"| {level} | " + " | ".join(row) + f" | {cell(values)} |")
    averages = [r[2] for r in runs if r[2] is not None]
    row = [f"{r[2]:.1f}" if r[2] is not None else "–" for r in runs]
    print("| **all (average performance)** | " + " | ".join(row) + f" | **{cell(averages)}** |")


if __name__ == "__main__":
    main()
