"""The padrón check's comparison: the ACTIVO / HABIDO rule's own answers
joined on every customer (spelling is no change), and the new activities of
one check created in one batch."""

import os

from odoo.tests import new_test_user, tagged

from .common import PadronCase
from .test_sunat_status import make_ruc, padron_line, write_padron


@tagged("post_install", "-at_install")
class TestSunatPadronCheck(PadronCase):
    def _load(self, name, lines):
        return self.provider._load_padron_file(write_padron(os.path.join(self.directory, name), lines))

    def test_spelling_is_no_change_a_new_condition_is(self):
        rucs = [make_ruc(500 + i) for i in range(3)]
        same, renamed, changed = (
            self._create_customer(vat=ruc, name=f"EMPRESA {i}", email=f"chk{i}@sunat.example.pe")
            for i, ruc in enumerate(rucs)
        )
        for partner in (same, renamed, changed):
            partner.sudo().write({"sunat_taxpayer_state": " activo ", "sunat_taxpayer_condition": "habido"})
        stats = self._load(
            "spelling.zip",
            [
                padron_line(rucs[0], "EMPRESA 0", " activo ", "habido"),
                padron_line(rucs[1], "EMPRESA 1", "ACTIVO", "HABIDO"),
                padron_line(rucs[2], "EMPRESA 2", "ACTIVO", "NO  HABIDO"),
            ],
        )
        self.assertEqual((stats.summary["changed"], stats.summary["newly_observed"]), (1, 1))
        self.assertEqual(renamed.sunat_taxpayer_state, "ACTIVO", "the padrón's spelling is kept")
        self.assertFalse(renamed.sunat_observed or same.sunat_observed)
        self.assertTrue(changed.sunat_observed)
        notes = self.env["mail.message"].search(
            [("model", "=", "res.partner"), ("res_id", "in", [same.id, renamed.id, changed.id])]
        )
        notes = notes.filtered(lambda m: "SUNAT padrón check" in m.body)
        self.assertEqual(notes.mapped("res_id"), changed.ids, "a note for the real change only")

    def test_new_activities_in_one_create(self):
        other = new_test_user(self.env, login="ca_check_sales", groups="sales_team.group_sale_salesman")
        rucs = [make_ruc(520 + i) for i in range(4)]
        customers = [
            self._create_customer(
                vat=ruc, name=f"EMPRESA {i}", email=f"act{i}@sunat.example.pe", user_id=other.id if i % 2 else False
            )
            for i, ruc in enumerate(rucs)
        ]
        self._load("first.zip", [padron_line(ruc, f"EMPRESA {i}") for i, ruc in enumerate(rucs)])
        Activity = type(self.env["mail.activity"])
        original = Activity.create
        creates = []

        def create(activities, vals_list):
            creates.append(len(vals_list) if isinstance(vals_list, list) else 1)
            return original(activities, vals_list)

        self.patch(Activity, "create", create)
        states = [("BAJA DE OFICIO", "HABIDO"), ("ACTIVO", "NO HABIDO")] * 2
        self._load(
            "second.zip",
            [padron_line(ruc, f"EMPRESA {i}", *states[i]) for i, ruc in enumerate(rucs)],
        )
        self.assertEqual(creates, [4], "one create for two responsibles and two statuses")
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "in", [c.id for c in customers])]
        )
        self.assertEqual(len(activities), 4)
        for customer, (state, condition) in zip(customers, states, strict=True):
            activity = activities.filtered(lambda a, c=customer: a.res_id == c.id)
            self.assertEqual(activity.res_name, customer.display_name)
            self.assertIn(f"{state} / {condition}", str(activity.note))
        self.assertEqual(activities.filtered(lambda a: a.res_id in (customers[1].id, customers[3].id)).user_id, other)
