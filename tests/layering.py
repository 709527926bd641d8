#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""The layering check (docs/architecture.md, "Layering").

Every `#include "x.h"` in the tree must point along the layers:

    configs   crypto          (depend on no module of ours)
         \\   /    \\
        dataplane   |
             |      |
          control --+
             |
            iq        (its codec half is pure: no control/, no dataplane/)
             |
            app       (the composition root: knows every module)

tools/ and bench/ use modules' public headers from the outside; tests/
may also use the private headers of the module they test (tests/unit/<m>/,
tests/fuzz/<m>/). A module's public headers are the files in its include/;
everything else is private to the module. Nothing includes app/.

Usage: layering.py [ROOT] [--graph] [--self-test]
  exit 0 when every include is allowed, 1 with one line per violation.
  --graph prints the module-level include arrows (a -> b: count).
  --self-test checks the checker on a made-up tree with known violations.
"""
import os
import re
import sys
from collections import Counter

MODULES = ["configs", "crypto", "dataplane", "control", "iq", "app"]

# Which modules a module may include public headers from (besides itself).
ALLOWED = {
    "configs": set(),
    "crypto": set(),
    "dataplane": {"configs", "crypto"},
    "control": {"configs", "crypto", "dataplane"},
    "iq": {"configs", "crypto", "dataplane", "control"},
    "app": {"configs", "crypto", "dataplane", "control", "iq"},
    "tools": {"configs", "crypto", "dataplane", "control", "iq"},
    "bench": {"configs", "crypto", "dataplane", "control", "iq"},
    "tests": {"configs", "crypto", "dataplane", "control", "iq"},
}

# iq's pure half (codec, SDP, transactions, the MGC side): usable by both
# ends of the wire, so it must not reach into the gateway's modules.
IQ_PURE = re.compile(r"^(h248|sdp|iq_txn|iq_common|iq_mgc|iq\.h)")
IQ_PURE_ALLOWED = {"crypto"}  # the MGC side formats a=crypto (sdes.h)

# The unit-test directory names that stand for a module.
TEST_DIR_MODULE = {
    "cfg": "configs",
    "crypto": "crypto",
    "dataplane": "dataplane",
    "dataplane_worker": "dataplane",
    "control": "control",
    "iq": "iq",
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
GUARD = re.compile(r'^#ifndef (IMSAGW_[A-Z0-9_]+_H)\n#define \1$', re.M)


def index_headers(root):
    """header name -> (module, public?) for every module header."""
    where = {}
    for m in MODULES:
        for dirpath, _, files in os.walk(os.path.join(root, m)):
            public = os.path.basename(dirpath) == "include"
            for f in files:
                if f.endswith((".h", ".inc")):
                    if f in where and where[f][0] != m:
                        sys.exit(f"layering: header {f} exists in {where[f][0]} "
                                 f"and {m}: names must be unique")
                    where[f] = (m, public)
    return where


def source_files(root):
    for top in MODULES + ["tools", "bench", "tests"]:
        for dirpath, dirs, files in os.walk(os.path.join(root, top)):
            dirs[:] = [d for d in dirs if not d.startswith(("build", "."))]
            for f in files:
                if f.endswith((".c", ".h", ".inc")):
                    yield top, os.path.join(dirpath, f)


def own_test_module(root, path):
    """tests/unit/<m>/... or tests/fuzz/<m>/... -> the module it tests."""
    parts = os.path.relpath(path, root).split(os.sep)
    if len(parts) >= 3 and parts[0] == "tests" and parts[1] in ("unit", "fuzz"):
        return TEST_DIR_MODULE.get(parts[2])
    return None


def check(root):
    where = index_headers(root)
    violations = []
    arrows = Counter()
    for top, path in source_files(root):
        rel = os.path.relpath(path, root)
        with open(path, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
        if path.endswith(".h") and not GUARD.search(text):
            violations.append(f"{rel}: no IMSAGW_<FILE>_H include guard")
        for name in INCLUDE.findall(text):
            base = os.path.basename(name)
            if base not in where:
                continue  # local to tools/bench/tests, or not ours
            mod, public = where[base]
            if mod == top:
                continue
            arrows[(top, mod)] += 1
            if mod == "app":
                violations.append(f"{rel}: includes {name} from app/ (the root)")
                continue
            allowed = ALLOWED[top]
            if top == "iq" and IQ_PURE.match(os.path.basename(path)):
                allowed = IQ_PURE_ALLOWED
            if mod not in allowed:
                violations.append(f"{rel}: {top}/ may not include {mod}/'s {name}")
            elif not public and own_test_module(root, path) != mod:
                violations.append(f"{rel}: {name} is private to {mod}/")
    return violations, arrows


def self_test():
    """A tree with one allowed include and one of each kind of violation."""
    import tempfile
    G = "#ifndef IMSAGW_X_H\n#define IMSAGW_X_H\n"
    files = {
        "crypto/include/sec.h": "#ifndef IMSAGW_SEC_H\n#define IMSAGW_SEC_H\n",
        "crypto/sec_priv.h": "#ifndef SEC_PRIV_H\n#define SEC_PRIV_H\n",  # guard
        "control/include/ctl.h": G + '#include "sec.h"\n',       # allowed
        "control/ctl_x.c": '#include "iq_mg.h"\n',                # upward
        "iq/include/iq_mg.h": G + '#include "ctl.h"\n',           # allowed
        "iq/h248_decode.c": '#include "ctl.h"\n',                 # pure half
        "dataplane/dp_x.c": '#include "sec_priv.h"\n',            # private
        "app/app_priv.h": G,
        "tools/t.c": '#include "app_priv.h"\n',                   # the root
        "tests/unit/crypto/t.c": '#include "sec_priv.h"\n',       # allowed
        "configs/include/cfg.h": G,
    }
    with tempfile.TemporaryDirectory() as d:
        for rel, text in files.items():
            os.makedirs(os.path.join(d, os.path.dirname(rel)), exist_ok=True)
            with open(os.path.join(d, rel), "w") as fh:
                fh.write(text)
        violations, _ = check(d)
    want = ["control/ctl_x.c", "iq/h248_decode.c", "dataplane/dp_x.c", "tools/t.c",
            "crypto/sec_priv.h"]
    got = sorted(v.split(":")[0] for v in violations)
    if got != sorted(want):
        print(f"self-test: expected violations in {sorted(want)}, got {violations}")
        return 1
    print(f"self-test: {len(want)} violations found as expected")
    return 0


def main(argv):
    if "--self-test" in argv:
        return self_test()
    args = [a for a in argv[1:] if not a.startswith("--")]
    root = args[0] if args else os.path.join(os.path.dirname(__file__), "..")
    violations, arrows = check(os.path.abspath(root))
    if "--graph" in argv:
        for (a, b), n in sorted(arrows.items()):
            print(f"{a} -> {b}: {n}")
    for v in violations:
        print(v)
    print(f"layering: {len(violations)} violation(s)")
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
