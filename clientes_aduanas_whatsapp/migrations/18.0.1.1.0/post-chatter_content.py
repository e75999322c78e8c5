"""The WhatsApp notes 18.0.1.0 posted on customers carried the number and
the text of the message, and every internal user reads a customer's
chatter. The text now lives in ``whatsapp.message`` only (*Clientes: Ver*):
an inbound message becomes a ``whatsapp.message`` record, and each note is
rewritten as the neutral note this version posts, in the language it was
written in. Nothing is lost: the text moves, it is not dropped; a note that
does not match exactly is left alone."""

import html
import logging
import re

from markupsafe import Markup

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)

NUMBER = r"(\+\d{8,15})"
INBOUND = re.compile(rf"^<p>WhatsApp (from|de) {NUMBER}: (.*)</p>$", re.S)
OUTBOUND = re.compile(rf"^<p>WhatsApp (to|a) {NUMBER}: [^<]*<br>(.*)</p>$", re.S)
OPT_OUT = re.compile(rf"^<p>{NUMBER} (put on the phone blacklist|pasó a la lista negra de teléfonos): .*</p>$", re.S)
ENGLISH = {"from", "to", "put on the phone blacklist"}
NEUTRAL = {
    "inbound": ("WhatsApp message received from %s", "Mensaje de WhatsApp recibido de %s"),
    "sent": ("WhatsApp notification sent", "Notificación de WhatsApp enviada"),
    "failed": ("WhatsApp notification failed", "Notificación de WhatsApp fallida"),
    "opt_out": (
        "WhatsApp number %s asked not to receive messages and is on the phone blacklist",
        "El número de WhatsApp %s pidió no recibir más mensajes y está en la lista negra de teléfonos",
    ),
    "see": ("See the message", "Ver el mensaje"),
}


def neutral(key, english, *args):
    text = NEUTRAL[key][0 if english else 1]
    return text % args if args else text


def rewrite_notes(env):
    """Rewrite the customers' WhatsApp notes; returns how many."""
    from odoo.addons.clientes_aduanas_whatsapp.models.whatsapp_message import mask_number

    note = env.ref("mail.mt_note")
    notes = env["mail.message"].search(
        [
            ("model", "=", "res.partner"),
            ("subtype_id", "=", note.id),
            "|",
            ("body", "ilike", "WhatsApp"),
            "|",
            ("body", "ilike", "phone blacklist"),
            ("body", "ilike", "lista negra de tel"),
        ]
    )
    Account = env["whatsapp.account"].with_context(active_test=False)
    Partner = env["res.partner"].with_context(active_test=False)
    done = 0
    for message in notes:
        body = str(message.body or "")
        if match := INBOUND.match(body):
            word, number, text = match.groups()
            english = word in ENGLISH
            partner = Partner.browse(message.res_id).exists()
            account = Account.search([("company_id", "in", [partner.company_id.id or env.company.id])], limit=1)
            account = account or Account.search([], limit=1)
            if not (partner and account):
                continue
            record = env["whatsapp.message"].create(
                {
                    "account_id": account.id,
                    "partner_id": partner.id,
                    "number": number,
                    "event": "inbound",
                    "state": "received",
                    "body": html.unescape(text),
                    "sent_date": message.date,
                }
            )
            new = Markup("<p>%s (%s)</p>") % (
                neutral("inbound", english, mask_number(number)),
                record._get_html_link(title=neutral("see", english)),
            )
        elif match := OUTBOUND.match(body):
            word, _number, rest = match.groups()
            english = word in ENGLISH
            new = Markup("<p>%s</p>") % neutral("failed" if "<br>Error " in rest else "sent", english)
        elif match := OPT_OUT.match(body):
            number, words = match.groups()
            new = Markup("<p>%s</p>") % neutral("opt_out", words in ENGLISH, mask_number(number))
        else:
            continue
        message.write({"body": new})
        done += 1
    return done


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    done = rewrite_notes(env)
    _logger.info("WhatsApp: %s customer notes rewritten without their content", done)
