#!/usr/bin/env bash
# Interleaved per-core comparison: ROUNDS rounds; in each, every workload runs on ours and on TorchSharp back to back
# (the order alternating between rounds), so both see the same load. Prints every record (one JSON object a line, with
# "round" added) to stdout; summarize.py turns them into medians and spreads.
#   interleave.sh [--rounds R] [--seconds S] [--threads N] [--lifelong PATH] [--baseline PATH] [--pytorch] [--only NAME]...
# --lifelong is the lifelong executable to time (default: this checkout's Release build of src/Lifelong.Cli); --baseline
# another build (a copy of an earlier commit's) timed in the same rounds, its records marked "build": "baseline".
# --pytorch also times ../shared/bench/torch_reference.py (Debian's PyTorch 1.13; TORCH_REFERENCE overrides the path) in
# the same rounds, with OMP_NUM_THREADS=N, so that one sitting gives both anchors.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
rounds=3 seconds=2 threads=1 workloads=() baseline="" with_pytorch=""
torch_reference="${TORCH_REFERENCE:-$here/../../../shared/bench/torch_reference.py}"
lifelong="$here/../../src/Lifelong.Cli/bin/Release/net10.0/Lifelong.Cli"
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --lifelong) lifelong="$2"; shift 2 ;;
    --baseline) baseline="$2"; shift 2 ;;
    --pytorch) with_pytorch=1; shift ;;
    --only) workloads+=("$2"); shift 2 ;;
    *) echo "interleave.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[ ${#workloads[@]} -gt 0 ] || workloads=(mlp-100x2-b16 mlp-256x2-b128 mlp-1000x2-b256 mlp-256x2-ln-b128 cnn-b64 vit-d64-b64 maml2-mlp-40x2 gemm-128x784x256 gemm-1024)
"$here/run.sh" --help >/dev/null   # build once, fetch the C runtime if needed
export TORCHSHARP_ANCHOR_NO_BUILD=1
ours() { DOTNET_PROCESSOR_COUNT="$threads" "$lifelong" bench --json --seconds "$seconds" --only "$1"; }
base() { DOTNET_PROCESSOR_COUNT="$threads" "$baseline" bench --json --seconds "$seconds" --only "$1" | sed 's/^{/{"build":"baseline",/'; }
pytorch() { OMP_NUM_THREADS="$threads" /usr/bin/python3 "$torch_reference" --seconds "$seconds" --only "$1"; }
theirs() { DOTNET_PROCESSOR_COUNT="$threads" "$here/run.sh" --json --seconds "$seconds" --threads "$threads" --only "$1" 2>/dev/null; }
for ((r = 1; r <= rounds; r++)); do
  for w in "${workloads[@]}"; do
    if ((r % 2)); then pair=(ours theirs); else pair=(theirs ours); fi
    [ -z "$baseline" ] || pair=(base "${pair[@]}")
    [ -z "$with_pytorch" ] || pair=("${pair[@]}" pytorch)
    for side in "${pair[@]}"; do "$side" "$w" | sed "s/^{/{\"round\":$r,/"; done
  done
done
