#!/usr/bin/env python3
"""Runs check.py over the corpus with the stepsim program; fails below --floor passes."""
import argparse
import os
import re
import subprocess
import sys

ap = argparse.ArgumentParser()
ap.add_argument("--floor", type=int, required=True)
ap.add_argument("--stepsim", required=True)
ap.add_argument("--cases", required=True)
args = ap.parse_args()

here = os.path.dirname(os.path.abspath(__file__))
cmd = f"{args.stepsim} run {{definition}} --input-file {{input}} --type {{type}} --start-time 2024-01-01T00:00:00Z"
proc = subprocess.run(
    [sys.executable, os.path.join(here, "check.py"), "--cmd", cmd, "--cases", args.cases,
     "--jsonata", "exclude", "--check-path", "--list-failures", "100"],
    capture_output=True, text=True)
sys.stdout.write(proc.stdout)
sys.stderr.write(proc.stderr)
m = re.search(r"(\d+) passed, (\d+) failed\s*$", proc.stdout)
if not m:
    print("conformance: could not read the pass count", file=sys.stderr)
    sys.exit(1)
passed = int(m.group(1))
if passed < args.floor:
    print(f"conformance: {passed} cases pass, fewer than the floor of {args.floor}", file=sys.stderr)
    sys.exit(1)
print(f"conformance: {passed} cases pass (floor {args.floor})")
