import os
import tempfile
import threading
import time
import zipfile
from unittest.mock import patch

from stdnum.pe import ruc as pe_ruc

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import SQL

from ..tools import sunat_padron
from ..wizard import sunat_padron_load_wizard
from .test_sunat_padron import HEADER, PadronCase


def make_ruc(i):
    body = f"20{i:08d}"
    return body + pe_ruc.calc_check_digit(body)


def padron_line(ruc, name, state="ACTIVO", condition="HABIDO", via="JAVIER PRADO", number="100"):
    return f"{ruc}|{name}|{state}|{condition}|150131|AV.|{via}|-|-|{number}|-|-|-|-|-|"


def write_padron(path, lines):
    """A padrón .zip as SUNAT publishes it (Latin-1, header, CRLF)."""
    data = ("\r\n".join([HEADER, *lines]) + "\r\n").encode("latin-1")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("padron_reducido_ruc.txt", data)
    return path


@tagged("post_install", "-at_install")
class TestSunatStatus(PadronCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(cls.env, login="ca_sunat_sales", groups="sales_team.group_sale_salesman")
        cls.alerts = new_test_user(cls.env, login="ca_sunat_alerts", groups="base.group_user")
        cls.env.company.sunat_alert_user_id = cls.alerts
        cls.rucs = [make_ruc(i) for i in range(1, 6)]
        street = "AV. JAVIER PRADO NRO. 100"
        cls.steady, cls.to_baja, cls.to_no_habido, cls.absent, cls.renamed = (
            cls._create_customer(
                vat=ruc, name=f"EMPRESA {i} S.A.C.", street=street, email=f"c{i}@sunat.example.pe", **extra
            )
            for i, (ruc, extra) in enumerate(
                zip(cls.rucs, [{}, {"user_id": cls.salesman.id}, {}, {}, {}], strict=True), start=1
            )
        )
        cls.ordinary = cls.env["res.partner"].create({"name": "No registrado", "vat": make_ruc(99)})

    def _padron(self, name, overrides=None):
        """The five customers' RUCs (the fourth absent), ``overrides`` by
        index: (state, condition)."""
        overrides = overrides or {}
        lines = []
        for i, ruc in enumerate(self.rucs, start=1):
            if i == 4:
                continue
            state, condition = overrides.get(i, ("ACTIVO", "HABIDO"))
            lines.append(padron_line(ruc, "OTRO NOMBRE S.A." if i == 5 else f"EMPRESA {i} S.A.C.", state, condition))
        lines.append(padron_line(make_ruc(99), "NO REGISTRADO", "BAJA DE OFICIO", "NO HABIDO"))
        return write_padron(os.path.join(self.directory, name), lines)

    def _row_version(self, partner, table="res_partner", column="id"):
        """The row's ctid: any UPDATE writes a new row version elsewhere."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL("SELECT ctid::text FROM %s WHERE %s = %s", SQL.identifier(table), SQL.identifier(column), partner.id)
        )
        return self.env.cr.fetchone()[0]

    def _status_version(self, partner):
        return self._row_version(partner, "res_partner_sunat_status", "partner_id")

    def _messages(self, partner):
        return self.env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "=", partner.id),
                ("body", "ilike", "SUNAT"),
                ("message_type", "!=", "user_notification"),  # the activity's e-mail is not a chatter note
            ]
        )

    def _activities(self, partner):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", partner.id),
                ("activity_type_id", "=", self.env.ref("clientes_aduanas.mail_activity_type_sunat_observed").id),
            ]
        )

    def test_padron_check_of_every_customer(self):
        master = {p: p.read(["name", "street", "city", "state_id"]) for p in (self.steady, self.renamed)}
        stats = self.provider._load_padron_file(self._padron("day1.zip"))
        self.assertEqual(stats.summary["checked"], 5, "registered customers with a RUC only")
        self.assertEqual((stats.summary["absent"], stats.summary["changed"], stats.summary["observed"]), (1, 0, 0))
        for partner in (self.steady, self.to_baja, self.to_no_habido):
            self.assertEqual((partner.sunat_taxpayer_state, partner.sunat_taxpayer_condition), ("ACTIVO", "HABIDO"))
            self.assertEqual(partner.sunat_source, self.provider.name)
            self.assertFalse(partner.sunat_observed)
            self.assertTrue(partner.sunat_checked_on)
        self.assertFalse(self.ordinary.sunat_taxpayer_state, "only registered customers are checked")
        self.assertTrue(self.absent.sunat_absent)
        self.assertFalse(self.absent.sunat_taxpayer_state)
        self.assertTrue(self.renamed.sunat_data_differs)
        self.assertFalse(self.steady.sunat_data_differs)
        self.assertFalse(self._messages(self.steady), "a first status is no change")
        load = stats.load_record
        self.assertEqual((load.customers_checked, load.customers_absent, load.customers_differing), (5, 1, 1))
        self.assertEqual(load.absent_examples, self.rucs[3])
        self.assertIn("absent from the padrón: 1", load.report)

        # Day 2: one customer is BAJA DE OFICIO, another NO HABIDO.
        steady_version = self._status_version(self.steady)
        baja_version = self._row_version(self.to_baja)
        baja_write = (self.to_baja.write_uid, self.to_baja.write_date)
        stats = self.provider._load_padron_file(
            self._padron("day2.zip", {2: ("BAJA DE OFICIO", "HABIDO"), 3: ("ACTIVO", "NO HABIDO")})
        )
        self.assertEqual(
            {k: stats.summary[k] for k in ("checked", "changed", "observed", "newly_observed", "absent")},
            {"checked": 5, "changed": 2, "observed": 2, "newly_observed": 2, "absent": 1},
        )
        self.assertEqual(self.to_baja.sunat_taxpayer_state, "BAJA DE OFICIO")
        self.assertTrue(self.to_baja.sunat_observed)
        self.assertEqual(self.to_no_habido.sunat_taxpayer_condition, "NO HABIDO")
        self.assertTrue(self.to_no_habido.sunat_observed)
        note = self._messages(self.to_baja)
        self.assertEqual(len(note), 1)
        self.assertIn("ACTIVO → BAJA DE OFICIO", note.body)
        self.assertIn("HABIDO → HABIDO", note.body)
        self.assertIn("HABIDO → NO HABIDO", self._messages(self.to_no_habido).body)
        self.assertEqual(self._activities(self.to_baja).user_id, self.salesman, "the customer's salesperson")
        self.assertEqual(self._activities(self.to_no_habido).user_id, self.alerts, "no salesperson: the manager")
        self.assertFalse(self._messages(self.steady), "unchanged: untouched")
        self.assertFalse(self._activities(self.steady))
        self.assertEqual(self._status_version(self.steady), steady_version, "an unchanged status is not written")
        self.assertEqual(self._row_version(self.to_baja), baja_version, "the status is no column of the partner")
        self.assertEqual(
            (self.to_baja.write_uid, self.to_baja.write_date),
            baja_write,
            "the last edit stays the user's: the check's date is the status date",
        )
        self.assertEqual({p: p.read(["name", "street", "city", "state_id"]) for p in master}, master)
        self.assertEqual(self.renamed.name, "EMPRESA 5 S.A.C.", "master data are never changed by the check")
        self.assertEqual(
            self.env["res.partner"].search([("sunat_observed", "=", True), ("id", "in", self.rucs_partners())]),
            self.to_baja | self.to_no_habido,
        )

        # Day 3: the same data again adds nothing.
        stats = self.provider._load_padron_file(
            self._padron("day3.zip", {2: ("BAJA DE OFICIO", "HABIDO"), 3: ("ACTIVO", "NO HABIDO")})
        )
        self.assertEqual((stats.summary["changed"], stats.summary["newly_observed"]), (0, 0))
        self.assertEqual(len(self._messages(self.to_baja)), 1)
        self.assertEqual(len(self._activities(self.to_baja) | self._activities(self.to_no_habido)), 2)
        self.assertEqual(
            self.env["sunat.padron.load"]
            .search([("provider_id", "=", self.provider.id)], limit=3)
            .mapped("customers_changed"),
            [0, 2, 0],
        )

    def rucs_partners(self):
        return (self.steady | self.to_baja | self.to_no_habido | self.absent | self.renamed).ids

    def test_differences_reviewed_with_the_comparison_wizard(self):
        self.provider._load_padron_file(self._padron("review.zip"))
        self.assertTrue(self.renamed.sunat_data_differs)
        action = self.renamed.with_user(self.user_edit).action_review_sunat_data()
        wizard = self.env["document.lookup.wizard"].browse(action["res_id"])
        lines = {line.field_name: line for line in wizard.line_ids}
        self.assertEqual(lines["name"].new_display, "OTRO NOMBRE S.A.")
        self.assertEqual(self.renamed.name, "EMPRESA 5 S.A.C.", "nothing written before the user accepts")
        wizard.with_user(self.user_edit).action_apply()
        self.assertEqual(self.renamed.name, "OTRO NOMBRE S.A.")
        self.assertFalse(self.renamed.sunat_data_differs)

    def test_lookup_button_sets_the_status(self):
        self.provider._load_padron_file(self._padron("lookup.zip", {1: ("SUSPENSION TEMPORAL", "HABIDO")}))
        self.steady.sudo().write({"sunat_taxpayer_state": False, "sunat_taxpayer_condition": False})
        self.env["document.lookup.cache"].search([]).unlink()
        self.steady.with_user(self.user_edit).action_lookup_document()
        self.assertEqual(self.steady.sunat_taxpayer_state, "SUSPENSION TEMPORAL")
        self.assertTrue(self.steady.sunat_observed)
        self.assertEqual(self.steady.sunat_source, self.provider.name)
        self.steady.vat = make_ruc(42)
        self.assertFalse(self.steady.sunat_taxpayer_state, "the status belonged to the old number")

    def test_status_change_tracked_in_the_chatter(self):
        self.provider._load_padron_file(self._padron("track.zip", {1: ("BAJA DE OFICIO", "HABIDO")}))
        self.steady.sudo().write({"sunat_taxpayer_state": "ACTIVO", "sunat_taxpayer_condition": "HABIDO"})
        self.env["document.lookup.cache"].search([]).unlink()
        env = self.env(context=dict(self.env.context, tracking_disable=False))
        self.steady.with_env(env).with_user(self.user_edit).action_lookup_document()
        self.assertEqual(self.steady.sunat_taxpayer_state, "BAJA DE OFICIO")
        tracked = self.env["mail.tracking.value"].search(
            [("mail_message_id.model", "=", "res.partner"), ("mail_message_id.res_id", "=", self.steady.id)]
        )
        self.assertEqual(
            [(t.field_id.name, t.old_value_char, t.new_value_char) for t in tracked],
            [("sunat_taxpayer_state", "ACTIVO", "BAJA DE OFICIO")],
            "the lookup's new estado, as a tracked field (the condición did not change)",
        )
        self.assertEqual(tracked.mail_message_id.author_id, self.user_edit.partner_id)

    def test_status_searched_as_a_column(self):
        self.provider._load_padron_file(self._padron("search.zip", {2: ("BAJA DE OFICIO", "HABIDO")}))
        Partner = self.env["res.partner"].with_user(self.user_view)
        within = [("id", "in", [*self.rucs_partners(), self.ordinary.id])]
        not_observed = self.steady | self.to_no_habido | self.absent | self.renamed | self.ordinary
        for domain, expected in (
            ([("sunat_observed", "=", True)], self.to_baja),
            # A partner without a status row (never checked) is not observed.
            ([("sunat_observed", "=", False)], not_observed),
            ([("sunat_observed", "!=", True)], not_observed),
            ([("sunat_taxpayer_state", "=", "ACTIVO")], self.steady | self.to_no_habido | self.renamed),
            ([("sunat_taxpayer_state", "=", False)], self.absent | self.ordinary),
            ([("sunat_taxpayer_state", "!=", "ACTIVO")], self.to_baja | self.absent | self.ordinary),
            ([("sunat_absent", "=", True)], self.absent),
            ([("sunat_data_differs", "=", True)], self.renamed),
        ):
            with self.subTest(domain=domain):
                self.assertEqual(Partner.search(domain + within), expected.with_user(self.user_view))

    def test_status_row_goes_with_its_partner(self):
        self.provider._load_padron_file(self._padron("cascade.zip"))
        Status = self.env["res.partner.sunat.status"]
        partner = self.env["res.partner"].create({"name": "Efímero", "vat": make_ruc(98)})
        partner.sudo().write({"sunat_taxpayer_state": "ACTIVO", "sunat_taxpayer_condition": "HABIDO"})
        self.assertEqual(Status.search_count([("partner_id", "=", partner.id)]), 1)
        partner.unlink()
        self.assertFalse(Status.search_count([("partner_id", "=", partner.id)]))
        # Odoo's merge wizard: the partner kept keeps its own status.
        wizard = self.env["base.partner.merge.automatic.wizard"].create({})
        wizard._merge((self.steady | self.absent).ids, self.steady, extra_checks=False)
        self.assertFalse(self.absent.exists())
        self.assertEqual((self.steady.sunat_taxpayer_state, self.steady.sunat_absent), ("ACTIVO", False))
        self.assertEqual(Status.search_count([("partner_id", "=", self.steady.id)]), 1)

    def test_status_cannot_be_forged_by_rpc(self):
        """The status is SUNAT's: a user's values never set it."""
        self.provider._load_padron_file(self._padron("forge.zip", {2: ("BAJA DE OFICIO", "NO HABIDO")}))
        self.env.company.sunat_refuse_observed = True
        self.to_baja.with_user(self.user_edit).write(
            {"sunat_taxpayer_state": "ACTIVO", "sunat_taxpayer_condition": "HABIDO", "sunat_observed": False}
        )
        self.assertEqual(self.to_baja.sunat_taxpayer_state, "BAJA DE OFICIO")
        self.assertTrue(self.to_baja.sunat_observed)
        with self.assertRaisesRegex(UserError, "does not allow new operations"):
            self.env["sale.order"].create({"partner_id": self.to_baja.id})
        forged = (
            self.env["res.partner"]
            .with_user(self.user_manager)
            .create(
                self._pe_vals(
                    vat=make_ruc(77),
                    email="forged@sunat.example.pe",
                    sunat_taxpayer_state="ACTIVO",
                    sunat_taxpayer_condition="HABIDO",
                    sunat_source="SUNAT",
                )
            )
        )
        self.assertFalse(forged.sunat_taxpayer_state or forged.sunat_source, "no lookup gave this status")
        # A form that ran the lookup saves what the lookup found: the test
        # of the new customer's lookup in test_document_lookup.py (as a user).

    def test_operation_warning_then_refusal(self):
        self.provider._load_padron_file(self._padron("ops.zip", {2: ("BAJA DE OFICIO", "NO HABIDO")}))
        product = self.env["product.product"].create({"name": "Agenciamiento", "list_price": 10})
        with self.assertLogs("odoo.tests.form.onchange", "WARNING") as logs:
            order = Form(self.env["sale.order"])
            order.partner_id = self.to_baja
        self.assertIn("BAJA DE OFICIO / NO HABIDO", "\n".join(logs.output))
        order.save()
        with self.assertLogs("odoo.tests.form.onchange", "WARNING") as logs:
            invoice = Form(self.env["account.move"].with_context(default_move_type="out_invoice"))
            invoice.partner_id = self.to_baja
        self.assertIn("not ACTIVO / HABIDO", "\n".join(logs.output))
        with self.assertLogs("odoo.tests.form.onchange", "WARNING"):
            Form(self.env["customs.file"]).partner_id = self.to_baja
        self.env["customs.file"].create({"partner_id": self.to_baja.id})

        self.env.company.sunat_refuse_observed = True
        with self.assertRaisesRegex(UserError, "does not allow new operations"):
            self.env["sale.order"].create({"partner_id": self.to_baja.id})
        with self.assertRaisesRegex(UserError, "does not allow new operations"):
            self.env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.to_baja.id,
                    "invoice_line_ids": [Command.create({"product_id": product.id, "price_unit": 10})],
                }
            )
        with self.assertRaisesRegex(UserError, "does not allow new operations"):
            self.env["customs.file"].create({"partner_id": self.to_baja.id})
        # Customers SUNAT reports as ACTIVO / HABIDO are not concerned, nor vendor bills.
        self.env["sale.order"].create({"partner_id": self.steady.id})
        self.env["account.move"].create({"move_type": "in_invoice", "partner_id": self.to_baja.id})

    def test_server_path_restricted_to_the_directory(self):
        outside = tempfile.mkdtemp()
        existing = self._padron("../" + os.path.basename(outside) + "/real.zip")
        missing = os.path.join(outside, "missing.zip")
        os.symlink(existing, os.path.join(self.directory, "link.zip"))
        messages = set()
        for path in (existing, missing, "../" + os.path.basename(outside) + "/real.zip", "link.zip", self.directory):
            with self.subTest(path=path), self.assertRaises(UserError) as ctx:
                self.provider._load_padron_file(path)
            messages.add(str(ctx.exception))
        self.assertEqual(len(messages), 1, "an existing and a missing file get the same answer")
        self.assertNotIn(outside, messages.pop())
        self.env["ir.config_parameter"].set_param("clientes_aduanas.padron_directory", "")
        with self.assertRaisesRegex(UserError, "Only files inside the padrón directory"):
            self.provider._load_padron_file(os.path.join(self.directory, "x.zip"))
        self.env["ir.config_parameter"].set_param("clientes_aduanas.padron_directory", self.directory)
        inside = self._padron("inside.zip")
        self.assertEqual(self.provider._load_padron_file("inside.zip").loaded, 5, "a name inside the directory")
        self.assertEqual(self.provider._load_padron_file(inside).loaded, 5, "a full path inside it")

    def test_check_query_count_does_not_grow_with_customers(self):
        Partner = self.env["res.partner"]
        activity_type = self.env.ref("clientes_aduanas.mail_activity_type_sunat_observed")

        def load(rucs, state, condition):
            sunat_padron.load(
                self.env.cr, iter([padron_line(ruc, "X S.A.C.", state, condition).encode() for ruc in rucs])
            )

        def queries():
            self.env.flush_all()
            # The author's partner is read once per environment cache (the
            # creates below invalidate it): not a query per customer.
            self.assertTrue(self.env.user.partner_id.id)
            before = self.env.cr.sql_log_count
            summary = Partner._sunat_check_against_padron(sunat_padron.active_table(self.env.cr), self.provider)
            return self.env.cr.sql_log_count - before, summary

        def observe(rucs):
            """Every RUC of ``rucs`` ACTIVO / HABIDO, then (counted) NO HABIDO:
            each customer changes, gets a note and an activity (e-mailed)."""
            self.env["mail.activity"].search([("activity_type_id", "=", activity_type.id)]).unlink()
            load(rucs, "ACTIVO", "HABIDO")
            queries()
            load(rucs, "ACTIVO", "NO HABIDO")
            return queries()

        observe(self.rucs)  # warms the ORM caches up
        few, summary = observe(self.rucs)
        self.assertEqual((summary["checked"], summary["changed"], summary["newly_observed"]), (5, 5, 5))
        more = [make_ruc(200 + i) for i in range(20)]
        for i, ruc in enumerate(more):
            self._create_customer(vat=ruc, name=f"MAS {i}", email=f"mas{i}@sunat.example.pe")
        observe(self.rucs + more)  # the new customers' first followers, as the warm-up above
        many, summary = observe(self.rucs + more)
        self.assertEqual((summary["checked"], summary["changed"], summary["newly_observed"]), (25, 25, 25))
        self.assertEqual(many, few, "set-based: the same queries for 5 or 25 customers")

    def test_upload_says_large_files_go_through_the_server(self):
        wizard = self.env["sunat.padron.load.wizard"].create(
            {"provider_id": self.provider.id, "source": "upload", "upload": b"UlVDfA==", "upload_name": "p.txt"}
        )
        with patch.object(sunat_padron_load_wizard, "UPLOAD_MAX_MB", 0):
            with self.assertRaisesRegex(UserError, "copy the file into the padrón directory on the server"):
                wizard.action_load()

    def test_cron_checks_the_customers_too(self):
        path = self._padron("cron.zip", {3: ("ACTIVO", "NO HALLADO")})
        self.env["ir.config_parameter"].set_param("clientes_aduanas.padron_path", path)
        cron_env = api.Environment(self.env.cr, SUPERUSER_ID, {})
        cron_env["document.lookup.provider"]._cron_refresh_padron()
        self.assertTrue(self.to_no_habido.sunat_observed)
        self.assertEqual(self._activities(self.to_no_habido).user_id, self.alerts)


@tagged("post_install", "-at_install")
class TestSunatPadronRefreshWhileLookingUp(PadronCase):
    """Commits from other cursors: alone in its class, so that no other
    test's transaction is older than the pointer it moves."""

    def test_lookups_answer_from_the_previous_table_during_a_refresh(self):
        """Real transactions: a refresh paused in its COPY, then between its
        swap and its commit, and lookups in other workers that keep
        answering from the committed padrón without waiting."""
        registry = self.registry
        old_ruc, new_ruc = make_ruc(501), make_ruc(502)
        with registry.cursor() as cr_x:
            sunat_padron.load(cr_x, iter([padron_line(old_ruc, "ANTES S.A.C.").encode()]))
            cr_x.commit()
        self.addCleanup(self._empty_committed_padron)
        reached, release = threading.Event(), threading.Event()
        swapped, commit = threading.Event(), threading.Event()

        def slow_lines():
            for i in range(2000):
                if i == 1000:
                    reached.set()
                    release.wait(30)
                yield padron_line(new_ruc if i == 0 else make_ruc(1000 + i), "DESPUES S.A.C.").encode()

        def refresh():
            with registry.cursor() as cr_x:
                sunat_padron.load(cr_x, slow_lines())
                swapped.set()  # new data in place, not committed yet
                commit.wait(30)
                cr_x.commit()

        def timed_lookup(cr_x, ruc):
            start = time.perf_counter()
            row = sunat_padron.lookup(cr_x, ruc)
            self.assertLess(time.perf_counter() - start, 1.0, "the lookup does not wait for the refresh")
            return row and row["name"]

        thread = threading.Thread(target=refresh)
        thread.start()
        try:
            self.assertTrue(reached.wait(30))
            with registry.cursor() as cr_x:
                self.assertEqual(timed_lookup(cr_x, old_ruc), "ANTES S.A.C.", "during the COPY")
            release.set()
            self.assertTrue(swapped.wait(30))
            # A request whose transaction began before the refresh commits
            # (Odoo's transactions are REPEATABLE READ) keeps the old data,
            # even when it looks up after the commit.
            with registry.cursor() as older:
                self.assertEqual(timed_lookup(older, old_ruc), "ANTES S.A.C.", "between swap and commit")
                commit.set()
                thread.join(60)
                self.assertEqual(timed_lookup(older, old_ruc), "ANTES S.A.C.", "an older snapshot")
        finally:
            release.set()
            commit.set()
            thread.join(60)
        with registry.cursor() as cr_x:
            self.assertIsNone(timed_lookup(cr_x, old_ruc))
            self.assertEqual(timed_lookup(cr_x, new_ruc), "DESPUES S.A.C.")

    def _empty_committed_padron(self):
        with self.registry.cursor() as cr_x:
            cr_x.execute(f"TRUNCATE {sunat_padron.SLOTS['a']}, {sunat_padron.SLOTS['b']}")
            cr_x.commit()
