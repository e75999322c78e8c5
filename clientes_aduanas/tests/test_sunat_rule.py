"""The ACTIVO / HABIDO rule (tools/sunat_status.py): the same answer in the
lookup's warning, the stored ``sunat_observed``, the padrón check's SQL and
the operation warning; and the padrón check's activity e-mail."""

import os

from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from ..models import res_partner_sunat
from ..tools import sunat_status
from .test_sunat_padron import PadronCase
from .test_sunat_status import make_ruc, padron_line, write_padron

# (estado, condición, observed)
CASES = (
    ("ACTIVO", "HABIDO", False),
    ("activo", "habido", False),
    ("  ACTIVO ", " HABIDO  ", False),
    ("Activo", "\tHabido\n", False),
    ("ACTIVO", None, True),
    ("ACTIVO", "", True),
    (None, "HABIDO", True),
    ("ACTIVO", "NO  HABIDO", True),
    ("ACTIVO", "no habido", True),
    ("BAJA DE OFICIO", "HABIDO", True),
    ("SUSPENSION  TEMPORAL", None, True),
    (None, None, False),
    ("", "  ", False),
)


@tagged("post_install", "-at_install")
class TestSunatRule(PadronCase):
    def _sql_rule(self, *status):
        """(observed, changed) as the padrón check's SQL reads them."""
        self.env.cr.execute(
            SQL(
                "SELECT r.observed, r.changed FROM (%s) AS r(old_s, old_c, state, condition, observed, changed)",
                sunat_status.sql_rule_values([status]),
            )
        )
        return self.env.cr.fetchone()

    def test_each_case_answers_the_same_everywhere(self):
        Provider = self.env["document.lookup.provider"]
        partner = self._create_customer()
        for state, condition, observed in CASES:
            with self.subTest(state=state, condition=condition):
                self.assertEqual(sunat_status.is_observed(state, condition), observed)
                # The lookup's warning.
                self.assertEqual(bool(Provider._taxpayer_warning(state, condition)), observed)
                # The padrón check's SQL.
                self.assertEqual(self._sql_rule(None, None, state, condition)[0], observed)
                # The stored flag, and the operation warning built on it.
                partner.sudo().write({"sunat_taxpayer_state": state, "sunat_taxpayer_condition": condition})
                self.assertEqual(partner.sunat_observed, observed)
                self.assertEqual(bool(partner._sunat_operation_warning()), observed)

    def test_padron_check_agrees_with_the_rule(self):
        cases = [case for case in CASES if case[0] or case[1]]
        rucs = [make_ruc(300 + i) for i in range(len(cases))]
        customers = [
            self._create_customer(vat=ruc, name=f"EMPRESA {i}", email=f"r{i}@sunat.example.pe")
            for i, ruc in enumerate(rucs)
        ]
        lines = [
            padron_line(ruc, f"EMPRESA {i}", state or "", condition or "")
            for i, (ruc, (state, condition, _observed)) in enumerate(zip(rucs, cases, strict=True))
        ]
        self.provider._load_padron_file(write_padron(os.path.join(self.directory, "rule.zip"), lines))
        for customer, (state, condition, observed) in zip(customers, cases, strict=True):
            with self.subTest(state=state, condition=condition):
                self.assertEqual(customer.sunat_observed, observed)
                self.assertEqual(
                    sunat_status.is_observed(customer.sunat_taxpayer_state, customer.sunat_taxpayer_condition),
                    observed,
                    "what the padrón check stored, read by the rule, gives its own answer",
                )

    def test_status_change_rule_in_sql(self):
        for previous, new, changed in (
            ((None, None), ("ACTIVO", "HABIDO"), False),
            (("ACTIVO", "HABIDO"), ("ACTIVO", "HABIDO"), False),
            (("ACTIVO", "HABIDO"), (" activo", "HABIDO "), False),
            (("ACTIVO", "HABIDO"), ("ACTIVO", "NO HABIDO"), True),
            (("ACTIVO", None), ("ACTIVO", "HABIDO"), True),
        ):
            with self.subTest(previous=previous, new=new):
                self.assertEqual(sunat_status.status_changed(previous, new), changed)
                self.assertEqual(self._sql_rule(*previous, *new)[1], changed)

    def test_padron_check_emails_the_activity(self):
        env = self.env(context=dict(self.env.context, tracking_disable=False))
        salesman = new_test_user(
            env,
            login="ca_rule_sales",
            email="vendedor@aduanas.example.pe",
            groups="sales_team.group_sale_salesman",
            notification_type="email",
        )
        ruc = make_ruc(360)
        customer = env["res.partner"].create(
            self._pe_vals(vat=ruc, name="EMPRESA OBSERVADA", email="obs@sunat.example.pe", user_id=salesman.id)
        )
        path = write_padron(
            os.path.join(self.directory, "activity.zip"), [padron_line(ruc, "EMPRESA OBSERVADA", "ACTIVO", "NO HABIDO")]
        )
        before = env["mail.mail"].search([])
        self.provider.with_env(env)._load_padron_file(path)
        activity = env["mail.activity"].search([("res_model", "=", "res.partner"), ("res_id", "=", customer.id)])
        self.assertEqual(activity.user_id, salesman)
        self.assertIn("NO HABIDO", str(activity.note))
        mails = env["mail.mail"].search([]) - before
        self.assertEqual(mails.recipient_ids, salesman.partner_id, "the responsible gets Odoo's activity e-mail")
        self.assertIn("assigned to you", mails.body_html + mails.subject)
        self.assertIn(salesman.partner_id, customer.message_partner_ids, "and follows the customer, as in Odoo")

    def test_many_new_activities_inserted_at_once_with_one_email(self):
        self.patch(res_partner_sunat, "ACTIVITY_ORM_LIMIT", 1)
        env = self.env(context=dict(self.env.context, tracking_disable=False))
        salesman = new_test_user(
            env,
            login="ca_rule_sales_many",
            email="vendedor2@aduanas.example.pe",
            groups="sales_team.group_sale_salesman",
            notification_type="email",
        )
        rucs = [make_ruc(370 + i) for i in range(3)]
        customers = [
            env["res.partner"].create(
                self._pe_vals(vat=ruc, name=f"EMPRESA <{i}>", email=f"m{i}@sunat.example.pe", user_id=salesman.id)
            )
            for i, ruc in enumerate(rucs)
        ]
        path = write_padron(
            os.path.join(self.directory, "many.zip"),
            [padron_line(ruc, f"EMPRESA <{i}>", "BAJA DE OFICIO", "HABIDO") for i, ruc in enumerate(rucs)],
        )
        before = env["mail.mail"].search([])
        self.provider.with_env(env)._load_padron_file(path)
        activities = env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "in", [c.id for c in customers])]
        )
        self.assertEqual(len(activities), 3)
        self.assertEqual(activities.user_id, salesman)
        for customer in customers:
            follower = customer.message_follower_ids.filtered(lambda f: f.partner_id == salesman.partner_id)
            self.assertEqual(
                follower.subtype_ids,
                env["mail.message.subtype"].default_subtypes("res.partner")[0],
                "the responsible follows each customer with the default subtypes, as in Odoo",
            )
        self.assertIn("BAJA DE OFICIO", str(activities[0].note))
        mails = env["mail.mail"].search([]) - before
        self.assertEqual(len(mails), 1, "one e-mail for the three activities")
        self.assertEqual(mails.recipient_ids, salesman.partner_id)
        self.assertIn("3", mails.subject)
