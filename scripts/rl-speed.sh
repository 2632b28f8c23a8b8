#!/usr/bin/env bash
# Issue 22's speed comparison (docs/performance.md): Lifelong's PPO against the PyTorch script
# (scripts/torch-ppo-continual-cartpole.py) on C-CHAIN's continual-CartPole protocol, one thread each, interleaved in one
# sitting. Each round runs both at 5 and at 10 epochs: the difference is 125 more Adam steps per iteration, which gives
# the update throughput apart from the rollout. Then environment steps per second: our CartPole (bench/Lifelong.Rl.Bench)
# against the script's numpy CartPole (3 s a workload: on one core, tiered compilation needs more than a second to reach
# its optimised code). Run it on an otherwise idle machine.
# usage: scripts/rl-speed.sh [ROUNDS] [ITERATIONS]      (LIFELONG=path/to/Lifelong.Cli to use another build)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-2}
iterations=${2:-20}
lifelong=${LIFELONG:-src/Lifelong.Cli/bin/Release/net10.0/Lifelong.Cli}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
json() { /usr/bin/python3 -c "import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$1" "$2"; }
printf 'round\timplementation\tepochs\tseconds_per_iteration\n'
for round in $(seq 1 "$rounds"); do
  for epochs in 5 10; do
    DOTNET_PROCESSOR_COUNT=1 "$lifelong" rl configs/rl-continual-cartpole.yaml --agent "ppo:preset=cchain,epochs=$epochs" \
      --levels 1 --iterations-per-level "$iterations" --seed "$round" --out "$out/lifelong-$round-$epochs" > /dev/null 2>&1
    printf '%s\tlifelong\t%s\t%s\n' "$round" "$epochs" "$(json "$out/lifelong-$round-$epochs/result.json" seconds_per_iteration)"
    OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 /usr/bin/python3 scripts/torch-ppo-continual-cartpole.py \
      --seed "$round" --levels 1 --iterations-per-level "$iterations" --epochs "$epochs" --json "$out/torch-$round-$epochs.json" > /dev/null 2>&1
    printf '%s\tpytorch\t%s\t%s\n' "$round" "$epochs" \
      "$(/usr/bin/python3 -c "import json, sys; print(1 / json.load(open(sys.argv[1]))['iterations_per_second'])" "$out/torch-$round-$epochs.json")"
  done
done
echo "# environment steps per second, one thread"
DOTNET_PROCESSOR_COUNT=1 dotnet run -c Release --project bench/Lifelong.Rl.Bench -- 3.0 2>/dev/null | grep -E "^(workload|cartpole \(single\)|cartpole \+ 10|cartpole vector x(1|8) )" || true
/usr/bin/python3 - <<'PY'
import importlib.util, time, numpy as np
spec = importlib.util.spec_from_file_location("torch_ppo", "scripts/torch-ppo-continual-cartpole.py")
module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module)
env = module.CartPole(np.random.default_rng(0)); env.reset()
actions = np.random.default_rng(1).integers(0, 2, size=200_000).tolist()
best = 0.0
for _ in range(3):
    start = time.perf_counter()
    for a in actions:
        _, _, done = env.step(a)
        if done: env.reset()
    best = max(best, len(actions) / (time.perf_counter() - start))
print(f"numpy CartPole (the PyTorch script's): {best / 1e6:.3f} M steps/s")
PY
