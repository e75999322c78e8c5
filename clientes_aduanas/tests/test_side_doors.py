"""Ways into a registered customer's data beside its own form: a user's own
res.users write (made as superuser by Odoo), another customer's documents
linked to a customs file, bank accounts, the merge wizard, the saved import
columns and Odoo's exporter."""

import json
from contextlib import contextmanager

from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from ..models.res_partner import VIEW_GROUP
from ..tools import customer_schema as schema
from .common import ClientesAduanasCase
from .portal_common import make_customer, make_files, make_portal_user, setup_portal_data
from .test_customer_import import ImportCase, customer_row, make_xlsx

EDIT_REFUSED = "You are not allowed to edit registered customers"
DELETE_REFUSED = "You are not allowed to delete registered customers"


class RefusalMixin:
    @contextmanager
    def assertRefused(self, exception, text):
        """assertRaises (which rolls the refused write back to a savepoint,
        as a request would be) and the message."""
        with self.assertRaises(exception) as ctx:
            yield ctx
        self.assertIn(text, str(ctx.exception))


@tagged("post_install", "-at_install")
class TestUserSelfWrite(RefusalMixin, ClientesAduanasCase):
    """Odoo writes a user's own name, e-mail, language... as superuser."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_portal_data(cls)
        # A customer that is a person, whose own partner holds the portal user.
        cls.owner_customer = make_customer(cls.env, 10003)
        cls.portal_owner = make_portal_user(cls.env, cls.owner_customer, "portal_owner")
        cls.internal_owner_customer = make_customer(cls.env, 10004)
        cls.internal_owner = (
            cls.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "login": "internal_owner",
                    "partner_id": cls.internal_owner_customer.id,
                    "groups_id": [Command.set([cls.env.ref("base.group_user").id])],
                }
            )
        )

    def _registered(self, partner):
        return partner.read(["name", "email", "phone", "street", "lang"])[0]

    def test_portal_user_of_the_customer_itself_changes_nothing(self):
        before = self._registered(self.owner_customer)
        user = self.portal_owner.with_user(self.portal_owner)
        for vals in (
            {"name": "Otra Razón Social"},
            {"email": "otro@ejemplo.pe"},
            {"name": "X", "email": "otro@ejemplo.pe"},
            {"lang": "en_US" if self.owner_customer.lang != "en_US" else "es_PE"},
        ):
            with self.subTest(vals=vals), self.assertRefused(AccessError, EDIT_REFUSED):
                user.write(vals)
        # Not self-writeable: Odoo's access rights refuse it (not as superuser).
        for vals in ({"phone": "+51 1 7778888"}, {"street": "Jr. Otra 1"}):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                user.write(vals)
        self.assertEqual(self._registered(self.owner_customer), before)

    def test_unchanged_values_and_user_fields_pass(self):
        user = self.portal_owner.with_user(self.portal_owner)
        # Re-sent unchanged values and the user's own fields (not the partner's).
        user.write({"name": self.owner_customer.name, "email": self.owner_customer.email, "signature": "<p>Ana</p>"})
        self.assertEqual(str(self.portal_owner.signature), "<p>Ana</p>")
        # The time zone is stored on the partner: master data like the language.
        with self.assertRefused(AccessError, EDIT_REFUSED):
            user.write({"tz": "America/Lima" if self.owner_customer.tz != "America/Lima" else "America/Tegucigalpa"})

    def test_internal_user_of_the_customer_needs_edit(self):
        user = self.internal_owner.with_user(self.internal_owner)
        with self.assertRefused(AccessError, EDIT_REFUSED):
            user.write({"email": "interno@ejemplo.pe"})
        self.assertEqual(self.internal_owner_customer.email, "cliente10004@portal.example.pe")
        self.internal_owner.groups_id |= self.env.ref("clientes_aduanas.clientes_aduanas_group_edit")
        user.write({"email": "interno@ejemplo.pe"})
        self.assertEqual(self.internal_owner_customer.email, "interno@ejemplo.pe")

    def test_contact_of_the_customer_changes_its_own_details(self):
        # As on /my/account: the person's own name and e-mail, not the customer's.
        customer_before = self._registered(self.customer_a)
        self.portal_a.with_user(self.portal_a).write(
            {"name": "Ana María Portal", "email": "ana.maria@portal.example.pe"}
        )
        self.assertEqual(self.contact_a.name, "Ana María Portal")
        self.assertEqual(self.contact_a.email, "ana.maria@portal.example.pe")
        self.assertEqual(self._registered(self.customer_a), customer_before)

    def test_portal_wizard_email_change_needs_edit(self):
        customer = make_customer(self.env, 10006)
        wizard = (
            self.env["portal.wizard"].with_user(self.user_create).create({"partner_ids": [Command.set(customer.ids)]})
        )
        line = wizard.user_ids.filtered(lambda line: line.partner_id == customer)
        line.email = "nuevo@ejemplo.pe"
        with self.assertRefused(AccessError, EDIT_REFUSED):
            line.action_grant_access()
        self.assertEqual(customer.email, "cliente10006@portal.example.pe")
        self.assertFalse(customer.with_context(active_test=False).user_ids)

    def test_signup_link_keeps_the_registered_email(self):
        self.owner_customer.user_ids.unlink()
        self.owner_customer.signup_prepare()
        token = (
            self.owner_customer._get_signup_url_for_action()[self.owner_customer.id].split("token=")[1].split("&")[0]
        )
        login, _password = (
            self.env["res.users"]
            .sudo()
            .signup({"login": "intruso@ejemplo.pe", "password": "Intruso-2026", "name": "Intruso"}, token)
        )
        user = self.env["res.users"].search([("login", "=", login)])
        self.assertEqual(user.partner_id, self.owner_customer)
        self.assertEqual(login, "intruso@ejemplo.pe", "the login is the invitee's choice")
        self.assertEqual(self.owner_customer.email, "cliente10003@portal.example.pe")
        self.assertEqual(self.owner_customer.name, "Portal Cliente 10003 S.A.C.")


@tagged("post_install", "-at_install")
class TestCustomsFileLinkedDocuments(RefusalMixin, ClientesAduanasCase):
    """A customs file links its own customer's quotations and invoices only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_portal_data(cls)
        cls.order_a, cls.order_a_contact, cls.order_b = cls.env["sale.order"].create(
            [
                {"partner_id": cls.customer_a.id},
                {"partner_id": cls.contact_a.id},
                {"partner_id": cls.customer_b.id},
            ]
        )
        cls.invoice_a, cls.invoice_b = cls.env["account.move"].create(
            [
                {"move_type": "out_invoice", "partner_id": cls.customer_a.id},
                {"move_type": "out_invoice", "partner_id": cls.customer_b.id},
            ]
        )

    def test_editor_without_sales_rights_cannot_link_another_customers_quotation(self):
        file_as_editor = self.file_a1.with_user(self.user_edit)
        with self.assertRaises(AccessError):
            self.order_b.with_user(self.user_edit).read(["name"])
        with self.assertRefused(ValidationError, self.order_b.name):
            file_as_editor.write({"sale_order_ids": [Command.link(self.order_b.id)]})
        with self.assertRefused(ValidationError, "can only link quotations and customer invoices"):
            file_as_editor.write({"invoice_ids": [Command.link(self.invoice_b.id)]})
        self.env.invalidate_all()
        self.assertFalse(self.file_a1.sale_order_ids)
        self.assertFalse(self.file_a1.invoice_ids)
        # The customer's own documents, a contact's included.
        file_as_editor.write(
            {
                "sale_order_ids": [Command.set((self.order_a | self.order_a_contact).ids)],
                "invoice_ids": [Command.link(self.invoice_a.id)],
            }
        )
        self.assertEqual(self.file_a1.sale_order_ids, self.order_a | self.order_a_contact)

    def test_create_and_import_refuse_another_customers_documents(self):
        CustomsFile = self.env["customs.file"].with_user(self.user_manager)
        with self.assertRaises(ValidationError):
            CustomsFile.create({"partner_id": self.customer_a.id, "sale_order_ids": [Command.link(self.order_b.id)]})
        with self.assertRaises(ValidationError):
            CustomsFile.create({"partner_id": self.customer_a.id, "invoice_ids": [Command.link(self.invoice_b.id)]})
        # Odoo's generic importer (load) reports it as an error row.
        result = CustomsFile.load(
            ["partner_id/.id", "operation_type", "sale_order_ids/.id"],
            [[str(self.customer_a.id), "import", str(self.order_b.id)]],
        )
        self.assertFalse(result["ids"])
        self.assertIn(self.order_b.name, " ".join(message["message"] for message in result["messages"]))

    def test_vendor_bill_of_the_customer_is_refused(self):
        bill = self.env["account.move"].create({"move_type": "in_invoice", "partner_id": self.customer_a.id})
        with self.assertRaises(ValidationError):
            self.file_a1.write({"invoice_ids": [Command.link(bill.id)]})

    def test_changing_the_file_customer_with_documents_linked(self):
        self.file_a1.write({"sale_order_ids": [Command.link(self.order_a.id)]})
        with self.assertRaises(ValidationError):
            self.file_a1.write({"partner_id": self.customer_b.id})

    def test_linked_document_given_to_another_customer(self):
        # The link seen from the quotation or invoice: its customer changes.
        self.file_a1.write(
            {"sale_order_ids": [Command.link(self.order_a.id)], "invoice_ids": [Command.link(self.invoice_a.id)]}
        )
        with self.assertRefused(ValidationError, self.file_a1.name):
            self.order_a.write({"partner_id": self.customer_b.id})
        with self.assertRefused(ValidationError, self.file_a1.name):
            self.invoice_a.write({"partner_id": self.customer_b.id})
        # Unlinked documents change customer freely.
        self.order_b.write({"partner_id": self.contact_b.id})
        self.assertEqual(self.order_b.partner_id, self.contact_b)

    def test_check_from_documents_does_not_grow_with_the_files(self):
        # Re-run on every quotation or invoice that changes customer.
        orders = self.env["sale.order"].create([{"partner_id": self.customer_a.id} for _i in range(10)])
        files = make_files(self.env, self.customer_a, 10)
        for file, order in zip(files, orders, strict=True):
            file.sale_order_ids = order

        def queries(documents):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.env["customs.file"]._check_documents_linked_to_files("sale_order_ids", documents)
            return self.env.cr.sql_log_count - before

        self.assertEqual(queries(orders), queries(orders[:1]))

    def test_portal_list_drops_foreign_documents_whatever_is_stored(self):
        self.order_a.action_quotation_sent()
        self.order_b.action_quotation_sent()
        self.file_a1.write({"sale_order_ids": [Command.link(self.order_a.id)]})
        self.env.cr.execute(
            "INSERT INTO customs_file_sale_order_rel (customs_file_id, sale_order_id) VALUES (%s, %s)",
            [self.file_a1.id, self.order_b.id],
        )
        self.file_a1.invalidate_recordset(["sale_order_ids"])
        self.assertEqual(self.file_a1.sale_order_ids, self.order_a | self.order_b, "stored by SQL")
        orders, _invoices = self.file_a1._portal_linked_documents(self.portal_a)
        self.assertEqual(orders, self.order_a)
        orders, _invoices = self.file_a1._portal_linked_documents(self.env.ref("base.public_user"))
        self.assertEqual(orders, self.order_a, "a token holder: the file's customer's")
        orders, _invoices = self.file_a1._portal_linked_documents(self.portal_b)
        self.assertFalse(orders, "another customer's user sees none of them")


@tagged("post_install", "-at_install")
class TestCustomerBankAccounts(RefusalMixin, ClientesAduanasCase):
    """A registered customer's bank accounts are its master data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customer()
        cls.contact = cls.env["res.partner"].create({"name": "Tesorería", "parent_id": cls.customer.id})
        cls.ordinary = cls.env["res.partner"].create({"name": "Proveedor Cualquiera"})
        cls.account = cls.env["res.partner.bank"].create({"partner_id": cls.customer.id, "acc_number": "191-0001"})

    def test_without_edit_bank_accounts_do_not_change(self):
        Bank = self.env["res.partner.bank"].with_user(self.user_create)
        for partner in (self.customer, self.contact):
            with self.subTest(partner=partner.name), self.assertRefused(AccessError, EDIT_REFUSED):
                Bank.create({"partner_id": partner.id, "acc_number": "191-6666", "allow_out_payment": True})
        with self.assertRefused(AccessError, EDIT_REFUSED):
            Bank.with_context(default_partner_id=self.customer.id).create({"acc_number": "191-6667"})
        account = self.account.with_user(self.user_create)
        for vals in ({"acc_number": "191-6666"}, {"allow_out_payment": True}, {"partner_id": self.ordinary.id}):
            with self.subTest(vals=vals), self.assertRefused(AccessError, EDIT_REFUSED):
                account.write(vals)
        with self.assertRefused(AccessError, EDIT_REFUSED):
            account.unlink()
        other = Bank.create({"partner_id": self.ordinary.id, "acc_number": "191-7777"})
        with self.assertRefused(AccessError, EDIT_REFUSED):
            other.write({"partner_id": self.customer.id})
        # The same refusal as through the customer's own form.
        with self.assertRefused(AccessError, EDIT_REFUSED):
            self.customer.with_user(self.user_create).write({"bank_ids": [Command.create({"acc_number": "191-8888"})]})
        self.assertEqual(self.customer.bank_ids, self.account)
        self.assertEqual(self.account.acc_number, "191-0001")
        self.assertEqual(other.partner_id, self.ordinary, "other partners' accounts as before")

    def test_editor_changes_bank_accounts(self):
        Bank = self.env["res.partner.bank"].with_user(self.user_edit)
        new = Bank.create({"partner_id": self.contact.id, "acc_number": "191-5555"})
        self.account.with_user(self.user_edit).write({"acc_number": "191-0002"})
        new.unlink()
        self.assertEqual(self.customer.bank_ids.acc_number, "191-0002")


@tagged("post_install", "-at_install")
class TestMergeWizard(RefusalMixin, ClientesAduanasCase):
    """Odoo's merge wizard moves contacts and documents by SQL."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customer()
        cls.other_customer = cls._create_customer(
            name="Otro Cliente S.A.C.", vat="20603456786", email="otro@lima.example.pe"
        )
        cls.ordinary = cls.env["res.partner"].create({"name": "Empresa Suelta", "is_company": True})
        cls.ordinary_child = cls.env["res.partner"].create({"name": "Empleado Suelto", "parent_id": cls.ordinary.id})

    def _merge(self, user, partners, dst):
        wizard = self.env["base.partner.merge.automatic.wizard"].with_user(user)
        wizard._merge(partners.ids, dst.with_user(user), extra_checks=False)

    def test_into_a_registered_customer_needs_edit(self):
        with self.assertRefused(AccessError, EDIT_REFUSED):
            self._merge(self.user_create, self.ordinary | self.customer, self.customer)
        self.assertEqual(self.ordinary_child.parent_id, self.ordinary, "nothing moved")
        self._merge(self.user_manager, self.ordinary | self.customer, self.customer)
        self.assertEqual(self.ordinary_child.parent_id, self.customer)
        self.assertFalse(self.ordinary.exists())

    def test_from_a_registered_customer_needs_delete(self):
        with self.assertRefused(AccessError, DELETE_REFUSED):
            self._merge(self.user_edit, self.other_customer | self.customer, self.customer)
        self.assertTrue(self.other_customer.exists())

    def test_contact_of_a_customer_needs_edit(self):
        contact = self.env["res.partner"].create({"name": "Contacto", "parent_id": self.customer.id})
        loose = self.env["res.partner"].create({"name": "Contacto"})
        with self.assertRefused(AccessError, EDIT_REFUSED):
            self._merge(self.user_create, loose | contact, loose)
        self.assertTrue(contact.exists())


@tagged("post_install", "-at_install")
class TestImportMappingAccess(ClientesAduanasCase):
    """Saved import columns: per company, changed by administrators only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Mapping = cls.env["customer.import.mapping"]
        cls.mapping = cls.Mapping.with_user(cls.user_manager)._remember("Clientes", "ruc|correo", {"correo": "email"})
        cls.other_company = cls.env["res.company"].create({"name": "Otra Agencia"})

    def test_importers_read_but_do_not_change(self):
        for user in (self.user_create, self.user_edit):
            Mapping = self.Mapping.with_user(user)
            with self.subTest(user=user.login):
                self.assertEqual(Mapping._choices_for("Clientes", "ruc|correo"), {"correo": "email"})
                self.assertFalse(Mapping._may_save())
                with self.assertRaises(AccessError):
                    Mapping._remember("Clientes", "ruc|correo", {"correo": "__ignore__"})
                with self.assertRaises(AccessError):
                    self.mapping.with_user(user).write({"choices": json.dumps({"correo": "vat"})})
                with self.assertRaises(AccessError):
                    self.mapping.with_user(user).unlink()
        self.assertEqual(json.loads(self.mapping.choices), {"correo": "email"})
        self.assertEqual(self.mapping.company_id, self.env.company)

    def test_each_company_its_own_mappings(self):
        self.user_manager.company_ids |= self.other_company
        Mapping = self.Mapping.with_user(self.user_manager).with_company(self.other_company)
        self.assertEqual(Mapping._choices_for("Clientes", "ruc|correo"), {}, "another company's import")
        other = Mapping._remember("Clientes", "ruc|correo", {"correo": "billing_email"})
        self.assertEqual(other.company_id, self.other_company)
        self.assertEqual(Mapping._choices_for("Clientes", "ruc|correo"), {"correo": "billing_email"})
        self.assertEqual(
            self.Mapping.with_user(self.user_manager)._choices_for("Clientes", "ruc|correo"), {"correo": "email"}
        )
        # A user of the first company only does not even read it.
        self.assertFalse(self.Mapping.with_user(self.user_create).search([("id", "=", other.id)]))


@tagged("post_install", "-at_install")
class TestExporterFieldGroups(ClientesAduanasCase):
    """Odoo's exporter (/web/export/xlsx: fields_get, then export_data) for a
    user without Customers: View."""

    # Readable by every user on purpose, though on no screen of theirs:
    # copies of what the user sees (the uniqueness keys of the e-mail and
    # document, the DNI inside a RUC), flags of the form's buttons, the
    # incomplete-copy flag, and the operation counts and customs files,
    # computed or read with the user's own rights (0 or refused without them).
    NOT_ON_SCREEN = {
        "customer_email_key",
        "customer_vat_key",
        "ruc_dni",
        "document_lookup_request",
        "document_lookup_available",
        "customer_incomplete",
        "customs_file_ids",
        "customs_file_count",
        "customer_invoice_count",
        "customer_payment_count",
    }

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.exporter = new_test_user(cls.env, login="ca_exporter", groups="base.group_user,base.group_allow_export")
        cls.customer = cls._create_customer(notification_emails="avisos@lima.example.pe")

    def _addon_fields(self):
        return {name for name, field in self.env["res.partner"]._fields.items() if field._module == "clientes_aduanas"}

    def test_restricted_fields_are_neither_offered_nor_exported(self):
        Partner = self.env["res.partner"].with_user(self.exporter)
        restricted = {
            name for name in self._addon_fields() if self.env["res.partner"]._fields[name].groups == VIEW_GROUP
        }
        self.assertIn("notification_emails", restricted)
        self.assertIn("sunat_data_differs", restricted)
        offered = Partner.fields_get(attributes=["string"])
        self.assertFalse(restricted & set(offered))
        for name in sorted(restricted):
            with self.subTest(field=name), self.assertRaises(AccessError):
                Partner.browse(self.customer.id).export_data(["name", name])
        rows = Partner.browse(self.customer.id).export_data(["name", "vat"])["datas"]
        self.assertEqual(rows, [[self.customer.name, self.customer.vat]])

    def test_what_is_exported_is_what_odoos_screens_show(self):
        Partner = self.env["res.partner"].with_user(self.exporter)
        readable = self._addon_fields() & set(Partner.fields_get(attributes=["string"]))
        shown = set()
        for view_type in ("form", "list", "kanban", "search"):
            arch = Partner.get_views([(False, view_type)])["views"][view_type]["arch"]
            shown |= {node.get("name") for node in etree.fromstring(arch).iter("field")}
        self.assertFalse(readable - shown - self.NOT_ON_SCREEN, "exported without being on any screen of the user")
        file = self.env["customs.file"].create({"partner_id": self.customer.id})
        customer = Partner.browse(self.customer.id)
        self.assertEqual(customer.export_data(["customs_file_count"])["datas"], [[0]], "counted with the user's rights")
        with self.assertRaises(AccessError):
            customer.export_data(["customs_file_ids/name"])
        self.assertEqual(self.customer.customs_file_ids, file)


@tagged("post_install", "-at_install")
class TestImportMappingWizard(ImportCase):
    def test_importers_choices_apply_to_their_import_only(self):
        headers = [column.header for column in schema.CUSTOMER_COLUMNS]
        headers[headers.index("Email")] = "Buzón de la empresa"
        data = make_xlsx([customer_row(email="buzon@side.example.pe")], headers=headers)
        wizard = self._wizard(data)
        wizard.action_preview()
        wizard.column_ids.filtered(lambda c: c.header == "Buzón de la empresa").customer_key = "email"
        wizard.action_preview()
        wizard.action_import()
        self.assertTrue(self.env["res.partner"].search([("email", "=", "buzon@side.example.pe")]))
        self.assertFalse(self.env["customer.import.mapping"].search([]), "not saved for the others")
