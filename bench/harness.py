"""Opens an Odoo environment on the benchmark database (see bench/run.sh).

Benchmarks roll back everything they write unless they commit on purpose, so
runs do not pile data up in the benchmark database.

Figures a reader can trust: each one is the median of ``BENCH_RUNS`` runs
(3 by default) with its spread (lowest and highest run), the baseline
measured in the same runs, interleaved; every report states the machine's
load average, since the machine may be shared.
"""

import contextlib
import functools
import os
import resource
import statistics
import time

import psycopg2

import odoo
from odoo import SUPERUSER_ID, api

RUNS = int(os.environ.get("BENCH_RUNS") or 3)


@functools.cache
def _setup():
    # Once per process: Odoo's config parser fails when run a second time.
    conf = os.environ.get("BENCH_CONF")
    if not conf:
        raise SystemExit("run benchmarks through bench/run.sh (it prepares the database)")
    odoo.tools.config.parse_config(["-c", conf])
    return os.environ["BENCH_DB"]


@contextlib.contextmanager
def odoo_env(context=None, commit=False):
    db = _setup()
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, dict(context or {}, tracking_disable=True))
        try:
            yield env
        finally:
            if commit:
                cr.commit()
            else:
                cr.rollback()


def vacuum(*tables):
    """VACUUM (ANALYZE) ``tables`` outside any transaction: the rows earlier
    runs inserted and rolled back are dead tuples whose index entries every
    search still visits; a production database has autovacuum for that."""
    db = _setup()
    connection = psycopg2.connect(**odoo.sql_db.connection_info_for(db)[1])
    try:
        connection.autocommit = True
        with connection.cursor() as cr:
            for table in tables:
                cr.execute(f'VACUUM (ANALYZE) "{table}"')
    finally:
        connection.close()


@contextlib.contextmanager
def timer(label, results):
    start = time.perf_counter()
    yield
    results[label] = time.perf_counter() - start


def peak_rss_mb():
    """Peak resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def repeat(measures, runs=RUNS):
    """Call each function of ``measures`` (a dict label -> callable that
    returns one figure) ``runs`` times, interleaved (a, b, a, b, ...), so
    that a figure and its baseline see the same machine. Returns label ->
    list of figures."""
    samples = {label: [] for label in measures}
    for _run in range(runs):
        for label, measure in measures.items():
            samples[label].append(measure())
    return samples


def median(samples):
    return statistics.median(samples)


def spread(samples, unit, digits=2):
    """'2.10 ms (1.95-2.40, 3 runs)': the median and the lowest and highest run."""
    med = statistics.median(samples)
    return f"{med:.{digits}f} {unit} ({min(samples):.{digits}f}-{max(samples):.{digits}f}, {len(samples)} runs)"


def ratio(samples, baseline):
    """Median of the per-run ratios (each run against its own baseline)."""
    return statistics.median(a / b for a, b in zip(samples, baseline, strict=True))


def machine():
    """One line to print with the figures: cores and load average."""
    one, five, fifteen = os.getloadavg()
    return f"{os.cpu_count()} cores, load average {one:.2f} / {five:.2f} / {fifteen:.2f} (1 / 5 / 15 min)"


def report(title, rows):
    """Print a small aligned table: rows are (label, value) pairs."""
    print(f"\n## {title}")
    print(f"  [{machine()}]")
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"  {label.ljust(width)}  {value}")
