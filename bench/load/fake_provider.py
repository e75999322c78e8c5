"""A RUC lookup service on 127.0.0.1 for the load benchmark's lupa scenario
(the same answer shape as tests/test_document_lookup.py's fake provider and
apis.net.pe). It counts the requests it receives per minute (UTC, as the
shared limit counts them) and serves the counts on GET /__stats.

    python bench/load/fake_provider.py PORT
"""

import collections
import datetime
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

LOCK = threading.Lock()
HITS = collections.Counter()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _send(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urlparse(self.path)
        if url.path == "/__stats":
            with LOCK:
                return self._send(200, dict(sorted(HITS.items())))
        minute = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M")
        with LOCK:
            HITS[minute] += 1
        number = (parse_qs(url.query).get("numero") or [""])[0]
        self._send(
            200,
            {
                "numeroDocumento": number,
                "razonSocial": f"EMPRESA DE CARGA {number} S.A.C.",
                "estado": "ACTIVO",
                "condicion": "HABIDO",
                "direccion": "AV. ARGENTINA NRO. 2085",
                "ubigeo": "070101",
                "departamento": "CALLAO",
                "provincia": "CALLAO",
                "distrito": "CALLAO",
            },
        )


class Server(ThreadingHTTPServer):
    daemon_threads = True


if __name__ == "__main__":
    server = Server(("127.0.0.1", int(sys.argv[1])), Handler)
    server.serve_forever()
