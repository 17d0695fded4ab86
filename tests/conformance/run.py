#!/usr/bin/env python3
"""Runs check.py over the whole corpus with the stepsim program.

Every case must pass except those listed in --expected-failures (one case id
per line, then a tab or ' # ' and the reason; blank lines and lines starting
with '#' are ignored). Fails when a case not on the list fails, and when a
listed case passes (take it off the list), so the list stays exact.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

ap = argparse.ArgumentParser()
ap.add_argument("--stepsim", required=True)
ap.add_argument("--cases", required=True)
ap.add_argument("--expected-failures", required=True)
args = ap.parse_args()

expected = {}
with open(args.expected_failures, encoding="utf-8") as f:
    for n, line in enumerate(f, 1):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        case_id, sep, reason = line.partition("\t")
        if not sep:
            case_id, sep, reason = line.partition(" # ")
        if not sep or not reason.strip():
            print(f"{args.expected_failures}:{n}: each entry needs a case id, a tab and the reason", file=sys.stderr)
            sys.exit(1)
        expected[case_id.strip()] = reason.strip()

here = os.path.dirname(os.path.abspath(__file__))
cmd = f"{args.stepsim} run {{definition}} --input-file {{input}} --type {{type}} --start-time 2024-01-01T00:00:00Z"
with tempfile.TemporaryDirectory() as tmp:
    report_path = os.path.join(tmp, "report.jsonl")
    proc = subprocess.run(
        [sys.executable, os.path.join(here, "check.py"), "--cmd", cmd, "--cases", args.cases,
         "--jsonata", "include", "--check-path", "--list-failures", "0", "--json-report", report_path],
        capture_output=True, text=True)
    sys.stdout.write(proc.stdout)
    sys.stderr.write(proc.stderr)
    results = {}
    with open(report_path, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            results[r["id"]] = r

problems = []
for case_id, r in sorted(results.items()):
    if not r["ok"] and case_id not in expected:
        problems.append(f"FAILS (not in the expected-failure list): {case_id}: {r.get('error')}")
    elif r["ok"] and case_id in expected:
        problems.append(f"PASSES but is listed as an expected failure (remove it): {case_id}")
for case_id in expected:
    if case_id not in results:
        problems.append(f"listed as an expected failure but not in the corpus: {case_id}")
for p in problems:
    print(p, file=sys.stderr)
passed = sum(1 for r in results.values() if r["ok"])
print(f"conformance: {passed} of {len(results)} cases pass, {len(expected)} expected failures listed")
sys.exit(1 if problems or not results else 0)
