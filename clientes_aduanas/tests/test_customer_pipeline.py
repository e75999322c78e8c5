"""The partner pipeline (res_partner.py): its steps run in the documented
order, each seeing what the previous one returned; ordinary partners pay no
unique guard; each customer event fires once per change."""

import os

from odoo.tests import tagged

from .common import ClientesAduanasCase
from .test_sunat_padron import PadronCase
from .test_sunat_status import make_ruc, padron_line, write_padron

CREATE_STEPS = (
    "_sunat_create_vals",
    "_customer_check_create",
    "_prepare_customer_vals",
    "_customer_check_unsaved_vals",
    "_check_customer_duplicates",
    "_customer_set_keys",
    "_customer_unique_guard",
    "_sunat_after_create",
    "_customer_event",
)
WRITE_STEPS = (
    "_sunat_write_vals",
    "_customer_route_lifecycle",
    "_customer_check_write",
    "_customer_prepare_write",
    "_customer_unique_guard",
)


class EventRecorder:
    """Records the customer events through the real hook (the original
    method still runs: the addon's own subscriber keeps working)."""

    def __init__(self, case):
        self.events = []
        partner_class = type(case.env["res.partner"])
        original = partner_class._customer_event
        recorder = self

        def _customer_event(partners, event, **payload):
            recorder.events.append((event, partners.ids, payload))
            return original(partners, event, **payload)

        case.patch(partner_class, "_customer_event", _customer_event)

    def of(self, event):
        return [(ids, payload) for name, ids, payload in self.events if name == event]


@tagged("post_install", "-at_install")
class TestCustomerPipeline(ClientesAduanasCase):
    def _record_steps(self, names):
        """Wrap each step of ``names`` (the original still runs) and return
        the list the calls are appended to, with the values each step saw."""
        calls = []
        partner_class = type(self.env["res.partner"])
        for name in names:
            original = getattr(partner_class, name)

            def step(records, *args, _name=name, _original=original, **kwargs):
                calls.append((_name, args))
                return _original(records, *args, **kwargs)

            self.patch(partner_class, name, step)
        return calls

    def test_create_steps_run_in_the_documented_order(self):
        calls = self._record_steps(CREATE_STEPS)
        customer = self._create_customer(vat=" 20512345671 ", email="  Contacto@Lima.example.pe ")
        self.assertEqual(
            list(dict.fromkeys(name for name, _args in calls)),
            list(CREATE_STEPS),
            "each step once per create, in the documented order",
        )
        self.assertEqual([name for name, _args in calls].count("_customer_event"), 1)
        # A step sees the values of the previous one: the duplicate check and
        # the stored keys get the number and e-mail the validation normalised.
        duplicates_vals = next(args[0] for name, args in calls if name == "_check_customer_duplicates")
        self.assertEqual(duplicates_vals[0]["vat"], "20512345671")
        self.assertEqual(duplicates_vals[0]["email"], "Contacto@Lima.example.pe")
        self.assertEqual(customer.customer_vat_key, "20512345671")
        self.assertEqual(customer.customer_email_key, "contacto@lima.example.pe")

    def test_write_steps_run_in_the_documented_order(self):
        customer = self._create_customer()
        calls = self._record_steps(WRITE_STEPS)
        customer.write({"vat": "20100070970", "phone": "+51 1 4440000"})
        self.assertEqual([name for name, _args in calls], list(WRITE_STEPS))
        prepared = next(args[0] for name, args in calls if name == "_customer_prepare_write")
        self.assertEqual(prepared["vat"], "20100070970", "the next steps get the values the SUNAT step returned")
        self.assertNotIn("sunat_taxpayer_state", prepared, "the status is no column: its reset waits for the write")

    def test_ordinary_partners_pay_no_unique_guard(self):
        partner = self.env["res.partner"].create({"name": "Proveedor de paso", "email": "a@proveedor.example"})
        savepoints = []
        cursor_class = type(self.env.cr)
        original = cursor_class.savepoint

        def savepoint(cr, *args, **kwargs):
            savepoints.append(args)
            return original(cr, *args, **kwargs)

        self.patch(cursor_class, "savepoint", savepoint)
        partner.write({"email": "b@proveedor.example", "vat": "X-1", "active": True})
        partner.write({"parent_id": self.env["res.partner"].create({"name": "Otra empresa"}).id})
        self.assertEqual(savepoints, [], "no index of customers can be hit: no savepoint")
        customer = self._create_customer()
        contact = self.env["res.partner"].create({"name": "Ana", "parent_id": customer.id})
        savepoints.clear()
        contact.write({"is_operations_contact": True})
        self.assertEqual(len(savepoints), 1, "a main operations contact can hit its index: guarded")


@tagged("post_install", "-at_install")
class TestCustomerEvents(PadronCase):
    def setUp(self):
        super().setUp()
        self.recorder = EventRecorder(self)

    def test_registered_once_per_registration(self):
        customer = self._create_customer()
        self.assertEqual(self.recorder.of("registered"), [(customer.ids, {})])
        customer.write({"phone": "+51 1 4440000"})
        partner = self.env["res.partner"].create(
            self._pe_vals(is_registered_customer=False, vat="20100070970", email="otra@lima.example.pe")
        )
        partner.action_register_customer()
        partner.write({"is_registered_customer": True, "phone": "+51 1 4449999"})
        self.assertEqual(self.recorder.of("registered"), [(customer.ids, {}), (partner.ids, {})])
        copy = customer.copy()
        self.assertEqual(self.recorder.of("registered")[-1], (copy.ids, {}), "a copy is a new customer")
        self.assertEqual(len(self.recorder.of("registered")), 3)

    def test_suspended_and_reactivated_once_per_change(self):
        customer = self._create_customer()
        customer._suspend("Deuda vencida")
        customer.action_archive()  # already suspended: no change
        self.assertEqual(self.recorder.of("suspended"), [(customer.ids, {"reason": "Deuda vencida"})])
        customer.action_unarchive()
        customer.action_reactivate()  # already active: no change
        self.assertEqual(self.recorder.of("reactivated"), [(customer.ids, {})])
        customer.write({"active": False})
        suspended = self.recorder.of("suspended")
        self.assertEqual(len(suspended), 2)
        self.assertIn("Archived by", suspended[1][1]["reason"])
        self.assertEqual(
            [event for event, _ids, _payload in self.recorder.events],
            ["registered", "suspended", "reactivated", "suspended"],
        )

    def test_sunat_status_changed_once_per_change(self):
        rucs = [make_ruc(i) for i in (41, 42)]
        first, second = (
            self._create_customer(vat=ruc, name=f"EMPRESA {i}", email=f"e{i}@sunat.example.pe")
            for i, ruc in enumerate(rucs)
        )

        def load(name, states):
            lines = [padron_line(ruc, f"EMPRESA {i}", *states[i]) for i, ruc in enumerate(rucs)]
            self.provider._load_padron_file(write_padron(os.path.join(self.directory, name), lines))

        load("e1.zip", [("ACTIVO", "HABIDO"), ("ACTIVO", "HABIDO")])
        self.assertEqual(self.recorder.of("sunat_status_changed"), [], "a first status is no change")
        load("e2.zip", [("ACTIVO", "NO HABIDO"), ("ACTIVO", "HABIDO")])
        load("e3.zip", [("ACTIVO", "NO HABIDO"), ("ACTIVO", "HABIDO")])
        self.assertEqual(
            self.recorder.of("sunat_status_changed"),
            [(first.ids, {"previous": {first.id: ("ACTIVO", "HABIDO")}})],
            "once, for the customer that changed, when it changed",
        )
        self.assertTrue(first.sunat_observed)
        self.assertFalse(second.sunat_observed)

    def test_sunat_status_changed_by_the_lookup_once_per_change(self):
        customer = self._create_customer()
        Cache = self.env["document.lookup.cache"].sudo()

        def look_up(state, condition):
            payload = {
                "taxpayer_state": state,
                "taxpayer_condition": condition,
                "provider": "Prueba",
                "provider_id": self.provider.id,
            }
            Cache._store("pe_ruc", customer.vat, self.provider, True, payload)
            customer._sunat_record_lookup("pe_ruc", customer.vat)

        look_up("ACTIVO", "HABIDO")  # a first status is no change
        look_up("ACTIVO", "HABIDO")
        look_up("ACTIVO", "NO HABIDO")
        look_up("ACTIVO", "NO HABIDO")
        self.assertEqual(
            self.recorder.of("sunat_status_changed"),
            [(customer.ids, {"previous": {customer.id: ("ACTIVO", "HABIDO")}})],
        )
        self.assertTrue(customer.sunat_observed)

    def test_sunat_status_cleared_by_a_new_ruc_once(self):
        customer = self._create_customer()
        Cache = self.env["document.lookup.cache"].sudo()

        def cache(number, state, condition):
            payload = {
                "taxpayer_state": state,
                "taxpayer_condition": condition,
                "provider": "Prueba",
                "provider_id": self.provider.id,
            }
            Cache._store("pe_ruc", number, self.provider, True, payload)

        cache(customer.vat, "ACTIVO", "HABIDO")
        customer._sunat_record_lookup("pe_ruc", customer.vat)
        self.assertEqual(self.recorder.of("sunat_status_changed"), [], "a first status is no change")
        # A new RUC without a lookup: the status of the old one is cleared.
        customer.write({"vat": make_ruc(51)})
        self.assertFalse(customer.sunat_taxpayer_state or customer.sunat_taxpayer_condition)
        self.assertEqual(
            self.recorder.of("sunat_status_changed"),
            [(customer.ids, {"previous": {customer.id: ("ACTIVO", "HABIDO")}})],
        )
        customer.write({"vat": make_ruc(52)})  # nothing known to clear: no change
        customer.write({"phone": "+51 1 4440000"})
        self.assertEqual(len(self.recorder.of("sunat_status_changed")), 1)
        # The form saves a new RUC with what its lookup found: the clearing is
        # the one change; the new number's status is a first status.
        cache(customer.vat, "ACTIVO", "HABIDO")
        customer._sunat_record_lookup("pe_ruc", customer.vat)
        new_ruc = make_ruc(53)
        cache(new_ruc, "BAJA DE OFICIO", "HABIDO")
        self.recorder.events.clear()
        customer.with_user(self.user_edit).write(
            {"vat": new_ruc, "sunat_taxpayer_state": "BAJA DE OFICIO", "sunat_taxpayer_condition": "HABIDO"}
        )
        self.assertEqual(
            self.recorder.of("sunat_status_changed"),
            [(customer.ids, {"previous": {customer.id: ("ACTIVO", "HABIDO")}})],
            "once, with the status of the old number",
        )
        self.assertEqual((customer.sunat_taxpayer_state, customer.sunat_observed), ("BAJA DE OFICIO", True))
        # An ordinary partner (not a customer) fires nothing.
        partner = self.env["res.partner"].create({"name": "Proveedor", "vat": make_ruc(54)})
        cache(partner.vat, "ACTIVO", "HABIDO")
        partner._sunat_record_lookup("pe_ruc", partner.vat)
        partner.write({"vat": make_ruc(55)})
        self.assertFalse(partner.sunat_taxpayer_state)
        self.assertEqual(len(self.recorder.of("sunat_status_changed")), 1)
