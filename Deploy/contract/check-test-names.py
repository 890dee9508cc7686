#!/usr/bin/env python3
"""Every test file holds one suite and is named after it (Tests/<Target>/<Suite>.swift), so a
failing suite's name says which file to open. Files with no @Suite (harnesses, fixtures) are
left alone."""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
SUITE = re.compile(r"@Suite(?:\([^)]*\))?\s*(?:public\s+|final\s+)?struct\s+(\w+)")
wrong = []
for path in sorted((ROOT / "Tests").glob("*Tests/*.swift")):
    suites = SUITE.findall(path.read_text())
    if suites and suites != [path.stem]:
        wrong.append(f"  {path.relative_to(ROOT)} holds {', '.join(suites)}")
if wrong:
    print("test files named otherwise than the one suite they hold:\n" + "\n".join(wrong))
    sys.exit(1)
