import os

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import file_open
from odoo.tools.translate import TranslationFileReader

from .common import ClientesAduanasCase


@tagged("post_install", "-at_install")
class TestSpanish(ClientesAduanasCase):
    """A Spanish-speaking user (es_PE) reads the addon in Spanish: labels,
    selections, menus and error messages, from i18n/es.po."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("es_PE")
        cls.env["ir.module.module"]._load_module_terms(["clientes_aduanas"], ["es_PE"], overwrite=True)
        cls.es = cls.env(context=dict(cls.env.context, lang="es_PE"))
        cls.customer = cls._create_customer(name="Cliente Existente", email="existe@example.pe")

    def test_duplicate_email_message(self):
        with self.assertRaises(ValidationError) as ctx:
            self.es["res.partner"].create(self._pe_vals(vat="20100070970", email="EXISTE@example.pe"))
        self.assertEqual(str(ctx.exception), "Ya existe un cliente con ese email: Cliente Existente")

    def test_document_messages(self):
        with self.assertRaises(ValidationError) as ctx:
            self.es["res.partner"].create(self._pe_vals(vat="20512345670", email="nuevo@example.pe"))
        self.assertIn("dígito verificador incorrecto", str(ctx.exception))
        with self.assertRaises(ValidationError) as ctx:
            self.es["res.partner"].create(self._hn_vals(city=False))
        self.assertIn("La ciudad es obligatoria para clientes de Honduras.", str(ctx.exception))

    def test_permission_message(self):
        with self.assertRaises(AccessError) as ctx:
            self.es["res.partner"].with_user(self.user_view).browse(self.customer.id).write({"phone": "1"})
        self.assertIn("No tiene permiso para editar clientes registrados", str(ctx.exception))

    def test_labels_selections_and_menus(self):
        Partner = self.es["res.partner"]
        fields = Partner.fields_get(["customer_state", "detraction_required", "notification_emails", "mobile"])
        self.assertEqual(fields["detraction_required"]["string"], "Solicita detracción")
        self.assertEqual(fields["notification_emails"]["string"], "Notificación emails")
        self.assertEqual(dict(fields["customer_state"]["selection"]), {"active": "Activo", "suspended": "Suspendido"})
        menu = self.env.ref("clientes_aduanas.clientes_aduanas_menu_root").with_context(lang="es_PE")
        self.assertEqual(menu.name, "Clientes")
        arch = Partner.get_views([(self.env.ref("clientes_aduanas.res_partner_view_form_customer").id, "form")])
        form = arch["views"]["form"]["arch"]
        self.assertIn("Suspender", form)
        self.assertIn("Historial de operaciones", form)
        self.assertNotIn(">Suspend<", form)
        states = dict(self.es["customs.file"].fields_get(["state"])["state"]["selection"])
        self.assertEqual(states["released"], "Despachado / Levante")

    def test_every_string_has_its_spanish(self):
        """Every source string the addon exports (the .pot) is translated in
        i18n/es.po: a string added without its Spanish fails here."""
        module_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        with file_open(os.path.join(module_dir, "i18n", "clientes_aduanas.pot"), "rb") as pot:
            source = {entry["src"] for entry in TranslationFileReader(pot, fileformat="po")}
        with file_open(os.path.join(module_dir, "i18n", "es.po"), "rb") as po:
            translated = {entry["src"] for entry in TranslationFileReader(po, fileformat="po") if entry["value"]}
        self.assertGreater(len(source), 700)
        self.assertFalse(source - translated, "strings without Spanish in i18n/es.po")

    def test_governed_type_and_suspension_messages(self):
        vat_type = self.env.ref("l10n_latam_base.it_vat")
        with self.assertRaises(ValidationError) as ctx:
            self.es["res.partner"].create(
                self._hn_vals(l10n_latam_identification_type_id=vat_type.id, vat="abc", email="iva@example.hn")
            )
        self.assertIn("no tiene regla de validación para clientes", str(ctx.exception))
        self.customer._suspend("Deuda vencida")
        with self.assertRaises(UserError) as ctx:
            self.customer.with_context(lang="es_PE")._check_can_be_used_in_operation()
        self.assertIn("está suspendido y no puede usarse en nuevas operaciones", str(ctx.exception))

    def test_sunat_and_portal_labels(self):
        Partner = self.es["res.partner"]
        customer_search = self.env.ref("clientes_aduanas.res_partner_view_search_customer").id
        search = Partner.get_views([(customer_search, "search")])["views"]["search"]["arch"]
        self.assertIn("Observados por SUNAT", search)
        form = Partner.get_views([(self.env.ref("clientes_aduanas.res_partner_view_form_customer").id, "form")])
        self.assertIn("Dar acceso al portal", form["views"]["form"]["arch"])
        fields = self.es["customs.file"].fields_get(["portal_attachment_ids", "access_url"])
        self.assertEqual(fields["access_url"]["string"], "URL de acceso al portal")
