#!/usr/bin/env bash
# Run grace on the scaling families (and SPIN on ../shared/bench's Promela
# models when `spin` is installed) and print a table:
#   bench/run.sh [MODEL...]        (default: every bench/*.gr)
# States, transitions, seconds (grace's own search time), states/s, peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
GRACE=./target/release/grace
models=("$@")
[ ${#models[@]} -eq 0 ] && models=($(ls bench/*.gr | xargs -n1 basename | sed 's/\.gr$//'))
printf '| model | memory | states | transitions | seconds | states/s | peak MB |\n|---|---|---|---|---|---|---|\n'
for m in "${models[@]}"; do
  for mem in sc go; do
    out=$( { /usr/bin/time -f '%M' "$GRACE" check --memory "$mem" --format json --max-memory 16000 "bench/$m.gr" >/tmp/grace-bench.json; } 2>&1 || true)
    python3 - "$m" "$mem" "$out" <<'PY'
import json, sys
m, mem, rss = sys.argv[1], sys.argv[2], sys.argv[3].strip().splitlines()[-1]
v = json.load(open("/tmp/grace-bench.json"))
s = v["stats"]
sps = s["states"] / max(s["seconds"], 1e-9)
done = "" if v["complete"] else " (incomplete)"
print(f"| {m} | {mem} | {s['states']:,}{done} | {s['transitions']:,} | {s['seconds']:.2f} | {sps:,.0f} | {int(rss)//1024} |")
PY
  done
  if command -v spin >/dev/null && [ -f "../shared/bench/$m.pml" ]; then
    d=$(mktemp -d); cp "../shared/bench/$m.pml" "$d/"; (cd "$d" && spin -a "$m.pml" >/dev/null && gcc -O2 -DSAFETY -o pan pan.c && ./pan -m10000000 -c0 | grep -E "states, stored|elapsed time") || true
  fi
done
