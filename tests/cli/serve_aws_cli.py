#!/usr/bin/env python3
"""End-to-end test of `stepsim serve` driven by the real AWS CLI (`aws stepfunctions --endpoint-url ...`).

Usage: serve_aws_cli.py STEPSIM
Fails (never skips) when `aws` is missing: `make deps` installs it (Debian package awscli).
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

STEPSIM = sys.argv[1]
AWS = shutil.which("aws")
if AWS is None:
    sys.exit("FAIL: the AWS CLI ('aws') is not installed; `make deps` installs it (Debian package awscli)")

ENV = dict(os.environ, AWS_ACCESS_KEY_ID="local", AWS_SECRET_ACCESS_KEY="local", AWS_DEFAULT_REGION="us-east-1",
           AWS_PAGER="", AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull,
           # StartSyncExecution and TestState have the host prefix "sync-": without this, botocore
           # would call http://sync-127.0.0.1:PORT, which no resolver knows.
           AWS_DISABLE_HOST_PREFIX_INJECTION="true")
ROLE = "arn:aws:iam::123456789012:role/test"
os.environ.update(ENV)


def run_aws(args):
    """The AWS CLI's own driver (what the `aws` program runs), in this process: starting Python and
    botocore for each of the many calls below would cost seconds apiece on a busy machine."""
    import contextlib
    import io
    from awscli.clidriver import create_clidriver
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = create_clidriver().main(args)
        except SystemExit as e:
            rc = e.code
    return rc, out.getvalue(), err.getvalue()
failures = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what, flush=True)
    if not condition:
        failures.append(what)


class Server:
    def __init__(self, *args):
        self.proc = subprocess.Popen([STEPSIM, "serve", "--port", "0", *args], stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if not line.startswith("listening on http://"):
            self.proc.kill()
            sys.exit("FAIL: stepsim serve did not start: %r" % line)
        self.url = line.split()[-1]

    def aws(self, *args, expect_error=None):
        """Runs `aws stepfunctions ARGS`; returns the parsed output, or the error text when expect_error."""
        rc, out, err = run_aws(["--endpoint-url", self.url, "--output", "json", "stepfunctions", *args])
        if expect_error:
            check(rc != 0 and ("(%s)" % expect_error) in err, "%s fails with %s (%s)" % (args[0], expect_error, err.strip()[:200]))
            return err
        if rc != 0:
            check(False, "aws stepfunctions %s: %s" % (" ".join(args[:3]), err.strip()))
            return {}
        return json.loads(out) if out.strip() else {}

    def wait_status(self, arn, timeout=20):
        deadline = time.time() + timeout
        while True:
            d = self.aws("describe-execution", "--execution-arn", arn)
            if d.get("status") != "RUNNING" or time.time() > deadline:
                return d
            time.sleep(0.1)

    def stop(self, sig=signal.SIGTERM):
        self.proc.send_signal(sig)
        return self.proc.wait(timeout=20)


PASS = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"ok": True}, "ResultPath": "$.r", "End": True}}})
WAIT = json.dumps({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": True}}})
CALLBACK = json.dumps({"StartAt": "Ask", "States": {"Ask": {
    "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
    "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}}, "End": True}}})

s = Server()
try:
    r = subprocess.run([AWS, "--endpoint-url", s.url, "stepfunctions", "list-state-machines"], env=ENV,
                       capture_output=True, text=True, timeout=300)
    check(r.returncode == 0 and json.loads(r.stdout) == {"stateMachines": []}, "the aws program lists no state machines")
    sm = s.aws("create-state-machine", "--name", "Hello", "--definition", PASS, "--role-arn", ROLE)["stateMachineArn"]
    check(sm == "arn:aws:states:us-east-1:123456789012:stateMachine:Hello", "create-state-machine returns the ARN")
    d = s.aws("describe-state-machine", "--state-machine-arn", sm)
    check(d.get("definition") == PASS and d.get("status") == "ACTIVE", "describe-state-machine returns the definition")
    s.aws("create-state-machine", "--name", "Bad", "--definition", "{}", "--role-arn", ROLE, expect_error="InvalidDefinition")
    s.aws("describe-state-machine", "--state-machine-arn", sm + "X", expect_error="StateMachineDoesNotExist")
    s.aws("describe-state-machine", "--state-machine-arn", "nope", expect_error="InvalidArn")
    s.aws("validate-state-machine-definition", "--definition", PASS)

    ex = s.aws("start-execution", "--state-machine-arn", sm, "--name", "one", "--input", '{"a": 1}')["executionArn"]
    succeeded = ex
    d = s.wait_status(ex)
    check(d.get("status") == "SUCCEEDED" and json.loads(d["output"]) == {"a": 1, "r": {"ok": True}},
          "start-execution runs to SUCCEEDED with the right output")
    check("startDate" in d and "stopDate" in d, "describe-execution dates parse as timestamps")
    s.aws("start-execution", "--state-machine-arn", sm, "--name", "one", "--input", '{"a": 2}', expect_error="ExecutionAlreadyExists")
    s.aws("describe-execution", "--execution-arn", ex + "X", expect_error="ExecutionDoesNotExist")
    h = s.aws("get-execution-history", "--execution-arn", ex)
    types = [e["type"] for e in h.get("events", [])]
    check(types == ["ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"], "get-execution-history: %s" % types)
    h = s.aws("get-execution-history", "--execution-arn", ex, "--reverse-order", "--max-items", "2")
    check([e["id"] for e in h.get("events", [])] == [4, 3] and "NextToken" in h, "get-execution-history pages in reverse")
    h2 = s.aws("get-execution-history", "--execution-arn", ex, "--reverse-order", "--max-items", "2", "--starting-token", h.get("NextToken", ""))
    check([e["id"] for e in h2.get("events", [])] == [2, 1], "get-execution-history's second page")
    s.aws("describe-state-machine-for-execution", "--execution-arn", ex)

    for i in range(5):
        s.aws("start-execution", "--state-machine-arn", sm, "--name", "run-%d" % i)
    page = s.aws("list-executions", "--state-machine-arn", sm, "--page-size", "2")
    check(len(page.get("executions", [])) == 6, "list-executions follows nextToken through every page (page size 2)")
    page = s.aws("list-executions", "--state-machine-arn", sm, "--max-items", "2")
    check(len(page.get("executions", [])) == 2 and "NextToken" in page, "list-executions --max-items gives a NextToken")
    for n in ("B", "C"):
        s.aws("create-state-machine", "--name", n, "--definition", PASS, "--role-arn", ROLE)
    check(len(s.aws("list-state-machines", "--page-size", "1").get("stateMachines", [])) == 3, "list-state-machines paginates")

    slow = s.aws("create-state-machine", "--name", "Slow", "--definition", WAIT, "--role-arn", ROLE)["stateMachineArn"]
    ex = s.aws("start-execution", "--state-machine-arn", slow)["executionArn"]
    check(s.aws("describe-execution", "--execution-arn", ex).get("status") == "RUNNING", "a Wait of an hour is RUNNING in real time")
    s.aws("stop-execution", "--execution-arn", ex, "--error", "Stopped", "--cause", "by test")
    stopped = ex
    d = s.aws("describe-execution", "--execution-arn", ex)
    check(d.get("status") == "ABORTED" and d.get("error") == "Stopped", "stop-execution aborts it")
    check(len(s.aws("list-executions", "--state-machine-arn", slow, "--status-filter", "ABORTED").get("executions", [])) == 1,
          "list-executions --status-filter ABORTED")

    cb = s.aws("create-state-machine", "--name", "Callback", "--definition", CALLBACK, "--role-arn", ROLE)["stateMachineArn"]
    ex = s.aws("start-execution", "--state-machine-arn", cb)["executionArn"]
    token = None
    for e in s.aws("get-execution-history", "--execution-arn", ex).get("events", []):
        if e["type"] == "TaskScheduled":
            token = json.loads(e["taskScheduledEventDetails"]["parameters"])["MessageBody"]["token"]
    check(token is not None, "the callback Task's token is in its TaskScheduled event")
    s.aws("send-task-success", "--task-token", "made-up", "--task-output", "{}", expect_error="InvalidToken")
    s.aws("send-task-heartbeat", "--task-token", token or "x")
    s.aws("send-task-success", "--task-token", token or "x", "--task-output", '{"answer": 42}')
    d = s.wait_status(ex)
    check(d.get("status") == "SUCCEEDED" and json.loads(d.get("output", "null")) == {"answer": 42}, "send-task-success completes it")

    act = s.aws("create-activity", "--name", "work")["activityArn"]
    am = s.aws("create-state-machine", "--name", "Act", "--role-arn", ROLE, "--definition",
               json.dumps({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": act, "End": True}}}))["stateMachineArn"]
    ex = s.aws("start-execution", "--state-machine-arn", am, "--input", '{"job": 1}')["executionArn"]
    t = s.aws("get-activity-task", "--activity-arn", act, "--worker-name", "w")
    check(t.get("input") == '{"job":1}', "get-activity-task hands out the input")
    s.aws("send-task-failure", "--task-token", t.get("taskToken", "x"), "--error", "Worker.Failed", "--cause", "no")
    d = s.wait_status(ex)
    check(d.get("status") == "FAILED" and d.get("error") == "Worker.Failed", "send-task-failure fails it")
    check(len(s.aws("list-activities").get("activities", [])) == 1, "list-activities")
    s.aws("describe-activity", "--activity-arn", act)
    s.aws("delete-activity", "--activity-arn", act)

    ex_sm = s.aws("create-state-machine", "--name", "Express", "--definition", PASS, "--role-arn", ROLE, "--type", "EXPRESS")["stateMachineArn"]
    r = s.aws("start-sync-execution", "--state-machine-arn", ex_sm, "--input", '{"x": 1}')
    check(r.get("status") == "SUCCEEDED" and json.loads(r.get("output", "null")) == {"x": 1, "r": {"ok": True}},
          "start-sync-execution returns the result")
    s.aws("describe-execution", "--execution-arn", r["executionArn"], expect_error="InvalidArn")
    s.aws("list-executions", "--state-machine-arn", ex_sm, expect_error="StateMachineTypeNotSupported")

    v = s.aws("publish-state-machine-version", "--state-machine-arn", sm)["stateMachineVersionArn"]
    check(v == sm + ":1", "publish-state-machine-version")
    s.aws("create-state-machine-alias", "--name", "live", "--routing-configuration",
          json.dumps([{"stateMachineVersionArn": v, "weight": 100}]))
    check(len(s.aws("list-state-machine-aliases", "--state-machine-arn", sm).get("stateMachineAliases", [])) == 1, "aliases")
    s.aws("tag-resource", "--resource-arn", sm, "--tags", "key=team,value=a")
    check(s.aws("list-tags-for-resource", "--resource-arn", sm).get("tags") == [{"key": "team", "value": "a"}], "tags")
    r = s.aws("test-state", "--definition", json.dumps({"Type": "Pass", "Result": 1, "End": True}), "--role-arn", ROLE)
    check(r.get("status") == "SUCCEEDED" and r.get("output") == "1", "test-state")
    s.aws("redrive-execution", "--execution-arn", succeeded, expect_error="ExecutionNotRedrivable")
    check("redriveDate" in s.aws("redrive-execution", "--execution-arn", stopped), "redrive-execution continues the stopped one")
    d = s.aws("describe-execution", "--execution-arn", stopped)
    check(d.get("status") == "RUNNING" and d.get("redriveCount") == 1, "describe-execution shows it redriven")
    check(len(s.aws("list-executions", "--state-machine-arn", slow, "--redrive-filter", "REDRIVEN").get("executions", [])) == 1,
          "list-executions --redrive-filter REDRIVEN")
    s.aws("stop-execution", "--execution-arn", stopped)
    s.aws("delete-state-machine", "--state-machine-arn", slow)
    s.aws("describe-state-machine", "--state-machine-arn", slow, expect_error="StateMachineDoesNotExist")
finally:
    check(s.stop() == 0, "stepsim serve exits 0 on SIGTERM")

# kill -9 and restart with --data: nothing finished is lost; what ran is ABORTED.
data = tempfile.mkdtemp(prefix="stepsim-serve-data-")
try:
    s = Server("--data", data)
    sm = s.aws("create-state-machine", "--name", "Kept", "--definition", PASS, "--role-arn", ROLE)["stateMachineArn"]
    done = s.aws("start-execution", "--state-machine-arn", sm, "--name", "done")["executionArn"]
    s.wait_status(done)
    slow = s.aws("create-state-machine", "--name", "Slow", "--definition", WAIT, "--role-arn", ROLE)["stateMachineArn"]
    running = s.aws("start-execution", "--state-machine-arn", slow, "--name", "running")["executionArn"]
    # Aliases, activities and tags are kept too.
    v1 = s.aws("publish-state-machine-version", "--state-machine-arn", sm)["stateMachineVersionArn"]
    alias = s.aws("create-state-machine-alias", "--name", "live", "--description", "kept",
                  "--routing-configuration", json.dumps([{"stateMachineVersionArn": v1, "weight": 100}]))["stateMachineAliasArn"]
    act = s.aws("create-activity", "--name", "KeptWork", "--tags", "key=team,value=a")["activityArn"]
    s.aws("tag-resource", "--resource-arn", sm, "--tags", "key=env,value=test")
    s.stop(signal.SIGKILL)
    s = Server("--data", data)
    try:
        a = s.aws("describe-state-machine-alias", "--state-machine-alias-arn", alias)
        check(a.get("description") == "kept" and a.get("routingConfiguration") == [{"stateMachineVersionArn": v1, "weight": 100}],
              "an alias survives kill -9: %s" % a)
        check(s.aws("describe-activity", "--activity-arn", act).get("name") == "KeptWork", "an activity survives kill -9")
        check(s.aws("list-tags-for-resource", "--resource-arn", act).get("tags") == [{"key": "team", "value": "a"}],
              "an activity's tags survive kill -9")
        check(s.aws("list-tags-for-resource", "--resource-arn", sm).get("tags") == [{"key": "env", "value": "test"}],
              "a state machine's tags survive kill -9")
        check(s.aws("describe-state-machine", "--state-machine-arn", sm).get("definition") == PASS, "the machine survives kill -9")
        check(s.aws("describe-execution", "--execution-arn", done).get("status") == "SUCCEEDED", "a finished execution survives kill -9")
        check(len(s.aws("get-execution-history", "--execution-arn", done).get("events", [])) == 4, "its history survives")
        d = s.aws("describe-execution", "--execution-arn", running)
        check(d.get("status") == "ABORTED" and d.get("error") == "stepsim.ServerRestarted", "a running execution comes back ABORTED")
    finally:
        s.stop()
finally:
    shutil.rmtree(data, ignore_errors=True)

if failures:
    sys.exit("FAIL: %d check(s) failed" % len(failures))
print("all checks passed")
