import base64
import datetime
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .portal_common import setup_portal_data, setup_portal_documents
from .test_ui_customer import CustomerTourCase


@tagged("post_install", "-at_install", "clientes_aduanas_http")
class TestCustomerDocumentRenewalTour(CustomerTourCase):
    """A customer renews its power of attorney on the portal and the broker's
    staff accept it in the back office, both in a real browser."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_portal_data(cls)
        cls.reviewer = cls._user("ca_tour_doc_reviewer", "view", "edit")
        # The customer's salesperson reviews its renewals.
        cls.customer_a.user_id = cls.reviewer
        today = fields.Date.today()
        setup_portal_documents(cls)
        cls.document_a.issue_date = today - timedelta(days=355)
        # What the tour types: June 30th two years ahead.
        cls.renewal_expiry = datetime.date(today.year + 2, 6, 30)

    def test_portal_renewal_accepted_by_the_staff(self):
        document = self.document_a
        self.assertEqual(document.state, "expiring")

        self.start_tour("/my", "clientes_aduanas_portal_document_renewal", login="portal_a")
        self.env.invalidate_all()
        self.assertEqual(
            (document.renewal_state, document.renewal_number, document.renewal_expiry_date),
            ("pending", "PODER-A-002", self.renewal_expiry),
        )
        self.assertEqual(document.renewal_file_name, "poder_renovado.pdf")
        self.assertEqual(base64.b64decode(document.renewal_file), b"%PDF-1.4 poder renovado")
        self.assertEqual(document.renewal_user_id, self.portal_a)
        self.assertEqual(document.activity_ids.user_id, self.reviewer, "the salesperson reviews the renewal")
        # The document in force is unchanged until the staff accept it, and
        # the other customer's document was never touched.
        self.assertEqual((document.number, document.state), ("PODER-A-001", "expiring"))
        self.assertFalse(self.document_b.renewal_state)

        self.start_tour(
            "/odoo/action-clientes_aduanas.res_partner_customer_document_action",
            "clientes_aduanas_customer_document_accept",
            login="ca_tour_doc_reviewer",
        )
        self.env.invalidate_all()
        self.assertEqual(
            (document.number, document.expiry_date, document.state, document.renewal_state),
            ("PODER-A-002", self.renewal_expiry, "valid", False),
        )
        self.assertEqual(document.file_name, "poder_renovado.pdf")
        self.assertEqual(base64.b64decode(document.file), b"%PDF-1.4 poder renovado")
        self.assertFalse(document.renewal_file)
        self.assertFalse(document.expiry_notified, "the expiry is watched again from the new date")
        self.assertFalse(document.activity_ids, "the review activity is done")
        # The chatter keeps who changed what.
        values = document.message_ids.filtered(lambda m: m.author_id == self.reviewer.partner_id).tracking_value_ids
        by_field = {value.field_id.name: value for value in values}
        self.assertEqual(
            (by_field["number"].old_value_char, by_field["number"].new_value_char), ("PODER-A-001", "PODER-A-002")
        )
        self.assertEqual(by_field["expiry_date"].new_value_datetime.date(), self.renewal_expiry)
        self.assertIn("renewal_state", by_field)
