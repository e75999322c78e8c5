from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import ClientesAduanasCase
from .portal_common import make_portal_user, setup_portal_data


@tagged("post_install", "-at_install")
class TestCustomsFilePortalRules(ClientesAduanasCase):
    """Server side of the customer portal: record rules, URLs, the account
    page rule and suspended customers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_portal_data(cls)
        cls.files_a = cls.file_a1 | cls.file_a2 | cls.file_a_contact

    def test_portal_user_reads_only_its_company_files(self):
        CustomsFile = self.env["customs.file"].with_user(self.portal_a)
        self.assertEqual(CustomsFile.search([]), self.files_a, "the contact's file is the company's too")
        self.assertEqual(self.file_a_contact.with_user(self.portal_a).goods_description, "Repuestos de motor")
        with self.assertRaises(AccessError):
            self.file_b.with_user(self.portal_a).read(["name"])
        self.assertEqual(self.env["customs.file"].with_user(self.portal_b).search([]), self.file_b)

    def test_portal_user_cannot_change_files(self):
        with self.assertRaises(AccessError):
            self.file_a1.with_user(self.portal_a).write({"customs_office": "Paita"})
        with self.assertRaises(AccessError):
            self.env["customs.file"].with_user(self.portal_a).create({"partner_id": self.customer_a.id})

    def test_access_url_and_token(self):
        self.assertEqual(self.file_a1.access_url, f"/my/expedientes/{self.file_a1.id}")
        url = self.file_a1.get_portal_url()
        self.assertTrue(self.file_a1.access_token)
        self.assertEqual(url, f"/my/expedientes/{self.file_a1.id}?access_token={self.file_a1.access_token}")
        self.assertNotEqual(self.file_a2._portal_ensure_token(), self.file_a1.access_token)

    def test_state_mail_links_to_the_file_portal_page(self):
        template = self.env.ref("clientes_aduanas.mail_template_customs_file_state")
        body = template._render_field("body_html", self.file_a1.ids)[self.file_a1.id]
        self.assertIn(f"/my/expedientes/{self.file_a1.id}?access_token={self.file_a1.access_token}", body)
        self.assertIn(self.file_a1.get_base_url(), body)

    def test_only_the_file_documents_can_be_shared(self):
        Attachment = self.env["ir.attachment"]
        own = Attachment.create({"name": "factura-comercial.pdf", "raw": b"%PDF", **self._attached_to(self.file_a1)})
        other = Attachment.create({"name": "otro-cliente.pdf", "raw": b"%PDF", **self._attached_to(self.file_b)})
        self.file_a1.portal_attachment_ids = own
        self.assertEqual(self.file_a1._portal_shared_attachments(), own)
        self.assertTrue(own.access_token, "the portal download link needs the attachment's token")
        with self.assertRaisesRegex(ValidationError, "otro-cliente.pdf"):
            self.file_a1.portal_attachment_ids = own | other

    @staticmethod
    def _attached_to(record):
        return {"res_model": record._name, "res_id": record.id}

    def test_account_page_keeps_registered_customer_master_data(self):
        customer_user = make_portal_user(self.env, self.customer_b, "portal_customer_b")
        partner = customer_user.partner_id.with_user(customer_user)
        self.assertFalse(partner.can_edit_vat())
        unchanged = {"name": self.customer_b.name, "phone": self.customer_b.phone, "zip": ""}
        self.assertEqual(partner._portal_refused_master_data_changes(unchanged), [])
        self.assertCountEqual(partner._portal_unchanged_master_data(unchanged), ["name", "phone", "zip"])
        refused = partner._portal_refused_master_data_changes(
            {**unchanged, "name": "Otra Razón Social", "email": "otro@portal.example.pe"}
        )
        self.assertCountEqual(refused, ["name", "email"])
        # As the account page gets it: the request user's partner, sudo-ed.
        requested = self.env(user=customer_user).user.partner_id
        self.assertTrue(requested.env.su)
        self.assertEqual(requested._portal_refused_master_data_changes({"phone": "+51 1 7778888"}), ["phone"])
        # Staff with the edit permission may change it (in the back office).
        staff_partner = self.customer_b.with_user(self.user_edit)
        self.assertEqual(staff_partner._portal_refused_master_data_changes({"name": "Otra Razón Social"}), [])

    def test_account_page_lets_a_contact_edit_its_own_details(self):
        contact = self.portal_a.partner_id.with_user(self.portal_a)
        self.assertEqual(contact._portal_refused_master_data_changes({"name": "Ana María", "phone": "+51 999"}), [])
        self.assertFalse(contact.can_edit_vat(), "a contact's document is its company's")

    def test_suspended_customer_files_stay_readable_and_take_no_request(self):
        self.file_a1.with_user(self.portal_a).sudo().message_post(body="¿Cuándo llega?", message_type="comment")
        self.customer_a.with_user(self.user_edit)._suspend("Deuda vencida")
        self.assertEqual(self.env["customs.file"].with_user(self.portal_a).search([]), self.files_a)
        with self.assertRaisesRegex(UserError, "suspended"):
            self.file_a1.with_user(self.portal_a).sudo().message_post(body="Otra consulta", message_type="comment")
        # The staff keeps answering on the file.
        self.file_a1.with_user(self.user_manager).message_post(body="Le escribimos por correo.")

    def test_no_portal_invitation_for_a_suspended_customer(self):
        wizard = (
            self.env["portal.wizard"]
            .with_user(self.user_manager)
            .with_context(active_ids=self.customer_b.ids)
            .create({})
        )
        self.assertIn(self.contact_b, wizard.user_ids.partner_id, "the wizard offers the customer's contacts")
        self.customer_b.with_user(self.user_edit)._suspend("Baja temporal")
        line = wizard.user_ids.filtered(lambda w: w.partner_id == self.customer_b)
        with self.assertRaisesRegex(UserError, "suspended"):
            line.action_grant_access()

    def test_invite_a_contact_from_the_customer(self):
        contact = self.env["res.partner"].create(
            {
                "name": "Carla Aduanas",
                "parent_id": self.customer_a.id,
                "email": "carla@portal.example.pe",
                "lang": "es_PE",
            }
        )
        action = self.customer_a.with_user(self.user_manager).env.ref("portal.partner_wizard_action_create_and_open")
        result = action.with_context(active_model="res.partner", active_ids=self.customer_a.ids).run()
        wizard = self.env["portal.wizard"].browse(result["res_id"])
        line = wizard.user_ids.filtered(lambda w: w.partner_id == contact)
        template = self.env.ref("portal.mail_template_data_portal_welcome")
        subject = template._render_field("subject", line.ids, compute_lang=True)[line.id]
        self.assertTrue(subject.startswith("Su cuenta en"), subject)
        line.with_user(self.user_manager).action_grant_access()
        self.assertTrue(contact.user_ids.has_group("base.group_portal"))
        self.assertEqual(
            self.env["customs.file"].with_user(contact.user_ids).search([]), self.files_a, "she follows her company"
        )

    def test_shared_documents_page_on_the_file_form(self):
        with Form(self.file_a1.with_user(self.user_manager)) as form:
            self.assertIn("portal_attachment_ids", form._view["fields"])
