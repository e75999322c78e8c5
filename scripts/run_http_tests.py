"""Runs the addon's browser and HTTP tests (``HttpCase``) through Odoo's own
test runner, which starts the HTTP server that pytest-odoo does not.

Usage: python run_http_tests.py ODOO_ARGS...   (e.g. -c conf -d db --test-tags tag)

Two things differ from a plain ``odoo-bin --test-enable``:
- a skipped test is counted as a failure: Odoo's ``HttpCase`` skips a tour when
  Chrome is missing or does not answer, and a tour that did not run proves nothing;
- the run ends with a pytest-style summary line (``N passed, N failed``), and with
  an error when no test ran at all (a wrong tag would otherwise pass silently).
"""

import logging
import sys

import odoo
from odoo.tools import config

_logger = logging.getLogger("clientes_aduanas.http_tests")
_results = []
_skipped = []

_original_run_suite = None


def _run_suite(suite, global_report=None):
    outcome = _original_run_suite(suite, global_report=global_report)
    _results.append(outcome)
    return outcome


def _add_skip(self, test, reason):
    _skipped.append(f"{self.getDescription(test)}: {reason}")
    self.skipped += 1
    # A skip is an error here: see the module docstring.
    self.errors_count += 1
    self.log(logging.ERROR, "SKIPPED (counted as a failure) %s : %s", self.getDescription(test), reason, test=test)


def main():
    args = ["--test-enable", "--stop-after-init", *sys.argv[1:]]
    # odoo.tests refuses to be imported outside test mode: parse first.
    config.parse_config(args)
    from odoo.tests import loader, result

    global _original_run_suite
    _original_run_suite = loader.run_suite
    loader.run_suite = _run_suite
    result.OdooTestResult.addSkip = _add_skip
    sys.argv = ["odoo-bin", "server", *args]
    try:
        odoo.cli.main()
        rc = 0
    except SystemExit as exc:
        rc = exc.code if isinstance(exc.code, int) else 1
    run = sum(r.testsRun for r in _results)
    failed = sum(r.failures_count + r.errors_count for r in _results)
    print()
    for line in _skipped:
        print(f"SKIPPED, counted as failed: {line}")
    print("browser/HTTP tests (Odoo runner):")
    print(f"{max(run - failed, 0)} passed, {failed} failed")
    if not run:
        print("ERROR: no browser/HTTP test ran (check the test tags)", file=sys.stderr)
        return 1
    return 1 if (failed or rc) else 0


if __name__ == "__main__":
    sys.exit(main())
