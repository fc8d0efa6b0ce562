#!/usr/bin/env bash
# The runs behind the README's training-speed table, a part at a time (each fits one 10-minute call on a
# GPU machine): bash python/bench/kto_throughput_table.sh PART OUT_DIR
#   sizes     0.5B, 1.5B and 3B: tuned TRL against ours on one GPU
#   defaults  TRL's defaults at 0.5B and 1.5B
#   prefix    0.5B rows that share a 16,000-token prefix (the tool schemas), against the same rows without it
#   capped    3B in bf16 and 7B in 4 bits, every run held to 24 GiB as on a 24 GB card, at micro-batches that fit it
#   gpus      ours on two GPUs at 1.5B and 3B (the one-GPU figures come from "sizes")
#   host      where the training loop waits for the host: ours at 0.5B and 3B with the GPU's busy share, eager
#             and with compiled decoder layers, alternating
# Each run writes OUT_DIR/<part>-<what>.json; the tables print on stdout.
set -euo pipefail
part=${1:?which part: sizes, defaults, prefix, capped, gpus or host}
out=${2:?where the JSON goes}
mkdir -p "$out"
bench() { python "$(dirname "$0")/kto_throughput.py" "$@"; }
case "$part" in
  sizes) bench --sizes 0.5b,1.5b,3b --variants trl-tuned,ours --json "$out/sizes.json" ;;
  defaults) bench --sizes 0.5b,1.5b --variants trl-defaults --json "$out/defaults.json" ;;
  prefix)
    # Against ours on the same rows without the prefix, in the same call. TRL pads every row to its full
    # 16k tokens: 4 steps of it already take minutes.
    bench --sizes 0.5b --variants ours --json "$out/prefix-none.json"
    bench --sizes 0.5b --variants ours --prefix-tokens 16000 --json "$out/prefix-16k.json"
    bench --sizes 0.5b --variants trl-tuned --micro 2 --steps 4 --prefix-tokens 16000 --json "$out/prefix-16k-trl.json"
    ;;
  capped)
    # Micro-batches a 24 GB card takes (at 3B, 8 rows ran out of memory): 4 rows x 8 at 3B, 2 x 16 at 7B.
    bench --sizes 3b --variants trl-tuned,ours --micro 4 --memory-gib 24 --json "$out/capped-3b.json"
    bench --sizes 7b --variants trl-tuned,ours --micro 2 --memory-gib 24 --load-in-4bit --json "$out/capped-7b-4bit.json"
    ;;
  gpus) bench --sizes 1.5b,3b --variants ours --gpus 2 --json "$out/gpus-2.json" ;;
  host)
    for size in 0.5b 3b; do
      bench --sizes "$size" --variants ours --gpu-busy --json "$out/host-$size-eager.json"
      bench --sizes "$size" --variants ours --gpu-busy --compile --json "$out/host-$size-compiled.json"
    done
    ;;
  *)
    echo "unknown part $part" >&2
    exit 2
    ;;
esac
