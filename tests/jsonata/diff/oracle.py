"""The two evaluators behind one JSON-lines protocol, and how their answers compare.

Both read `{"expr", "data"?, "bindings"?, "timelimit"?, "depth"?}` lines and
write `{"result": v}` | `{"undefined": true}` | `{"error": {"code", ...}}`.
"""

import json
import math
import os
import select
import subprocess
import tempfile
import threading
import time

FUNCTION = "<function>"


class Evaluator:
    """A command speaking the protocol: batches through one process run, single
    requests through a persistent process (restarted after a crash).

    `per_request` (seconds) bounds each answer: a request not answered within
    it after the previous answer is answered {"timeout": ...}, the process is
    killed and the batch goes on with the next request in a new process."""

    def __init__(self, name, argv, cwd=None, per_request=60, env=None):
        self.name, self.argv, self.cwd, self.per_request, self.env = name, argv, cwd, per_request, env
        self.proc = None

    def batch(self, lines):
        """Answers for `lines` (JSON texts), one per line; a crash or hang
        answers the request it happened on with {"crash": ...} / {"timeout": ...} and goes on."""
        answers = []
        while len(answers) < len(lines):
            todo = lines[len(answers):]
            got, failure = self._run(todo)
            answers += got
            if failure is not None:
                answers.append(failure)
        return answers

    def _run(self, todo):
        """Answers of one process run on `todo`, and the failure that ended it early (or None)."""
        with tempfile.TemporaryFile() as err:
            p = subprocess.Popen(self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err, cwd=self.cwd,
                                 env=self.env)

            def feed():
                try:
                    for line in todo:
                        p.stdin.write((line + "\n").encode())
                    p.stdin.close()
                except (BrokenPipeError, OSError, ValueError):
                    pass

            writer = threading.Thread(target=feed, daemon=True)
            writer.start()
            got, buf, fd = [], b"", p.stdout.fileno()
            failure = None
            deadline = time.monotonic() + self.per_request
            while len(got) < len(todo):
                # not splitlines(): U+2028 is no line end here
                while b"\n" in buf and len(got) < len(todo):
                    line, buf = buf.split(b"\n", 1)
                    if line.strip():
                        got.append(parse_answer(line.decode("utf-8", "replace")))
                        deadline = time.monotonic() + self.per_request
                if len(got) == len(todo):
                    break
                ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
                if not ready:
                    failure = {"timeout": "%s gave no answer within %g s" % (self.name, self.per_request)}
                    break
                chunk = os.read(fd, 1 << 16)
                if not chunk:
                    p.wait()
                    err.seek(0)
                    text = err.read().decode("utf-8", "replace").strip()[-300:]
                    failure = {"crash": "%s exited with %s: %s" % (self.name, p.returncode, text)}
                    break
                buf += chunk
            if p.poll() is None:
                p.kill()
            p.wait()
            p.stdout.close()
            writer.join()
            return got, failure

    def one(self, line):
        if self.proc is None or self.proc.poll() is not None:
            self.proc = subprocess.Popen(self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=subprocess.DEVNULL, text=True, cwd=self.cwd, bufsize=1,
                                         env=self.env)
        try:
            self.proc.stdin.write(line + "\n")
            self.proc.stdin.flush()
            out = self.proc.stdout.readline()
        except (BrokenPipeError, OSError):
            out = ""
        if not out:
            self.close()
            return {"crash": "%s died" % self.name}
        return parse_answer(out)

    def close(self):
        if self.proc is not None:
            try:
                self.proc.kill()
                self.proc.wait()
            except OSError:
                pass
            self.proc = None


def parse_answer(text):
    try:
        a = json.loads(text)
    except ValueError:
        return {"crash": "not JSON: " + text[:200]}
    if isinstance(a, dict) and not a:
        # JSON.stringify({result: f}) drops a function-valued member.
        return {"result": FUNCTION}
    return a


def numbers_as_doubles(v):
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, list):
        return [numbers_as_doubles(x) for x in v]
    return {k: numbers_as_doubles(x) for k, x in v.items()}


def same_value(a, b, tolerance=0.0):
    """Deep equality, numbers compared as doubles (exactly, or within a relative tolerance)."""
    if isinstance(a, bool) or isinstance(b, bool) or a is None or b is None or isinstance(a, str):
        return type(a) is type(b) and a == b
    if isinstance(a, float) and isinstance(b, float):
        if a == b:
            return True
        return tolerance > 0 and math.isfinite(a) and abs(a - b) <= tolerance * max(abs(a), abs(b))
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_value(x, y, tolerance) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_value(a[k], b[k], tolerance) for k in a)
    return False


def key_order(v, js=False):
    """The keys of every object, in order; with `js`, in the order a JavaScript
    object keeps them: integer-like keys ("0" to "4294967294") first, ascending."""
    if isinstance(v, list):
        return [key_order(x, js) for x in v]
    if isinstance(v, dict):
        keys = list(v)
        if js:
            index = [k for k in keys if k.isdigit() and (k == "0" or k[0] != "0") and int(k) < 4294967295]
            keys = sorted(index, key=int) + [k for k in keys if k not in set(index)]
        return [(k, key_order(v[k], js)) for k in keys]
    return None


def reference_timed_out(ref):
    """The reference ran out of time on a request: killed (no answer in time),
    or stopped by its own timelimit check (U1001 "Expression evaluation timeout")."""
    if "timeout" in ref:
        return True
    e = ref.get("error") or {}
    return e.get("code") == "U1001" and "timeout" in str(e.get("message", ""))


def shape(a):
    if "crash" in a:
        return "crash"
    if "timeout" in a:
        return "timeout"
    if "result" in a:
        return "result"
    if a.get("undefined") is True:
        return "undefined"
    if "error" in a:
        return "error " + str(a["error"].get("code"))
    return "other"


def disagreement(ref, ours):
    """None when the answers agree, else the kind of disagreement (a short string)."""
    if "crash" in ref or reference_timed_out(ref):
        return None  # the reference itself failed (out of memory, out of time): nothing to compare
    if "crash" in ours:
        return "crash"
    if "timeout" in ours:
        return "hang"
    if "error" in ours and ours["error"].get("code") == "internal":
        return "internal-error"
    rs, os_ = shape(ref), shape(ours)
    if rs == "result" and os_ == "result":
        if ref["result"] == FUNCTION:
            return None if ours["result"] in ("", FUNCTION) else "function-vs-value"
        a, b = numbers_as_doubles(ref["result"]), numbers_as_doubles(ours["result"])
        if same_value(a, b):
            # A JavaScript object lists integer-like keys first: that order is the reference's, not JSONata's.
            return None if key_order(a) in (key_order(b), key_order(b, js=True)) else "key-order"
        return "number-rounding" if same_value(a, b, 1e-9) else "different-result"
    if rs.startswith("error") and os_.startswith("error"):
        if rs == os_ or rs == "error unknown":
            return None
        return "error-code %s vs %s" % (rs[6:], os_[6:])
    if rs == os_:
        return None
    return "%s vs %s" % (rs, os_)
