#!/usr/bin/env python3
"""Summarises a libtorch profile written by `poreseg bench infer|train --profile FILE` (Chrome trace
JSON): self time per operator (its time minus that of the operators it called), largest first.

    python3 scripts/profile-summary.py FILE [--top N] [--shapes]

--shapes splits each operator by its input shapes. Standard library only.
"""
import argparse
import collections
import json


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file")
    ap.add_argument("--top", type=int, default=20)
    ap.add_argument("--shapes", action="store_true", help="split operators by input shapes")
    a = ap.parse_args()
    events = [e for e in json.load(open(a.file)) if isinstance(e, dict) and e.get("ph") == "X" and "dur" in e]
    self_us = collections.defaultdict(float)
    calls = collections.Counter()
    by_thread = collections.defaultdict(list)
    for e in events:
        by_thread[e.get("tid")].append(e)
    for evs in by_thread.values():
        # nested intervals on one thread: an event's children are the events that start inside it
        evs.sort(key=lambda e: (e["ts"], -e["dur"]))
        stack = []
        for e in evs:
            end = e["ts"] + e["dur"]
            while stack and stack[-1][1] <= e["ts"]:
                stack.pop()
            key = e["name"] + ("  " + json.dumps(e.get("shape")) if a.shapes else "")
            self_us[key] += e["dur"]
            calls[key] += 1
            if stack:
                self_us[stack[-1][0]] -= e["dur"]
            stack.append((key, end))
    total = sum(self_us.values())
    print("%-60s %10s %7s %7s" % ("operator", "self ms", "%", "calls"))
    for k, v in sorted(self_us.items(), key=lambda kv: -kv[1])[:a.top]:
        print("%-60s %10.1f %6.1f%% %7d" % (k[:60] if not a.shapes else k, v / 1000, 100 * v / total, calls[k]))
    print("%-60s %10.1f" % ("total", total / 1000))


if __name__ == "__main__":
    main()
