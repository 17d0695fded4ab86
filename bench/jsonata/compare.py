#!/usr/bin/env python3
"""stepsim beside the reference on a JSONata bench set, in one run, as ratios.

Runs the reference's bench.mjs (jsonata-js, installed by
tests/jsonata/peer/setup.sh) and then `stepsim-bench --only jsonata` on the
same set, one after the other (not at the same time: they would share the
cores), and prints a Markdown table: evaluations per second of each, and
stepsim's ÷ the reference's.

  bench/jsonata/compare.py --bench build/stepsim-bench [--set FILE] [--min-time 1] [--json OUT]
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", required=True, help="the stepsim-bench program")
    ap.add_argument("--set", default=os.path.join(HERE, "expressions.json"), help="the bench set")
    ap.add_argument("--min-time", type=float, default=1.0, help="seconds per expression, for both")
    ap.add_argument("--peer", default=os.path.join(os.environ.get("PEER_DIR", "/tmp/stepsim-peer"), "jsonata"))
    ap.add_argument("--json", help="also write the rows (name, reference, stepsim, ratio) to this file")
    args = ap.parse_args()

    bench_mjs = os.path.join(args.peer, "bench.mjs")
    if not os.path.exists(bench_mjs):
        print("compare: no reference at %s (run tests/jsonata/peer/setup.sh)" % bench_mjs, file=sys.stderr)
        return 2
    env = dict(os.environ, BENCH_MIN_MS=str(int(args.min_time * 1000)))
    ref = subprocess.run(["node", bench_mjs, os.path.abspath(args.set)], cwd=args.peer, env=env,
                         capture_output=True, text=True)
    if ref.returncode != 0:
        print("compare: the reference failed: " + ref.stderr.strip(), file=sys.stderr)
        return 1
    ref_rows = {r["name"]: r for r in json.loads(ref.stdout)}
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "stepsim.json")
        ours = subprocess.run([args.bench, "--only", "jsonata", "--jsonata-set", args.set, "--min-time",
                               str(args.min_time), "--json", out], capture_output=True, text=True)
        if not os.path.exists(out):
            print("compare: stepsim-bench failed: " + ours.stderr.strip(), file=sys.stderr)
            return 1
        with open(out) as f:
            our_rows = {r["workload"][len("jsonata/"):]: r for r in json.load(f)}

    rows = []
    print("%s, %s, node %s; min time %g s per expression\n" % (
        time.strftime("%Y-%m-%d", time.gmtime()), platform.machine(),
        subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip(), args.min_time))
    print("| expression | jsonata-js evals/s | stepsim evals/s | ratio |")
    print("|---|---:|---:|---:|")
    failed = False
    for name, r in ref_rows.items():
        o = our_rows.get(name, {})
        if "error" in o or "evals_per_s" not in o:
            failed = True
            print("| %s | %.0f | FAILED: %s | |" % (name, r["evals_per_s"], o.get("error", "no row")))
            continue
        ratio = o["evals_per_s"] / r["evals_per_s"]
        rows.append({"name": name, "reference": r["evals_per_s"], "stepsim": o["evals_per_s"], "ratio": ratio})
        print("| %s | %.0f | %.0f | %.1f× |" % (name, r["evals_per_s"], o["evals_per_s"], ratio))
    if rows:
        worst = min(rows, key=lambda x: x["ratio"])
        print("\nlowest ratio: %s %.1f×; below 10×: %s" % (
            worst["name"], worst["ratio"], ", ".join(x["name"] for x in rows if x["ratio"] < 10) or "none"))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=1)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
