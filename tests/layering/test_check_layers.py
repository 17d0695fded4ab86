#!/usr/bin/env python3
"""check_layers.py on the fixture tree (tests/layering/fixture): it must fail,
naming exactly the bad includes the fixture holds, and the order it checks
against must come from the table it is given."""
import pathlib
import subprocess
import sys

here = pathlib.Path(__file__).resolve().parent
checker = here / "check_layers.py"
fixture = here / "fixture"


def run(layers):
    p = subprocess.run([sys.executable, str(checker), "--root", str(fixture), "--layers", layers],
                       capture_output=True, text=True)
    return p.returncode, p.stdout.splitlines()


failures = []


def expect(layers, code, lines):
    got_code, got = run(layers)
    if got_code != code or sorted(got) != sorted(lines):
        failures.append(f"--layers {layers}: expected exit {code} and\n  " + "\n  ".join(lines) +
                        f"\ngot exit {got_code} and\n  " + "\n  ".join(got))


common = [
    "lib/engine/run.cpp:5: engine includes \"sim/impl.hpp\", a private header of sim",
    "lib/sim/clock.cpp:5: sim includes \"../engine/secret.hpp\", a private header of engine",
    "lib/sim/clock.cpp:6: sim includes <stepsim/mystery/thing.hpp>, of 'mystery', which is not a component of the "
    "layer table",
    "include/stepsim/engine/engine.hpp:4: the public header includes \"../../../lib/engine/secret.hpp\", a private "
    "header (lib/engine); public headers include public headers only",
]

# sim below engine: sim may not include engine's public header.
expect("sim;engine;extra", 1, common + [
    "lib/sim/clock.cpp:4: sim includes <stepsim/engine/engine.hpp>, of engine, a component above it",
])

# The same tree with engine below sim: now engine's uses of sim are the ones going up.
expect("engine;sim;extra", 1, common + [
    "lib/engine/run.cpp:3: engine includes <stepsim/sim/clock.hpp>, of sim, a component above it",
    "include/stepsim/engine/engine.hpp:3: engine includes <stepsim/sim/clock.hpp>, of sim, a component above it",
])

# A folder missing from the table is named.
code, lines = run("sim;engine")
if code != 1 or not any(l.startswith("lib/extra: 'extra' is not a component of the layer table") for l in lines):
    failures.append("a folder missing from the table (lib/extra) is not reported:\n  " + "\n  ".join(lines))

for f in failures:
    print(f)
print("ok" if not failures else f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
