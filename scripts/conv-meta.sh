#!/usr/bin/env bash
# MAML's conv-net few-shot benchmark (issue 9): 5-way 1- and 5-shot, every learner, one core, one run at a time.
# usage: scripts/conv-meta.sh CLI_DIR OUT_DIR [FILTERS] [ITERATIONS] [SEED]
# A run whose JSON result already exists is skipped, so rerunning the script continues an interrupted sweep; a run
# another copy of the script has claimed (OUT/NAME.lock) is skipped too, so two copies can share the sweep, one per core.
set -u
cli="$1/Lifelong.Cli"; out="$2"; filters="${3:-32}"; iterations="${4:-150}"; seed="${5:-0}"
mkdir -p "$out"
export DOTNET_PROCESSOR_COUNT=1
for method in maml fomaml proto-net pretrain reptile; do
  for shots in 1 5; do
    extra=()
    case "$method" in
      reptile) extra=(--inner-steps 5 --inner-lr 0.1) ;;
      pretrain) extra=(--inner-lr 0.1 --test-inner-steps 10) ;;
    esac
    name="$method-${shots}shot"
    [ -s "$out/$name.json" ] && continue
    mkdir "$out/$name.lock" 2> /dev/null || continue
    start=$(date +%s)
    nice -n 5 "$cli" meta few-shot --method "$method" --shots "$shots" --conv "$filters" --iterations "$iterations" \
      --seed "$seed" "${extra[@]}" --json > "$out/$name.json.part" 2> "$out/$name.log"
    status=$?
    [ $status -eq 0 ] && mv "$out/$name.json.part" "$out/$name.json"
    rmdir "$out/$name.lock"
    echo "$name exit $status $(( $(date +%s) - start )) s" >> "$out/progress.txt"
  done
done
