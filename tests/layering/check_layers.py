#!/usr/bin/env python3
"""Checks stepsim's layering: every #include of every component against the
order of the components (STEPSIM_LAYERS in the top CMakeLists.txt, the table
of ARCHITECTURE.md).

    check_layers.py --root <source dir> --layers "json;sim;...;cli"

A file belongs to the component of its folder: lib/<component>/... (its
implementation and private headers) or include/stepsim/<component>/... and
include/stepsim/<component>.hpp (its public headers). It may include

  - public headers (<stepsim/<other>/...>) of its own component and of those
    listed before it, never of one listed after it;
  - private headers of its own component only (never lib/<other>/..., by any
    spelling: "other/x.hpp", "../other/x.hpp");
  - from a public header: public headers only.

Every folder of lib/ and include/stepsim/ must be a component of the list.
Prints one line per violation (file:line: what) and exits 1 if there is any.
"""
import argparse
import pathlib
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
SOURCES = {".cpp", ".hpp", ".h", ".ipp", ".cc", ".hh"}


def owner_of(rel):
    """(component, is_public) of a path relative to the root, or None."""
    parts = rel.parts
    if len(parts) >= 3 and parts[0] == "lib":
        return parts[1], False
    if len(parts) >= 3 and parts[0] == "include" and parts[1] == "stepsim":
        if len(parts) == 3:  # include/stepsim/<component>.hpp
            return pathlib.PurePosixPath(parts[2]).stem, True
        return parts[2], True
    return None


def check(root, layers):
    level = {name: i for i, name in enumerate(layers)}
    problems = []
    files = []
    for top in (root / "lib", root / "include" / "stepsim"):
        if not top.is_dir():
            continue
        for entry in sorted(top.iterdir()):
            name = entry.stem if entry.is_file() else entry.name
            if entry.is_file() and entry.suffix not in SOURCES:
                continue
            if name not in level:
                problems.append(f"{entry.relative_to(root).as_posix()}: '{name}' is not a component of the layer "
                                f"table ({';'.join(layers)}); add it where it belongs")
                continue
            if entry.is_file():
                files.append(entry)
            else:
                files.extend(sorted(p for p in entry.rglob("*") if p.is_file() and p.suffix in SOURCES))

    def public_component(target):
        """The component of a public header named as stepsim/<component>/... or stepsim/<component>.hpp."""
        parts = pathlib.PurePosixPath(target).parts
        if len(parts) >= 2 and parts[0] == "stepsim":
            return pathlib.PurePosixPath(parts[1]).stem if len(parts) == 2 else parts[1]
        return None

    for path in files:
        rel = path.relative_to(root)
        owner, public = owner_of(rel)
        where = rel.as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            quoted, target = m.group(1) == '"', m.group(2)
            shown = f'"{target}"' if quoted else f"<{target}>"
            at = f"{where}:{number}"
            component = public_component(target)
            resolved = None
            if component is None and quoted:
                candidate = (path.parent / target).resolve()
                if candidate.is_file():
                    try:
                        resolved = candidate.relative_to(root.resolve())
                    except ValueError:
                        resolved = None
            if component is None and resolved is None:
                # "other/x.hpp" or <other/x.hpp>: another component's private header?
                first = pathlib.PurePosixPath(target).parts[0]
                if first in level and (root / "lib" / target).is_file():
                    resolved = pathlib.PurePosixPath("lib", target)
            if resolved is not None:
                found = owner_of(pathlib.PurePosixPath(resolved))
                if found is None:
                    continue
                if found[1]:  # a public header, reached by a relative path
                    component = found[0]
                else:
                    if public:
                        problems.append(f"{at}: the public header includes {shown}, a private header "
                                        f"(lib/{found[0]}); public headers include public headers only")
                    elif found[0] != owner:
                        problems.append(f"{at}: {owner} includes {shown}, a private header of {found[0]}")
                    continue
            if component is None:
                continue  # a system or third-party header
            if component not in level:
                problems.append(f"{at}: {owner} includes {shown}, of '{component}', which is not a component of "
                                f"the layer table")
            elif level[component] > level[owner]:
                problems.append(f"{at}: {owner} includes {shown}, of {component}, a component above it")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", required=True, type=pathlib.Path, help="the source tree (with lib/ and include/)")
    parser.add_argument("--layers", required=True, help="the components from the ground up, separated by ';'")
    args = parser.parse_args()
    layers = [name for name in args.layers.split(";") if name]
    problems = check(args.root, layers)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} layering violation(s)", file=sys.stderr)
        return 1
    print(f"layering: every include follows {' < '.join(layers)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
