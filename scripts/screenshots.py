"""Screenshots of the main screens for the README (make screenshots).

Logs into a running Odoo (the demo database) as admin, drives headless
Chromium through the DevTools protocol and writes one optimised PNG per
screen. Usage: screenshots.py --url URL --db DB --browser PATH --out DIR
"""

import argparse
import base64
import io
import json
import shutil
import subprocess
import sys
import tempfile
import time

import openpyxl
import requests
import websocket
from PIL import Image

WIDTH, HEIGHT = 1280, 800


class Browser:
    def __init__(self, binary, profile):
        self.process = subprocess.Popen(
            [
                binary,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--remote-debugging-port=0",
                f"--user-data-dir={profile}",
                f"--window-size={WIDTH},{HEIGHT}",
                "--lang=es-PE",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        port = None
        for line in self.process.stderr:
            if "DevTools listening on ws://" in line:
                port = line.split("ws://", 1)[1].split("/", 1)[0].rsplit(":", 1)[1]
                break
        if not port:
            sys.exit("Chromium did not start its DevTools endpoint")
        pages = requests.get(f"http://127.0.0.1:{port}/json", timeout=10).json()
        page = next(p for p in pages if p["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60, suppress_origin=True)
        self.next_id = 0
        self.call("Page.enable")
        self.call("Runtime.enable")
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=WIDTH,
            height=HEIGHT,
            deviceScaleFactor=1,
            mobile=False,
        )

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result.get("result", {}).get("value")

    def wait_for(self, selector, timeout=30):
        deadline = time.time() + timeout
        check = f"!!document.querySelector({json.dumps(selector)})"
        while time.time() < deadline:
            if self.evaluate(check):
                return
            time.sleep(0.3)
        raise RuntimeError(f"{selector} not shown after {timeout}s")

    def settle(self):
        # Fonts, images and the last renders of the web client.
        self.evaluate("document.fonts.ready.then(() => true)")
        time.sleep(1.5)
        # Notifications (e.g. "page outdated" right after an update) hide the screen.
        self.evaluate("document.querySelectorAll('.o_notification_manager').forEach((n) => n.remove())")

    def screenshot(self, path):
        data = base64.b64decode(self.call("Page.captureScreenshot", format="png")["data"])
        image = Image.open(io.BytesIO(data)).convert("RGB")
        # A 256-colour palette keeps the UI readable at a fraction of the size.
        image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
        print(f"  {path}")

    def close(self):
        self.ws.close()
        self.process.terminate()
        self.process.wait(10)


def wait_for_server(url):
    for _attempt in range(120):
        try:
            if requests.get(f"{url}/web/login", timeout=30).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):
            # A loaded machine: the first request compiles the assets.
            pass
        time.sleep(1)
    sys.exit(f"Odoo did not answer on {url}")


def rpc(session, url, model, method, *args, **kwargs):
    # What the web client sends: the admin's language (Spanish in the demo).
    kwargs.setdefault("context", {"lang": "es_PE"})
    response = session.post(
        f"{url}/web/dataset/call_kw",
        json={
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs},
        },
        timeout=60,
    ).json()
    if "error" in response:
        raise RuntimeError(response["error"]["data"]["message"])
    return response["result"]


def start():
    """The command line (--url, --db, --browser, --out), once the server
    answers, and a session logged in as admin: ``(args, session)``."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--browser", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    wait_for_server(args.url)
    session = requests.Session()
    auth = session.post(
        f"{args.url}/web/session/authenticate",
        json={"jsonrpc": "2.0", "params": {"db": args.db, "login": "admin", "password": "admin"}},
        timeout=60,
    ).json()
    if "error" in auth:
        sys.exit(f"login failed: {auth['error']['data']['message']}")
    return args, session


def capture(
    args, session, screens, *, prefix, cookies=None, script_ready=".o_action_manager .o_view_controller", timeout=30
):
    """Open each screen in headless Chromium, logged in with ``session``, and
    write its PNG to ``args.out``. ``screens``: (file name, URL, selector shown
    once the screen is ready, script to run first or None); a script runs when
    ``script_ready`` is shown and the page has settled. ``cookies``: more
    cookies for the web client (e.g. ``cids``, the company it opens in)."""
    profile = tempfile.mkdtemp(prefix=prefix)
    browser = Browser(args.browser, profile)
    try:
        for name, value in {"session_id": session.cookies["session_id"], **(cookies or {})}.items():
            browser.call("Network.setCookie", name=name, value=value, url=args.url)
        for filename, page, ready, script in screens:
            browser.call("Page.navigate", url=page)
            if script:
                browser.wait_for(script_ready, timeout=timeout)
                browser.settle()
                browser.evaluate(script)
            browser.wait_for(ready, timeout=timeout)
            browser.settle()
            browser.screenshot(f"{args.out}/{filename}")
    finally:
        browser.close()
        shutil.rmtree(profile, ignore_errors=True)


def preview_import(session, url):
    """An import wizard in preview with two good rows and one wrong RUC
    check digit, filled from the addon's own template."""
    wizard_id = rpc(session, url, "customer.import.wizard", "create", {})
    rpc(session, url, "customer.import.wizard", "action_download_template", [wizard_id])
    [template] = rpc(session, url, "customer.import.wizard", "read", [wizard_id], ["template_file"])
    book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(template["template_file"])))
    for worksheet in book.worksheets:
        worksheet.delete_rows(2, worksheet.max_row)  # the template's example rows
    sheet = book.worksheets[0]
    headers = [str(cell.value or "").rstrip(" *") for cell in sheet[1]]
    rows = [
        ("20100070970", "Agroexportadora Los Andes S.A.C.", "ventas@losandes.example.pe"),
        ("20512345672", "Textiles Chancay S.A.C.", "compras@chancay.example.pe"),
        ("20131312955", "Distribuidora Arequipa S.A.", "contacto@arequipa.example.pe"),
    ]
    for vat, name, email in rows:
        values = {
            "Tipo de documento": "RUC",
            "Número de documento": vat,
            "Nombre o razón social": name,
            "Dirección": "Av. Argentina 2450",
            "Ciudad": "Lima",
            "Departamento": "Lima",
            "País": "PE",
            "Email": email,
            "Teléfono": "+51 1 4445555",
        }
        sheet.append([values.get(header) for header in headers])
    out = io.BytesIO()
    book.save(out)
    rpc(
        session,
        url,
        "customer.import.wizard",
        "write",
        [wizard_id],
        {"file": base64.b64encode(out.getvalue()).decode(), "filename": "clientes_nuevos.xlsx"},
    )
    rpc(session, url, "customer.import.wizard", "action_preview", [wizard_id])
    return wizard_id


def portal_documents_session(session, url, db, customer_id):
    """A session of a portal user of the demo customer ``customer_id`` whose
    documents /my/documents lists: a power of attorney expiring in 20 days,
    an RTN certificate in force and an expired constancia whose renewal is
    under review. Created once
    (the portal user's login tells) in the demo database."""
    login = "portal.montana"
    if not rpc(session, url, "res.users", "search", [("login", "=", login)], context={"active_test": False}):
        contact_id = rpc(
            session,
            url,
            "res.partner",
            "create",
            {"name": "Rosa Aguilar", "parent_id": customer_id, "email": "rosa.aguilar@montanaverde.example.hn"},
        )
        portal_group = rpc(session, url, "ir.model.data", "check_object_reference", "base", "group_portal")[1]
        rpc(
            session,
            url,
            "res.users",
            "create",
            {
                "login": login,
                "password": login,
                "partner_id": contact_id,
                "lang": "es_PE",
                "groups_id": [(6, 0, [portal_group])],
            },
            context={"no_reset_password": True},
        )

        def doc_type(name):
            return rpc(session, url, "ir.model.data", "check_object_reference", "clientes_aduanas", name)[1]

        today = time.strftime("%Y-%m-%d")
        rpc(
            session,
            url,
            "res.partner.customer.document",
            "create",
            [
                {
                    "partner_id": customer_id,
                    "document_type_id": doc_type("customer_document_type_mandate"),
                    "number": "PODER-2024-0187",
                    "issue_date": f"{int(today[:4]) - 2}{today[4:]}",
                    "expiry_date": time.strftime("%Y-%m-%d", time.gmtime(time.time() + 20 * 86400)),
                },
                {
                    "partner_id": customer_id,
                    "document_type_id": doc_type("customer_document_type_rtn"),
                    "number": "08019015678901",
                    "expiry_date": time.strftime("%Y-%m-%d", time.gmtime(time.time() + 300 * 86400)),
                },
                {
                    "partner_id": customer_id,
                    "document_type_id": doc_type("customer_document_type_registration"),
                    "number": "CI-2023-5521",
                    "expiry_date": time.strftime("%Y-%m-%d", time.gmtime(time.time() - 10 * 86400)),
                    "renewal_state": "pending",
                    "renewal_number": "CI-2026-0904",
                    "renewal_expiry_date": time.strftime("%Y-%m-%d", time.gmtime(time.time() + 355 * 86400)),
                },
            ],
        )
    portal = requests.Session()
    auth = portal.post(
        f"{url}/web/session/authenticate",
        json={"jsonrpc": "2.0", "params": {"db": db, "login": login, "password": login}},
        timeout=60,
    ).json()
    if "error" in auth:
        sys.exit(f"portal login failed: {auth['error']['data']['message']}")
    return portal


def main():
    args, session = start()
    url = args.url

    def xmlid(name):
        return rpc(session, url, "ir.model.data", "check_object_reference", "clientes_aduanas", name)[1]

    customer_id = xmlid("partner_demo_montana")
    file_id = xmlid("customs_file_demo_andinas_import")
    duca_id = xmlid("customs_file_demo_montana_import")
    import_wizard_id = preview_import(session, url)

    customers = f"{url}/odoo/action-clientes_aduanas.res_partner_action_customer"
    files = f"{url}/odoo/action-clientes_aduanas.customs_file_action"
    screens = [
        ("customer_list.png", customers, ".o_list_view .o_data_row", None),
        ("customer_form.png", f"{customers}/{customer_id}", ".o_form_view .o_form_sheet", None),
        ("customs_file_kanban.png", f"{files}?view_type=kanban", ".o_kanban_view .o_kanban_record", None),
        ("customs_file_form.png", f"{files}/{file_id}", ".o_form_view .o_form_sheet", None),
        (
            "operations_history.png",
            f"{url}/odoo/action-clientes_aduanas.customs_operation_history_action",
            ".o_list_view .o_data_row",
            None,
        ),
        (
            "import_preview.png",
            customers,
            ".modal .o_customer_import_preview",
            "odoo.__WOWL_DEBUG__.root.env.services.action.doAction({type: 'ir.actions.act_window',"
            " res_model: 'customer.import.wizard', name: 'Importar clientes',"
            f" res_id: {import_wizard_id}, views: [[false, 'form']],"
            " target: 'new'})",
        ),
        (
            "settings.png",
            f"{url}/odoo/action-clientes_aduanas.res_config_settings_action",
            ".o_form_view .o_setting_box",
            None,
        ),
        (
            "customs_declaration_taxes.png",
            f"{files}/{duca_id}",
            ".o_form_view div[name='tax_line_ids'] .o_data_row",
            "document.querySelector(\".o_notebook a[name='taxes']\").click()",
        ),
        ("customs_declaration_portal.png", f"{url}/my/expedientes/{duca_id}", ".o_customs_file_tax_lines", None),
    ]
    capture(args, session, screens, prefix="ca-screenshots-")
    # The portal as the customer's contact sees it, in that contact's session.
    portal = portal_documents_session(session, url, args.db, customer_id)
    documents = [("customer_documents_portal.png", f"{url}/my/documents", ".o_customer_document_row", None)]
    capture(args, portal, documents, prefix="ca-screenshots-portal-")


if __name__ == "__main__":
    main()
