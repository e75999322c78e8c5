import collections
import json
import logging
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import psycopg2

from odoo import SUPERUSER_ID, api
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from ..models.document_lookup_provider import LookupFailure
from .common import CUSTOMER_FORM, ClientesAduanasCase

RUC = "20512345671"
OTHER_RUC = "20100070970"
DNI = "45678912"


class FakeProvider(BaseHTTPRequestHandler):
    """Plays a Peruvian lookup service; the first path segment picks the
    behaviour: /ok/v2/sunat/ruc?numero=..., /e500/..., /slow/..."""

    hits = collections.Counter()
    headers_seen = []
    paths_seen = []

    def log_message(self, *args):
        pass

    def _send(self, status, body, content_type="application/json"):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        self.hits["post"] += 1
        self._send(
            200,
            {
                "success": True,
                "data": {
                    "ruc": body.get("ruc"),
                    "nombre_o_razon_social": "POST S.A.C.",
                    "estado": "ACTIVO",
                    "condicion": "HABIDO",
                },
            },
        )

    def do_GET(self):
        url = urlparse(self.path)
        scenario = url.path.strip("/").split("/")[0]
        number = (parse_qs(url.query).get("numero") or [""])[0]
        self.hits[scenario] += 1
        type(self).headers_seen.append(dict(self.headers))
        type(self).paths_seen.append(self.path)
        if scenario == "slow":
            time.sleep(1.0)
        if scenario == "slow503":
            time.sleep(0.4)
            return self._send(503, {"message": "busy"})
        if scenario == "notfound":
            return self._send(404, {"message": "not found"})
        if scenario.startswith("e") and scenario[1:].isdigit():
            return self._send(int(scenario[1:]), {"message": "error"})
        if scenario == "flaky" and self.hits[scenario] == 1:
            return self._send(503, {"message": "busy"})
        if scenario == "jsonlist":
            return self._send(200, [{"razonSocial": "LISTA"}])
        if scenario == "empty":
            return self._send(200, {})
        if scenario == "noname":
            return self._send(200, {"numeroDocumento": number, "estado": "ACTIVO"})
        if scenario == "badjson":
            return self._send(200, b"{not json", "text/html")
        if "/reniec/dni" in url.path:
            return self._send(
                200,
                {
                    "numeroDocumento": number,
                    "nombres": "JUAN CARLOS",
                    "apellidoPaterno": "PEREZ",
                    "apellidoMaterno": "QUISPE",
                },
            )
        answer = {
            "numeroDocumento": OTHER_RUC if scenario == "wrongnumber" else number,
            "razonSocial": "IMPORTACIONES ANDINAS S.A.C.",
            "estado": "ACTIVO",
            "condicion": "HABIDO",
            "direccion": "AV. JAVIER PRADO ESTE NRO. 1234",
            "ubigeo": "150131",
            "departamento": "LIMA",
            "provincia": "LIMA",
            "distrito": "SAN ISIDRO",
        }
        if scenario == "nohabido":
            answer.update(estado="BAJA DE OFICIO", condicion="NO HABIDO")
        if scenario == "big":
            answer["razonSocial"] = "<script>alert(1)</script><b>ANDINAS</b> " + "X" * 5000
        return self._send(200, answer)


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # the client gave up on a slow answer on purpose (broken pipe)


@tagged("post_install", "-at_install")
class TestDocumentLookup(ClientesAduanasCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = QuietServer(("127.0.0.1", 0), FakeProvider)
        cls.port = cls.server.server_address[1]
        cls.thread = threading.Thread(target=cls.server.serve_forever, daemon=True)
        cls.thread.start()
        cls.addClassCleanup(cls.server.server_close)
        cls.addClassCleanup(cls.server.shutdown)
        cls.template = cls.env.ref("clientes_aduanas.lookup_provider_apis_net_pe")
        cls.Provider = cls.env["document.lookup.provider"]
        cls.customer = cls._create_customer(vat=RUC, name="Nombre provisional")

    def setUp(self):
        super().setUp()
        FakeProvider.hits.clear()
        FakeProvider.headers_seen.clear()
        FakeProvider.paths_seen.clear()

    def _provider(self, scenario, **vals):
        return self.template.copy(
            {
                "name": f"fake {scenario}",
                "active": True,
                "base_url": f"http://127.0.0.1:{self.port}/{scenario}",
                "token": "s3cr3t-token",
                "backoff": 0.01,
                "connect_timeout": 0.5,
                "read_timeout": 0.5,
                "sequence": vals.pop("sequence", 10),
                **vals,
            }
        )

    def _lookup(self, number=RUC, code="pe_ruc"):
        return self.Provider._lookup(code, number)

    def test_ruc_success_and_mapping(self):
        self._provider("ok")
        result = self._lookup()
        self.assertEqual(result["name"], "IMPORTACIONES ANDINAS S.A.C.")
        self.assertEqual(result["taxpayer_state"], "ACTIVO")
        self.assertEqual(FakeProvider.headers_seen[0]["Authorization"], "Bearer s3cr3t-token")
        vals = self.env["res.partner"]._lookup_result_to_vals(result, "pe_ruc")
        self.assertEqual(vals["state_id"], self.env.ref("base.state_pe_15").id, "UBIGEO 15 is Lima")
        self.assertEqual(vals["city"], "San Isidro")
        self.assertTrue(vals["is_company"])

    def test_dni_success(self):
        self._provider("ok")
        result = self._lookup(DNI, "pe_dni")
        self.assertEqual(result["name"], "JUAN CARLOS PEREZ QUISPE")

    def test_post_provider(self):
        self.env.ref("clientes_aduanas.lookup_provider_apiperu_dev").copy(
            {"active": True, "base_url": f"http://127.0.0.1:{self.port}", "token": "t"}
        )
        self.assertEqual(self._lookup()["name"], "POST S.A.C.")
        self.assertEqual(FakeProvider.hits["post"], 1)

    def test_invalid_number_sends_no_request(self):
        self._provider("ok")
        with self.assertRaises(UserError) as ctx:
            self._lookup("20512345670")
        self.assertIn("check digit", str(ctx.exception))
        self.assertEqual(sum(FakeProvider.hits.values()), 0)

    def test_each_failure_has_a_clear_message(self):
        cases = {
            "notfound": "was not found",
            "e401": "refused the token",
            "e403": "refused the token",
            "e429": "limits the number of queries",
            "e500": "internal error",
            "slow": "did not answer in time",
            "badjson": "not valid JSON",
            "jsonlist": "unexpected answer format",
            "empty": "was not found",
            "noname": "the answer has no name",
            "wrongnumber": "another number",
        }
        for scenario, fragment in cases.items():
            with self.subTest(scenario=scenario):
                provider = self._provider(scenario)
                self.env["document.lookup.cache"].search([]).unlink()
                with self.assertRaises(UserError) as ctx:
                    self._lookup()
                self.assertIn(fragment, str(ctx.exception))
                self.assertNotIn("s3cr3t", str(ctx.exception))
                provider.active = False

    def test_retries_on_5xx_and_429_only(self):
        self._provider("e500", max_retries=2)
        with self.assertRaises(UserError):
            self._lookup()
        self.assertEqual(FakeProvider.hits["e500"], 3)
        self.env["document.lookup.cache"].search([]).unlink()
        self.Provider.search([]).active = False
        self._provider("e401", max_retries=2)
        with self.assertRaises(UserError):
            self._lookup()
        self.assertEqual(FakeProvider.hits["e401"], 1, "no retry on a refused token")
        self.Provider.search([]).active = False
        self._provider("flaky", max_retries=2)
        self.assertEqual(self._lookup()["name"], "IMPORTACIONES ANDINAS S.A.C.")
        self.assertEqual(FakeProvider.hits["flaky"], 2)

    def test_connection_refused(self):
        self._provider("ok", base_url="http://127.0.0.1:9")
        with self.assertRaises(UserError) as ctx:
            self._lookup()
        self.assertIn("cannot be reached", str(ctx.exception))

    def test_fallback_to_next_provider(self):
        self._provider("e500", sequence=1, max_retries=0)
        self._provider("ok", sequence=2)
        result = self._lookup()
        self.assertEqual(result["provider"], "fake ok")
        self.assertEqual((FakeProvider.hits["e500"], FakeProvider.hits["ok"]), (1, 1))

    def test_cache_hit_and_not_found_cached(self):
        self._provider("ok")
        self._lookup()
        self._lookup()
        self.assertEqual(FakeProvider.hits["ok"], 1, "the second lookup is served by the cache")
        self.Provider.search([]).active = False
        self._provider("notfound")
        other = self._create_customer(vat=OTHER_RUC, email="otro@lookup.example.pe")
        for _i in range(2):
            action = other.action_lookup_document()
            self.assertEqual(action["tag"], "display_notification")
            self.assertIn("was not found", action["params"]["message"])
        self.assertEqual(FakeProvider.hits["notfound"], 1, "not found is cached briefly")

    def test_rate_limit(self):
        self._provider("ok", rate_limit=2)
        self._lookup(RUC)
        self._lookup(OTHER_RUC)
        with self.assertRaises(UserError) as ctx:
            self._lookup("20131312955")
        self.assertIn("per minute", str(ctx.exception))
        self.assertEqual(FakeProvider.hits["ok"], 2)

    def test_rate_limit_shared_by_workers(self):
        """Two database cursors stand for two workers: the count of the
        minute lives in PostgreSQL, and neither waits for the other's
        transaction to end."""
        with self.registry.cursor() as cr_x:
            env = api.Environment(cr_x, SUPERUSER_ID, {})
            template = env.ref("clientes_aduanas.lookup_provider_apis_net_pe")
            provider_id = template.copy(
                {"name": "shared", "active": False, "base_url": f"http://127.0.0.1:{self.port}/ok", "rate_limit": 3}
            ).id
            cr_x.commit()
        self.addCleanup(self._delete_committed_provider, provider_id)
        with self.registry.cursor() as cr_1, self.registry.cursor() as cr_2:
            worker_1 = api.Environment(cr_1, SUPERUSER_ID, {})["document.lookup.provider"].browse(provider_id)
            worker_2 = api.Environment(cr_2, SUPERUSER_ID, {})["document.lookup.provider"].browse(provider_id)
            worker_1._lookup_one("pe_ruc", RUC)
            worker_2._lookup_one("pe_ruc", OTHER_RUC)  # worker 1's transaction is still open
            worker_1._lookup_one("pe_ruc", "20131312955")
            for worker in (worker_2, worker_1):
                with self.assertRaises(LookupFailure) as ctx:
                    worker._lookup_one("pe_ruc", RUC)
                self.assertIn("3 requests per minute", ctx.exception.message)
            cr_1.rollback()  # a rolled back request stays counted: it was sent
            with self.assertRaisesRegex(LookupFailure, "per minute"):
                worker_2._lookup_one("pe_ruc", RUC)
        self.assertEqual(FakeProvider.hits["ok"], 3)

    def _delete_committed_provider(self, provider_id):
        with self.registry.cursor() as cr_x:
            api.Environment(cr_x, SUPERUSER_ID, {})["document.lookup.provider"].browse(provider_id).unlink()
            cr_x.commit()

    def test_total_time_budget_across_retries_and_providers(self):
        self.env["ir.config_parameter"].set_param("clientes_aduanas.lookup_time_budget", "1.5")
        self._provider("slow503", sequence=1, max_retries=5, read_timeout=5.0)
        self._provider("slow", sequence=2, read_timeout=5.0)
        start = time.monotonic()
        with self.assertRaises(UserError) as ctx:
            self._lookup()
        elapsed = time.monotonic() - start
        # Without the budget: 6 attempts x 0.4 s, then 1 s for the second provider.
        self.assertLess(elapsed, 2.2)
        self.assertLessEqual(FakeProvider.hits["slow503"], 4)
        self.assertIn("time allowed for one lookup (1.5 s) ran out", str(ctx.exception))
        self.assertIn("fake slow:", str(ctx.exception))

    def test_retries_bounded(self):
        with self.assertRaises(psycopg2.errors.CheckViolation), mute_logger("odoo.sql_db"):
            self._provider("ok", max_retries=50)
        self._provider("ok", max_retries=5)

    def test_answers_are_sanitised(self):
        self._provider("big")
        name = self._lookup()["name"]
        self.assertNotIn("<", name)
        self.assertNotIn("alert", name)
        self.assertTrue(name.startswith("ANDINAS"))
        self.assertLessEqual(len(name), 250)

    def test_token_not_logged(self):
        self._provider("e403", auth_style="query")
        with self.assertLogs("odoo.addons.clientes_aduanas", level=logging.DEBUG) as logs:
            logging.getLogger("odoo.addons.clientes_aduanas").debug("start")
            with self.assertRaises(UserError):
                self._lookup()
        self.assertFalse([line for line in logs.output if "s3cr3t" in line])
        self.assertTrue([line for line in logs.output if "***" in line or "failed" in line])

    def test_query_token_hidden_from_http_library_logs(self):
        self._provider("ok", auth_style="query", token_param="clave")
        with self.assertLogs("urllib3", level=logging.DEBUG) as logs:
            self._lookup()
        self.assertIn("clave=s3cr3t-token", FakeProvider.paths_seen[0], "the token was sent")
        self.assertTrue([line for line in logs.output if "clave=***" in line], logs.output)
        self.assertFalse([line for line in logs.output if "s3cr3t" in line])

    def test_honduras_has_no_source(self):
        with self.assertRaises(UserError) as ctx:
            self.Provider._lookup("hn_rtn", "05019012345678")
        self.assertIn("No lookup source is configured", str(ctx.exception))

    def test_button_wizard_shows_changes_and_keeps_own_values(self):
        self._provider("nohabido")
        action = self.customer.with_user(self.user_edit).action_lookup_document()
        wizard = self.env["document.lookup.wizard"].browse(action["res_id"])
        self.assertIn("NO HABIDO", wizard.warning)
        self.assertIn("BAJA DE OFICIO", wizard.warning)
        by_field = {line.field_name: line for line in wizard.line_ids}
        self.assertEqual(by_field["name"].current_display, "Nombre provisional")
        self.assertEqual(by_field["name"].new_display, "IMPORTACIONES ANDINAS S.A.C.")
        form = Form(wizard)
        with form.line_ids.edit(list(by_field).index("street")) as line:
            line.apply = False  # keep the typed address
        form.save().with_user(self.user_edit).action_apply()
        self.assertEqual(
            (self.customer.sunat_taxpayer_state, self.customer.sunat_taxpayer_condition),
            ("BAJA DE OFICIO", "NO HABIDO"),
            "the lupa records the SUNAT status, whatever lines are applied",
        )
        self.assertTrue(self.customer.sunat_observed)
        self.assertEqual(self.customer.sunat_source, "fake nohabido")
        self.assertEqual(self.customer.name, "IMPORTACIONES ANDINAS S.A.C.")
        self.assertEqual(self.customer.street, "Av. Arequipa 100")
        self.assertEqual(self.customer.state_id, self.env.ref("base.state_pe_15"))

    def test_failed_lookup_leaves_record_untouched(self):
        self._provider("e500", max_retries=0)
        before = self.customer.read(["name", "street", "vat"])
        action = self.customer.action_lookup_document()
        self.assertEqual(action["params"]["type"], "warning")
        self.assertIn("internal error", action["params"]["message"])
        self.assertEqual(self.customer.read(["name", "street", "vat"]), before)

    def test_permissions(self):
        self._provider("ok")
        with self.assertRaises(AccessError):
            self.customer.with_user(self.user_view).action_lookup_document()
        with self.assertRaises(AccessError):
            self.Provider.with_user(self.user_manager).create({"name": "x"})
        with self.assertRaises(AccessError):
            self.template.with_user(self.user_manager).read(["token"])
        self.customer.with_user(self.user_edit).action_lookup_document()

    # A customer not saved yet: the lookup runs as an onchange (an object
    # button would need the name the lookup is meant to fill).
    def _new_ruc_form(self, view=CUSTOMER_FORM):
        # The manager: saving a company through the form also needs the edit
        # permission (company_type's inverse writes is_company after create).
        form = self._new_customer_form(self.user_manager, view=view)
        form.l10n_latam_identification_type_id = self.type_ruc
        form.vat = OTHER_RUC
        return form

    def test_new_customer_lookup_fills_empty_fields_only(self):
        self._provider("ok")
        form = self._new_ruc_form()
        form.street = "Calle Tecleada 5"
        with self.assertLogs("odoo.tests.form.onchange", "WARNING") as logs:
            form.document_lookup_request = True
        self.assertFalse(form.document_lookup_request, "the toggle resets itself")
        self.assertEqual(form.name, "IMPORTACIONES ANDINAS S.A.C.")
        self.assertEqual(form.street, "Calle Tecleada 5", "typed values are kept")
        self.assertEqual(form.state_id, self.state_lima)
        self.assertEqual(form.company_type, "company")
        message = "\n".join(logs.output)
        self.assertIn("Your values were kept for", message)
        self.assertIn("AV. JAVIER PRADO ESTE NRO. 1234", message)
        self.assertIn("ACTIVO", message)
        form.email = "nuevo@lookup.example.pe"
        form.phone = "+51 1 4440000"
        form.city = "Lima"
        partner = form.save()
        self.assertEqual((partner.name, partner.vat), ("IMPORTACIONES ANDINAS S.A.C.", OTHER_RUC))
        self.assertEqual((partner.sunat_taxpayer_state, partner.sunat_source), ("ACTIVO", "fake ok"))
        self.assertTrue(partner.sunat_checked_on)

    def test_new_customer_lookup_warns_not_habido_and_failures(self):
        self._provider("nohabido")
        form = self._new_ruc_form()
        with self.assertLogs("odoo.tests.form.onchange", "WARNING") as logs:
            form.document_lookup_request = True
        self.assertIn("NO HABIDO, not HABIDO", "\n".join(logs.output))
        self.Provider.search([]).active = False
        self.env["document.lookup.cache"].search([]).unlink()
        self._provider("e500", max_retries=0)
        form = self._new_ruc_form()
        form.name = "Escrito a mano"
        with self.assertLogs("odoo.tests.form.onchange", "WARNING") as logs:
            form.document_lookup_request = True
        self.assertIn("internal error", "\n".join(logs.output))
        self.assertEqual(form.name, "Escrito a mano")

    def test_lookup_on_odoo_partner_form(self):
        self._provider("ok")
        form = self._new_ruc_form(view="base.view_partner_form")
        with self.assertLogs("odoo.tests.form.onchange", "WARNING"):
            form.document_lookup_request = True
        self.assertEqual(form.name, "IMPORTACIONES ANDINAS S.A.C.")
        arch = self.env["res.partner"].with_user(self.user_edit).get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="action_lookup_document"', arch)
        arch = self.env["res.partner"].with_user(self.user_view).get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertNotIn('name="action_lookup_document"', arch, "view-only users do not get the button")
