"""Seeded, grammar-based random JSONata expressions over the test suite's datasets.

An expression is a tree of `Node`s (text parts and child nodes) so that the
runner can shrink a disagreeing expression by replacing a node with one of its
children or a literal. Generation is typed (num, str, bool, arr, obj, any) so
that most expressions evaluate to something; some are deliberately ill-typed
or refer to missing fields, to compare errors and undefined results too.
Field names come from the dataset the expression is evaluated against.
"""

import json
import os
import random

from gen_data import DataIndex, inline_data, quote_name


class Node:
    """Text parts (str) and child nodes; `kind` names the construct (for grouping)."""

    __slots__ = ("kind", "parts")

    def __init__(self, kind, *parts):
        self.kind = kind
        self.parts = list(parts)

    def children(self):
        return [p for p in self.parts if isinstance(p, Node)]

    def render(self):
        return "".join(p.render() if isinstance(p, Node) else p for p in self.parts)

    def kinds(self):
        out = {self.kind}
        for c in self.children():
            out |= c.kinds()
        return out


def leaf(kind, text):
    return Node(kind, text)


STRING_FUNCS_1 = ["$uppercase", "$lowercase", "$trim", "$length", "$string", "$base64encode",
                  "$encodeUrlComponent", "$encodeUrl", "$number"]
NUM_FUNCS_1 = ["$abs", "$floor", "$ceil", "$round", "$sqrt", "$string", "$boolean", "$not", "$number"]
ARRAY_AGG = ["$sum", "$max", "$min", "$average", "$count"]
ARRAY_FUNCS_1 = ["$reverse", "$sort", "$distinct", "$count", "$append", "$exists", "$type", "$string", "$boolean"]
NUM_PICTURES = ["'#,##0.00'", "'0.000'", "'#'", "'000'", "'#,###'", "'0.0e0'", "'#0%'", "'00.##'"]
REGEXES = ["/a/", "/[aeiou]/i", "/^\\w+/", "/(\\d)(\\d)/", "/s$/", "/o+/m", "/\\s/", "/[A-Z][a-z]*/"]


class Generator:
    def __init__(self, seed, datasets):
        self.r = random.Random(seed)
        self.datasets = datasets  # name -> DataIndex
        self.names = sorted(datasets)
        self.data = None
        self.vars = []  # variables in scope: (name, type)

    # ---- requests -----------------------------------------------------------------
    def request(self):
        """A (tree, data_name or None, data) triple; data_name None with data None = undefined input."""
        r = self.r.random()
        if r < 0.8:
            name = self.r.choice(self.names)
            self.data = self.datasets[name]
        elif r < 0.95:
            name, value = "inline", inline_data(self.r)
            self.data = DataIndex(value)
        else:
            name, self.data = None, DataIndex(None)
        self.vars = []
        tree = self.gen(self.r.choice(["any", "any", "num", "str", "bool", "arr", "obj"]), 4)
        return tree, name, self.data.value

    # ---- typed generation ---------------------------------------------------------
    def gen(self, t, depth):
        if depth <= 0:
            return self.atom(t)
        choices = {
            "num": [(4, self.atom), (4, self.arith), (2, self.num_func), (2, self.aggregate), (1, self.cond),
                    (1, self.block), (1, self.reduce_call), (1, self.chain)],
            "str": [(4, self.atom), (3, self.concat), (4, self.str_func), (1, self.cond), (1, self.block),
                    (1, self.chain), (1, self.format_num)],
            "bool": [(2, self.atom), (4, self.compare), (2, self.logic), (1, self.bool_func), (1, self.cond)],
            "arr": [(3, self.path), (2, self.array_ctor), (2, self.hof), (1, self.range_), (2, self.array_func),
                    (1, self.sorted_path), (1, self.chain), (1, self.str_split)],
            "obj": [(3, self.object_ctor), (2, self.group_by), (1, self.transform), (1, self.obj_func),
                    (1, self.path)],
            "any": [(6, self.path), (2, self.arith), (2, self.concat), (1, self.compare), (1, self.cond),
                    (1, self.hof), (1, self.array_ctor), (1, self.object_ctor), (1, self.block),
                    (1, self.filtered_path), (1, self.sorted_path), (1, self.group_by), (1, self.str_func),
                    (1, self.aggregate), (1, self.coalesce), (1, self.positional)],
        }[t]
        total = sum(w for w, _ in choices)
        x = self.r.uniform(0, total)
        for w, f in choices:
            x -= w
            if x <= 0:
                return f(t, depth - 1)
        return choices[-1][1](t, depth - 1)

    def sub(self, t, depth):
        """An operand: composite expressions are parenthesised."""
        n = self.gen(t, depth)
        if n.kind in ("lit", "path", "var", "call", "ctor"):
            return n
        return Node("paren", "(", n, ")")

    def atom(self, t, depth=0):
        r = self.r
        if self.vars and r.random() < 0.3:
            same = [v for v, vt in self.vars if vt == t or t == "any"]
            if same:
                return leaf("var", "$" + r.choice(same))
        if r.random() < 0.5 and t != "bool":
            p = self.data.path_of(r, t)
            if p:
                return Node("path", p)
        if t == "num":
            return leaf("lit", r.choice(["0", "1", "2", "3", "7", "10", "-1", "0.5", "1.5", "2.25", "100", "1e3",
                                         "0.1", "3.14159", "1e21", "123456789", "-0.25", "1e-7"]))
        if t == "str":
            return leaf("lit", r.choice(['"a"', '"hello"', '""', '"Hello World"', "'x,y,z'", '" pad "',
                                         '"café"', '"ü\\u00e9"', '"42"', '"3.5"', '"true"', '"a\\"b"']))
        if t == "bool":
            return leaf("lit", r.choice(["true", "false"]))
        if t == "arr":
            return leaf("ctor", r.choice(["[1, 2, 3]", "[]", '["b", "a", "c"]', "[3, 1, 2, 1]", "[[1, 2], [3]]",
                                          '[{"k": 1}, {"k": 2}]']))
        if t == "obj":
            return leaf("ctor", r.choice(['{"a": 1, "b": "x"}', "{}", '{"k": [1, 2]}']))
        return leaf("lit", r.choice(["null", "1", '"s"', "true", "$", "$$", "[]", "{}", "nosuchfield"]))

    def path(self, t, depth):
        p = self.data.path_of(self.r, "any" if t in ("any", "obj", "arr") else t, decorate=True)
        return Node("path", p or self.r.choice(["$", "nosuch.path", "$$"]))

    def filtered_path(self, t, depth):
        p = self.data.filtered_path(self.r, lambda ty, d: self.sub(ty, min(d, 1)))
        return Node("filter", p) if p else self.path(t, depth)

    def sorted_path(self, t, depth):
        arr, key = self.data.array_with_key(self.r)
        if not arr:
            return Node("sort", "$sort(", self.sub("arr", depth), ")")
        d = self.r.choice([">", "<", ""])
        return Node("sort", arr, "^(", d, key, ")")

    def group_by(self, t, depth):
        arr, key = self.data.array_with_key(self.r, key_type="str")
        if not arr:
            return self.object_ctor(t, depth)
        agg = self.r.choice(["$count($)", "$", "$string($)", "$sum(" + (self.data.num_field_under(self.r, arr) or "1")
                             + ")", "$join(" + key + ", ',')"])
        return Node("group", arr, "{", key, ": ", agg, "}")

    def arith(self, t, depth):
        op = self.r.choice(["+", "-", "*", "/", "%", "+", "*"])
        lt = "num" if self.r.random() < 0.9 else "any"
        return Node("arith", self.sub(lt, depth), " " + op + " ", self.sub("num", depth))

    def concat(self, t, depth):
        return Node("concat", self.sub(self.r.choice(["str", "str", "num", "any"]), depth), " & ",
                    self.sub(self.r.choice(["str", "num", "bool"]), depth))

    def compare(self, t, depth):
        op = self.r.choice(["=", "!=", "<", "<=", ">", ">=", "in"])
        ty = self.r.choice(["num", "str", "num", "any"])
        if op == "in":
            return Node("compare", self.sub(ty, depth), " in ", self.sub("arr", depth))
        return Node("compare", self.sub(ty, depth), " " + op + " ", self.sub(ty if self.r.random() < 0.85 else "any", depth))

    def logic(self, t, depth):
        return Node("logic", self.sub("bool", depth), self.r.choice([" and ", " or "]), self.sub("bool", depth))

    def cond(self, t, depth):
        if self.r.random() < 0.2:
            return Node("cond", self.sub("bool", depth), " ? ", self.sub(t, depth))
        return Node("cond", self.sub("bool", depth), " ? ", self.sub(t, depth), " : ", self.sub(t, depth))

    def coalesce(self, t, depth):
        op = self.r.choice([" ?? ", " ?: "])
        return Node("coalesce", self.sub("any", depth), op, self.sub("any", depth))

    def block(self, t, depth):
        name = self.r.choice(["x", "y", "v", "acc"])
        vt = self.r.choice(["num", "str", "arr"])
        val = self.gen(vt, depth)
        self.vars.append((name, vt))
        body = self.gen(t, depth)
        self.vars.pop()
        return Node("block", "($" + name + " := ", val, "; ", body, ")")

    def call(self, fn, *args):
        parts = [fn + "("]
        for i, a in enumerate(args):
            if i:
                parts.append(", ")
            parts.append(a)
        parts.append(")")
        return Node("call", *parts)

    def str_func(self, t, depth):
        r = self.r
        s = self.gen("str", depth)
        k = r.randrange(12)
        if k < 3:
            return self.call(r.choice(STRING_FUNCS_1), s)
        if k == 3:
            return self.call("$substring", s, self.atom("num"), *([self.atom("num")] if r.random() < 0.5 else []))
        if k == 4:
            return self.call(r.choice(["$substringBefore", "$substringAfter"]), s, self.atom("str"))
        if k == 5:
            return self.call("$pad", s, leaf("lit", r.choice(["5", "-6", "0", "3"])),
                             *([leaf("lit", r.choice(['"*"', '"-="']))] if r.random() < 0.5 else []))
        if k == 6:
            return self.call("$replace", s, leaf("lit", r.choice(REGEXES + ['"a"', '"l"'])),
                             leaf("lit", r.choice(['"_"', '"$1"', '"[$0]"', '""'])))
        if k == 7:
            return self.call("$join", self.gen("arr", depth), *([leaf("lit", '", "')] if r.random() < 0.7 else []))
        if k == 8:
            return self.call("$string", self.gen(r.choice(["any", "obj", "arr", "num"]), depth))
        if k == 9:
            return Node("call", "$match(", s, ", " + r.choice(REGEXES) + ")" + r.choice(["", ".match", ".groups",
                                                                                              ".index"]))
        if k == 10:
            return self.call("$formatBase", self.gen("num", depth), leaf("lit", r.choice(["2", "16", "36", "7"])))
        return self.call(r.choice(["$base64decode", "$decodeUrlComponent", "$eval"]),
                         self.call(r.choice(["$base64encode", "$encodeUrlComponent", "$string"]), s))

    def format_num(self, t, depth):
        return self.call("$formatNumber", self.gen("num", depth), leaf("lit", self.r.choice(NUM_PICTURES)))

    def str_split(self, t, depth):
        sep = self.r.choice(['","', '" "', '""', "/[ ,]+/", '"l"'])
        return self.call("$split", self.gen("str", depth), leaf("lit", sep),
                         *([self.atom("num")] if self.r.random() < 0.3 else []))

    def num_func(self, t, depth):
        r = self.r
        k = r.randrange(5)
        if k < 2:
            return self.call(r.choice(NUM_FUNCS_1[:5]), self.gen("num", depth))
        if k == 2:
            return self.call("$round", self.gen("num", depth), leaf("lit", r.choice(["0", "1", "2", "-1"])))
        if k == 3:
            return self.call("$power", self.gen("num", depth), leaf("lit", r.choice(["2", "0.5", "-1", "3"])))
        return self.call(r.choice(["$number", "$length"]), self.gen("str", depth))

    def aggregate(self, t, depth):
        return self.call(self.r.choice(ARRAY_AGG), self.gen(self.r.choice(["arr", "arr", "num", "any"]), depth))

    def bool_func(self, t, depth):
        r = self.r
        k = r.randrange(4)
        if k == 0:
            return self.call("$contains", self.gen("str", depth), leaf("lit", r.choice(REGEXES + ['"o"', '"ll"'])))
        if k == 1:
            return self.call(r.choice(["$exists", "$boolean", "$not"]), self.gen("any", depth))
        if k == 2:
            return self.call("$not", self.gen("bool", depth))
        return self.call("$boolean", self.gen(r.choice(["arr", "obj", "str", "num"]), depth))

    def array_func(self, t, depth):
        r = self.r
        k = r.randrange(5)
        if k < 2:
            return self.call(r.choice(["$reverse", "$sort", "$distinct"]), self.gen("arr", depth))
        if k == 2:
            return self.call("$append", self.gen("arr", depth), self.gen(r.choice(["arr", "num", "str"]), depth))
        if k == 3:
            return self.call("$zip", self.gen("arr", depth), self.gen("arr", depth))
        return self.call("$sort", self.gen("arr", depth), self.lam(["a", "b"], "bool", depth,
                                                                     body_of=lambda: Node("lit", "$a > $b")))

    def obj_func(self, t, depth):
        r = self.r
        k = r.randrange(5)
        o = self.gen("obj", depth)
        if k == 0:
            return self.call("$keys", o)
        if k == 1:
            return self.call("$spread", o)
        if k == 2:
            return self.call("$merge", Node("ctor", "[", o, ", ", self.gen("obj", depth), "]"))
        if k == 3:
            return self.call("$lookup", o, self.atom("str"))
        return self.call("$sift", o, self.lam(["v", "k"], "bool", depth,
                                               body_of=lambda: Node("lit", r.choice(["$type($v) = 'number'",
                                                                                       "$length($k) > 3", "$exists($v)"]))))

    def lam(self, params, t, depth, body_of=None):
        for p in params:
            self.vars.append((p, "any"))
        body = body_of() if body_of else self.gen(t, depth)
        for _ in params:
            self.vars.pop()
        return Node("lambda", "function(" + ", ".join("$" + p for p in params) + ") { ", body, " }")

    def hof(self, t, depth):
        r = self.r
        arr = self.gen("arr", depth)
        k = r.randrange(4)
        if k == 0:
            return self.call("$map", arr, self.lam(["v"] + (["i"] if r.random() < 0.3 else []),
                                                   r.choice(["num", "str", "any"]), depth))
        if k == 1:
            return self.call("$filter", arr, self.lam(["v"], "bool", depth))
        if k == 2:
            return self.call("$single", arr, self.lam(["v"], "bool", depth))
        return self.call("$each", self.gen("obj", depth), self.lam(["v", "k"], "str", depth))

    def reduce_call(self, t, depth):
        return self.call("$reduce", self.gen("arr", depth),
                         self.lam(["a", "b"], "num", depth,
                                  body_of=lambda: Node("lit", self.r.choice(["$a + $b", "$a * $b", "$max([$a, $b])",
                                                                              "$a & $b"]))),
                         *([self.atom("num")] if self.r.random() < 0.5 else []))

    def chain(self, t, depth):
        fn = {"num": ["$abs()", "$floor()", "$sum()", "$count()", "$round(1)"],
              "str": ["$uppercase()", "$trim()", "$substring(1)", "$string()", "$lowercase() ~> $length()"],
              "arr": ["$reverse()", "$sort()", "$distinct()", "$map(function($v) { $v })"]}[t]
        src = self.gen({"num": "num", "str": "str", "arr": "arr"}[t], depth)
        return Node("chain", self.sub_of(src), " ~> " + self.r.choice(fn))

    def sub_of(self, n):
        return n if n.kind in ("lit", "path", "var", "call", "ctor") else Node("paren", "(", n, ")")

    def array_ctor(self, t, depth):
        n = self.r.randrange(0, 4)
        parts = ["["]
        for i in range(n):
            if i:
                parts.append(", ")
            parts.append(self.gen(self.r.choice(["num", "str", "any", "arr"]), depth))
        parts.append("]")
        return Node("ctor", *parts)

    def range_(self, t, depth):
        a = self.r.choice(["0", "1", "-2", "3", "$count([1,2])"])
        b = self.r.choice(["0", "5", "3", "10", "2.5"])
        return Node("range", "[" + a + ".." + b + "]")

    def object_ctor(self, t, depth):
        keys = self.r.sample(['"a"', '"b"', '"name"', '"n"'], self.r.randrange(0, 4))
        parts = ["{"]
        for i, key in enumerate(keys):
            if i:
                parts.append(", ")
            if self.r.random() < 0.2:
                key = None
            parts.append(Node("key", key) if key else self.sub("str", 0))
            parts.append(": ")
            parts.append(self.gen(self.r.choice(["num", "str", "any", "arr", "bool"]), depth))
        parts.append("}")
        return Node("ctor", *parts)

    def transform(self, t, depth):
        loc = self.data.path_of(self.r, "obj") or "$"
        upd = self.object_ctor("obj", min(depth, 1))
        dele = self.r.choice(["", ", ['a']", ", 'name'", ", []"])
        return Node("transform", "$ ~> |" + loc + "|", upd, dele + "|")

    def positional(self, t, depth):
        arr = self.data.array_of_objects(self.r)
        if not arr:
            return self.path(t, depth)
        r = self.r.random()
        if r < 0.5:
            return Node("positional", arr + "#$i[$i < 2].{'i': $i}")
        return Node("positional", arr + "@$o.{'o': $o, 'all': $count($$)}")


def load_datasets(folder, names=None):
    out = {}
    for f in sorted(os.listdir(folder)):
        if not f.endswith(".json"):
            continue
        name = f[:-5]
        if names and name not in names:
            continue
        with open(os.path.join(folder, f), encoding="utf-8") as fh:
            out[name] = DataIndex(json.load(fh))
    return out


__all__ = ["Generator", "Node", "load_datasets", "quote_name"]
