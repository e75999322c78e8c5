import re
from unittest.mock import patch
from urllib.parse import urlparse

from odoo import http
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException

from ..controllers.portal import CustomsFilePortal
from .portal_common import make_customer, make_files, make_portal_user, setup_portal_data


@tagged("post_install", "-at_install", "clientes_aduanas_http")
class TestCustomsFilePortalHttp(HttpCase):
    """The /my/expedientes pages as each kind of visitor sees them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        setup_portal_data(cls)
        cls.file_a1.message_post(body="Nota interna: cliente moroso", subtype_xmlid="mail.mt_note")
        cls.file_a1.message_post(
            body="Su carga llegó al puerto", message_type="comment", subtype_xmlid="mail.mt_comment"
        )

    def _get(self, url):
        return self.url_open(url, allow_redirects=False)

    def assertRedirectedAway(self, response, file):
        self.assertEqual(response.status_code, 303)
        self.assertIn(urlparse(response.headers["Location"]).path, ("/my", "/web/login"))
        self.assertNotIn(file.declaration_number, response.text)

    def test_portal_user_lists_its_company_files(self):
        self.authenticate("portal_a", "portal_a")
        response = self._get("/my/expedientes")
        self.assertEqual(response.status_code, 200)
        for file in self.file_a1 | self.file_a2 | self.file_a_contact:
            self.assertIn(file.name, response.text)
            self.assertIn(f'href="/my/expedientes/{file.id}"', response.text)
        self.assertNotIn(self.file_b.name, response.text)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["customs_file_count"]})
        self.assertEqual(counters["customs_file_count"], 3)

    def test_filters_search_dates_and_pager(self):
        self.authenticate("portal_a", "portal_a")
        exports = self._get("/my/expedientes?filterby=export").text
        self.assertIn(self.file_a1.name, exports)  # export (see make_files)
        self.assertNotIn(self.file_a2.name, exports)
        found = self._get(f"/my/expedientes?search_in=declaration&search={self.file_a2.declaration_number}").text
        self.assertIn(self.file_a2.name, found)
        self.assertNotIn(self.file_a1.name, found)
        by_name = self._get(f"/my/expedientes?search_in=name&search={self.file_a_contact.name}").text
        self.assertIn(self.file_a_contact.name, by_name)
        self.assertNotIn(self.file_a2.name, by_name)
        dated = self._get("/my/expedientes?date_begin=2026-02-01&date_end=2026-02-28").text
        self.assertIn(self.file_a2.name, dated)  # opened 2026-02-02
        self.assertNotIn(self.file_a1.name, dated)
        self.assertEqual(self._get("/my/expedientes?date_begin=no-date&filterby=bogus").status_code, 200)
        with patch.object(CustomsFilePortal, "_items_per_page", 2):
            first = self._get("/my/expedientes").text
            second = self._get("/my/expedientes/page/2").text
            by_reference = self._get("/my/expedientes?sortby=name").text
        self.assertEqual(first.count("o_customs_file_row"), 2)
        self.assertEqual(second.count("o_customs_file_row"), 1)
        self.assertIn('href="/my/expedientes/page/2"', first)
        self.assertIn('href="/my/expedientes/page/2?sortby=name"', by_reference)

    def test_portal_user_opens_a_file_without_internal_data(self):
        self.authenticate("portal_a", "portal_a")
        response = self._get(f"/my/expedientes/{self.file_a_contact.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.file_a_contact.declaration_number, response.text)
        self.assertIn("Repuestos de motor", response.text)
        messages = self.make_jsonrpc_request(
            "/mail/chatter_fetch", {"thread_model": "customs.file", "thread_id": self.file_a1.id}
        )["data"]["mail.message"]
        bodies = " ".join(str(message["body"]) for message in messages)
        self.assertIn("Su carga llegó al puerto", bodies)
        self.assertNotIn("moroso", bodies)
        page = self._get(f"/my/expedientes/{self.file_a1.id}").text
        self.assertNotIn("moroso", page)

    def test_linked_documents_open_odoo_portal_pages(self):
        sent, draft = self.env["sale.order"].create([{"partner_id": self.customer_a.id}] * 2)
        sent.action_quotation_sent()
        invoice = self.env["account.move"].create({"move_type": "out_invoice", "partner_id": self.customer_a.id})
        self.file_a1.write({"sale_order_ids": [(6, 0, (sent | draft).ids)], "invoice_ids": [(6, 0, invoice.ids)]})
        self.authenticate("portal_a", "portal_a")
        page = self._get(f"/my/expedientes/{self.file_a1.id}").text
        self.assertIn(f'href="/my/orders/{sent.id}?access_token={sent.access_token}"', page)
        self.assertNotIn(f"/my/orders/{draft.id}", page, "a draft quotation is still the staff's")
        self.assertNotIn(f"/my/invoices/{invoice.id}", page, "a draft invoice is not shown")

    def test_another_customer_gets_nothing(self):
        self.authenticate("portal_b", "portal_b")
        self.assertRedirectedAway(self._get(f"/my/expedientes/{self.file_a1.id}"), self.file_a1)
        # Its own file's token opens its own file only.
        token_b = self.file_b._portal_ensure_token()
        self.assertRedirectedAway(self._get(f"/my/expedientes/{self.file_a1.id}?access_token={token_b}"), self.file_a1)
        self.assertRedirectedAway(self._get(f"/my/expedientes/{self.file_a1.id}?access_token=guess"), self.file_a1)
        self.assertRedirectedAway(self._get("/my/expedientes/999999999"), self.file_a1)
        listing = self._get(f"/my/expedientes?search={self.file_a1.name}").text
        self.assertNotIn(self.file_a1.declaration_number, listing)

    def test_shared_link_opens_that_file_only(self):
        token = self.file_a1._portal_ensure_token()
        self.authenticate(None, None)
        self.assertRedirectedAway(self._get(f"/my/expedientes/{self.file_a1.id}"), self.file_a1)
        response = self._get(f"/my/expedientes/{self.file_a1.id}?access_token={token}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.file_a1.declaration_number, response.text)
        self.assertRedirectedAway(self._get(f"/my/expedientes/{self.file_a2.id}?access_token={token}"), self.file_a2)
        self.assertRedirectedAway(self._get("/my/expedientes"), self.file_a1)

    def test_suspended_customer_reads_but_cannot_ask(self):
        token = self.file_a1._portal_ensure_token()
        self.customer_a._suspend("Deuda vencida")
        self.authenticate("portal_a", "portal_a")
        page = self._get(f"/my/expedientes/{self.file_a1.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_customs_file_suspended", page.text)
        self.assertIn('data-allow_composer="0"', page.text)
        with self.assertRaisesRegex(JsonRpcException, "UserError"):
            self.make_jsonrpc_request(
                "/mail/message/post",
                {
                    "thread_model": "customs.file",
                    "thread_id": self.file_a1.id,
                    "post_data": {"body": "Quiero otra importación", "message_type": "comment"},
                    "token": token,
                },
            )
        self.assertFalse(self.file_a1.message_ids.filtered(lambda m: "otra importación" in (m.body or "")))

    def _post_account(self, partner, **changes):
        data = {
            "name": partner.name,
            "email": partner.email,
            "phone": partner.phone,
            "street": partner.street,
            "city": partner.city,
            "zipcode": partner.zip or "",
            "csrf_token": http.Request.csrf_token(self),
            **changes,
        }
        return self.url_open("/my/account", data=data, allow_redirects=False)

    def test_account_page_keeps_the_registered_customer_data(self):
        make_portal_user(self.env, self.customer_b, "portal_customer_b")
        self.authenticate("portal_customer_b", "portal_customer_b")
        page = self._get("/my/account").text
        self.assertIn("o_registered_customer_readonly", page)
        self.assertRegex(page, r'<input type="text" name="name"[^>]*readonly="1"')
        refused = self._post_account(self.customer_b, name="Otra Razón Social", phone="+51 1 7778888")
        self.assertEqual(refused.status_code, 200)
        self.assertIn("can only be changed by our staff", refused.text)
        self.assertNotIn("once invoices have been issued", refused.text, "this customer has no invoice")
        self.assertEqual(self.customer_b.name, "Portal Cliente 10002 S.A.C.")
        self.assertEqual(self.customer_b.phone, "+51 1 4445555")
        # Fields Odoo's own invoice check does not cover are refused too.
        refused = self._post_account(self.customer_b, phone="+51 1 7778888", street="Jr. Otra 1")
        self.assertEqual(refused.status_code, 200)
        self.assertEqual((self.customer_b.phone, self.customer_b.street), ("+51 1 4445555", "Av. Portal 100"))
        # Re-posting the same data (what the read-only form sends) is fine.
        self.assertEqual(self._post_account(self.customer_b).status_code, 303)
        self.assertEqual(self.customer_b.name, "Portal Cliente 10002 S.A.C.")

    def test_account_page_contact_edits_its_own_details(self):
        self.authenticate("portal_a", "portal_a")
        self.assertNotIn("o_registered_customer_readonly", self._get("/my/account").text)
        saved = self._post_account(self.contact_a, email="ana.maria@portal.example.pe", phone="+51 1 7778888")
        self.assertEqual(saved.status_code, 303, re.findall(r"alert-danger.*?</div>\s*</div>", saved.text, re.S))
        self.assertEqual((self.contact_a.email, self.contact_a.phone), ("ana.maria@portal.example.pe", "+51 1 7778888"))
        self.assertEqual(self.customer_a.phone, "+51 1 4445555", "the company's own data did not move")

    def test_list_queries_do_not_grow_with_the_files(self):
        customer = make_customer(self.env, 10003)
        make_portal_user(self.env, customer, "portal_c")
        make_files(self.env, customer, 3)
        self.authenticate("portal_c", "portal_c")
        few = self._count_queries("/my/expedientes")
        make_files(self.env, customer, 27)
        many = self._count_queries("/my/expedientes")
        self.assertEqual(self._get("/my/expedientes").text.count("o_customs_file_row"), 30)
        self.assertEqual(few, many)

    def _count_queries(self, url):
        self._get(url)  # warm the caches (templates, rules)
        start = self.registry.test_cr.sql_log_count
        self.assertEqual(self._get(url).status_code, 200)
        return self.registry.test_cr.sql_log_count - start

    def test_tour_portal_user_follows_a_file_and_asks(self):
        self.start_tour("/my", "clientes_aduanas_portal_customs_file", login="portal_a")
        message = self.file_a_contact.message_ids.filtered(lambda m: "¿Cuándo sale mi carga?" in (m.body or ""))
        self.assertEqual(len(message), 1)
        self.assertEqual(message.author_id, self.contact_a)
        self.assertEqual(message.message_type, "comment")
