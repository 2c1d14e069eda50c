#!/usr/bin/env python3
"""Writes a Beacon config and fills its database with realistic history.

Used by bench/run.sh (issue 8). The schema is never written here: the
generator runs `beacon migrate` first, checks that every column it fills
exists, and only then inserts rows into the tables Beacon reads:

- check_results  one row per probe attempt (time-major, as the worker writes)
- daily_rollups  good/total per check per day (site timezone: UTC here),
                 leaving out results taken during maintenance (SPEC §3)
- hourly_rollups latency sum/count per check per UTC hour
- check_states   each check's tracker and latest facts
- incidents, incident_updates, incident_components, update_components,
  maintenances, maintenance_components: automatic incidents for the
  generated outages, a few operator incidents and maintenances

Raw results cover the last --raw-days at the check interval. Older days
(up to --history-days) only feed the rollups, sampled every --coarse-step
seconds and weighted up to the interval, so a 90-day page costs seconds to
generate while its uptime bars and charts look as after 90 real days.

The bulk rows are produced by SQLite itself (a recursive CTE), so 13 M
results take about a minute. Everything is deterministic for a --seed
except the latency jitter.

If Beacon's schema changes (a migration renames or drops a column used
here), this fails with the missing column named: update the SQL below.
"""

import argparse
import json
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

DAY_MS = 86_400_000
HOUR_MS = 3_600_000

GROUPS = ["Core platform", "Public API", "Web apps", "Data and storage", "Edge and network",
          "Payments", "Identity", "Messaging", "Analytics", "Internal tools"]
SERVICES = ["Gateway", "Auth", "Search", "Billing", "Storage", "Queue", "Cache", "Scheduler",
            "Mailer", "Dashboard"]

# The columns this generator writes, per table: checked against the schema.
COLUMNS = {
    "check_results": ["check_id", "at_ms", "outcome", "latency_ms", "reason"],
    "daily_rollups": ["check_id", "day", "good", "total"],
    "hourly_rollups": ["check_id", "hour_ms", "latency_sum_ms", "latency_count"],
    "check_states": ["check_id", "region", "state", "streak_of", "streak", "last_result_ms",
                     "last_latency_ms", "last_failure_ms", "last_failure_reason"],
    "incidents": ["incident_id", "title", "status", "impact", "auto_component", "created_ms",
                  "updated_ms", "monitoring_ms", "resolved_ms"],
    "incident_updates": ["update_id", "incident_id", "seq", "status", "body", "created_ms"],
    "incident_components": ["incident_id", "component_id", "status"],
    "update_components": ["update_id", "component_id", "old_status", "new_status"],
    "maintenances": ["maintenance_id", "title", "body", "starts_ms", "ends_ms", "completed_ms",
                     "cancelled_ms", "created_ms", "updated_ms"],
    "maintenance_components": ["maintenance_id", "component_id"],
}

OUTAGE_KINDS = [  # (reason, latency answered?)
    ("timeout after 2s", False),
    ("connection refused", False),
    ("status 503, expected 2xx", True),
]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--beacon", required=True, help="the beacon binary (runs `beacon migrate`)")
    p.add_argument("--out", required=True, type=Path, help="directory for NAME.toml and NAME.db")
    p.add_argument("--name", required=True)
    p.add_argument("--target", required=True, help="base URL the HTTP checks probe")
    p.add_argument("--components", type=int, default=50)
    p.add_argument("--groups", type=int, default=5)
    p.add_argument("--checks-per-component", type=int, default=1)
    p.add_argument("--interval", type=int, default=10, help="check interval, seconds")
    p.add_argument("--history-days", type=int, default=90)
    p.add_argument("--raw-days", type=float, help="days of raw results [default: history days]")
    p.add_argument("--coarse-step", type=int, default=300,
                   help="seconds between samples of the rollup-only days")
    p.add_argument("--fail-fast", type=int, default=0,
                   help="this many first checks go down (and up) on one result")
    p.add_argument("--no-history", action="store_true", help="config and schema only")
    p.add_argument("--seed", type=int, default=8)
    return p.parse_args()


def plan(args):
    """Components and checks: ids, names, groups, per-check latency base."""
    rng = random.Random(args.seed)
    components, checks = [], []
    for n in range(args.components):
        group = GROUPS[n % args.groups % len(GROUPS)]
        cid = f"svc-{n + 1:03d}"
        round_ = n // (args.groups * len(SERVICES)) + 1
        name = SERVICES[n // args.groups % len(SERVICES)] + (f" {round_}" if round_ > 1 else "")
        components.append({"id": cid, "name": f"{name} ({group})", "group": group})
        for k in range(args.checks_per_component):
            checks.append({"id": f"{cid}-{'api web db edge mq'.split()[k % 5]}{k // 5 or ''}",
                           "component": cid, "base": rng.randint(4, 120),
                           "offset": rng.randrange(args.interval * 1000)})
    return components, checks


def toml_str(s):
    return json.dumps(s)  # a JSON string is a valid TOML basic string


def write_config(path, args, components, checks, db_url):
    timeout = "500ms" if args.interval <= 1 else f"{min(5, max(1, args.interval // 2))}s"
    slow = "250ms" if args.interval <= 1 else "1s"
    lines = [
        "# Generated by bench/gen_history.py for bench/run.sh: do not edit.",
        "[site]", 'title = "Bench Status"', 'url = "https://status.bench.example"',
        'description = "Live status of the benchmark\'s services"', 'timezone = "UTC"',
        f"history_days = {args.history_days}", "",
        "[server]", 'cache_max_age = "30s"', "",
        "[database]", f"url = {toml_str(db_url)}", "retention_days = 90", "",
    ]
    for c in components:
        lines += ["[[components]]", f"id = {toml_str(c['id'])}", f"name = {toml_str(c['name'])}",
                  f"group = {toml_str(c['group'])}",
                  f"description = {toml_str('Serves ' + c['name'] + ' for customers')}", ""]
    for n, c in enumerate(checks):
        lines += ["[[checks]]", f"id = {toml_str(c['id'])}", f"component = {toml_str(c['component'])}",
                  'kind = "http"', f"url = {toml_str(args.target.rstrip('/') + '/health/' + c['id'])}",
                  f'interval = "{args.interval}s"', f'timeout = "{timeout}"', f'degraded_over = "{slow}"']
        if n < args.fail_fast:  # bench/run.sh's freshness phase breaks this check
            lines += ["failure_threshold = 1", "recovery_threshold = 1"]
        lines += [""]
    path.write_text("\n".join(lines))


def check_schema(db):
    for table, wanted in COLUMNS.items():
        have = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
        missing = [c for c in wanted if c not in have]
        if missing:
            sys.exit(f"gen_history.py: table {table} lacks {', '.join(missing)} after "
                     "`beacon migrate`: the schema changed, update bench/gen_history.py")


def outages(rng, checks, start_ms, end_ms, interval_ms):
    """Non-overlapping failure windows: about one every 4 days over the site,
    none in the last 2 hours (so every check ends up)."""
    days = (end_ms - start_ms) / DAY_MS
    out = []
    for _ in range(max(1, round(days / 4))):
        check = rng.choice(checks)
        length = rng.choice([3, 5, 8, 15, 40]) * 60_000 + 3 * interval_ms
        begin = rng.randrange(start_ms, max(start_ms + 1, end_ms - 2 * HOUR_MS - length))
        if any(o["check"] is check and begin < o["end"] and o["begin"] < begin + length for o in out):
            continue
        reason, answered = rng.choice(OUTAGE_KINDS)
        out.append({"check": check, "begin": begin, "end": begin + length, "reason": reason,
                    "answered": answered})
    return sorted(out, key=lambda o: o["begin"])


def fill_results(db, table, checks, first_ms, count, step_ms, now_ms):
    """`count` results per check every `step_ms` from `first_ms`, time-major."""
    db.execute("DELETE FROM gen_checks")
    db.executemany("INSERT INTO gen_checks (idx, check_id, base, offset_ms) VALUES (?, ?, ?, ?)",
                   [(i, c["id"], c["base"], c["offset"] % step_ms) for i, c in enumerate(checks)])
    # Slow results: ~0.2 %, chosen by a hash of (step, check), never in the last hour.
    db.execute(f"""
        WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i + 1 < :count)
        INSERT INTO {table} (check_id, at_ms, outcome, latency_ms, reason)
        SELECT check_id, at, CASE WHEN slow THEN 1 ELSE 0 END,
               CASE WHEN slow THEN 1000 + (h % 1500) ELSE base + abs(random()) % (base / 2 + 3) END,
               CASE WHEN slow THEN 'slow: ' || (1000 + (h % 1500)) || ' ms, over 1s' END
        FROM (SELECT c.check_id, c.base,
                     :first + seq.i * :step + c.offset_ms + (seq.i * 7 + c.idx * 13) % 30 AS at,
                     (seq.i * 2654435761 + c.idx * 40503) % 1000003 AS h,
                     ((seq.i * 2654435761 + c.idx * 40503) % 1000003) % 500 = 0
                       AND :first + seq.i * :step < :clean AS slow
              FROM seq CROSS JOIN gen_checks c)
    """, {"count": count, "first": first_ms, "step": step_ms, "clean": now_ms - HOUR_MS})


def apply_outages(db, table, windows):
    for o in windows:
        latency = "latency_ms" if o["answered"] else "NULL"
        db.execute(f"UPDATE {table} SET outcome = 2, latency_ms = {latency}, reason = ? "
                   "WHERE check_id = ? AND at_ms BETWEEN ? AND ?",
                   (o["reason"], o["check"]["id"], o["begin"], o["end"]))


def insert(db, table, *rows):
    """Rows of `table` in the order of COLUMNS[table]."""
    cols = COLUMNS[table]
    db.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", rows)


def new_id(rng):
    return "".join(rng.choice("0123456789abcdefghijklmnopqrstuvwxyz") for _ in range(12))


def incident(db, rng, title, impact, auto, created, updates, component, status):
    """One resolved incident; `updates` = [(status, body, at_ms)], the last one resolves."""
    iid = new_id(rng)
    monitoring = next((at for s, _, at in updates if s == "monitoring"), None)
    insert(db, "incidents",
           (iid, title, "resolved", impact, auto, created, updates[-1][2], monitoring, updates[-1][2]))
    old = "operational"
    for seq, (ustatus, body, at) in enumerate(updates, start=1):
        uid = new_id(rng)
        insert(db, "incident_updates", (uid, iid, seq, ustatus, body, at))
        new = "operational" if ustatus == "resolved" else status
        if seq == 1 or ustatus == "resolved":
            insert(db, "update_components", (uid, component, old, new))
        old = new
    insert(db, "incident_components", (iid, component, "operational"))


def fill_events(db, rng, args, components, windows, now_ms):
    by_id = {c["id"]: c for c in components}
    for o in windows:
        comp = by_id[o["check"]["component"]]
        status = "major_outage" if args.checks_per_component == 1 else "partial_outage"
        words = status.replace("_", " ")
        opened = o["begin"] + 3 * args.interval * 1000
        minutes = (o["end"] - o["begin"]) // 60_000
        incident(db, rng, f"{comp['name']}: {words}", "major" if status == "major_outage" else "minor",
                 comp["id"], opened,
                 [("investigating", f"Beacon detected a {words} of {comp['name']}. Failing checks:\n\n"
                   f"- {o['check']['id']}: {o['reason']}", opened),
                  ("resolved", f"{comp['name']} has recovered. The outage lasted {minutes}m.", o["end"])],
                 comp["id"], status)
    span = args.history_days * DAY_MS
    for n in range(max(1, args.history_days // 30)):
        comp = rng.choice(components)
        at = now_ms - span + rng.randrange(span - DAY_MS)
        incident(db, rng, f"Elevated error rates on {comp['name']}", "minor", None, at,
                 [("investigating", "We are investigating **elevated error rates** for some "
                   "requests. Retries succeed in most cases.", at),
                  ("identified", "The cause is a faulty configuration rollout; we are rolling it "
                   "back:\n\n1. stop the rollout\n2. restore the previous version", at + 20 * 60_000),
                  ("monitoring", "The rollback is complete; error rates are back to normal. We are "
                   "watching closely.", at + 45 * 60_000),
                  ("resolved", "This incident is resolved. A post-mortem will follow.", at + 90 * 60_000)],
                 comp["id"], "degraded_performance")
    # Maintenances: monthly completed windows, and one upcoming in three days.
    starts = [now_ms - k * 30 * DAY_MS + 2 * HOUR_MS for k in range(1, args.history_days // 30 + 1)]
    for k, start in enumerate(starts + [now_ms + 3 * DAY_MS]):
        mid = new_id(rng)
        covered = components[k % len(components):][:3]
        insert(db, "maintenances",
               (mid, f"Database upgrade, window {k + 1}",
                "We are upgrading the **primary database**. Requests may be slower for a few "
                "minutes; no downtime is expected.", start, start + HOUR_MS, None, None,
                start - 7 * DAY_MS, start - 7 * DAY_MS))
        insert(db, "maintenance_components", *[(mid, c["id"]) for c in covered])


def rollups(db, interval_ms, coarse_ms, checks):
    weight = max(1, coarse_ms // interval_ms)
    source = ("SELECT check_id, at_ms, outcome, latency_ms, 1 AS w FROM check_results UNION ALL "
              f"SELECT check_id, at_ms, outcome, latency_ms, {weight} FROM old_results")
    db.execute(f"""INSERT INTO daily_rollups (check_id, day, good, total)
                   SELECT check_id, date(at_ms / 1000, 'unixepoch'), SUM(w * (outcome != 2)), SUM(w)
                   FROM ({source}) GROUP BY 1, 2""")
    db.execute(f"""INSERT INTO hourly_rollups (check_id, hour_ms, latency_sum_ms, latency_count)
                   SELECT check_id, at_ms - at_ms % {HOUR_MS}, SUM(w * latency_ms), SUM(w)
                   FROM ({source}) WHERE latency_ms IS NOT NULL GROUP BY 1, 2""")
    # Results taken during a maintenance covering their component do not count.
    of_component = {}
    for c in checks:
        of_component.setdefault(c["component"], []).append(c["id"])
    for start, end, comp in db.execute(
            "SELECT starts_ms, ends_ms, component_id FROM maintenances "
            "JOIN maintenance_components USING (maintenance_id)").fetchall():
        for check in of_component.get(comp, []):
            for table, w in (("check_results", 1), ("old_results", weight)):
                db.execute(f"""UPDATE daily_rollups SET
                        good = good - (SELECT {w} * COUNT(*) FILTER (WHERE outcome != 2) FROM {table} r
                                       WHERE r.check_id = daily_rollups.check_id AND r.at_ms BETWEEN ?1 AND ?2
                                         AND date(r.at_ms / 1000, 'unixepoch') = daily_rollups.day),
                        total = total - (SELECT {w} * COUNT(*) FROM {table} r
                                         WHERE r.check_id = daily_rollups.check_id AND r.at_ms BETWEEN ?1 AND ?2
                                           AND date(r.at_ms / 1000, 'unixepoch') = daily_rollups.day)
                        WHERE check_id = ?3 AND day BETWEEN date(?1 / 1000, 'unixepoch')
                                                      AND date(?2 / 1000, 'unixepoch')""",
                           (start, end, check))


def states(db, checks, windows):
    """Every check ends up, on a streak of ok results since its last non-ok one."""
    for c in checks:
        last_at, last_latency = db.execute(
            "SELECT at_ms, latency_ms FROM check_results WHERE check_id = ? ORDER BY at_ms DESC LIMIT 1",
            (c["id"],)).fetchone()
        bad = db.execute("SELECT at_ms FROM check_results WHERE check_id = ? AND outcome != 0 "
                         "ORDER BY at_ms DESC LIMIT 1", (c["id"],)).fetchone()
        streak = db.execute("SELECT COUNT(*) FROM check_results WHERE check_id = ? AND at_ms > ?",
                            (c["id"], bad[0] if bad else -1)).fetchone()[0]
        # Failures only happen in outage windows: look in the check's last one.
        last = max((o for o in windows if o["check"] is c), key=lambda o: o["end"], default=None)
        failure = next(filter(None, (db.execute(
            f"SELECT at_ms, reason FROM {table} WHERE check_id = ? AND at_ms BETWEEN ? AND ? "
            "AND outcome = 2 ORDER BY at_ms DESC LIMIT 1", (c["id"], last["begin"], last["end"])).fetchone()
            for table in ("check_results", "old_results")) if last else ()), (None, None))
        insert(db, "check_states",
               (c["id"], "default", "up", 0, streak, last_at, last_latency, *failure))


def main():
    args = parse_args()
    started = time.monotonic()

    def phase(what):
        print(f"gen_history.py: {time.monotonic() - started:6.1f} s  {what}", file=sys.stderr)
    args.out.mkdir(parents=True, exist_ok=True)
    db_path = (args.out / f"{args.name}.db").resolve()
    config = args.out / f"{args.name}.toml"
    for stale in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
        stale.unlink(missing_ok=True)
    components, checks = plan(args)
    write_config(config, args, components, checks, f"sqlite://{db_path}")
    migrate = subprocess.run([args.beacon, "--config", str(config), "migrate"],
                             stdout=subprocess.DEVNULL)
    if migrate.returncode != 0:
        sys.exit(f"gen_history.py: `beacon migrate` failed for {config} (exit {migrate.returncode})")
    summary = {"config": str(config), "database": str(db_path), "checks": len(checks), "results": 0}
    if not args.no_history:
        db = sqlite3.connect(db_path, isolation_level=None)
        check_schema(db)
        for pragma in ("journal_mode = OFF", "synchronous = OFF", "cache_size = -524288",
                       "temp_store = MEMORY"):
            db.execute(f"PRAGMA {pragma}")
        db.execute("CREATE TEMP TABLE gen_checks (idx INTEGER PRIMARY KEY, check_id TEXT, base INTEGER, "
                   "offset_ms INTEGER)")
        db.execute("CREATE TEMP TABLE old_results AS SELECT check_id, at_ms, outcome, latency_ms, reason "
                   "FROM check_results WHERE 0")
        db.execute("CREATE INDEX temp.old_by_check_time ON old_results (check_id, at_ms)")
        rng = random.Random(args.seed)
        interval_ms = args.interval * 1000
        now_ms = int(time.time() * 1000)
        raw_days = args.history_days if args.raw_days is None else min(args.raw_days, args.history_days)
        raw_count = int(raw_days * DAY_MS) // interval_ms
        raw_first = now_ms - raw_count * interval_ms - interval_ms
        coarse_ms = max(args.coarse_step * 1000, interval_ms)
        old_first = now_ms - args.history_days * DAY_MS
        old_count = max(0, (raw_first - old_first) // coarse_ms)
        windows = outages(rng, checks, old_first, now_ms, interval_ms)
        db.execute("BEGIN")
        phase("schema checked")
        fill_results(db, "check_results", checks, raw_first, raw_count, interval_ms, now_ms)
        fill_results(db, "old_results", checks, old_first, old_count, coarse_ms, now_ms)
        phase(f"{raw_count * len(checks)} raw results, {old_count * len(checks)} older samples")
        apply_outages(db, "check_results", windows)
        apply_outages(db, "old_results", windows)
        fill_events(db, rng, args, components, windows, now_ms)
        phase(f"{len(windows)} outages, incidents and maintenances")
        rollups(db, interval_ms, coarse_ms, checks)
        phase("daily and hourly rollups")
        states(db, checks, windows)
        db.execute("UPDATE revision SET n = n + 1")
        db.execute("COMMIT")
        phase("check states, committed")
        db.execute("PRAGMA journal_mode = WAL")
        summary["results"] = db.execute("SELECT COUNT(*) FROM check_results").fetchone()[0]
        summary["incidents"] = db.execute("SELECT COUNT(*) FROM incidents").fetchone()[0]
        db.close()
    summary["seconds"] = round(time.monotonic() - started, 1)
    summary["db_bytes"] = db_path.stat().st_size
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
