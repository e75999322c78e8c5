"""Shared helpers of the fault scenarios: an Odoo environment on the
benchmark database (bench/harness.py), committed on purpose where other
transactions must see the data, and a log collector for ERROR records."""

import logging
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from harness import machine

import odoo
from odoo import SUPERUSER_ID, api


def registry():
    conf = os.environ.get("BENCH_CONF")
    if not conf:
        raise SystemExit("run the fault scenarios through bench/faults/run.sh")
    odoo.tools.config.parse_config(["-c", conf])
    return odoo.modules.registry.Registry(os.environ["BENCH_DB"])


def env_for(cr, lang="es_PE"):
    return api.Environment(cr, SUPERUSER_ID, {"lang": lang, "tracking_disable": True})


def ensure_spanish(reg):
    with reg.cursor() as cr:
        env = env_for(cr, "en_US")
        lang = env["res.lang"].with_context(active_test=False).search([("code", "=", "es_PE")])
        if not lang.active:
            env["base.language.install"].create({"lang_ids": [(6, 0, lang.ids)], "overwrite": True}).lang_install()
        # The addon's latest es.po, whatever the database was last updated with.
        env["ir.module.module"]._load_module_terms(["clientes_aduanas"], ["es_PE"], overwrite=True)
        cr.commit()
    # A server already serving the database (its workers cache the active
    # languages) hears of the new language as after a change in the UI.
    reg.signal_changes()


class ErrorLog(logging.Handler):
    """Collects the ERROR records of the server log while a scenario runs."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.records = []

    def emit(self, record):
        self.records.append(record)

    def __enter__(self):
        logging.getLogger().addHandler(self)
        return self

    def __exit__(self, *exc):
        logging.getLogger().removeHandler(self)

    def lines(self):
        return [f"{r.name}: {r.getMessage()[:200]}" for r in self.records]


def outcome(title, rows):
    print(f"\n## {title}")
    print(f"  [{machine()}]")
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"  {label.ljust(width)}  {value}")
