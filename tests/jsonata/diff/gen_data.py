"""What the expression generator knows of an input: its paths, their types, sample values."""

import re

KEYWORDS = {"and", "or", "in", "true", "false", "null", "function"}
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def quote_name(k):
    if NAME.match(k) and k not in KEYWORDS:
        return k
    return "`" + k + "`"


def type_of(v):
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "num"
    if isinstance(v, str):
        return "str"
    if isinstance(v, list):
        return "arr"
    if isinstance(v, dict):
        return "obj"
    return "null"


def literal(v):
    """JSONata literal text of a scalar sample value."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return repr(v) if isinstance(v, float) else str(v)


class DataIndex:
    """Paths (tuples of keys, arrays transparent as in JSONata) with the types of what they reach."""

    def __init__(self, value):
        self.value = value
        self.types = {}    # path -> set of types
        self.samples = {}  # path -> list of scalar values
        self.object_arrays = set()  # paths reaching arrays of objects
        self._walk(value, ())
        self.paths = sorted(p for p in self.types if p)
        self.by_type = {}
        for p in self.paths:
            for t in self.types[p]:
                self.by_type.setdefault(t, []).append(p)
        self.last_array = None

    def _note(self, path, v):
        t = type_of(v)
        self.types.setdefault(path, set()).add(t)
        if t in ("num", "str", "bool"):
            s = self.samples.setdefault(path, [])
            if len(s) < 6 and v not in s:
                s.append(v)

    def _walk(self, v, path):
        if isinstance(v, dict):
            for k, x in v.items():
                if "`" in k:
                    continue
                p = path + (k,)
                self._note(p, x)
                self._walk(x, p)
        elif isinstance(v, list):
            for x in v:
                if isinstance(x, dict):
                    self.object_arrays.add(path)
                if isinstance(x, list):
                    self._walk(x, path)
                else:
                    if path:
                        self._note(path, x)
                    self._walk(x, path)

    @staticmethod
    def render(path):
        return ".".join(quote_name(k) for k in path) if path else "$"

    def path_of(self, r, t, decorate=False):
        """A path to a value of type `t` ("any": any), sometimes decorated or broken on purpose."""
        pool = self.paths if t == "any" else self.by_type.get(t, [])
        if not pool:
            return None
        p = list(r.choice(pool))
        if r.random() < 0.05:
            p.append(r.choice(["missing", "Missing", "nope"]))
        if not decorate or r.random() < 0.5:
            text = self.render(p)
            return ("$." + text) if r.random() < 0.1 and text != "$" else text
        steps = [quote_name(k) for k in p]
        k = r.randrange(6)
        i = r.randrange(len(steps))
        if k == 0:
            steps[i] = "*"
        elif k == 1:
            steps = ["**"] + steps[i:]
        elif k == 2 and (tuple(p[: i + 1]) in self.object_arrays or "arr" in self.types.get(tuple(p[: i + 1]), ())):
            steps[i] += r.choice(["[0]", "[-1]", "[1]", "[[0..1]]", "[5]"])
        elif k == 3 and len(steps) > 1:
            steps.append("%")
            steps.append(quote_name(p[-2]) if len(p) > 1 and r.random() < 0.3 else "*")
        elif k == 4:
            steps.append(r.choice(["$string()", "$type($)", "{'v': $}", "[$]", "$keys()"]))
        else:
            steps = ["$$"] + steps
        return ".".join(steps)

    def _array(self, r):
        arrays = sorted(self.object_arrays - {()})
        if not arrays:
            return None
        self.last_array = r.choice(arrays)
        return self.last_array

    def children(self, arr, t=None):
        return [p for p in self.paths if len(p) == len(arr) + 1 and p[: len(arr)] == arr
                and (t is None or t in self.types[p])]

    def array_of_objects(self, r):
        a = self._array(r)
        return self.render(a) if a else None

    def array_with_key(self, r, key_type=None):
        a = self._array(r)
        if not a:
            return None, None
        keys = self.children(a, key_type) or self.children(a)
        if not keys:
            return None, None
        return self.render(a), quote_name(r.choice(keys)[-1])

    def num_field_under(self, r, _rendered):
        if not self.last_array:
            return None
        keys = self.children(self.last_array, "num")
        return quote_name(r.choice(keys)[-1]) if keys else None

    def filtered_path(self, r, make_operand):
        a = self._array(r)
        if not a:
            return None
        keys = self.children(a)
        if not keys:
            return None
        f = r.choice(keys)
        samples = self.samples.get(f)
        if samples and r.random() < 0.7:
            op = r.choice(["=", "!=", ">", "<", ">=", "<="])
            pred = quote_name(f[-1]) + " " + op + " " + literal(r.choice(samples))
        elif r.random() < 0.5:
            pred = quote_name(f[-1])
        else:
            pred = make_operand("bool", 1).render()
        text = self.render(a) + "[" + pred + "]"
        rest = self.children(a)
        if rest and r.random() < 0.7:
            text += "." + quote_name(r.choice(rest)[-1])
        return text


def inline_data(r, depth=3):
    """A small random JSON value with a few recurring keys."""
    k = r.random()
    if depth <= 0 or k < 0.3:
        return r.choice([0, 1, -2, 2.5, 1e21, 0.1, "a", "b", "", "x y", True, False, None, 100, "10"])
    if k < 0.6:
        return [inline_data(r, depth - 1) for _ in range(r.randrange(0, 4))]
    return {key: inline_data(r, depth - 1) for key in r.sample(["a", "b", "name", "n", "k", "items"], r.randrange(1, 4))}
