#!/usr/bin/env python3
"""Issue 20's targets in one run: every figure they name, measured side by
side on this machine, and whether each target is met.

    python3 bench/targets.py            (about 6 minutes; SPIN optional)

grace: `grace check --stats --format json --memory M` on
bench/MODEL.gr; its seconds are the whole check (every search and
analysis), its MiB the peak it reports. SPIN: bench/MODEL.pml built as
docs/PERFORMANCE.md says (`-DSAFETY`, its partial-order reduction on; with
`-DNOREDUCE` for the throughput rows), its seconds pan's "elapsed time".
Small runs take the median of three; the big ones and the weak-model
runs are single runs. Prints Markdown.
"""
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GRACE = os.path.join(ROOT, "target", "release", "grace")
WORK = tempfile.mkdtemp()


def grace(model, memory, timeout=120, plain=False):
    """(states, seconds, peak MiB, complete) of one whole check."""
    args = [GRACE, "check", "--stats", "--format", "json",
            "--memory", memory, "--timeout", str(timeout)]
    if plain:
        args.append("--no-reduction")
    out = subprocess.run(args + [os.path.join(ROOT, "bench", model + ".gr")],
                         capture_output=True, text=True).stdout
    v = json.loads(out)["files"][0]
    s = v["stats"]
    return s["states"], s["seconds"], s["peak_mib"], v["complete"]


def spin(model, reduce=True, timeout=120):
    """(states, seconds) of pan on bench/MODEL.pml, or None (no SPIN, or
    not done within `timeout`)."""
    if not shutil.which("spin"):
        return None
    d = os.path.join(WORK, model + ("" if reduce else "-noreduce"))
    if not os.path.isdir(d):
        os.makedirs(d)
        shutil.copy(os.path.join(ROOT, "bench", model + ".pml"), d)
        subprocess.run(["spin", "-a", model + ".pml"], cwd=d, check=True,
                       capture_output=True)
        flags = ["-DSAFETY"] + ([] if reduce else ["-DNOREDUCE"])
        subprocess.run(["gcc", "-O2", *flags, "-o", "pan", "pan.c"], cwd=d,
                       check=True, capture_output=True)
    try:
        out = subprocess.run(["./pan", "-m10000000", "-c0"], cwd=d, text=True,
                             capture_output=True, timeout=timeout).stdout
    except subprocess.TimeoutExpired:
        return None
    states = int(float(re.search(r"([0-9.e+]+) states, stored", out).group(1)))
    secs = float(re.search(r"pan: elapsed time ([0-9.e+]+) seconds", out).group(1))
    return states, secs


def median_run(f, reps):
    runs = [f() for _ in range(reps)]
    if runs[0] is None:
        return None
    mid = statistics.median(r[1] for r in runs)
    return next(r for r in runs if r[1] == mid)


def reps(model):
    return 1 if model in BIG else 3


BIG = {"incr_n5_k3", "merge_n8_k3", "transfer_n10", "philosophers_n7"}
rows = []  # (target, figures, met)


def row(target, figures, met):
    rows.append((target, figures, "**met**" if met else "**not met**"))
    print(f"{target}: {figures}: {'met' if met else 'not met'}",
          file=sys.stderr, flush=True)


def grace_fig(g):
    states, secs, mib, complete = g
    stop = "" if complete else " (stopped)"
    return f"{states:,} states{stop}, {secs:.2f} s, {mib:.0f} MiB"


def main():
    subprocess.run(["cargo", "build", "--release", "-q"], cwd=ROOT, check=True)
    # the asymmetric families (sc, reductions on)
    g = median_run(lambda: grace("confined_n8_k3", "sc"), 3)
    row("confined_n8_k3 under 1,000 states", grace_fig(g), g[0] < 1000 and g[3])
    for model in ["merge_n7_k2", "transfer_n8"]:
        g = median_run(lambda: grace(model, "sc"), 3)
        s = median_run(lambda: spin(model), 1)
        ratio = g[1] / s[1] if s else float("nan")
        fig = f"grace {grace_fig(g)}; SPIN " + (
            f"{s[0]:,} states, {s[1]:.2f} s: {ratio:.3f}x" if s else "not run")
        row(f"{model} ≤ 0.05x SPIN's search time", fig, bool(s) and ratio <= 0.05)
    for model in ["merge_n8_k3", "transfer_n10"]:
        g = median_run(lambda: grace(model, "sc"), 3)
        row(f"{model} under 1 s", grace_fig(g), g[1] < 1 and g[3])
    # the weak models against the same program's sc
    for model in ["incr_n4_k3", "incr_n5_k2", "philosophers_n7"]:
        sc = median_run(lambda: grace(model, "sc"), 3)
        for mem in ["go", "tso"]:
            w = grace(model, mem, timeout=120)
            ratio = w[1] / max(sc[1], 1e-9)
            row(f"{model} under {mem} within 5x of sc",
                f"{grace_fig(w)}; sc {sc[0]:,} states, {sc[1]:.2f} s: {ratio:.0f}x",
                ratio <= 5 and w[3])
    g = grace("incr_n5_k3", "go", timeout=60)
    row("incr_n5_k3 under go in < 10 s and < 1 GB", grace_fig(g),
        g[1] < 10 and g[2] < 1024 and g[3])
    # the existing targets: ≤ 0.1x SPIN's time (reductions on)
    for model in ["incr_n4_k3", "mutex_incr_n7_k3", "philosophers_n6",
                  "incr_n5_k2", "mutex_incr_n8_k2"]:
        g = median_run(lambda: grace(model, "sc"), 3)
        s = median_run(lambda: spin(model), 3)
        ratio = g[1] / s[1] if s and s[1] > 0 else float("nan")
        fig = f"grace {grace_fig(g)}; SPIN " + (
            f"{s[0]:,} states, {s[1]:.2f} s: {ratio:.3f}x" if s else "not run")
        row(f"{model} ≤ 0.1x SPIN's time", fig, bool(s) and ratio <= 0.1)
    # throughput of the reference search against SPIN's own rates
    for model in ["incr_n4_k3", "incr_n5_k2", "mutex_incr_n8_k2", "philosophers_n7"]:
        g = median_run(lambda: grace(model, "sc", plain=True), reps(model))
        s = median_run(lambda: spin(model), reps(model))
        sn = median_run(lambda: spin(model, reduce=False), reps(model))
        rate = g[0] / g[1]
        spin_rate = s[0] / s[1] if s and s[1] > 0 else float("nan")
        spin_plain = sn[0] / sn[1] if sn and sn[1] > 0 else float("nan")
        row(f"{model} --no-reduction ≥ 0.39 M states/s (stretch: SPIN's rate)",
            f"grace {g[0]:,} states, {g[1]:.2f} s: {rate / 1e6:.2f} M/s; SPIN "
            f"{spin_rate / 1e6:.2f} M/s (its reduction on), "
            f"{spin_plain / 1e6:.2f} M/s (-DNOREDUCE)",
            rate >= 0.39e6)
    print("| target | figures (one run) | |")
    print("|---|---|---|")
    for t, f, m in rows:
        print(f"| {t} | {f} | {m} |")


try:
    main()
finally:
    shutil.rmtree(WORK, ignore_errors=True)
