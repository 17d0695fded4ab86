#!/usr/bin/env python3
"""`stepsim serve --lambda-endpoint URL`: Lambda Tasks of served executions are forwarded to a
Lambda-compatible endpoint with the Lambda Invoke REST API.

Usage: serve_lambda_endpoint.py STEPSIM
Runs a fake endpoint in this process (http.server on a free loopback port) that answers as Lambda
(and SAM's `sam local start-lambda`) does: `Greet` returns a greeting, `Decline` a function error
(X-Amz-Function-Error), `Slow` answers after 0.3 s of wall time, any other name 404 ResourceNotFound.
"""
import http.server
import json
import socket
import sys
import threading
import time

from serve_client import call, check, exit_status, serve

STEPSIM = sys.argv[1]
ROLE = "arn:aws:iam::123456789012:role/test"
requests = []  # (path, X-Amz-Invocation-Type, body) as the endpoint received them




class FakeLambda(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        requests.append((self.path, self.headers.get("X-Amz-Invocation-Type"), body.decode()))
        name = self.path.split("/")[3] if self.path.startswith("/2015-03-31/functions/") else ""
        payload = json.loads(body or b"null")
        headers = {}
        if name == "Greet":
            status, out = 200, {"greeting": "hello " + str(payload.get("who"))}
            headers["X-Amz-Executed-Version"] = "7"
        elif name == "Decline":
            status, out = 200, {"errorMessage": "card expired", "errorType": "PaymentDeclined", "stackTrace": []}
            headers["X-Amz-Function-Error"] = "Unhandled"
        elif name == "Slow":
            time.sleep(0.3)
            status, out = 200, {"slow": True}
        else:
            status, out = 404, {"Type": "User", "Message": "Function not found: " + name}
            headers["x-amzn-errortype"] = "ResourceNotFound"
        data = json.dumps(out).encode()
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass






def run(port, definition, name, input_):
    _, out = call(port, "CreateStateMachine", {"name": name, "definition": json.dumps(definition), "roleArn": ROLE})
    sm = out["stateMachineArn"]
    _, out = call(port, "StartExecution", {"stateMachineArn": sm, "name": name, "input": json.dumps(input_)})
    deadline = time.time() + 30
    while time.time() < deadline:
        _, d = call(port, "DescribeExecution", {"executionArn": out["executionArn"]})
        if d.get("status") != "RUNNING":
            return d
        time.sleep(0.02)
    return d


def task(resource, **more):
    return dict({"Type": "Task", "Resource": resource}, **more)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


fake = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeLambda)
threading.Thread(target=fake.serve_forever, daemon=True).start()
URL = "http://127.0.0.1:%d" % fake.server_address[1]

greet = "arn:aws:lambda:us-east-1:123456789012:function:Greet"
p, port, err = serve(STEPSIM, "--virtual", "--echo-tasks", "--lambda-endpoint", URL + "/")
try:
    check(port is not None, "stepsim serve --lambda-endpoint starts (%s)" % err.strip())
    d = run(port, {"StartAt": "G", "States": {"G": task(greet, End=True)}}, "plain", {"who": "ann"})
    check(d.get("status") == "SUCCEEDED" and json.loads(d.get("output", "null")) == {"greeting": "hello ann"},
          "a function ARN's result is the function's payload: %s" % d)
    check(requests and requests[-1] == ("/2015-03-31/functions/Greet/invocations", "RequestResponse", '{"who":"ann"}'),
          "the endpoint gets POST /2015-03-31/functions/Greet/invocations, RequestResponse, the input: %s" % requests[-1:])

    invoke = task("arn:aws:states:::lambda:invoke", Parameters={"FunctionName": "Greet:live", "Payload.$": "$"}, End=True)
    d = run(port, {"StartAt": "I", "States": {"I": invoke}}, "invoke", {"who": "bob"})
    out = json.loads(d.get("output", "null")) or {}
    check(d.get("status") == "SUCCEEDED" and out.get("Payload") == {"greeting": "hello bob"} and out.get("StatusCode") == 200
          and out.get("ExecutedVersion") == "7" and "SdkHttpMetadata" in out,
          "lambda:invoke's result has AWS's shape around the payload: %s" % out)
    check(requests[-1:] and requests[-1][0] == "/2015-03-31/functions/Greet/invocations?Qualifier=live",
          "a qualifier goes as ?Qualifier=: %s" % requests[-1:])

    caught = {"StartAt": "D", "States": {
        "D": task("arn:aws:lambda:us-east-1:123456789012:function:Decline",
                  Catch=[{"ErrorEquals": ["PaymentDeclined"], "ResultPath": "$.err", "Next": "Caught"}], End=True),
        "Caught": {"Type": "Pass", "End": True}}}
    d = run(port, caught, "caught", {"order": 1})
    out = json.loads(d.get("output", "null")) or {}
    err_ = out.get("err", {})
    check(d.get("status") == "SUCCEEDED" and err_.get("Error") == "PaymentDeclined"
          and json.loads(err_.get("Cause", "{}")).get("errorMessage") == "card expired",
          "a function error (X-Amz-Function-Error) is the Task's error, caught by its errorType: %s" % out)

    d = run(port, {"StartAt": "M", "States": {"M": task("arn:aws:lambda:us-east-1:123456789012:function:Missing", End=True)}},
            "missing", {})
    check(d.get("status") == "FAILED" and d.get("error") == "Lambda.ResourceNotFoundException"
          and "Function not found: Missing" in d.get("cause", ""),
          "an unknown function fails with Lambda.ResourceNotFoundException: %s" % d)

    # Virtual time stands still while the endpoint works: the 1 s timeout does not fire during 0.3 s of wall time.
    slow = {"StartAt": "S", "States": {"S": task("arn:aws:lambda:us-east-1:123456789012:function:Slow",
                                                   TimeoutSeconds=1, End=True)}}
    d = run(port, slow, "slow", {})
    check(d.get("status") == "SUCCEEDED", "a virtual clock waits for the endpoint's answer: %s" % d)

    # Other Tasks still get --echo-tasks.
    d = run(port, {"StartAt": "E", "States": {"E": task("arn:aws:states:::sqs:sendMessage", End=True)}}, "echo", {"e": 1})
    check(d.get("status") == "SUCCEEDED" and json.loads(d.get("output", "null")) == {"e": 1},
          "a non-Lambda Task falls through to --echo-tasks: %s" % d)
finally:
    p.terminate()
    p.wait(timeout=20)

# The endpoint is down: Lambda.SdkClientException, which a Retry / Catch can match as on AWS.
p, port, err = serve(STEPSIM, "--lambda-endpoint", "http://127.0.0.1:%d" % free_port())
try:
    d = run(port, {"StartAt": "G", "States": {"G": task(greet, End=True)}}, "down", {})
    check(d.get("status") == "FAILED" and d.get("error") == "Lambda.SdkClientException" and "Connect to" in d.get("cause", ""),
          "an endpoint that refuses connections fails the Task with Lambda.SdkClientException: %s" % d)
finally:
    p.terminate()
    p.wait(timeout=20)

for url, expected in [("https://127.0.0.1:3001", "https is not supported"),
                      ("127.0.0.1:3001", "not an http:// URL"),
                      ("http://127.0.0.1:99999", "the port '99999' is not a number from 1 to 65535"),
                      ("http://:3001", "no host"),
                      ("http://127.0.0.1:3001/?x=1", "a query or fragment is not allowed"),
                      ("http://no-such-host.invalid:3001", "cannot resolve the host 'no-such-host.invalid'")]:
    p, port, err = serve(STEPSIM, "--lambda-endpoint", url)
    check(port is None and p.returncode == 2 and expected in err and (url in err or "resolve" in expected),
          "--lambda-endpoint %s exits 2 saying '%s': %s" % (url, expected, err.strip()))
p, port, err = serve(STEPSIM, "--lambda-endpoint", URL, "--functions", "whatever.json")
check(port is None and p.returncode == 2 and "--lambda-endpoint and --functions" in err,
      "--lambda-endpoint with --functions exits 2: %s" % err.strip())

fake.shutdown()
sys.exit(exit_status())
print("all checks passed")
