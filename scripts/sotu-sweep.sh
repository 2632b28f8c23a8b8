#!/usr/bin/env bash
# SoTU against the keep ratio q, with SimpleCIL, RanPAC, sequential and joint fine-tuning from the same pretrained backbone.
# usage: scripts/sotu-sweep.sh [MODEL] [SOURCE] [OUT]     e.g. scripts/sotu-sweep.sh mlp:100 fashion-mnist runs/sotu-mlp
# Then: scripts/sotu-table.py OUT
# SOTU_EXTRA appends options to every SoTU run (",oracle=every" or ",oracle=last" adds the oracle and frozen-θ₀ heads, see docs/reproductions/sotu.md);
# BASELINES lists the other methods to run.
set -euo pipefail
MODEL=${1:-mlp:100}
SOURCE=${2:-fashion-mnist}
OUT=${3:-runs/sotu-sweep}
LIFELONG=${LIFELONG:-src/Lifelong.Cli/bin/Release/net10.0/lifelong}
SEEDS=${SEEDS:-"0 1 2"}
KEEPS=${KEEPS-"0.05 0.1 0.2 0.5 1.0"}
RANPAC_KEEPS=${RANPAC_KEEPS-"0.05 0.2"}   # SoTU with the ran-pac head
TARGET=${TARGET:-split-mnist}
SOTU_EXTRA=${SOTU_EXTRA:-}
BASELINES=${BASELINES-"simplecil ranpac finetune joint"}

mkdir -p "$OUT"
CHECKPOINT="$OUT/backbone.safetensors"
[ -f "$CHECKPOINT" ] || "$LIFELONG" pretrain --dataset "$SOURCE" --model "$MODEL" --steps "${PRETRAIN_STEPS:-2000}" --out "$CHECKPOINT"
SEP=$([[ "$MODEL" == *:* ]] && echo "," || echo ":")
COMMON=(--scenario "$TARGET:flavour=class-incremental,train-per-class=1000" --steps 200 --batch-size 64
        --model "$MODEL${SEP}checkpoint=$CHECKPOINT" --optimizer adam:lr=1e-4 --eval-subset 1000 --probe none --log-every 0)
for seed in $SEEDS; do
  for q in $KEEPS; do
    [ -f "$OUT/s$seed/sotu-q$q/result.json" ] || "$LIFELONG" run "${COMMON[@]}" --seed "$seed" --method "sotu:keep=$q$SOTU_EXTRA" --out "$OUT/s$seed/sotu-q$q" > /dev/null
  done
  for q in $RANPAC_KEEPS; do
    [ -f "$OUT/s$seed/sotu-ranpac-q$q/result.json" ] || "$LIFELONG" run "${COMMON[@]}" --seed "$seed" --method "sotu:keep=$q,head=ran-pac$SOTU_EXTRA" --out "$OUT/s$seed/sotu-ranpac-q$q" > /dev/null
  done
  for m in $BASELINES; do
    [ -f "$OUT/s$seed/$m/result.json" ] || "$LIFELONG" run "${COMMON[@]}" --seed "$seed" --method "$m" --out "$OUT/s$seed/$m" > /dev/null
  done
done
