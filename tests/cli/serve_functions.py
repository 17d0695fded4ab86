#!/usr/bin/env python3
"""`stepsim serve --functions STUDY`: a study's simulated Lambda functions answer the Tasks of served
executions, cold starts included.

Usage: serve_functions.py STEPSIM EXAMPLES_DIR
Serves in virtual time with examples/coldstart-accumulation/study.json, whose HelloFunction has an init
of lognormal(369 ms, 0.2) and a run of 72.7 ms and a 10-minute keep-alive: the first execution pays the
cold start, the next one (warm) only the run, and one started after the keep-alive is cold again.
"""
import json
import sys

from serve_client import call, check, exit_status, serve

STEPSIM, EXAMPLES = sys.argv[1], sys.argv[2]
STUDY = EXAMPLES + "/coldstart-accumulation/study.json"
ROLE = "arn:aws:iam::123456789012:role/test"








def run(port, sm, name, input_):
    status, out = call(port, "StartExecution", {"stateMachineArn": sm, "name": name, "input": json.dumps(input_)})
    for _ in range(200):
        status, d = call(port, "DescribeExecution", {"executionArn": out["executionArn"]})
        if d.get("status") != "RUNNING":
            return d
    return d


p, port, err = serve(STEPSIM, "--virtual", "--functions", STUDY, "--scenario", "aws")
try:
    check(port is not None, "stepsim serve --functions starts (%s)" % err.strip())
    hello = {"StartAt": "Hello", "States": {
        "Hello": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:HelloFunction", "Next": "Invoke"},
        "Invoke": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                   "Parameters": {"FunctionName": "HelloFunction", "Payload.$": "$"}, "OutputPath": "$.Payload", "End": True}}}
    _, out = call(port, "CreateStateMachine", {"name": "Hello", "definition": json.dumps(hello), "roleArn": ROLE})
    sm = out["stateMachineArn"]
    first = run(port, sm, "first", {"who": "a"})
    check(first.get("status") == "SUCCEEDED" and json.loads(first.get("output", "null")) == {"who": "a"},
          "the functions answer both Task forms: %s" % first)
    cold = first["stopDate"] - first["startDate"]
    # Two invocations: the first cold (init + run), the second warm on the same environment (run).
    check(0.2 < cold < 2.0, "the first execution pays one cold start: %.3f s" % cold)
    second = run(port, sm, "second", {"who": "b"})
    warm = second["stopDate"] - second["startDate"]
    check(abs(warm - 2 * 0.0727) < 0.003, "a warm execution takes the two runs only: %.3f s" % warm)
    _, h = call(port, "GetExecutionHistory", {"executionArn": first["executionArn"]})
    types = [e["type"] for e in h.get("events", [])]
    check("LambdaFunctionSucceeded" in types and "TaskSucceeded" in types, "history shows both Lambda Tasks: %s" % types)
    # Past the 10-minute keep-alive the environment is gone: cold again.
    wait = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 700, "End": True}}}
    _, out = call(port, "CreateStateMachine", {"name": "Idle", "definition": json.dumps(wait), "roleArn": ROLE})
    run(port, out["stateMachineArn"], "idle", {})
    third = run(port, sm, "third", {"who": "c"})
    check(third["stopDate"] - third["startDate"] > 0.2, "after the keep-alive, cold again: %.3f s" % (third["stopDate"] - third["startDate"]))
finally:
    p.terminate()
    p.wait(timeout=20)

p, port, err = serve(STEPSIM, "--functions", STUDY, "--scenario", "nope")
check(port is None and p.returncode == 2 and "no scenario named 'nope'" in err, "an unknown --scenario exits 2: %s" % err.strip())
p, port, err = serve(STEPSIM, "--scenario", "aws")
check(port is None and p.returncode == 2 and "--scenario needs --functions" in err, "--scenario alone exits 2: %s" % err.strip())
p, port, err = serve(STEPSIM, "--functions", EXAMPLES + "/nowhere.json")
check(port is None and p.returncode == 2 and "nowhere.json" in err, "a missing study exits 2: %s" % err.strip())

sys.exit(exit_status())
print("all checks passed")
