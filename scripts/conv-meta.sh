#!/usr/bin/env bash
# MAML's conv-net few-shot benchmark at a reduced size (issue 9): 5-way 1- and 5-shot, every learner, one core.
# usage: scripts/conv-meta.sh CLI_DIR OUT_DIR [FILTERS] [ITERATIONS]
set -u
cli="$1/Lifelong.Cli"; out="$2"; filters="${3:-32}"; iterations="${4:-150}"
mkdir -p "$out"
export DOTNET_PROCESSOR_COUNT=1
for shots in 1 5; do
  for method in maml fomaml proto-net pretrain reptile; do
    extra=()
    case "$method" in
      reptile) extra=(--inner-steps 5 --inner-lr 0.1) ;;
      pretrain) extra=(--inner-lr 0.1 --test-inner-steps 10) ;;
    esac
    name="$method-${shots}shot"
    start=$(date +%s)
    nice -n 5 "$cli" meta few-shot --method "$method" --shots "$shots" --conv "$filters" --iterations "$iterations" \
      "${extra[@]}" --json > "$out/$name.json" 2> "$out/$name.log"
    echo "$name exit $? $(( $(date +%s) - start )) s" >> "$out/progress.txt"
  done
done
