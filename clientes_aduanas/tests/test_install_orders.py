from odoo.tests import tagged

from .common import ClientesAduanasCase

# What l10n_pe's data file gives its RUC and DNI (the fields this database
# knows without l10n_pe installed).
L10N_PE_TYPES = {
    "pe_ruc": ("l10n_pe.it_RUC", {"name": "RUC", "description": "Taxpayer Identification Number", "is_vat": True}),
    "pe_dni": ("l10n_pe.it_DNI", {"name": "DNI", "description": "National Identity Document"}),
}


@tagged("post_install", "-at_install")
class TestAdoptL10nPeTypes(ClientesAduanasCase):
    """l10n_pe installed after the addon, on a database with registered
    customers: its RUC/DNI are loaded through ``_load_records`` exactly as its
    data file loads them here, and take over the addon's own types. The whole
    install is run for real by scripts/install_matrix.sh; these tests cover
    the step itself, its failure and its idempotence."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # This database has no l10n_pe: the types are the addon's own.
        assert not cls.env.ref("l10n_pe.it_RUC", raise_if_not_found=False)
        cls.ruc_customer = cls._create_customer(name="Empresa 0 SAC", email="empresa0@orders.example.pe")
        cls.dni_customer = cls._create_customer(
            name="Persona Quispe",
            l10n_latam_identification_type_id=cls.type_dni.id,
            vat="41234567",
            email="persona@orders.example.pe",
        )
        cls.suspended = cls._create_customer(
            name="Empresa 2 SAC", vat="20100070970", email="empresa2@orders.example.pe"
        )
        cls.suspended._suspend("Deuda pendiente")
        cls.contact = cls.env["res.partner"].create(
            {"name": "Contacto", "parent_id": cls.ruc_customer.id, "email": "contacto@orders.example.pe"}
        )
        cls.provider = cls.env.ref("clientes_aduanas.lookup_provider_apis_net_pe")
        cls.customers = cls.ruc_customer | cls.dni_customer | cls.suspended

    def _load_l10n_pe_type(self, code):
        xmlid, values = L10N_PE_TYPES[code]
        return self.IdType._load_records(
            [{"xml_id": xmlid, "values": dict(values, country_id=self.pe.id, sequence=10)}]
        )

    def _state(self):
        partners = self.customers.with_context(active_test=False)
        partners.invalidate_recordset()
        return {
            p.id: (
                p.vat,
                p.l10n_latam_identification_type_id.customs_document_code,
                p.is_registered_customer,
                p.customer_state,
                p.active,
                p.customer_vat_key,
            )
            for p in partners
        }

    def test_l10n_pe_types_adopted_when_loaded(self):
        before = self._state()
        registered = (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search_count([("is_registered_customer", "=", True)])
        )
        ours_ruc, ours_dni = self.type_ruc, self.type_dni
        ruc = self._load_l10n_pe_type("pe_ruc")
        # The rule is on l10n_pe's record, ours is archived without a rule.
        self.assertEqual(ruc.customs_document_code, "pe_ruc")
        self.assertEqual(self.IdType._get_by_document_code("pe_ruc"), ruc)
        self.assertFalse(ours_ruc.active)
        self.assertFalse(ours_ruc.customs_document_code)
        self.assertEqual(self.ruc_customer.l10n_latam_identification_type_id, ruc)
        self.assertEqual(self.suspended.with_context(active_test=False).l10n_latam_identification_type_id, ruc)
        # DNI comes with its own record of the data file.
        self.assertEqual(self.dni_customer.l10n_latam_identification_type_id, ours_dni)
        dni = self._load_l10n_pe_type("pe_dni")
        self.assertEqual(self.dni_customer.l10n_latam_identification_type_id, dni)
        self.assertFalse(ours_dni.active)
        # Registration, state, keys unchanged; no customer lost.
        self.assertEqual(self._state(), before)
        self.assertEqual(
            self.env["res.partner"]
            .with_context(active_test=False)
            .search_count([("is_registered_customer", "=", True)]),
            registered,
        )
        # Other references follow: the lookup provider's types.
        self.assertEqual(set(self.provider.document_type_ids.ids), {ruc.id, dni.id})
        # The customers still pass every rule (a write runs them all).
        self.ruc_customer.write({"phone": "+51 1 4440000"})
        self.assertEqual(self.IdType._customer_default_for_country(self.pe), ruc)

    def test_adoption_is_idempotent(self):
        ruc = self._load_l10n_pe_type("pe_ruc")
        dni = self._load_l10n_pe_type("pe_dni")
        state = self._state()
        types = self.IdType.with_context(active_test=False).search_read([], ["customs_document_code", "active"])
        # Upgrading either module runs it again: nothing changes.
        self.IdType._setup_customs_document_types()
        self._load_l10n_pe_type("pe_ruc")
        self.assertEqual(self._state(), state)
        self.assertEqual(
            self.IdType.with_context(active_test=False).search_read([], ["customs_document_code", "active"]), types
        )
        self.assertEqual(self.IdType._get_by_document_code("pe_ruc"), ruc)
        self.assertEqual(self.IdType._get_by_document_code("pe_dni"), dni)

    def test_failed_adoption_changes_nothing_and_is_logged(self):
        """A step that fails (here the database refuses to move customers)
        leaves every record as it was, says so in Spanish in the log, and
        does not stop l10n_pe's data from loading."""
        cr = self.env.cr
        cr.execute(
            """CREATE FUNCTION ca_test_refuse_type_move() RETURNS trigger LANGUAGE plpgsql AS $$
               BEGIN RAISE EXCEPTION 'refused by the test'; END $$"""
        )
        cr.execute(
            """CREATE TRIGGER ca_test_refuse_type_move BEFORE UPDATE OF l10n_latam_identification_type_id
               ON res_partner FOR EACH ROW EXECUTE FUNCTION ca_test_refuse_type_move()"""
        )
        before = self._state()
        with self.assertLogs("odoo.addons.clientes_aduanas.models.l10n_latam_identification_type", "ERROR") as logs:
            ruc = self._load_l10n_pe_type("pe_ruc")
        self.assertIn("no se pudo adoptar el tipo de documento", "\n".join(logs.output))
        self.assertTrue(ruc.exists(), "l10n_pe's record is loaded all the same")
        self.assertFalse(ruc.customs_document_code)
        self.assertEqual(self.IdType._get_by_document_code("pe_ruc"), self.type_ruc)
        self.assertTrue(self.type_ruc.active)
        self.assertEqual(self._state(), before)
        # Once the cause is gone, the next update of the addon adopts it.
        cr.execute("DROP TRIGGER ca_test_refuse_type_move ON res_partner")
        self.IdType._setup_customs_document_types()
        self.assertEqual(self.IdType._get_by_document_code("pe_ruc"), ruc)
        self.assertEqual(self.ruc_customer.l10n_latam_identification_type_id, ruc)

    def test_start_up_writes_nothing(self):
        """The registry hooks run on every start: they must not move data."""
        ruc = self.IdType.create({"name": "RUC", "country_id": self.pe.id})
        self.env["ir.model.data"].create(
            {"module": "l10n_pe", "name": "it_RUC", "model": self.IdType._name, "res_id": ruc.id}
        )
        self.IdType._register_hook()
        self.env["res.partner"]._register_hook()
        self.assertFalse(ruc.customs_document_code)
        self.assertEqual(self.ruc_customer.l10n_latam_identification_type_id, self.type_ruc)

    def test_reinstall_adopts_the_kept_types(self):
        """Uninstalling keeps the types (customers use them) but drops their
        xml ids and rules; the reinstall takes them back, no duplicate."""
        rtn = self.type_rtn
        self.env["ir.model.data"].search(
            [("module", "=", "clientes_aduanas"), ("model", "=", self.IdType._name)]
        ).unlink()
        self.env.cr.execute(
            "UPDATE l10n_latam_identification_type SET customs_document_code = NULL WHERE id = %s", [rtn.id]
        )
        self.env.invalidate_all()
        self.env.registry.clear_cache()
        count = self.IdType.with_context(active_test=False).search_count([])
        self.IdType._setup_customs_document_types()
        self.assertEqual(self.IdType.with_context(active_test=False).search_count([]), count)
        self.assertEqual(self.IdType._get_by_document_code("hn_rtn"), rtn)
        self.assertEqual(self.env.ref("clientes_aduanas.it_hn_rtn"), rtn)
