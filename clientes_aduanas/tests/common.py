import base64
import os
import tempfile
import threading
import time

from lxml import etree

from odoo import SUPERUSER_ID, api, fields
from odoo.exceptions import UserError, ValidationError
from odoo.modules import get_module_path
from odoo.tests import Form, TransactionCase, new_test_user
from odoo.tools import file_open
from odoo.tools.translate import TranslationFileReader
from odoo.tools.view_validation import get_expression_field_names

from odoo.addons.base.models.ir_ui_view import VIEW_MODIFIERS

from ..tools import document_number as dn
from ..tools import sunat_padron


def _ruc(body):
    """A valid RUC for the 10 first digits ``body``."""
    return body + dn.pe_ruc.calc_check_digit(body)


def untranslated_strings(module):
    """The strings ``module`` exports (its i18n/<module>.pot) and, among
    them, those without Spanish in its i18n/es.po."""
    folder = os.path.join(get_module_path(module), "i18n")
    with file_open(os.path.join(folder, f"{module}.pot"), "rb") as pot:
        source = {entry["src"] for entry in TranslationFileReader(pot, fileformat="po")}
    with file_open(os.path.join(folder, "es.po"), "rb") as po:
        translated = {entry["src"] for entry in TranslationFileReader(po, fileformat="po") if entry["value"]}
    return source, source - translated


class CustomerDataMixin:
    """Countries, document types and valid customer values, for the server
    tests and the browser tours alike."""

    @classmethod
    def _setup_customer_data(cls):
        cls.pe = cls.env.ref("base.pe")
        cls.hn = cls.env.ref("base.hn")
        cls.IdType = cls.env["l10n_latam.identification.type"]
        cls.type_ruc = cls.IdType._get_by_document_code("pe_ruc")
        cls.type_dni = cls.IdType._get_by_document_code("pe_dni")
        cls.type_rtn = cls.IdType._get_by_document_code("hn_rtn")
        cls.type_hn_identity = cls.IdType._get_by_document_code("hn_identity")
        cls.state_lima = cls.env.ref("base.state_pe_15")
        cls.state_cortes = cls.env.ref("base.state_hn_cr")

    @classmethod
    def _setup_spanish(cls):
        """An es_PE environment (``cls.es``) reading the addon's es.po."""
        cls.env["res.lang"]._activate_lang("es_PE")
        cls.env["ir.module.module"]._load_module_terms(["clientes_aduanas"], ["es_PE"], overwrite=True)
        cls.es = cls.env(context=dict(cls.env.context, lang="es_PE"))

    @classmethod
    def _pe_vals(cls, **overrides):
        vals = {
            "name": "Importadora Lima S.A.C.",
            "is_registered_customer": True,
            "l10n_latam_identification_type_id": cls.type_ruc.id,
            "vat": "20512345671",
            "street": "Av. Arequipa 100",
            "city": "Lima",
            "state_id": cls.state_lima.id,
            "country_id": cls.pe.id,
            "email": "contacto@lima.example.pe",
            "phone": "+51 1 4445555",
        }
        vals.update(overrides)
        return vals

    @classmethod
    def _hn_vals(cls, **overrides):
        vals = {
            "name": "Exportadora Sula S.A.",
            "is_registered_customer": True,
            "is_company": True,
            "l10n_latam_identification_type_id": cls.type_rtn.id,
            "vat": "05019012345678",
            "street": "Barrio Río de Piedras",
            "city": "San Pedro Sula",
            "state_id": cls.state_cortes.id,
            "country_id": cls.hn.id,
            "email": "ventas@sula.example.hn",
            "phone": "+504 2550 0000",
        }
        vals.update(overrides)
        return vals

    @classmethod
    def _create_customer(cls, **overrides):
        return cls.env["res.partner"].create(cls._pe_vals(**overrides))


CUSTOMER_FORM = "clientes_aduanas.res_partner_view_form_customer"


class ClientesAduanasCase(CustomerDataMixin, TransactionCase):
    """Users with each permission and helpers to build valid customers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls._setup_customer_data()
        group = "clientes_aduanas.clientes_aduanas_group_%s"
        cls.user_plain = new_test_user(cls.env, login="ca_plain", groups="base.group_user")
        cls.user_view = new_test_user(cls.env, login="ca_view", groups=group % "view")
        cls.user_create = new_test_user(cls.env, login="ca_create", groups=group % "create")
        cls.user_edit = new_test_user(cls.env, login="ca_edit", groups=group % "edit")
        cls.user_delete = new_test_user(cls.env, login="ca_delete", groups=group % "delete")
        cls.user_manager = new_test_user(
            cls.env,
            login="ca_manager",
            groups=f"{group % 'manager'},sales_team.group_sale_salesman,account.group_account_invoice",
        )

    def _new_customer_form(self, user=None, view=CUSTOMER_FORM, **context):
        """The form of a new registered customer, as the Customers menu opens
        it (for ``user``, with ``context`` as extra context)."""
        partners = self.env["res.partner"].with_context(default_is_registered_customer=True, **context)
        return Form(partners.with_user(user) if user else partners, view=view)

    def _race_two_registrations(self, vals_1, vals_2, cleanup_domain):
        """Register ``vals_1`` and ``vals_2`` from two real transactions at
        the same time: the second INSERT waits on the unique index until the
        first commits. Returns ``{"created": True}`` or ``{"error": text}``
        for the second one; the committed first record is removed."""
        outcome = {}

        def second_user():
            with self.registry.cursor() as cr2:
                env2 = api.Environment(cr2, SUPERUSER_ID, {"tracking_disable": True})
                try:
                    env2["res.partner"].create(vals_2)  # blocks on the index until cr1 ends
                    outcome["created"] = True
                except ValidationError as exc:
                    outcome["error"] = str(exc)
                cr2.rollback()

        with self.registry.cursor() as cr1:
            env1 = api.Environment(cr1, SUPERUSER_ID, {"tracking_disable": True})
            try:
                env1["res.partner"].create(vals_1)
                thread = threading.Thread(target=second_user)
                thread.start()
                time.sleep(1.0)  # let the second INSERT reach the index and wait
                cr1.commit()
                thread.join(30)
            finally:
                cr1.rollback()
                env1["res.partner"].with_context(active_test=False).search(cleanup_domain).unlink()
                cr1.commit()
        return outcome


class CustomsCase(ClientesAduanasCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False, mail_notrack=False))
        cls.customer = cls._create_customer(
            name="Aduanas Cliente S.A.C.",
            notification_emails="ops@cliente.example.pe, jefe@cliente.example.pe",
            notification_whatsapp="+51987654321",
            lang="es_PE",
        )
        cls.ops_contact = cls.env["res.partner"].create(
            {"name": "Operaciones", "parent_id": cls.customer.id, "is_operations_contact": True}
        )
        cls.other_contact = cls.env["res.partner"].create({"name": "Otro", "parent_id": cls.customer.id})
        cls.product = cls.env["product.product"].create({"name": "Agenciamiento", "list_price": 300})

    @classmethod
    def _file(cls, **vals):
        return cls.env["customs.file"].create({"partner_id": cls.customer.id, "operation_type": "import", **vals})

    def _set_raw(self, partner, **values):
        """Store values bypassing the partner validation: legacy data or an
        import made before the checks existed."""
        for column, value in values.items():
            self.env.cr.execute(f"UPDATE res_partner SET {column} = %s WHERE id = %s", [value, partner.id])
        partner.invalidate_recordset(list(values))

    def _mails(self, record):
        return self.env["mail.mail"].search([("model", "=", "customs.file"), ("res_id", "=", record.id)])


class ImportCase(ClientesAduanasCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        group = "clientes_aduanas.clientes_aduanas_group_%s"
        # Create + edit without being a manager: what importing needs.
        cls.user_importer = new_test_user(cls.env, login="ca_importer", groups=f"{group % 'create'},{group % 'edit'}")
        cls.user_importer2 = new_test_user(cls.env, login="ca_importer2", groups=f"{group % 'create'},{group % 'edit'}")

    def _wizard(self, data, filename="clientes.xlsx", user=None, **vals):
        Wizard = self.env["customer.import.wizard"].with_user(user or self.user_importer)
        return Wizard.create({"file": base64.b64encode(data), "filename": filename, **vals})

    def _refusal(self, data, filename="clientes.xlsx"):
        wizard = self._wizard(data, filename)
        with self.assertRaises(UserError) as ctx:
            wizard.action_preview()
        return str(ctx.exception)

    def _analyse(self, wizard):
        """Every row of the wizard's file, analysed by the import engine."""
        return wizard.env["customer.import.engine"]._analyse(wizard._source())

    def _by_email(self, email):
        return self.env["res.partner"].with_context(active_test=False).search([("email", "=", email)])


class PadronCase(ClientesAduanasCase):
    """The offline provider and a padrón directory of the test's own."""

    @classmethod
    def _forget_padron_attempts(cls, since):
        with cls.registry.cursor() as cr:
            cr.execute(f"DELETE FROM {sunat_padron.ATTEMPTS} WHERE started >= %s", [since])

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provider = cls.env.ref("clientes_aduanas.lookup_provider_padron")
        cls.directory = tempfile.mkdtemp()
        # A load records its start in a transaction of its own, forgotten
        # when the load's transaction ends: the test's never does.
        cls.addClassCleanup(cls._forget_padron_attempts, fields.Datetime.now())
        cls.env["ir.config_parameter"].set_param("clientes_aduanas.padron_directory", cls.directory)


class ScreenAccessMixin:
    """The screens of some addons as each kind of user gets them: Odoo
    validates every view without an "Access Rights Inconsistency" warning
    (an element shown to users who cannot read the field it depends on), and
    every window action loads, for each user who may read its model, with
    the fields its expressions need and a list that reads."""

    @classmethod
    def _records_of(cls, model, modules):
        data = cls.env["ir.model.data"].search([("module", "in", modules), ("model", "=", model)])
        return cls.env[model].browse(data.mapped("res_id")).exists()

    @classmethod
    def _screen_users(cls, modules, extra_groups=()):
        """One user per group of ``modules`` and of ``extra_groups``, and a
        plain internal user."""
        xmlids = ["base.group_user", *extra_groups]
        xmlids += cls._records_of("res.groups", modules).get_external_id().values()
        return {
            xmlid: new_test_user(cls.env, login=f"screens_{xmlid.replace('.', '_')}", groups=f"base.group_user,{xmlid}")
            for xmlid in dict.fromkeys(xmlids)
        }

    def assertViewsValidateQuietly(self, modules):
        views = self._records_of("ir.ui.view", modules).filtered(lambda view: view.type != "qweb")
        self.assertTrue(views, modules)
        for view in views:
            with self.subTest(view=view.xml_id):
                with self.assertNoLogs("odoo.addons.base.models.ir_ui_view", "WARNING"):
                    view._check_xml()

    def assertActionsLoadForEachUser(self, modules, users):
        actions = self._records_of("ir.actions.act_window", modules)
        self.assertTrue(actions, modules)
        opened = 0
        for action in actions:
            views = [list(view) for view in action.views]
            views.append([action.search_view_id.id, "search"])
            for xmlid, user in users.items():
                model = self.env[action.res_model].with_user(user)
                if not model.has_access("read") or (action.groups_id and not action.groups_id & user.groups_id):
                    continue
                with self.subTest(action=action.xml_id or action.name, group=xmlid):
                    with self.assertNoLogs(level="WARNING"):
                        result = model.get_views(views, {"action_id": action.id, "load_filters": True})
                    for view_type, view in result["views"].items():
                        if view_type != "search":
                            self.assertFalse(expression_gaps(view["arch"]), f"{view_type} view")
                    if "list" in result["views"]:
                        columns = top_level_fields(result["views"]["list"]["arch"])
                        model.web_search_read([], {name: {} for name in columns}, limit=5)
                    opened += 1
        self.assertTrue(opened)


def _scope_nodes(scope):
    """The nodes of one record scope of an arch: ``scope``'s descendants,
    without the views embedded in its relational fields."""
    stack = list(scope)
    while stack:
        node = stack.pop()
        if not isinstance(node.tag, str):
            continue
        yield node
        if node.tag != "field":
            stack.extend(node)


def _scopes(root):
    yield root
    for field in root.iter("field"):
        for child in field:
            if child.tag in ("list", "form", "kanban"):
                yield child


def expression_gaps(arch):
    """The fields an arch's modifiers and decorations read that the arch
    does not load: what the web client would fail on."""
    gaps = set()
    for scope in _scopes(etree.fromstring(arch)):
        nodes = list(_scope_nodes(scope)) + [scope]
        loaded = {node.get("name") for node in nodes if node.tag == "field"} | {"id"}
        for node in nodes:
            for attr, expr in node.items():
                if attr in VIEW_MODIFIERS or attr.startswith("decoration-"):
                    # parent.<name>: a field of the enclosing record, loaded there.
                    used = {name for name in get_expression_field_names(expr) if not name.startswith("parent.")}
                    gaps |= {f"{scope.tag}: {attr}={expr!r} needs {name}" for name in used - loaded}
    return gaps


def top_level_fields(arch):
    return {node.get("name") for node in _scope_nodes(etree.fromstring(arch)) if node.tag == "field"}
