"""Screenshots of the WhatsApp addon for the README (docs/screenshots/whatsapp_*.png).

Same approach as screenshots.py (whose browser and RPC helpers it reuses): a
running Odoo with the demo database and clientes_aduanas_whatsapp installed,
headless Chromium through the DevTools protocol. Creates (once) an account
with its templates and messages in each state on a demo customs file, as
Meta's API and webhook would have left them, and posts (once) a customer's
answer to the webhook, signed as Meta signs it.
Usage: screenshots_whatsapp.py --url URL --db DB --browser PATH --out DIR
"""

import hashlib
import hmac
import json
import time

from screenshots import capture, rpc, start

SECRET = "demo-secret"


def declaration_templates(session, url, account_id):
    """The selectivity channel and levante templates, set on the account."""
    if rpc(session, url, "whatsapp.template", "search", [("name", "=", "canal_asignado")]):
        return
    channel_id, release_id = rpc(
        session,
        url,
        "whatsapp.template",
        "create",
        [
            {
                "account_id": account_id,
                "name": "canal_asignado",
                "language": "es",
                "category": "UTILITY",
                "status": "APPROVED",
                "quality": "GREEN",
                "body": "{{1}}: a su expediente {{2}} la aduana le asignó canal {{3}}.",
                "param_count": 3,
            },
            {
                "account_id": account_id,
                "name": "levante",
                "language": "es",
                "category": "UTILITY",
                "status": "APPROVED",
                "quality": "GREEN",
                "body": "{{1}}: su expediente {{2}} obtuvo levante el {{3}}.",
                "param_count": 3,
            },
        ],
    )
    rpc(
        session,
        url,
        "whatsapp.account",
        "write",
        [account_id],
        {
            "channel_template_id": channel_id,
            "channel_template_params": "customer_name, file_reference, selectivity_channel",
            "release_template_id": release_id,
            "release_template_params": "customer_name, file_reference, release_date",
        },
    )


def customer_answer(session, url, partner_id):
    """A customer's answer through the webhook (what Meta posts): the
    customer's chatter gets the neutral note, the text stays in the
    message."""
    if rpc(session, url, "whatsapp.message", "search", [("partner_id", "=", partner_id), ("event", "=", "inbound")]):
        return
    [partner] = rpc(session, url, "res.partner", "read", [partner_id], ["notification_whatsapp"])
    numbers = [n.strip() for n in (partner["notification_whatsapp"] or "").split(",") if n.strip()]
    if not numbers:
        return
    body = json.dumps(
        {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": "203040506070",
                    "changes": [
                        {
                            "field": "messages",
                            "value": {
                                "metadata": {"phone_number_id": "109876543210"},
                                "messages": [
                                    {
                                        "from": numbers[0].lstrip("+"),
                                        "id": f"wamid.demo.in.{time.time_ns()}",
                                        "timestamp": str(int(time.time())),
                                        "type": "text",
                                        "text": {"body": "Gracias, ¿cuándo pasa el contenedor a almacén?"},
                                    }
                                ],
                            },
                        }
                    ],
                }
            ],
        }
    ).encode()
    signature = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    session.post(
        f"{url}/whatsapp/webhook",
        data=body,
        headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature},
        timeout=60,
    ).raise_for_status()


def demo_data(session, url):
    accounts = rpc(session, url, "whatsapp.account", "search", [("name", "=", "Agencia Lima")])
    if accounts:
        account_id = accounts[0]
    else:
        account_id = rpc(
            session,
            url,
            "whatsapp.account",
            "create",
            {
                "name": "Agencia Lima",
                "phone_number_id": "109876543210",
                "waba_id": "203040506070",
                "token": "EAAG-demo",
                "app_secret": SECRET,
            },
        )
        template_ids = rpc(
            session,
            url,
            "whatsapp.template",
            "create",
            [
                {
                    "account_id": account_id,
                    "name": "estado_expediente",
                    "language": "es",
                    "category": "UTILITY",
                    "status": "APPROVED",
                    "quality": "GREEN",
                    "body": "Hola {{1}}, su expediente {{2}} pasó a {{3}}.",
                    "param_count": 3,
                },
                {
                    "account_id": account_id,
                    "name": "factura_emitida",
                    "language": "es",
                    "category": "UTILITY",
                    "status": "APPROVED",
                    "quality": "UNKNOWN",
                    "body": "{{1}}: emitimos su factura {{2}} por {{3}}.",
                    "param_count": 3,
                },
                {
                    "account_id": account_id,
                    "name": "promocion_aduanas",
                    "language": "es_PE",
                    "category": "MARKETING",
                    "status": "PENDING",
                    "quality": "UNKNOWN",
                    "body": "Conozca nuestras tarifas {{1}}",
                    "param_count": 1,
                },
            ],
        )
        rpc(
            session,
            url,
            "whatsapp.account",
            "write",
            [account_id],
            {
                "state_template_id": template_ids[0],
                "state_template_params": "customer_name, file_reference, file_state",
            },
        )
    file_id = rpc(
        session, url, "ir.model.data", "check_object_reference", "clientes_aduanas", "customs_file_demo_andinas_import"
    )[1]
    [record] = rpc(session, url, "customs.file", "read", [file_id], ["name", "commercial_partner_id"])
    if not rpc(session, url, "whatsapp.message", "search", [("customs_file_id", "=", file_id)]):
        partner_id = record["commercial_partner_id"][0]
        [template_id] = rpc(session, url, "whatsapp.template", "search", [("name", "=", "estado_expediente")], limit=1)
        rows = [
            ("+51987650001", "read", {}),
            ("+51987650002", "delivered", {}),
            ("+51987650003", "sent", {}),
            ("+51987650004", "failed", {"error_code": "131026", "error_title": "(#131026) Message undeliverable"}),
            ("+51987650005", "queued", {}),
        ]
        rpc(
            session,
            url,
            "whatsapp.message",
            "create",
            [
                {
                    "account_id": account_id,
                    "partner_id": partner_id,
                    "customs_file_id": file_id,
                    "number": number,
                    "event": "customs_file_state_changed",
                    "template_id": template_id,
                    "params": ["Importaciones Andinas", record["name"], "En proceso"],
                    "body": f"Hola Importaciones Andinas, su expediente {record['name']} pasó a En proceso.",
                    "state": state,
                    "wamid": f"wamid.demo.{number}" if state != "queued" else False,
                    **extra,
                }
                for number, state, extra in rows
            ],
        )
    declaration_templates(session, url, account_id)
    customer_answer(session, url, record["commercial_partner_id"][0])
    return account_id, file_id, record["commercial_partner_id"][0]


def main():
    args, session = start()
    url = args.url
    account_id, file_id, partner_id = demo_data(session, url)

    files = f"{url}/odoo/action-clientes_aduanas.customs_file_action"
    screens = [
        (
            "whatsapp_account.png",
            f"{url}/odoo/action-clientes_aduanas_whatsapp.whatsapp_account_action/{account_id}",
            ".o_form_view .o_form_sheet",
            None,
        ),
        (
            "whatsapp_customs_file.png",
            f"{files}/{file_id}",
            ".o_field_widget[name='whatsapp_message_ids'] .o_data_row",
            "document.querySelector(\".o_notebook .nav-link[name='whatsapp']\").click()",
        ),
        (
            "whatsapp_send.png",
            f"{files}/{file_id}",
            ".modal .o_field_widget[name='template_id']",
            "document.querySelector(\".o_form_view button[name='action_whatsapp_send']\").click()",
        ),
        (
            "whatsapp_customer_chatter.png",
            f"{url}/odoo/res.partner/{partner_id}",
            ".o-mail-Message",
            # The chatter is below the form at this width.
            "document.querySelector('.o-mail-Chatter').scrollIntoView()",
        ),
        (
            "whatsapp_messages.png",
            f"{url}/odoo/action-clientes_aduanas_whatsapp.whatsapp_message_action",
            ".o_list_view .o_data_row",
            None,
        ),
    ]
    capture(args, session, screens, prefix="ca-wa-screenshots-", script_ready=".o_form_view .o_form_sheet")


if __name__ == "__main__":
    main()
