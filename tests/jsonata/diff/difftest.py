#!/usr/bin/env python3
"""Differential test of `stepsim jsonata --jsonl` against the reference jsonata-js.

Generates seeded random expressions over the test suite's datasets (gen.py),
sends the same JSON lines to both evaluators, and compares their answers: the
same result (deep equality, numbers as doubles), both undefined, or the same
error code. Every disagreement is shrunk (a node replaced by one of its
children while the disagreement stays of the same kind), grouped by kind and
printed. Disagreements listed in --known (expression, data, why) are
documented and do not fail the run; any other one does (exit 1).

  difftest.py --stepsim build/stepsim --seed 1 --count 2000 [--setup]
"""

import argparse
import collections
import json
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import gen  # noqa: E402
from oracle import Evaluator, disagreement, reference_timed_out  # noqa: E402

PEER = os.path.join(HERE, "..", "peer")
# Every request has a time limit (ms; both evaluators fail it with U1001), no
# depth: the reference's depth counter (eval.mjs) counts differently from
# stepsim's (it fails $filter over 100 items at depth 400), and the generated
# expressions are bounded (no recursion, small ranges). A request that the
# reference still does not answer within --per-request seconds (a runaway
# inside one of its built-ins, where its time check never runs) has its
# process killed and restarted; it is recorded as "reference timed out".
LIMITS = {"timelimit": 10000}


def request_line(expr, data_name, data):
    req = {"expr": expr}
    if data_name is not None:
        req["data"] = data
    req.update(LIMITS)
    return json.dumps(req, ensure_ascii=False)


def replaced(node, target, new):
    if node is target:
        return new
    parts = [replaced(p, target, new) if isinstance(p, gen.Node) else p for p in node.parts]
    return gen.Node(node.kind, *parts)


def all_nodes(node):
    yield node
    for c in node.children():
        yield from all_nodes(c)


def shrink(tree, data_name, data, kind, ref, ours, budget):
    """The smallest tree found whose answers still disagree with the same kind."""
    answers = None
    changed = True
    while changed and budget > 0:
        changed = False
        for node in list(all_nodes(tree)):
            for child in node.children():
                if budget <= 0:
                    break
                candidate = replaced(tree, node, child)
                line = request_line(candidate.render(), data_name, data)
                budget -= 1
                a, b = ref.one(line), ours.one(line)
                if disagreement(a, b) == kind:
                    tree, answers, changed = candidate, (a, b), True
                    break
            if changed:
                break
    return tree, answers


def brief(answer, limit=300):
    text = json.dumps(answer, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit] + "..."


def group_of(f):
    """The kind, refined by stepsim's error message (without its quoted values) when it gave an error."""
    kind = f["kind"]
    err = f["ours"].get("error")
    if err and "error" not in f["ref"] or kind.startswith("error-code"):
        msg = re.sub(r'"[^"]*"', "_", err.get("message", "") if err else "")[:70]
        return kind + ": " + msg
    return kind


def load_known(path):
    if not path or not os.path.exists(path):
        return {}
    with open(path, encoding="utf-8") as f:
        entries = json.load(f)["disagreements"]
    return {(e["expr"], e["data"]): e for e in entries}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--stepsim", required=True, help="the stepsim program")
    ap.add_argument("--seed", type=int, action="append", help="seed (repeatable; default 1)")
    ap.add_argument("--count", type=int, default=2000, help="expressions per seed")
    ap.add_argument("--datasets", help="folder of the datasets (default: the suite's copy)")
    ap.add_argument("--peer", default=os.path.join(os.environ.get("PEER_DIR", "/tmp/stepsim-peer"), "jsonata"),
                    help="where setup.sh installed the reference")
    ap.add_argument("--setup", action="store_true", help="run ../peer/setup.sh first (idempotent; needs npm once)")
    ap.add_argument("--known", default=os.path.join(HERE, "known.json"), help="documented disagreements")
    ap.add_argument("--shrink", type=int, default=300, help="evaluations spent shrinking one disagreement")
    ap.add_argument("--examples", type=int, default=3, help="examples printed per kind")
    ap.add_argument("--report", help="append the disagreements as Markdown to this file")
    ap.add_argument("--json", help="write every disagreement to this file")
    ap.add_argument("--chunk", type=int, default=5000, help="requests per evaluator run")
    ap.add_argument("--per-request", type=float, default=30,
                    help="seconds an evaluator may take on one request before it is killed (default 30)")
    args = ap.parse_args()
    seeds = args.seed or [1]

    if args.setup:
        r = subprocess.run(["bash", os.path.join(PEER, "setup.sh")], capture_output=True, text=True)
        if r.returncode != 0:
            print("difftest: the reference cannot be installed (setup.sh): " + r.stderr.strip(), file=sys.stderr)
            return 2
    eval_mjs = os.path.join(args.peer, "eval.mjs")
    if not os.path.exists(eval_mjs):
        print("difftest: no reference at %s (run with --setup)" % eval_mjs, file=sys.stderr)
        return 2
    datasets = args.datasets or next(d for d in (os.path.join(HERE, "..", "suite", "datasets"),
                                                 os.path.join(HERE, "datasets")) if os.path.isdir(d))
    data = gen.load_datasets(datasets)
    known = load_known(args.known)

    ref = Evaluator("jsonata-js", ["node", eval_mjs], cwd=args.peer, per_request=args.per_request)
    ours = Evaluator("stepsim", [args.stepsim, "jsonata", "--jsonl"], per_request=args.per_request)
    found = []
    timed_out = []
    totals = collections.Counter()
    t0 = time.time()
    for seed in seeds:
        g = gen.Generator(seed, data)
        reqs = [g.request() for _ in range(args.count)]
        lines = [request_line(t.render(), n, d) for t, n, d in reqs]
        for start in range(0, len(lines), args.chunk):
            part = lines[start:start + args.chunk]
            for i, (a, b) in enumerate(zip(ref.batch(part), ours.batch(part))):
                tree, name, d = reqs[start + i]
                totals["compared"] += 1
                totals["ref " + (next(iter(a)) if a else "?")] += 1
                if reference_timed_out(a):
                    totals["reference timed out"] += 1
                    timed_out.append((seed, start + i, tree.render(), name, b))
                kind = disagreement(a, b)
                if kind is None:
                    continue
                totals["disagree"] += 1
                found.append({"seed": seed, "index": start + i, "kind": kind, "tree": tree, "data": name,
                              "value": d, "ref": a, "ours": b})
    # Which error wins when two parts fail: the reference evaluates the items of
    # array and object constructors concurrently, stepsim in order. An
    # error-code disagreement that the reference's in-order copy
    # (../peer/make-in-order.mjs) answers as stepsim does has that cause only;
    # each one is checked here, case by case.
    in_order = Evaluator("jsonata-js in order", ["node", eval_mjs], cwd=args.peer, per_request=args.per_request,
                         env=dict(os.environ, JSONATA_IN_ORDER="1"))
    suspects = [f for f in found if f["kind"].startswith("error-code")]
    if suspects:
        answers = in_order.batch([request_line(f["tree"].render(), f["data"], f["value"]) for f in suspects])
        for f, a in zip(suspects, answers):
            if disagreement(a, f["ours"]) is None:
                f["order"] = True
                totals["evaluation order (checked)"] += 1
    order_only = [f for f in found if f.get("order")]
    found = [f for f in found if not f.get("order")]
    elapsed = time.time() - t0

    by_kind = collections.defaultdict(list)
    for f in found:
        by_kind[group_of(f)].append(f)
    unknown = 0
    report = ["", "### Run of %s: seeds %s, %d expressions each, %d compared, %d disagree (%.0f s)" % (
        time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), ",".join(map(str, seeds)), args.count,
        totals["compared"], totals["disagree"], elapsed)]
    for kind, items in sorted(by_kind.items(), key=lambda kv: -len(kv[1])):
        report.append("")
        report.append("#### %s: %d" % (kind, len(items)))
        shown = 0
        for f in items:
            expr = f["tree"].render()
            documented = known.get((expr, f["data"]))
            if documented:
                continue
            unknown += 1
            if shown >= args.examples:
                continue
            shown += 1
            small, answers = shrink(f["tree"], f["data"], f["value"], kind, ref, ours, args.shrink)
            a, b = answers or (f["ref"], f["ours"])
            data_text = f["data"] if f["data"] != "inline" else brief(f["value"], 200)
            report.append("")
            report.append("- `%s` (seed %d #%d, data: %s)" % (expr, f["seed"], f["index"],
                                                              data_text if data_text else "undefined"))
            if small.render() != expr:
                report.append("  - shrunk: `%s`" % small.render())
            report.append("  - reference: `%s`" % brief(a))
            report.append("  - stepsim:   `%s`" % brief(b))
    if order_only:
        report.append("")
        report.append("#### error-code, evaluation order only (checked with the in-order reference; accepted): %d"
                      % len(order_only))
        for f in order_only[: args.examples]:
            report.append("")
            report.append("- `%s` (seed %d #%d): reference %s, stepsim and the in-order reference %s" % (
                f["tree"].render(), f["seed"], f["index"], f["ref"]["error"].get("code"),
                f["ours"]["error"].get("code")))
    if timed_out:
        report.append("")
        report.append("#### reference timed out (not compared): %d" % len(timed_out))
        for seed, index, expr, name, b in timed_out[: max(args.examples, 20)]:
            report.append("")
            report.append("- `%s` (seed %d #%d, data: %s); stepsim: `%s`" % (expr, seed, index, name or "undefined",
                                                                         brief(b)))
    ref.close()
    ours.close()
    in_order.close()
    summary = ", ".join("%s %d" % kv for kv in sorted(totals.items()))
    print("\n".join(report))
    print("\ndifftest: %s; %d undocumented disagreement(s)" % (summary, unknown))
    if args.report:
        with open(args.report, "a", encoding="utf-8") as f:
            f.write("\n".join(report) + "\n")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            for x in found + order_only:
                x = dict(x, expr=x.pop("tree").render())
                f.write(json.dumps(x, ensure_ascii=False) + "\n")
    return 1 if unknown else 0


if __name__ == "__main__":
    sys.exit(main())
