#!/usr/bin/env bash
# Prints the tables of docs/reproductions/rl.md from the sweep directories of issue 22's runs, so the page can be
# regenerated from result.json files alone:
#   lifelong sweep configs/sweeps/rl-continual-cartpole-methods.yaml --out runs/rl-methods --parallel 2
#   lifelong sweep configs/sweeps/rl-continual-cartpole-short.yaml --out runs/rl-short --parallel 2
#   lifelong sweep configs/sweeps/rl-dqn-redo.yaml --out runs/rl-dqn --parallel 2
#   scripts/rl-reproduction-tables.sh runs/rl-methods runs/rl-short runs/rl-dqn [docs/reproductions/rl-torch]
# The optional fourth directory holds the PyTorch script's short-vanilla-seed*.json, for (e).
# (LIFELONG=path/to/Lifelong.Cli to use another build.)
set -euo pipefail
cd "$(dirname "$0")/.."
methods=${1:?usage: rl-reproduction-tables.sh METHODS_SWEEP SHORT_SWEEP DQN_SWEEP}
short=${2:?}
dqn=${3:?}
lifelong=${LIFELONG:-src/Lifelong.Cli/bin/Release/net10.0/Lifelong.Cli}
table() { "$lifelong" sweep table "$@" --format markdown; echo; }
levels() { local out="" i; for i in $(seq 0 $(($1 - 1))); do out+="levels[$i].$2,"; done; echo "${out%,}"; }

echo "### (a) Full protocol: mean return per level (mean ± std over seeds), average performance"
table "$methods" --digits 1 --cells mean-std --metrics "average_performance,$(levels 10 mean_return)"
echo "### (a) Full protocol: per seed (average performance, mean over levels 1-9, ‖θ − θ₀‖ at the end)"
for seed in 0 1 2 3 4; do
  echo "seed $seed"
  table "$methods" --digits 1 --cells mean --seeds "$seed" --metrics "average_performance,levels[1:].mean_return,levels[-1].probe.distance_from_init"
done
echo "### (a, short) and (c): the 10 levels' mean (200 iterations), level 0, levels 1-9 (mean ± std over seeds)"
table "$short" --digits 1 --cells mean-std --metrics "levels[0:10].mean_return,levels[0].mean_return,levels[1:10].mean_return"
echo "### (a, short): probes at the end of level 9 (mean over hidden layers)"
table "$short" --digits 3 --cells mean-std --metrics "levels[9].probe.layers[*].dormant_fraction,levels[9].probe.layers[*].srank,levels[9].probe.weight_magnitude,levels[9].probe.distance_from_init"
echo "### (d) Forgetting: level 0's final return, its first 5 iterations when it comes back after level 9, the difference"
table "$short" --digits 1 --cells mean-std --metrics "levels[0].final_return,levels[10].return_on_revisit,levels[10].forgetting,levels[10].mean_return"
echo "### (b) DQN: dormant fraction at the end of each level (mean over hidden layers; mean ± std over seeds)"
table "$dqn" --digits 3 --cells mean-std --metrics "$(levels 10 probe.layers[*].dormant_fraction)"
table "$dqn" --digits 1 --cells mean-std --metrics "average_performance,levels[0].mean_return,levels[1:].mean_return"
table "$dqn" --digits 3 --cells mean-std --metrics "levels[-1].probe.layers[*].dead_fraction,levels[-1].probe.layers[*].srank,levels[-1].probe.layers[*].effective_rank"
torch=${4:-}
if [ -n "$torch" ]; then
  echo
  echo "### (e) Vanilla PPO on the shortened protocol: the PyTorch script against ours, level means (mean ± s.e. over seeds)"
  /usr/bin/python3 - "$short" "$torch" <<'PY'
import glob, json, re, statistics as st, sys
short, torch = sys.argv[1], sys.argv[2]
ours = []
for run in sorted(glob.glob(f"{short}/runs/*/")):
    config = json.load(open(run + "config.json"))
    if config["methods"] == [] and re.search(r"activation=leaky-relu", config["agent"]):
        result = json.load(open(run + "result.json"))
        ours.append((config["seed"], [level["mean_return"] for level in result["levels"]][:10]))
ours = [levels for _, levels in sorted(ours)]
theirs = [json.load(open(f))["level_means"] for f in sorted(glob.glob(f"{torch}/short-vanilla-seed*.json"))]
def cell(values): return f"{st.mean(values):.1f} ± {st.stdev(values) / len(values) ** 0.5:.1f}"
print(f"| level | PyTorch ({len(theirs)} seeds) | ours ({len(ours)} seeds) |")
print("|---|---|---|")
for level in range(10):
    print(f"| {level} | {cell([t[level] for t in theirs])} | {cell([o[level] for o in ours])} |")
t, o = [st.mean(x) for x in theirs], [st.mean(x) for x in ours]
print(f"| **all 10 levels** | **{cell(t)}** (std {st.stdev(t):.1f}) | **{cell(o)}** (std {st.stdev(o):.1f}) |")
PY
fi
