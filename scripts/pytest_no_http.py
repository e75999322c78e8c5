"""pytest plugin: leaves ``HttpCase`` tests to Odoo's own runner.

pytest-odoo starts no HTTP server, so tours and route tests would fail (or be
skipped) there; scripts/run_http_tests.py runs them in the same ``make test``.
"""

import pytest


def pytest_collection_modifyitems(config, items):
    from odoo.tests import HttpCase

    kept, deselected = [], []
    for item in items:
        cls = getattr(item, "cls", None)
        (deselected if cls and issubclass(cls, HttpCase) else kept).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


@pytest.hookimpl(trylast=True)
def pytest_report_header(config):
    return "HttpCase tests deselected here: they run through Odoo's runner (scripts/run_http_tests.py)"
