"""A fake WhatsApp Business Cloud API (Meta's Graph API) on 127.0.0.1: real
HTTP, started by the tests, answering what Meta answers."""

import collections
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

VERSION = "v21.0"
PHONE_ID = "109876543210"
WABA_ID = "203040506070"
GOOD_TOKEN = "EAAG-good-token"

TEMPLATES = [
    {
        "id": "9001",
        "name": "estado_expediente",
        "language": "es",
        "category": "UTILITY",
        "status": "APPROVED",
        "quality_score": {"score": "GREEN"},
        "components": [{"type": "BODY", "text": "Hola {{1}}, su expediente {{2}} pasó a {{3}}."}],
    },
    {
        "id": "9002",
        "name": "factura_emitida",
        "language": "es",
        "category": "UTILITY",
        "status": "APPROVED",
        "quality_score": {"score": "UNKNOWN"},
        "components": [{"type": "BODY", "text": "{{1}}: factura {{2}} por {{3}}."}],
    },
    {
        "id": "9003",
        "name": "promo_baja_calidad",
        "language": "es",
        "category": "MARKETING",
        "status": "APPROVED",
        "quality_score": {"score": "RED"},
        "components": [{"type": "BODY", "text": "Oferta {{1}}"}],
    },
    {
        "id": "9004",
        "name": "pendiente",
        "language": "es_PE",
        "category": "UTILITY",
        "status": "PENDING",
        "quality_score": {"score": "UNKNOWN"},
        "components": [{"type": "HEADER", "format": "TEXT", "text": "x"}, {"type": "BODY", "text": "Sin parámetros"}],
    },
    {
        "id": "9005",
        "name": "canal_asignado",
        "language": "es",
        "category": "UTILITY",
        "status": "APPROVED",
        "quality_score": {"score": "GREEN"},
        "components": [{"type": "BODY", "text": "{{1}}: a su expediente {{2}} la aduana le asignó canal {{3}}."}],
    },
    {
        "id": "9006",
        "name": "levante",
        "language": "es",
        "category": "UTILITY",
        "status": "APPROVED",
        "quality_score": {"score": "GREEN"},
        "components": [{"type": "BODY", "text": "{{1}}: su expediente {{2}} obtuvo levante el {{3}}. {{4}}"}],
    },
]


def meta_error(code, message, details=None):
    error = {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "AbCdEf"}
    if details:
        error["error_data"] = {"messaging_product": "whatsapp", "details": details}
    return {"error": error}


# Faults per recipient (digits, as Meta gets them): a list of answers
# consumed in order, then success.
FAULTS = {
    "401": (401, meta_error(190, "Error validating access token: Session has expired.")),
    "429": (429, meta_error(130429, "(#130429) Rate limit hit")),
    "500": (500, meta_error(1, "An unknown error occurred")),
    "timeout": "timeout",
    "131047": (
        400,
        meta_error(
            131047,
            "(#131047) Re-engagement message",
            "Message failed to send because more than 24 hours have passed since the customer last replied.",
        ),
    ),
    "132001": (
        404,
        meta_error(
            132001, "(#132001) Template name does not exist in the translation", "template name does not exist in es"
        ),
    ),
    "131026": (400, meta_error(131026, "(#131026) Message undeliverable")),
}


class FakeGraph(BaseHTTPRequestHandler):
    sent = []  # payloads of accepted messages
    requests_seen = []  # (method, path, authorization)
    faults = collections.defaultdict(list)  # recipient digits -> [fault names]
    counter = [0]
    lock = threading.Lock()
    timeout_sleep = 1.5

    @classmethod
    def reset(cls):
        cls.sent.clear()
        cls.requests_seen.clear()
        cls.faults.clear()

    def log_message(self, *args):
        pass

    def _send(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _token_ok(self):
        return self.headers.get("Authorization") == f"Bearer {GOOD_TOKEN}"

    def do_GET(self):
        url = urlparse(self.path)
        query = parse_qs(url.query)
        self.requests_seen.append(("GET", self.path, self.headers.get("Authorization")))
        if not self._token_ok():
            return self._send(401, FAULTS["401"][1])
        parts = url.path.strip("/").split("/")
        if parts[:2] == [VERSION, PHONE_ID] and len(parts) == 2:
            return self._send(
                200, {"display_phone_number": "+51 1 555 0000", "verified_name": "Agencia Lima", "id": PHONE_ID}
            )
        if parts == [VERSION, WABA_ID, "message_templates"]:
            port = self.server.server_address[1]
            if query.get("after") == ["CURSOR2"]:
                return self._send(
                    200, {"data": TEMPLATES[2:], "paging": {"cursors": {"before": "CURSOR2b", "after": "END"}}}
                )
            return self._send(
                200,
                {
                    "data": TEMPLATES[:2],
                    "paging": {
                        "cursors": {"before": "CURSOR1", "after": "CURSOR2"},
                        "next": f"http://127.0.0.1:{port}/{VERSION}/{WABA_ID}/message_templates?limit=2&after=CURSOR2",
                    },
                },
            )
        return self._send(400, meta_error(100, "Unsupported get request. Object with ID does not exist"))

    def do_POST(self):
        url = urlparse(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        payload = json.loads(self.rfile.read(length) or b"{}")
        self.requests_seen.append(("POST", self.path, self.headers.get("Authorization")))
        if not self._token_ok():
            return self._send(401, FAULTS["401"][1])
        if url.path.strip("/") != f"{VERSION}/{PHONE_ID}/messages":
            return self._send(400, meta_error(100, "Object with ID does not exist"))
        with self.lock:
            pending = self.faults.get(payload.get("to"))
            fault = pending.pop(0) if pending else None
        if fault == "timeout":
            time.sleep(self.timeout_sleep)
            return self._send(200, {"messages": [{"id": "wamid.late"}]})
        if fault:
            status, body = FAULTS[fault]
            return self._send(status, body)
        with self.lock:
            self.counter[0] += 1
            wamid = f"wamid.HBgL{payload.get('to')}.{self.counter[0]}.{time.time_ns()}"
            self.sent.append(payload)
        return self._send(
            200,
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": payload.get("to"), "wa_id": payload.get("to")}],
                "messages": [{"id": wamid}],
            },
        )


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # the client gave up on a slow answer on purpose


def start_server():
    """Start the fake API; returns (server, base_url)."""
    server = QuietServer(("127.0.0.1", 0), FakeGraph)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"
