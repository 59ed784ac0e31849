#!/usr/bin/env python3
"""Draws the panels of deploy/grafana/redis-l1.json from scrapes taken by scrape.py.

usage: render.py SCRAPES.jsonl OUT.png
Each panel computes what its PromQL query computes, from the same series: rates are increases
over a trailing window divided by its length, like rate(...[window]).
"""
import json
import re
import sys

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402

WINDOW = 30.0  # seconds; the dashboard uses [$__rate_interval], at least 1m on a 15s scrape
SERIES = re.compile(r'^([^{]+)\{(.*)\}$')


def labels(series):
    m = SERIES.match(series)
    if not m:
        return series, {}
    return m.group(1), dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m.group(2)))


def load(path):
    scrapes = [json.loads(line) for line in open(path)]
    t0 = scrapes[0]['t']
    return [(s['t'] - t0, s['samples']) for s in scrapes]


def select(samples, name, **want):
    """{labels: value} of one metric's series whose labels match want."""
    found = {}
    for series, value in samples.items():
        n, l = labels(series)
        if n == name and all(l.get(k) == v for k, v in want.items()):
            found[tuple(sorted(l.items()))] = value
    return found


def sum_by(samples, name, by, **want):
    out = {}
    for key, value in select(samples, name, **want).items():
        group = dict(key).get(by, '') if by else ''
        out[group] = out.get(group, 0.0) + value
    return out


def rates(scrapes, name, by=None, **want):
    """{group: ([t], [per-second rate])} like sum by (by) (rate(name{want}[WINDOW]))."""
    out = {}
    start = 0
    for i, (t, samples) in enumerate(scrapes):
        while scrapes[start][0] < t - WINDOW:
            start += 1
        if start == i:
            continue
        t_then, then = scrapes[start]
        now_sums, then_sums = sum_by(samples, name, by, **want), sum_by(then, name, by, **want)
        for group, value in now_sums.items():
            ts, vs = out.setdefault(group, ([], []))
            ts.append(t)
            vs.append(max(0.0, value - then_sums.get(group, 0.0)) / (t - t_then))
    return out


def gauges(scrapes, name, by=None, **want):
    out = {}
    for t, samples in scrapes:
        for group, value in sum_by(samples, name, by, **want).items():
            ts, vs = out.setdefault(group, ([], []))
            ts.append(t)
            vs.append(value)
    return out


def hit_ratio(scrapes):
    hits = rates(scrapes, 'cache_gets_total', 'cache', cache_manager='redisl1', result='hit')
    alls = rates(scrapes, 'cache_gets_total', 'cache', cache_manager='redisl1')
    out = {}
    for cache, (ts, hs) in hits.items():
        _, gs = alls[cache]
        out[cache] = (ts, [100.0 * h / g if g else float('nan') for h, g in zip(hs, gs)])
    return out


def mean_of(scrapes, name, by):
    """{group: ([t], [mean])}: rate(name_sum) / rate(name_count), as the dashboard computes a mean."""
    sums, counts = rates(scrapes, name + '_sum', by), rates(scrapes, name + '_count', by)
    out = {}
    for group, (ts, ss) in sums.items():
        _, cs = counts.get(group, ([], []))
        out[group] = (ts, [s / c if c else float('nan') for s, c in zip(ss, cs)])
    return out


PALETTE = ['#73bf69', '#f2cc0c', '#8ab8ff', '#ff780a', '#f2495c', '#5794f2', '#b877d9', '#ff9830']
COLORS = {}


def color(name):
    """One colour per series name across all panels, as Grafana keeps a prefix's colour."""
    return COLORS.setdefault(name, PALETTE[len(COLORS) % len(PALETTE)])


def panel(ax, title, series, unit='', fmt=None):
    ax.set_title(title, loc='left', fontsize=10, color='#d8d9da')
    for name, (ts, vs) in sorted(series.items()):
        ax.plot(ts, [fmt(v) for v in vs] if fmt else vs, label=name, linewidth=1.4, color=color(name))
    ax.set_ylabel(unit, fontsize=8, color='#9fa7b3')
    ax.set_xlabel('seconds into the run', fontsize=8, color='#9fa7b3')
    ax.set_ylim(bottom=0)
    ax.grid(True, color='#2c3235', linewidth=0.6)
    ax.set_facecolor('#181b1f')
    ax.tick_params(colors='#9fa7b3', labelsize=8)
    for spine in ax.spines.values():
        spine.set_color('#2c3235')
    if series:
        ax.legend(fontsize=7, facecolor='#181b1f', edgecolor='#2c3235', labelcolor='#d8d9da', loc='best')


def stats(ax, scrapes):
    """The dashboard's stat row, as of the last scrape (rates over the last window)."""
    t, last = scrapes[-1]
    hit = rates(scrapes, 'cache_gets_total', None, cache_manager='redisl1', result='hit').get('', ([], [0]))[1][-1]
    gets = rates(scrapes, 'cache_gets_total', None, cache_manager='redisl1').get('', ([], [0]))[1][-1]
    used = sum(select(last, 'redisl1_memory_used_bytes').values())
    budget = sum(select(last, 'redisl1_memory_budget_bytes').values())
    enabled = min(select(last, 'redisl1_enabled').values())
    lines = [
        ('L1 serving', 'ON' if enabled == 1 else 'OFF (pass-through)'),
        ('Hit rate (all prefixes)', '%.1f%%' % (100.0 * hit / gets if gets else 0)),
        ('Memory used / budget', '%.1f%%' % (100.0 * used / budget if budget else 0)),
        ('Round trips saved per second', '%.0f' % hit),
    ]
    ax.set_facecolor('#181b1f')
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_color('#2c3235')
    ax.set_title('Stat row, at the last scrape (t=%.0fs)' % t, loc='left', fontsize=10, color='#d8d9da')
    for i, (label, value) in enumerate(lines):
        y = 0.82 - i * 0.22
        ax.text(0.04, y, label, fontsize=10, color='#9fa7b3', transform=ax.transAxes)
        ax.text(0.96, y, value, fontsize=16, color='#73bf69', ha='right', transform=ax.transAxes)


def main():
    scrapes = load(sys.argv[1])
    fig, axes = plt.subplots(5, 2, figsize=(14, 17.5))
    fig.patch.set_facecolor('#111217')
    mib = lambda v: v / (1 << 20)  # noqa: E731

    panel(axes[0][0], 'Hit rate per prefix', hit_ratio(scrapes), '%')
    saved = rates(scrapes, 'cache_gets_total', None, cache_manager='redisl1', result='hit')
    panel(axes[0][1], 'Round trips saved per second (L1 hits)', {'all prefixes': saved.get('', ([], []))}, 'GETs/s')
    memory = gauges(scrapes, 'redisl1_memory_used_bytes')
    budget = gauges(scrapes, 'redisl1_memory_budget_bytes')
    per_prefix = gauges(scrapes, 'redisl1_cache_bytes', 'cache', cache_manager='redisl1')
    panel(axes[1][0], 'Memory used vs budget',
          dict({'used': memory.get('', ([], [])), 'budget (max-memory)': budget.get('', ([], []))}, **per_prefix),
          'MiB', mib)
    panel(axes[1][1], 'Evictions per second, per prefix',
          rates(scrapes, 'cache_evictions_total', 'cache', cache_manager='redisl1'), 'entries/s')
    inval = rates(scrapes, 'redisl1_invalidations_total', 'source')
    inval.update({'stale fill rejected': v for v in rates(scrapes, 'redisl1_stale_fills_rejected_total').values()})
    panel(axes[2][0], 'Invalidations per second, by source', inval, 'per second')
    panel(axes[2][1], 'Entries per prefix', gauges(scrapes, 'cache_size', 'cache', cache_manager='redisl1'), 'entries')
    panel(axes[3][0], 'Reads sent to Redis without asking the L1, by reason',
          rates(scrapes, 'redisl1_reads_bypassed_total', 'reason'), 'per second')
    stats(axes[3][1], scrapes)
    panel(axes[4][0], 'Invalidation channel confirmed, per endpoint',
          gauges(scrapes, 'redisl1_invalidation_channel_confirmed', 'endpoint'), '1 = confirmed')
    ms = lambda v: v * 1000  # noqa: E731
    staleness = {e + ' staleness': v for e, v in mean_of(scrapes, 'redisl1_invalidation_staleness_seconds', 'endpoint').items()}
    staleness.update({e + ' canary round trip': v
                      for e, v in mean_of(scrapes, 'redisl1_invalidation_canary_round_trip_seconds', 'endpoint').items()})
    panel(axes[4][1], 'Observed staleness (write to invalidation) and canary round trip', staleness, 'ms', ms)

    fig.suptitle('redis-l1 (rendered from %d scrapes of a real run of sample-apps/jedis JedisDashboardLoad)'
                 % len(scrapes), color='#d8d9da', fontsize=11, x=0.01, ha='left')
    fig.tight_layout(rect=(0, 0, 1, 0.97))
    fig.savefig(sys.argv[2], dpi=80, facecolor=fig.get_facecolor())


if __name__ == '__main__':
    main()
