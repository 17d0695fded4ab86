"""What the Python tests of `stepsim serve` share: checks that print as they go, one API call on a
fresh connection, and a server started on a free port."""
import http.client
import json
import subprocess

failures = []


def check(condition, what):
    """Prints `ok` or `FAIL` and `what`; a failure is kept for `exit_status`."""
    print(("ok   " if condition else "FAIL ") + what, flush=True)
    if not condition:
        failures.append(what)


def exit_status():
    """The script's exit: a message naming how many checks failed, or 0."""
    return "FAIL: %d check(s) failed" % len(failures) if failures else 0


def call(port, op, body):
    """One AWS JSON 1.0 request; returns (HTTP status, decoded body)."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    c.request("POST", "/", json.dumps(body), {"X-Amz-Target": "AWSStepFunctions." + op})
    r = c.getresponse()
    out = json.loads(r.read())
    c.close()
    return r.status, out


def serve(stepsim, *args):
    """Starts `stepsim serve --port 0 ARGS`; returns (process, port, ""), or (process, None, stderr)
    when it did not start listening."""
    p = subprocess.Popen([stepsim, "serve", "--port", "0", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = p.stdout.readline()
    if not line.startswith("listening on http://"):
        p.wait(timeout=20)
        return p, None, p.stderr.read()
    return p, int(line.strip().rsplit(":", 1)[1]), ""
