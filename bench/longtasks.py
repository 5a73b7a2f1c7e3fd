#!/usr/bin/env python3
"""What the long tasks of a Chrome trace are made of (bench/overview.sh with -Dservmon.bench.traceDir).

    bench/longtasks.py TRACE.json [THRESHOLD_MS=50]

For every task on the renderer's main thread longer than the threshold: its length, the time
by kind (script, style, layout, paint, GC, other; self time of the trace events inside it) and
the JavaScript functions that the sampling profiler saw most often in it. Then the same sums
over all long tasks, and over all tasks of the trace for comparison. It also prints the CPU time
of the tasks (the renderer thread's own time, without waiting for a core): on a busy machine a
task can be long on the wall clock while the page's own work in it was short.
"""
import collections
import json
import sys

KINDS = [
    ("gc", ("GC", "V8.GC", "MinorGC", "MajorGC", "BlinkGC", "CppGC")),
    ("style", ("UpdateLayoutTree", "RecalculateStyles", "ScheduleStyleRecalculation", "ParseAuthorStyleSheet")),
    ("layout", ("Layout", "UpdateLayerTree", "IntersectionObserver")),
    ("paint", ("Paint", "PrePaint", "Layerize", "UpdateLayer", "Commit", "CompositeLayers", "RasterTask", "HitTest")),
    ("script", ("FunctionCall", "v8.", "V8.", "EvaluateScript", "TimerFire", "FireAnimationFrame", "EventDispatch",
                "BlinkScheduler_PerformMicrotaskCheckpoint", "RunMicrotasks")),
]


def kind(name):
    for k, prefixes in KINDS:
        if any(name.startswith(p) or p in name for p in prefixes):
            return k
    return "other"


def main():
    path = sys.argv[1]
    threshold_ms = float(sys.argv[2]) if len(sys.argv) > 2 else 50.0
    data = json.load(open(path))
    events = data["traceEvents"] if isinstance(data, dict) else data
    names = {(e["pid"], e["tid"]): e["args"]["name"] for e in events if e.get("ph") == "M" and e.get("name") == "thread_name"}
    main_threads = {k for k, v in names.items() if v == "CrRendererMain"}
    xs = sorted((e for e in events if e.get("ph") == "X" and (e["pid"], e["tid"]) in main_threads and "dur" in e),
                key=lambda e: (e["ts"], -e["dur"]))
    # Top-level tasks: RunTask events not nested in another one.
    tasks, end = [], -1
    for e in xs:
        if e["name"] in ("RunTask", "ThreadControllerImpl::RunTask") and e["ts"] >= end:
            tasks.append(e)
            end = e["ts"] + e["dur"]
    samples = js_samples(events, main_threads)

    def breakdown(task):
        t0, t1 = task["ts"], task["ts"] + task["dur"]
        inner = [e for e in xs if t0 <= e["ts"] < t1 and e is not task and e["name"] not in ("RunTask", "ThreadControllerImpl::RunTask")]
        # Self time: an event's duration minus that of its direct children.
        self_us = collections.Counter()
        stack = []
        for e in inner:
            while stack and e["ts"] >= stack[-1]["ts"] + stack[-1]["dur"]:
                stack.pop()
            if stack:
                self_us[kind(stack[-1]["name"])] -= e["dur"]
                self_us["detail:" + stack[-1]["name"]] -= e["dur"]
            self_us[kind(e["name"])] += e["dur"]
            self_us["detail:" + e["name"]] += e["dur"]
            stack.append(e)
        covered = sum(v for k, v in self_us.items() if not k.startswith("detail:"))
        self_us["other"] += task["dur"] - covered
        fns = collections.Counter(f for (ts, f) in samples if t0 <= ts < t1)
        return self_us, fns

    long = [t for t in tasks if t["dur"] / 1000 > threshold_ms]
    print(f"{path}: {len(tasks)} tasks on the main thread, {len(long)} longer than {threshold_ms:.0f} ms")
    # Wall time includes time the renderer waited for a core; tdur is the thread's own CPU time,
    # which is what the page's code and rendering cost (on a busy machine the two differ a lot).
    cpu = sorted(t.get("tdur", t["dur"]) / 1000 for t in tasks)
    if cpu:
        print(f"  CPU time per task: p99 {cpu[int(len(cpu) * 0.99)]:.1f} ms, longest {cpu[-1]:.1f} ms, "
              f"{sum(1 for c in cpu if c > threshold_ms)} over {threshold_ms:.0f} ms")
    total, total_fns = collections.Counter(), collections.Counter()
    for t in long:
        by, fns = breakdown(t)
        total.update(by)
        total_fns.update(fns)
        kinds = ", ".join(f"{k} {v / 1000:.0f}" for k, v in sorted(by.items(), key=lambda kv: -kv[1]) if not k.startswith("detail:") and v > 500)
        top = ", ".join(f"{f} {n}" for f, n in fns.most_common(6))
        print(f"  {t['dur'] / 1000:6.1f} ms (CPU {t.get('tdur', t['dur']) / 1000:.1f}) at {t['ts'] / 1e6:.1f} s: {kinds} | samples: {top}")
    if long:
        print("all long tasks together (ms):", {k: round(v / 1000) for k, v in total.most_common() if not k.startswith("detail:") and v > 0})
        print("  busiest trace events (self ms):", {k[7:]: round(v / 1000) for k, v in total.most_common() if k.startswith("detail:") and v > 2000})
        print("  JS functions by samples:", total_fns.most_common(15))
    busy = collections.Counter()
    for t in tasks:
        by, _ = breakdown(t) if t["dur"] > 2000 else (collections.Counter({"short tasks": t["dur"]}), None)
        busy.update(by)
    print("all tasks (ms):", {k: round(v / 1000) for k, v in busy.most_common() if not k.startswith("detail:") and v > 0})


def js_samples(events, main_threads):
    """(timestamp µs, 'function file:line') per CPU profiler sample on the main thread."""
    nodes, out = {}, []
    profiles = {e["id"]: e for e in events if e.get("name") == "Profile" and (e["pid"], e["tid"]) in main_threads}
    for e in events:
        if e.get("name") != "ProfileChunk" or e.get("id") not in profiles:
            continue
        start = profiles[e["id"]]["args"]["data"]["startTime"]
        data = e["args"]["data"]
        for n in data.get("cpuProfile", {}).get("nodes", []):
            cf = n["callFrame"]
            nodes[(e["id"], n["id"])] = f"{cf.get('functionName') or '(anonymous)'} {cf.get('url', '').rsplit('/', 1)[-1]}:{cf.get('lineNumber', -1) + 1}"
        ts = profiles[e["id"]].setdefault("_last", start)
        for node, delta in zip(data.get("cpuProfile", {}).get("samples", []), data.get("timeDeltas", [])):
            ts += delta
            out.append((ts, nodes.get((e["id"], node), "?")))
        profiles[e["id"]]["_last"] = ts
    return out


if __name__ == "__main__":
    main()
