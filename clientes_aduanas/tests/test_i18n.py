from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

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
