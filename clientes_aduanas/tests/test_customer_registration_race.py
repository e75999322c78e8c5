"""Two users registering the same e-mail or document at once: the second is
refused with the first one's name and no "bad query" ERROR in the server log,
with real transactions committed as in production."""

import threading

from odoo import SUPERUSER_ID, api
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ClientesAduanasCase, _ruc


def _env(cr):
    return api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})


@tagged("post_install", "-at_install")
class TestRegistrationRace(ClientesAduanasCase):
    def _forget(self, domain):
        with self.registry.cursor() as cr:
            _env(cr)["res.partner"].with_context(active_test=False).search(domain).unlink()

    def test_second_user_waits_and_is_refused(self):
        """The first has inserted, not committed: the second waits on the
        unique index, then reads the committed customer's name."""
        vals_1 = self._pe_vals(vat=_ruc("2072000001"), email="carrera@example.pe", name="Carrera 1")
        vals_2 = self._pe_vals(vat=_ruc("2072000002"), email="Carrera@example.pe ", name="Carrera 2")
        with self.assertNoLogs("odoo.sql_db", level="ERROR"):
            outcome = self._race_two_registrations(vals_1, vals_2, [("email", "=ilike", "carrera@example.pe")])
        self.assertFalse(outcome.get("created"))
        self.assertEqual(outcome.get("error"), "A customer with this e-mail already exists: Carrera 1")

    def test_same_document_waits_and_is_refused(self):
        vals_1 = self._pe_vals(vat=_ruc("2072000003"), email="doc-a@example.pe", name="Documento A")
        vals_2 = self._pe_vals(vat=_ruc("2072000003"), email="doc-b@example.pe", name="Documento B")
        with self.assertNoLogs("odoo.sql_db", level="ERROR"):
            outcome = self._race_two_registrations(vals_1, vals_2, [("vat", "=", vals_1["vat"])])
        self.assertEqual(
            outcome.get("error"), "A customer with this document type and number already exists: Documento A"
        )

    def test_snapshot_older_than_the_other_commit(self):
        """The second transaction's snapshot was taken before the first
        committed: its own search cannot see the customer, the index refuses it."""
        vals_1 = self._pe_vals(vat=_ruc("2072000004"), email="foto@example.pe", name="Foto 1")
        vals_2 = self._pe_vals(vat=_ruc("2072000005"), email="foto@example.pe", name="Foto 2")
        self.addCleanup(self._forget, [("email", "=", "foto@example.pe")])
        with self.registry.cursor() as cr2, self.assertNoLogs("odoo.sql_db", level="ERROR"):
            env2 = _env(cr2)
            env2["res.partner"].search_count([])  # the snapshot of a request already under way
            with self.registry.cursor() as cr1:
                _env(cr1)["res.partner"].create(vals_1)
            self.assertFalse(env2["res.partner"].search([("email", "=", "foto@example.pe")]), "not seen here")
            with self.assertRaisesRegex(ValidationError, "A customer with this e-mail already exists: Foto 1"):
                env2["res.partner"].create(vals_2)
            cr2.rollback()

    def test_key_changed_or_deleted_in_this_transaction_is_free(self):
        """What this transaction changed or deleted and has not committed yet
        is not a duplicate."""
        vals = self._pe_vals(vat=_ruc("2072000006"), email="mueve@example.pe", name="Mueve")
        old = self._pe_vals(vat=_ruc("2072000007"), email="borra@example.pe", name="Borra")
        with self.registry.cursor() as cr:
            moved, deleted = _env(cr)["res.partner"].create([vals, old]).ids
        self.addCleanup(self._forget, [("id", "in", [moved, deleted])])
        with self.registry.cursor() as cr2, self.assertNoLogs("odoo.sql_db", level="ERROR"):
            Partner = _env(cr2)["res.partner"]
            Partner.browse(moved).email = "movido@example.pe"
            Partner.browse(deleted).unlink()
            again = Partner.create(
                [
                    self._pe_vals(vat=_ruc("2072000008"), email="mueve@example.pe", name="Nuevo"),
                    self._pe_vals(vat=old["vat"], email=old["email"], name="Borra otra vez"),
                ]
            )
            self.assertEqual(len(again), 2)
            cr2.rollback()

    def test_second_user_resumes_when_the_first_rolls_back(self):
        """The first registration is abandoned: the second, which waited on
        the unique index, registers the customer."""
        vals = self._pe_vals(vat=_ruc("2072000010"), email="abandono@example.pe", name="Abandono")
        self.addCleanup(self._forget, [("email", "=", "abandono@example.pe")])
        created = threading.Event()
        outcome = {}

        def second_user():
            with self.registry.cursor() as cr2:
                try:
                    outcome["id"] = _env(cr2)["res.partner"].create(dict(vals, name="Abandono 2")).id
                except Exception as err:
                    outcome["error"] = err
                created.set()
                cr2.commit()

        with self.registry.cursor() as cr1:
            _env(cr1)["res.partner"].create(vals)
            thread = threading.Thread(target=second_user)
            thread.start()
            self.assertFalse(created.wait(1.0), "the second waits on the first")
            cr1.rollback()
        thread.join(30)
        self.assertNotIn("error", outcome)
        self.assertTrue(outcome.get("id"))
