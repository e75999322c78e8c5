import base64
from datetime import timedelta

from odoo import fields, http
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import ClientesAduanasCase
from .portal_common import make_customer, make_portal_user, setup_portal_data, setup_portal_documents

PDF = b"%PDF-1.4 poder renovado"


@tagged("post_install", "-at_install", "clientes_aduanas_http")
class TestCustomerDocumentsPortalHttp(HttpCase):
    """/my/documents through the real routes: each customer's portal users
    see and renew only their own customer's documents."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        setup_portal_data(cls)
        setup_portal_documents(cls)
        cls.new_expiry = fields.Date.today() + timedelta(days=730)

    def _renew(self, document, with_csrf=True, **data):
        data = {"expiry_date": fields.Date.to_string(self.new_expiry), "number": "PODER-NUEVO", **data}
        if with_csrf:
            data["csrf_token"] = http.Request.csrf_token(self)
        return self.url_open(
            f"/my/documents/{document.id}/renewal",
            data=data,
            files={"renewal_file": ("poder.pdf", PDF, "application/pdf")},
            allow_redirects=False,
        )

    def test_portal_user_sees_its_customer_documents_only(self):
        self.authenticate("portal_a", "portal_a")
        page = self.url_open("/my/documents").text
        self.assertIn("PODER-A-001", page)
        self.assertIn("Expiring", page)
        self.assertIn(f'action="/my/documents/{self.document_a.id}/renewal"', page)
        self.assertNotIn("PODER-B-777", page)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["customer_document_count"]})
        self.assertEqual(counters["customer_document_count"], 1)

    def test_portal_user_uploads_a_renewal_the_staff_accept(self):
        self.authenticate("portal_a", "portal_a")
        response = self._renew(self.document_a)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith("/my/documents?renewal=sent"))
        document = self.document_a
        self.assertEqual(document.renewal_state, "pending")
        self.assertEqual(base64.b64decode(document.renewal_file), PDF)
        self.assertEqual(document.renewal_file_name, "poder.pdf")
        self.assertEqual(document.renewal_expiry_date, self.new_expiry)
        self.assertEqual(document.renewal_user_id, self.portal_a)
        self.assertEqual(len(document.activity_ids), 1)
        # The document itself is unchanged until the staff accept it.
        self.assertEqual(document.number, "PODER-A-001")
        page = self.url_open("/my/documents?renewal=sent").text
        self.assertIn("Under review", page)
        editor = self.env["res.users"].create(
            {
                "name": "Editor Documentos",
                "login": "ca_doc_editor",
                "email": "editor@broker.example.pe",
                "groups_id": [(6, 0, [self.env.ref("clientes_aduanas.clientes_aduanas_group_edit").id])],
            }
        )
        document.with_user(editor).action_accept_renewal()
        self.assertEqual(
            (document.number, document.expiry_date, document.renewal_state, document.expiry_notified),
            ("PODER-NUEVO", self.new_expiry, False, False),
        )
        self.assertEqual(base64.b64decode(document.file), PDF)
        self.assertFalse(document.activity_ids)

    def test_portal_user_cannot_renew_another_customers_document(self):
        self.authenticate("portal_a", "portal_a")
        response = self._renew(self.document_b)
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self.document_b.renewal_state)
        self.assertFalse(self.document_b.renewal_file)
        # Nor a document that does not exist.
        self.assertEqual(self._renew(self.document_b.browse(999999)).status_code, 404)

    def test_renewal_needs_the_csrf_token(self):
        self.authenticate("portal_a", "portal_a")
        response = self._renew(self.document_a, with_csrf=False)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.document_a.renewal_state)

    def test_renewal_without_expiry_is_refused_with_a_message(self):
        self.authenticate("portal_a", "portal_a")
        response = self._renew(self.document_a, expiry_date="")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Give the new expiry date of the document.", response.text)
        self.assertFalse(self.document_a.renewal_state)
        expired = fields.Date.to_string(fields.Date.today() - timedelta(days=1))
        response = self._renew(self.document_a, expiry_date=expired)
        self.assertIn("cannot be already expired", response.text)
        self.assertFalse(self.document_a.renewal_state)

    def test_other_customers_user_and_internal_routes(self):
        customer_c = make_customer(self.env, 10003)
        make_portal_user(self.env, customer_c, "portal_c")
        self.authenticate("portal_c", "portal_c")
        page = self.url_open("/my/documents").text
        self.assertNotIn("PODER-A-001", page)
        self.assertNotIn("PODER-B-777", page)
        self.assertEqual(self._renew(self.document_a).status_code, 404)


@tagged("post_install", "-at_install")
class TestCustomerDocumentRenewal(ClientesAduanasCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customer()
        cls.document = cls.env["res.partner.customer.document"].create(
            {
                "partner_id": cls.customer.id,
                "document_type_id": cls.env.ref("clientes_aduanas.customer_document_type_mandate").id,
                "number": "P-1",
                "expiry_date": fields.Date.today() + timedelta(days=3),
            }
        )

    def test_reject_keeps_the_document_and_is_tracked(self):
        expiry = fields.Date.today() + timedelta(days=365)
        self.document._portal_submit_renewal(base64.b64encode(PDF), "p.pdf", expiry)
        self.assertEqual(self.document.renewal_state, "pending")
        self.document.with_user(self.user_edit).action_reject_renewal()
        self.assertEqual(self.document.renewal_state, "rejected")
        self.assertFalse(self.document.renewal_file)
        self.assertEqual(self.document.number, "P-1")
        self.assertNotEqual(self.document.expiry_date, expiry)
        bodies = " ".join(self.document.message_ids.mapped("body"))
        self.assertIn("Renewal rejected.", bodies)

    def test_view_only_user_cannot_accept(self):
        self.document._portal_submit_renewal(base64.b64encode(PDF), "p.pdf", fields.Date.today() + timedelta(days=9))
        with self.assertRaises(AccessError):
            self.document.with_user(self.user_view).action_accept_renewal()
        self.assertEqual(self.document.renewal_state, "pending")
