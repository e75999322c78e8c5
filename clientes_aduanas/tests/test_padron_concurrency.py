import threading

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.tests import tagged

from ..tools import sunat_padron
from .test_sunat_padron import PadronCase
from .test_sunat_status import make_ruc, padron_line, write_padron

BUSY = "Another load of the SUNAT padrón is running, or has just finished"


@tagged("post_install", "-at_install")
class TestPadronLoadsAtOnce(PadronCase):
    """Two real transactions: a load paused in its COPY in another worker,
    and a second load started meanwhile."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.path = cls._write_padron("padron_a.zip", [padron_line(make_ruc(701), "PRIMERO S.A.C.")])

    @classmethod
    def _write_padron(cls, name, lines):
        path = f"{cls.directory}/{name}"
        write_padron(path, lines)
        return path

    def test_second_load_is_refused_while_the_first_runs(self):
        reached, release = threading.Event(), threading.Event()
        errors = []

        def slow_lines():
            for i in range(50):
                if i == 10:
                    reached.set()
                    release.wait(30)
                yield padron_line(make_ruc(800 + i), "OTRO S.A.C.").encode()

        def first_load():
            try:
                with self.registry.cursor() as cr_x:
                    sunat_padron.load(cr_x, slow_lines())
                    cr_x.rollback()  # the committed padrón stays as it was
            except Exception as err:
                errors.append(err)

        thread = threading.Thread(target=first_load)
        thread.start()
        try:
            self.assertTrue(reached.wait(30), "the first load holds the padrón")
            # No "bad query" (serialization or lock error) in the log.
            with self.assertNoLogs("odoo.sql_db", level="ERROR"):
                with self.assertRaisesRegex(UserError, BUSY):
                    self.provider._load_padron_file(self.path)
                # The daily job meeting a running load skips its turn quietly.
                self.env["ir.config_parameter"].set_param("clientes_aduanas.padron_path", self.path)
                api.Environment(self.env.cr, SUPERUSER_ID, {})["document.lookup.provider"]._cron_refresh_padron()
        finally:
            release.set()
            thread.join(60)
        self.assertFalse(errors)
        self.assertFalse(
            self.env["sunat.padron.load"].search([("file_name", "=", "padron_a.zip")]), "nothing recorded as loaded"
        )
        # Once the first one ended, a load goes through.
        stats = self.provider._load_padron_file(self.path)
        self.assertEqual((stats.loaded, stats.load_record.state), (1, "done"))
        self.assertEqual(sunat_padron.lookup(self.env.cr, make_ruc(701))["name"], "PRIMERO S.A.C.")

    def test_interrupted_load_is_marked_and_the_next_run_recovers(self):
        """A load cut short by a PostgreSQL restart leaves only its
        attempt row, committed when it began (the stored state simulated
        here): the padrón in use is the previous one, and the next daily
        run lists the load as interrupted and loads the file."""
        self.provider._load_padron_file(self.path)
        before = self.env["sunat.padron.load"].search([], limit=1)
        sunat_padron.record_attempt(self.env.cr, "lost-load", self.provider.id, "cortada.zip", self.env.uid)
        self.assertEqual(sunat_padron.lookup(self.env.cr, make_ruc(701))["name"], "PRIMERO S.A.C.")
        self.assertEqual(self.env["sunat.padron.load"]._last_check_date(), before.date)

        newer = self._write_padron("padron_b.zip", [padron_line(make_ruc(702), "SEGUNDO S.A.C.")])
        self.env["ir.config_parameter"].set_param("clientes_aduanas.padron_path", newer)
        api.Environment(self.env.cr, SUPERUSER_ID, {})["document.lookup.provider"]._cron_refresh_padron()

        interrupted = self.env["sunat.padron.load"].search([("attempt_token", "=", "lost-load")])
        self.assertEqual((interrupted.state, interrupted.file_name), ("failed", "cortada.zip"))
        self.assertIn("previous padrón stayed in use", interrupted.report)
        last = self.env["sunat.padron.load"].search([("state", "=", "done")], limit=1)
        self.assertEqual((last.file_name, last.rows_loaded), ("padron_b.zip", 1))
        self.assertEqual(sunat_padron.lookup(self.env.cr, make_ruc(702))["name"], "SEGUNDO S.A.C.")
        self.assertNotIn("lost-load", [row[0] for row in sunat_padron.attempts(self.env.cr)])
        # Ended loads leave no attempt behind for the next one to report.
        failed = self.env["sunat.padron.load"].search_count([("state", "=", "failed")])
        self.provider._load_padron_file(newer)
        self.assertEqual(self.env["sunat.padron.load"].search_count([("state", "=", "failed")]), failed)


@tagged("post_install", "-at_install")
class TestPadronLoadAfterAnotherCommitted(PadronCase):
    """Alone in its class: another transaction commits a load after this
    class's transaction began (REPEATABLE READ)."""

    def test_load_refused_instead_of_serialization_error(self):
        with self.registry.cursor() as cr_x:
            sunat_padron.lock(cr_x)
            cr_x.execute(f"UPDATE {sunat_padron.CURRENT} SET slot = slot")  # what a load's swap does
            cr_x.commit()
        with self.assertNoLogs("odoo.sql_db", level="ERROR"), self.assertRaisesRegex(UserError, BUSY):
            self.provider._load_padron_file("padron_reducido_ruc.zip")
