#!/usr/bin/env python3
"""Sum meson test logs into one line: "N passed, N failed".

Each test prints "NAME: N passed, N failed"; those counts are summed. A test
that failed without printing counts (a crash, a timeout) adds one failure.
"""
import json
import re
import sys

LINE = re.compile(r"(\d+) passed, (\d+) failed")
passed = failed = 0
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        for raw in f:
            t = json.loads(raw)
            ok = t.get("result") in ("OK", "EXPECTEDFAIL")
            counts = [LINE.search(l) for l in (t.get("stdout") or "").splitlines()]
            counts = [m for m in counts if m]
            if counts:
                m = counts[-1]
                passed += int(m.group(1))
                failed += int(m.group(2))
                if not ok and int(m.group(2)) == 0:
                    failed += 1
            elif ok:
                passed += 1
            else:
                failed += 1
print(f"{passed} passed, {failed} failed")
