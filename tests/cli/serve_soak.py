#!/usr/bin/env python3
"""Soak test of `stepsim serve`: 8 clients start and poll executions on loopback for a bounded time.

Usage: serve_soak.py STEPSIM
Runs STEPSIM_SOAK_SECONDS of load (default 3; set it to 600 for a long soak) against
`stepsim serve --data DIR --speed 20`. Each client thread keeps one keep-alive connection (replaced
every 100 requests, so connections come and go) and loops: StartExecution on one of four machines whose
final status it knows in advance (Pass: SUCCEEDED; Fail: FAILED with its error; a Wait of 2 s: SUCCEEDED
after 0.1 s; a Choice on the input's parity: SUCCEEDED or FAILED), StartSyncExecution of an EXPRESS
machine (its answer checked at once), StopExecution of an hour's Wait (ABORTED), DescribeExecution of an
earlier execution, ListExecutions. Then every accepted StartExecution is described until it ends and
its status (and error) must be the one expected.

Resources of the server process, from /proc/PID (Linux):
- descriptors: /proc/PID/fd counted once the machines exist, before any client, and again after every
  client closed its connection; the second count must come back to the first within 10 s;
- memory: VmRSS after the first quarter of the run (allocator and caches warmed up) and at the end. The
  server keeps every STANDARD execution with its history (as AWS keeps them for 90 days), so memory grows
  with them by design (EXPRESS ones, StartSyncExecution's, are let go when they end); the bound is generous: growth <= 64 MB + 16 KB per
  execution started after the first sample (a record with its history takes about 5 KB of RSS), which
  a leaked coroutine frame, engine or connection per request would exceed.
"""
import http.client
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

STEPSIM = sys.argv[1]
SECONDS = float(os.environ.get("STEPSIM_SOAK_SECONDS", "3"))
CLIENTS = 8
ROLE = "arn:aws:iam::123456789012:role/soak"
SM = "arn:aws:states:us-east-1:123456789012:stateMachine:"

MACHINES = {
    "Ok": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
    "Boom": {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Boom", "Cause": "always"}}},
    "Nap": {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 2, "Next": "P"}, "P": {"Type": "Pass", "End": True}}},
    "Pick": {"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.odd", "BooleanEquals": True, "Next": "Odd"}], "Default": "Even"},
        "Odd": {"Type": "Fail", "Error": "Odd"}, "Even": {"Type": "Succeed"}}},
    "Long": {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": True}}},
}

failures = []
lock = threading.Lock()


def fail(what):
    with lock:
        if len(failures) < 20:
            print("FAIL " + what, flush=True)
        failures.append(what)


class Client:
    """One keep-alive connection speaking AWS JSON 1.0."""

    def __init__(self, port):
        self.port = port
        self.conn = None
        self.sent = 0

    def call(self, op, body):
        if self.conn is None or self.sent % 100 == 0:
            if self.conn is not None:
                self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        self.sent += 1
        data = json.dumps(body)
        self.conn.request("POST", "/", data, {"X-Amz-Target": "AWSStepFunctions." + op,
                                              "Content-Type": "application/x-amz-json-1.0"})
        r = self.conn.getresponse()
        text = r.read()
        return r.status, json.loads(text)

    def close(self):
        if self.conn is not None:
            self.conn.close()


def fds(pid):
    return len(os.listdir("/proc/%d/fd" % pid))


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def worker(port, index, warm_at, deadline, counts):
    rnd = random.Random(index)
    c = Client(port)
    started = []  # (arn, expected status, expected error)
    after_warm = 0  # executions started after the first memory sample
    synced = 0  # synchronous executions after it (the server keeps their records too)
    n = 0
    try:
        while time.monotonic() < deadline:
            n += 1
            kind = n % 8
            if kind in (0, 1, 2, 3):
                name = ("Ok", "Boom", "Nap", "Pick")[kind]
                odd = rnd.random() < 0.5
                status, out = c.call("StartExecution", {"stateMachineArn": SM + name, "input": json.dumps({"odd": odd, "n": n})})
                if status != 200:
                    fail("StartExecution %s: %d %s" % (name, status, out))
                    continue
                expected = {"Ok": ("SUCCEEDED", None), "Boom": ("FAILED", "Boom"), "Nap": ("SUCCEEDED", None),
                            "Pick": ("FAILED", "Odd") if odd else ("SUCCEEDED", None)}[name]
                started.append((out["executionArn"], *expected))
                after_warm += time.monotonic() >= warm_at
            elif kind == 4:
                status, out = c.call("StartSyncExecution", {"stateMachineArn": SM + "Quick", "input": json.dumps({"n": n})})
                if status != 200 or out.get("status") != "SUCCEEDED" or json.loads(out.get("output", "null")) != {"n": n}:
                    fail("StartSyncExecution: %d %s" % (status, out))
                synced += time.monotonic() >= warm_at
            elif kind == 5:
                status, out = c.call("StartExecution", {"stateMachineArn": SM + "Long"})
                if status == 200:
                    arn = out["executionArn"]
                    status, out = c.call("StopExecution", {"executionArn": arn, "error": "Soak"})
                    if status != 200:
                        fail("StopExecution: %d %s" % (status, out))
                    started.append((arn, "ABORTED", "Soak"))
                    after_warm += time.monotonic() >= warm_at
                else:
                    fail("StartExecution Long: %d %s" % (status, out))
            elif kind == 6 and started:
                arn, want, error = rnd.choice(started)
                status, out = c.call("DescribeExecution", {"executionArn": arn})
                if status != 200 or out.get("status") not in ("RUNNING", want):
                    fail("DescribeExecution %s: %d %s, expected %s" % (arn, status, out, want))
            else:
                status, out = c.call("ListExecutions", {"stateMachineArn": SM + "Nap", "maxResults": 10})
                if status != 200 or len(out.get("executions", [])) > 10:
                    fail("ListExecutions: %d %s" % (status, out))
        # Every accepted execution ends with the status it must have.
        for arn, want, error in started:
            for _ in range(600):
                status, out = c.call("DescribeExecution", {"executionArn": arn, "includedData": "METADATA_ONLY"})
                if status != 200 or out.get("status") != "RUNNING":
                    break
                time.sleep(0.05)
            if status != 200 or out.get("status") != want or out.get("error") != error:
                fail("%s ended %s (%s), expected %s (%s)" % (arn, out.get("status"), out.get("error"), want, error))
    except Exception as e:  # a dropped connection, a reset, a timeout: the server misbehaved
        fail("client %d: %r" % (index, e))
    finally:
        c.close()
        with lock:
            counts["requests"] += c.sent
            counts["executions"] += len(started)
            counts["after_warm"] += after_warm + synced


def main():
    data = tempfile.mkdtemp(prefix="stepsim-soak-")
    proc = subprocess.Popen([STEPSIM, "serve", "--port", "0", "--data", data, "--speed", "20"], stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        if not line.startswith("listening on http://"):
            sys.exit("FAIL: stepsim serve did not start: %r" % line)
        port = int(line.strip().rsplit(":", 1)[1])
        setup = Client(port)
        for name, definition in MACHINES.items():
            status, out = setup.call("CreateStateMachine", {"name": name, "definition": json.dumps(definition), "roleArn": ROLE})
            if status != 200:
                sys.exit("FAIL: CreateStateMachine %s: %s" % (name, out))
        setup.call("CreateStateMachine", {"name": "Quick", "type": "EXPRESS", "roleArn": ROLE,
                                          "definition": json.dumps(MACHINES["Ok"])})
        setup.close()
        time.sleep(0.2)
        fd_before = fds(proc.pid)

        counts = {"requests": 0, "executions": 0, "after_warm": 0}
        t0 = time.monotonic()
        warm_at = t0 + SECONDS / 4
        threads = [threading.Thread(target=worker, args=(port, i, warm_at, t0 + SECONDS, counts)) for i in range(CLIENTS)]
        for t in threads:
            t.start()
        time.sleep(max(0.0, warm_at - time.monotonic()))
        rss_warm = rss_kb(proc.pid)
        for t in threads:
            t.join()
        wall = time.monotonic() - t0
        rss_end = rss_kb(proc.pid)
        if proc.poll() is not None:
            fail("stepsim serve died under load (exit %s)" % proc.returncode)
        print("%d clients, %.1f s: %d requests (%.0f/s), %d executions checked; RSS %.1f MB -> %.1f MB"
              % (CLIENTS, wall, counts["requests"], counts["requests"] / wall, counts["executions"], rss_warm / 1024, rss_end / 1024),
              flush=True)
        if counts["executions"] < CLIENTS:
            fail("only %d executions were started" % counts["executions"])

        deadline = time.monotonic() + 10
        while fds(proc.pid) > fd_before and time.monotonic() < deadline:
            time.sleep(0.05)
        fd_after = fds(proc.pid)
        print("descriptors: %d before the clients, %d after" % (fd_before, fd_after))
        if fd_after > fd_before:
            fail("descriptors leak: %d before the clients, %d after they closed" % (fd_before, fd_after))

        later = counts["after_warm"]
        bound_kb = 64 * 1024 + 16 * later
        if rss_end - rss_warm > bound_kb:
            fail("memory grew by %.1f MB, over the bound of %.1f MB (64 MB + 16 KB x %d executions)"
                 % ((rss_end - rss_warm) / 1024, bound_kb / 1024, later))
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            if proc.wait(timeout=30) != 0:
                fail("stepsim serve exited %d on SIGTERM" % proc.returncode)
        shutil.rmtree(data, ignore_errors=True)
    if failures:
        sys.exit("FAIL: %d check(s) failed" % len(failures))
    print("all checks passed")


main()
