#!/usr/bin/env python3
"""Draws the published charts from a run's CSV files.

Usage: python3 benchmarks/charts/plot.py [results dir, default benchmarks/target] [out dir, default benchmarks/charts]

Reads jmh-alternatives.csv (AlternativesMain) and load-scaling.csv (LoadMain); draws
hit-latency.png and scaling.png. Needs matplotlib (Debian: apt-get install python3-matplotlib).
A missing CSV is reported and skipped; a chart is only drawn from numbers a run wrote.
"""
import csv
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

COLORS = {"floor": "#7f7f7f", "redis-l1": "#d62728", "alternative": "#1f77b4", "plain client": "#bcbd22"}


def hit_latency(path, out, note):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        raise SystemExit(f"{path}: no rows")
    rows.reverse()  # first row at the top
    labels = [f"{r['call']}" for r in rows]
    values = [float(r["ns_per_op"]) for r in rows]
    colors = [COLORS.get(r["kind"], "#000000") for r in rows]
    fig, ax = plt.subplots(figsize=(12, 0.45 * len(rows) + 1.6))
    ax.barh(labels, values, color=colors)
    ax.set_xscale("log")
    ax.set_xlabel("ns per call (log scale), 1 thread, 100-byte value")
    for y, v in enumerate(values):
        ax.text(v, y, f" {v:,.0f}", va="center", fontsize=8)
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in COLORS.values()]
    ax.legend(handles, COLORS.keys(), loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    ax.set_title("GET hit latency per entry point and alternative" + note, fontsize=10)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    print("wrote", out)


def scaling(path, out, note):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        raise SystemExit(f"{path}: no rows")
    threads = [int(r["threads"]) for r in rows]
    fig, ax = plt.subplots(figsize=(7, 4.2))
    ax.plot(threads, [float(r["caffeine_hits_per_s"]) for r in rows], "o-", label="Caffeine getIfPresent alone")
    ax.plot(threads, [float(r["agent_hits_per_s"]) for r in rows], "s-", color="#d62728",
            label="redis-l1: JedisPooled.get hits")
    if rows and "agent_jedis_hits_per_s" in rows[0]:
        ax.plot(threads, [float(r["agent_jedis_hits_per_s"]) for r in rows], "^-", color="#ff7f0e",
                label="redis-l1: Jedis.get hits, a Jedis per thread")
    ax.set_xscale("log", base=2)
    ax.set_xticks(threads)
    ax.set_xticklabels([str(t) for t in threads])
    ax.set_yscale("log")
    ax.set_xlabel("threads (closed loop)")
    ax.set_ylabel("hits per second (log scale)")
    ax.set_title("Hit throughput vs. threads" + note, fontsize=10)
    ax.legend(fontsize=8)
    ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    print("wrote", out)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    results = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "target")
    out = sys.argv[2] if len(sys.argv) > 2 else here
    note = os.environ.get("CHART_NOTE", "")
    drawn = 0
    for name, draw, png in (("jmh-alternatives.csv", hit_latency, "hit-latency.png"),
                            ("load-scaling.csv", scaling, "scaling.png")):
        path = os.path.join(results, name)
        if os.path.isfile(path):
            draw(path, os.path.join(out, png), note)
            drawn += 1
        else:
            print("no", path, "- run its suite first; skipped")
    if drawn == 0:
        raise SystemExit("no results to draw in " + results)


if __name__ == "__main__":
    main()
