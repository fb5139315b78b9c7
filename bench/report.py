#!/usr/bin/env python3
"""Prints bench/run.sh's table (Markdown) from a results directory: report.py RESULTS DATA."""
import glob
import json
import os
import re
import sys

RES, DATA = sys.argv[1], sys.argv[2]


def load(name):
    p = os.path.join(RES, name + ".json")
    if not os.path.exists(p):
        return None
    with open(p) as f:
        r = json.load(f)["results"][0]
    return r


def median(name):
    r = load(name)
    return r["median"] if r else None


def rss(name):
    p = os.path.join(RES, name + ".time")
    if not os.path.exists(p):
        return None
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(p).read())
    return int(m.group(1)) * 1024 if m else None


def manifest(name):
    p = os.path.join(DATA, name, "MANIFEST.json")
    return json.load(open(p)) if os.path.exists(p) else None


def size_of(path):
    if os.path.isfile(path):
        return os.path.getsize(path), 1
    total = n = 0
    for root, _, files in os.walk(path):
        for f in files:
            if f.endswith((".json", ".yaml", ".yml")):
                total += os.path.getsize(os.path.join(root, f))
                n += 1
    return total, n


def fmt_t(s):
    if s is None:
        return "-"
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"


def fmt_b(b):
    if b is None:
        return "-"
    return f"{b / 1e6:.1f} MB" if b >= 1e6 else f"{b / 1e3:.1f} kB"


SEED_PLAN = os.path.join(os.path.dirname(__file__), "..", "fixtures", "plans", "seed-clean.tfplan.json")
SEED_KRM = os.path.join(os.path.dirname(__file__), "..", "fixtures", "plans", "seed-clean.krm.yaml")
INPUTS = {
    "seed-plan": SEED_PLAN, "seed-krm": SEED_KRM,
    "plan": os.path.join(DATA, "plan", "plan.tfplan.json"),
    "tree": os.path.join(DATA, "tree", "krm"), "tree10": os.path.join(DATA, "tree10", "krm"),
    "plans": os.path.join(DATA, "small", "plans"), "gcloud": os.path.join(DATA, "small", "gcloud"),
    "spectral": os.path.join(DATA, "spectral", "krm-split"),
}
SIZES = {k: size_of(v) for k, v in INPUTS.items() if os.path.exists(v)}
RESOURCES = {"seed-plan": 9, "seed-krm": 9}
for k, d in (("plan", "plan"), ("tree", "tree"), ("tree10", "tree10"), ("plans", "small"),
             ("gcloud", "small"), ("spectral", "spectral")):
    m = manifest(d)
    if m:
        RESOURCES[k] = m["resources"]

ROWS = [
    # name, input, what
    ("seed-plan", "seed-plan", "lbcheck, one seed-sized plan"),
    ("seed-krm", "seed-krm", "lbcheck, one seed-sized KRM file"),
    ("plan-j1", "plan", "lbcheck -j1, one large plan (modules)"),
    ("plan-simdjson", "plan", "simdjson On-Demand walk (anchor)"),
    ("plan-nlohmann", "plan", "nlohmann DOM parse"),
    ("tree-j1", "tree", "lbcheck -j1, KRM tree"),
    ("tree-j2", "tree", "lbcheck -j2, KRM tree"),
    ("tree-yamlcpp", "tree", "yaml-cpp LoadAll, KRM tree"),
    ("tree-j1-4k", "tree", "lbcheck -j1, KRM tree, LBCHECK_HUGE_PAGES=0"),
    ("tree-j2-4k", "tree", "lbcheck -j2, KRM tree, LBCHECK_HUGE_PAGES=0"),
    ("plan-j1-4k", "plan", "lbcheck -j1, large plan, LBCHECK_HUGE_PAGES=0"),
    ("tree10-j1", "tree10", "lbcheck -j1, KRM tree x10"),
    ("plans-j1", "plans", "lbcheck -j1, small plans tree"),
    ("plans-j2", "plans", "lbcheck -j2, small plans tree"),
    ("plans-simdjson", "plans", "simdjson walk, small plans tree"),
    ("gcloud-j1", "gcloud", "lbcheck -j1, gcloud export tree"),
    ("gcloud-j2", "gcloud", "lbcheck -j2, gcloud export tree"),
    ("spectral-lbcheck", "spectral", "lbcheck (default -j), one-doc KRM tree"),
    ("spectral", "spectral", "Spectral, equivalent ruleset, same tree"),
]

machine = open(os.path.join(RES, "machine.txt")).read() if os.path.exists(
    os.path.join(RES, "machine.txt")) else ""
print("```")
print(machine.rstrip())
print("```")
print()
print("| measurement | input | files | resources | median | min-max | throughput | peak RSS |")
print("|---|---|---:|---:|---:|---:|---:|---:|")
for name, inp, what in ROWS:
    r = load(name)
    if not r:
        continue
    b, n = SIZES.get(inp, (None, None))
    tp = f"{b / r['median'] / 1e6:.1f} MB/s" if b and r["median"] else "-"
    print(f"| {what} | {inp} ({fmt_b(b)}) | {n} | {RESOURCES.get(inp, '-'):,} | {fmt_t(r['median'])} "
          f"| {fmt_t(r['min'])}-{fmt_t(r['max'])} | {tp} | {fmt_b(rss(name))} |")
print()
mems = [("plan-j1", "plan"), ("plan-nlohmann", "plan"), ("tree-j1", "tree"),
        ("tree10-j1", "tree10"), ("tree10-j2", "tree10")]
print("| peak memory (/usr/bin/time -v) | input size | peak RSS | RSS / input |")
print("|---|---:|---:|---:|")
for name, inp in mems:
    m, b = rss(name), SIZES.get(inp, (None,))[0]
    if m and b:
        print(f"| {name} | {fmt_b(b)} | {fmt_b(m)} | {m / b:.2f} |")
print()


def ratio(a, b):
    x, y = median(a), median(b)
    return x / y if x and y else None


def check(label, value, ok, shown):
    if value is None:
        print(f"| {label} | not measured | - |")
        return
    print(f"| {label} | {shown} | {'met' if ok else '**not met**'} |")


def small_files(label):
    for name in ("seed-plan", "seed-krm"):
        v = median(name)
        check(label.format(name=name), v, v is not None and v <= 0.005, fmt_t(v))


def ratio_target(label, a, b, limit, at_least=False, shown=lambda x: f"{x:.2f}x"):
    x = ratio(a, b)
    ok = x is not None and (x >= limit if at_least else x <= limit)
    check(label, x, ok, shown(x) if x else "-")


def memory_target(label, name, inp, factor):
    m, b = rss(name), SIZES.get(inp, (None,))[0]
    check(label, m, m is not None and b and m <= factor * b, f"{m / b:.2f}x" if m and b else "-")


def scaling_target(label, limit_per_scale, scale):
    x = ratio("tree10-j1", "tree-j1")
    if x:
        check(label.format(scale=scale, limit=limit_per_scale * scale), x,
              x <= limit_per_scale * scale, f"{x:.2f}x")


def table(title):
    print()
    print(f"| target ({title}) | measured | status |")
    print("|---|---:|---|")


table("issue 9")
small_files("one small file ({name}) <= 5 ms")
pb = SIZES.get("plan", (0,))[0]
v = median("plan-j1")
tp = pb / v / 1e6 if v else None
check(f"plan -j1 >= 300 MB/s (input {fmt_b(pb)})", tp, tp is not None and tp >= 300,
      f"{tp:.1f} MB/s" if tp else "-")
ratio_target("plan -j1 within 3.5x of simdjson's walk", "plan-j1", "plan-simdjson", 3.5)
ratio_target("plan -j1 >= 6x faster than nlohmann's parse", "plan-nlohmann", "plan-j1", 6,
             at_least=True)
ratio_target("KRM tree -j1 >= 90% of yaml-cpp's throughput", "tree-yamlcpp", "tree-j1", 0.9,
             at_least=True, shown=lambda x: f"{x * 100:.0f}%")
ratio_target("KRM tree -j2 >= 1.8x faster than -j1", "tree-j1", "tree-j2", 1.8, at_least=True)
if "tree10" in SIZES and "tree" in SIZES:
    scaling_target(f"x{{scale:.1f}} input ({RESOURCES.get('tree10', 0):,} resources) takes <= "
                   "{limit:.1f}x as long", 1.1, SIZES["tree10"][0] / SIZES["tree"][0])
for name in ("tree10-j1", "tree10-j2"):
    memory_target(f"peak memory ({name}) <= 3x input", name, "tree10", 3)
ratio_target("lbcheck >= 100x faster than Spectral (same tree)", "spectral", "spectral-lbcheck",
             100, at_least=True, shown=lambda x: f"{x:.0f}x")

# Issue 16's targets: the same measurements, its own thresholds.
table("issue 16")
small_files("one small file ({name}), whole process, <= 5 ms")
ratio_target("100 MB plan within 1.5x of a simdjson On-Demand walk", "plan-j1", "plan-simdjson",
             1.5)
ratio_target("KRM tree -j1 at least as fast as yaml-cpp parsing it", "tree-yamlcpp", "tree-j1", 1.0,
             at_least=True, shown=lambda x: f"{x:.2f}x yaml-cpp's speed")
if RESOURCES.get("tree10") and RESOURCES.get("tree"):
    scaling_target("{scale:.0f}x the resources in <= {limit:.1f}x the time", 1.05,
                   RESOURCES["tree10"] / RESOURCES["tree"])
memory_target("peak memory <= 3x the input (1,000,008-resource KRM tree)", "tree10-j1", "tree10", 3)
memory_target("peak memory <= 2.5x the input (100 MB plan)", "plan-j1", "plan", 2.5)
print()

for f, what in (("plan-findings.json", "plan"), ("tree-findings.json", "tree")):
    p = os.path.join(RES, f)
    if not os.path.exists(p):
        continue
    try:
        rep = json.load(open(p))
    except ValueError:
        continue
    by = {}
    for x in rep.get("findings", []):
        by[x["rule"]] = by.get(x["rule"], 0) + 1
    m = manifest(what) or {}
    print(f"findings on {what}: " + ", ".join(f"{k} {v}" for k, v in sorted(by.items()))
          + f" (planted: {m.get('expected')})")
print()
for f in ("micro.txt", "perf-stat.txt"):
    p = os.path.join(RES, f)
    if os.path.exists(p):
        print(f"{f}:")
        print("```")
        print("\n".join(line for line in open(p).read().splitlines() if line.strip()))
        print("```")
