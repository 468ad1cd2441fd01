#!/usr/bin/env bash
# Run grace and, where `spin` is installed, SPIN on the same models, side by
# side (alternately, REPS times each, medians), and print a Markdown table:
#   bench/run.sh [MODEL...]          (default: every bench/*.gr)
#   REPS=3 TIMEOUT=120 bench/run.sh incr_n5_k2
#   MEMORIES="sc sc-plain" bench/run.sh   (sc-plain: --no-reduction)
# grace: `grace check --memory M --stats` on bench/MODEL.gr (our own .gr);
# seconds are the whole check (search, witnesses, analyses); bytes/state are
# the stored states and transitions. SPIN: bench/MODEL.pml (the same steps in Promela), built
# as docs/PERFORMANCE.md says; seconds are `./pan` alone (its "elapsed time").
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
GRACE=$PWD/target/release/grace
REPS=${REPS:-3}
TIMEOUT=${TIMEOUT:-120}
MEMORIES=${MEMORIES:-sc tso go}
models=("$@")
[ ${#models[@]} -eq 0 ] && models=($(ls bench/*.gr | xargs -n1 basename | sed 's/\.gr$//'))
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

grace_once() { # model memory -> "states transitions seconds bytes/state peakMiB complete"
  # MEMORY-plain: the reference search, without reductions
  local mem=$2 plain=()
  if [[ $mem == *-plain ]]; then mem=${mem%-plain}; plain=(--no-reduction); fi
  "$GRACE" check --memory "$mem" "${plain[@]}" --stats --format json --timeout "$TIMEOUT" "bench/$1.gr" >"$work/g.json" 2>/dev/null || true
  python3 - "$work/g.json" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))["files"][0]  # the one file checked
s = v["stats"]
print(s["states"], s["transitions"], s["seconds"], s.get("bytes_per_state", 0), s.get("peak_mib", 0),
      "yes" if v["complete"] else "no", v.get("explored_under", "-"))
PY
}

spin_once() { # model -> "states seconds MB"
  (cd "$work/spin-$1" && ./pan -m10000000 -c0 2>&1) | python3 -c '
import re, sys
t = sys.stdin.read()
st = re.search(r"([0-9.e+]+) states, stored", t)
el = re.search(r"pan: elapsed time ([0-9.e+]+) seconds", t)
mem = re.search(r"([0-9.]+)\s+actual memory usage for states", t)
print(int(float(st.group(1))) if st else 0, el.group(1) if el else 0, mem.group(1) if mem else 0)'
}

printf '| model | memory | states | transitions | seconds | states/s | bytes/state | peak MiB | SPIN states | SPIN s | SPIN MB (states) | SPIN bytes/state | time vs SPIN | states vs SPIN |\n'
printf '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n'
for m in "${models[@]}"; do
  have_spin=""
  if command -v spin >/dev/null && [ -f "bench/$m.pml" ]; then
    mkdir -p "$work/spin-$m"
    cp "bench/$m.pml" "$work/spin-$m/"
    (cd "$work/spin-$m" && spin -a "$m.pml" >/dev/null && gcc -O2 -DSAFETY -o pan pan.c) && have_spin=1
  fi
  for mem in $MEMORIES; do
    : >"$work/gt"; : >"$work/st"
    for _ in $(seq "$REPS"); do
      g=$(grace_once "$m" "$mem"); echo "$g" >>"$work/gruns"; echo "$g" | awk '{print $3}' >>"$work/gt"
      if [ -n "$have_spin" ] && [ "$mem" = sc ]; then
        s=$(spin_once "$m"); echo "$s" >"$work/slast"; echo "$s" | awk '{print $2}' >>"$work/st"
      fi
    done
    read -r states trans _ bps peak complete under <<<"$g"
    secs=$(median <"$work/gt")
    done_note=""; [ "$complete" = no ] && done_note=" (stopped at ${TIMEOUT} s)"
    [ "$under" != "-" ] && done_note="$done_note (race-free: as $under)"
    row=$(python3 -c "import sys; st,tr,s,b,p=map(float,sys.argv[1:6]); print(f'{int(st):,}{sys.argv[6]} | {int(tr):,} | {s:.2f} | {st/max(s,1e-9):,.0f} | {b:.0f} | {p:.0f}')" \
      "$states" "$trans" "$secs" "$bps" "$peak" "$done_note")
    if [ -n "$have_spin" ] && [ "$mem" = sc ]; then
      read -r sst _ smb <"$work/slast"
      ssecs=$(median <"$work/st")
      cmp=$(python3 -c "import sys; g,s,gs,ss=map(float,sys.argv[1:5]); mb=float(sys.argv[5]); rs=('%.2fx' % (g/s)) if s >= 0.01 else 'n/a'; print(f'{int(ss):,} | {s:.2f} | {mb:.0f} | {mb*2**20/max(ss,1):.0f} | {rs} | {gs/max(ss,1):.3f}x')" \
        "$secs" "$ssecs" "$states" "$sst" "$smb")
    else
      cmp="| | | | | "
    fi
    echo "| $m | $mem | $row | $cmp |"
  done
done
