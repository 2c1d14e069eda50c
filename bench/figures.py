#!/usr/bin/env python3
"""Measures and turns what bench/run.sh collected into figures (standard library only).

    figures.py wrk FILE                       -> rps  p50_ms  p99_ms  errors
    figures.py matrix RESULTS BYTES           -> the Markdown table of issue 8
    figures.py metric-sum FILE NAME           -> sum of a metric's samples, or "absent"
    figures.py hist-p99 BEFORE AFTER NAME     -> p99 of a histogram between two scrapes
    figures.py lag LOG T1 T2 INTERVAL_S       -> start lag measured at the probe target
    figures.py lockwatch DB SECONDS           -> longest wait for SQLite's write lock
    figures.py bencher FILE                   -> criterion results, one line each
"""

import re
import statistics
import sys
from collections import defaultdict

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def duration_ms(text):
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    return float(m.group(1)) * UNITS[m.group(2)] if m else float("nan")


def wrk(path):
    """Requests/s, p50 and p99 (ms) and failed requests of one `wrk --latency` run."""
    text = open(path).read()
    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    lat = dict(re.findall(r"^\s+(50|99)(?:\.0+)?%\s+(\S+)", text, re.M))
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", text))
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if sock:
        errors += sum(int(n) for n in sock.groups())
    if not rps or float(rps.group(1)) == 0:
        print(f"0\tnan\tnan\t{errors}")
        return
    print("\t".join([rps.group(1),
                     f"{duration_ms(lat.get('50', '')):.3f}", f"{duration_ms(lat.get('99', '')):.3f}",
                     str(errors)]))


def fmt_ms(ms):
    return "n/a" if ms != ms else (f"{ms * 1000:.0f} µs" if ms < 1 else f"{ms:.1f} ms" if ms < 100 else f"{ms:.0f} ms")


def fmt_ns(ns):
    return f"{ns} ns" if ns < 1000 else f"{ns / 1000:.1f} µs" if ns < 1e6 else f"{ns / 1e6:.3f} ms"


def fmt_bytes(n, enc):
    n = int(n)
    size = f"{n:,}" if n < 10_000 else f"{n / 1000:,.1f} k"
    return f"{size} {enc}" if enc not in ("", "identity") else size


def med(rows, i):
    """Median of column i over rounds, leaving out rounds with no answer (nan)."""
    values = [r[i] for r in rows if r[i] == r[i]]
    return statistics.median(values) if values else float("nan")


def matrix(results_path, bytes_path):
    """Medians over rounds per route × encoding × server, one table row each."""
    runs = defaultdict(list)
    for line in open(results_path):
        route, enc, server, _round, rps, p50, p99, errors = line.rstrip("\n").split("\t")
        runs[(route, enc, server)].append((float(rps), float(p50), float(p99), int(errors)))
    sizes = {}
    for line in open(bytes_path):
        route, enc, beacon_enc, beacon_n, nginx_enc, nginx_n = line.rstrip("\n").split("\t")
        sizes[(route, enc)] = (fmt_bytes(beacon_n, beacon_enc), fmt_bytes(nginx_n, nginx_enc))
    print("| route | Accept-Encoding | Beacon req/s | nginx req/s | ratio | Beacon p50 | Beacon p99 "
          "| nginx p99 | target 1 | Beacon bytes | nginx bytes |")
    print("|---|---|--:|--:|--:|--:|--:|--:|:-:|--:|--:|")
    keys = sorted({(r, e) for r, e, _ in runs}, key=lambda k: (order(k[0]), k[1] != "none"))
    met = 0
    for route, enc in keys:
        b, n = runs[(route, enc, "beacon")], runs[(route, enc, "nginx")]
        ratio = med(b, 0) / med(n, 0) if med(n, 0) else float("nan")
        ok = ratio >= 0.8 and med(b, 2) <= 2 * med(n, 2)
        met += ok
        errors = sum(r[3] for r in b)
        note = f" ({errors} failed)" if errors else ""
        bb, nb = sizes.get((route, enc), ("?", "?"))
        print(f"| `{route}` | {enc} | {med(b, 0):,.0f}{note} | {med(n, 0):,.0f} | {ratio:.2f} "
              f"| {fmt_ms(med(b, 1))} | {fmt_ms(med(b, 2))} | {fmt_ms(med(n, 2))} "
              f"| {'yes' if ok else 'no'} | {bb} | {nb} |")
    print(f"\nTarget 1 (≥ 0.80 of nginx and p99 ≤ 2 × nginx's): met in {met} of {len(keys)} rows.")


def order(route):
    prefixes = ["/", "/components/", "/incidents", "/api/v2/summary", "/api/v2/components", "/feed.rss",
                "/feed.atom", "/badge/"]
    return max((i for i, p in enumerate(prefixes) if route.startswith(p) and (p != "/" or route == "/")),
               default=99)


def samples(path, name):
    """(labels, value) of every sample of `name` in a Prometheus text file."""
    out = []
    for line in open(path):
        m = re.match(rf"{re.escape(name)}(\{{[^}}]*\}})?\s+(\S+)", line)
        if m:
            out.append((m.group(1) or "", float(m.group(2))))
    return out


def metric_sum(path, name):
    found = samples(path, name)
    print(f"{sum(v for _, v in found):.0f}" if found else "absent")


def hist_p99(before, after, name):
    """The upper bound of the bucket holding the 99th percentile of what was
    observed between the two scrapes, summed over all label sets."""
    def buckets(path):
        acc = defaultdict(float)
        for labels, value in samples(path, f"{name}_bucket"):
            le = re.search(r'le="([^"]+)"', labels)
            if le:
                acc[float(le.group(1))] += value
        return acc
    b0, b1 = buckets(before), buckets(after)
    if not b1:
        print("not exposed")
        return
    delta = sorted((le, b1[le] - b0.get(le, 0.0)) for le in b1)
    total = delta[-1][1]
    if total <= 0:
        print("no observations")
        return
    bound = next(le for le, n in delta if n >= 0.99 * total)
    shown = "> largest bucket" if bound == float("inf") else f"≤ {bound * 1000:g} ms"
    print(f"{shown} (bucket bound, {total:.0f} observations)")


def lag(path, t1, t2, interval):
    """Each check's requests at the target, against its own best-case cadence:
    with start times t_k of check c in slot k (the run k intervals after its
    first one in the window, rounded: a run that never came leaves its slot
    empty instead of shifting every later one by an interval),
    lag_k = (t_k - k·interval) - min_j (t_j - j·interval).
    A lower bound on the schedule lag (a check late on every run shows 0);
    empty slots are counted as skipped runs."""
    t1, t2, interval = float(t1), float(t2), float(interval)
    hits = defaultdict(list)
    for line in open(path):
        parts = line.split()
        if len(parts) >= 2 and t1 <= float(parts[0]) < t2:
            hits[parts[1]].append(float(parts[0]))
    lags = []
    skipped = 0
    for times in hits.values():
        times.sort()
        slots = [round((t - times[0]) / interval) for t in times]
        skipped += sum(max(0, b - a - 1) for a, b in zip(slots, slots[1:]))
        residual = [t - k * interval for k, t in zip(slots, times)]
        base = min(residual)
        lags += [(r - base) * 1000 for r in residual]
    if not lags:
        print("no requests reached the target")
        return
    lags.sort()
    p99 = lags[min(len(lags) - 1, int(0.99 * len(lags)))]
    print(f"{p99:.0f} ms p99, {lags[-1]:.0f} ms max over {len(lags)} requests of {len(hits)} checks, "
          f"{skipped} skipped runs")


def lockwatch(db_path, seconds):
    """Asks for SQLite's write lock every 5 ms for `seconds` and reports the
    longest wait: how long another writer (Beacon's result writer, pruning)
    kept every other writer out. Resolution: SQLite's busy-handler sleeps."""
    import sqlite3
    import time
    db = sqlite3.connect(db_path, timeout=60, isolation_level=None)
    end = time.monotonic() + float(seconds)
    waits = []
    while time.monotonic() < end:
        t = time.monotonic()
        db.execute("BEGIN IMMEDIATE")
        waits.append((time.monotonic() - t) * 1000)
        db.execute("ROLLBACK")
        time.sleep(0.005)
    waits.sort()
    over = sum(w > 10 for w in waits)
    print(f"longest {waits[-1]:.0f} ms, {over} of {len(waits)} attempts waited > 10 ms")


def bencher(path):
    """criterion's `--output-format bencher` lines: the median and deviation."""
    found = False
    for line in open(path):
        m = re.search(r"test (.+?) \.\.\. bench:\s+([\d,]+) (\S+)/iter \(\+/- ([\d,]+)\)", line)
        if m:
            found = True
            name, unit = m.group(1), m.group(3)
            median, dev = (int(x.replace(",", "")) for x in m.group(2, 4))
            if unit == "ns":
                print(f"- `{name}`: {fmt_ns(median)} per iteration (median; ± {fmt_ns(dev)})")
            else:
                print(f"- `{name}`: {median:,} {unit} per iteration (median; ± {dev:,} {unit})")
    if not found:
        print("- criterion printed no results (run `cargo bench --bench '*'` to see why)")


if __name__ == "__main__":
    commands = {"wrk": wrk, "matrix": matrix, "metric-sum": metric_sum, "hist-p99": hist_p99,
                "lag": lag, "lockwatch": lockwatch, "bencher": bencher}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]](*sys.argv[2:])
