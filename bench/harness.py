"""Opens an Odoo environment on the benchmark database (see bench/run.sh).

Benchmarks roll back everything they write unless they commit on purpose, so
runs do not pile data up in the benchmark database.
"""

import contextlib
import os
import resource
import time

import odoo
from odoo import SUPERUSER_ID, api


def _setup():
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


@contextlib.contextmanager
def timer(label, results):
    start = time.perf_counter()
    yield
    results[label] = time.perf_counter() - start


def peak_rss_mb():
    """Peak resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report(title, rows):
    """Print a small aligned table: rows are (label, value) pairs."""
    print(f"\n## {title}")
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"  {label.ljust(width)}  {value}")
