from odoo import api, fields, models

from .whatsapp_account import PLACEHOLDER


class WhatsappTemplate(models.Model):
    _name = "whatsapp.template"
    _description = "WhatsApp Message Template"
    _order = "name, language"

    name = fields.Char(required=True, readonly=True)
    account_id = fields.Many2one("whatsapp.account", required=True, ondelete="cascade", readonly=True, index=True)
    meta_id = fields.Char(string="Meta ID", readonly=True)
    language = fields.Char(required=True, readonly=True, help="Meta's language code, e.g. es or es_PE.")
    category = fields.Selection(
        [("MARKETING", "Marketing"), ("UTILITY", "Utility"), ("AUTHENTICATION", "Authentication")],
        readonly=True,
    )
    status = fields.Char(readonly=True, help="Meta's review status: APPROVED, PENDING, REJECTED, PAUSED...")
    quality = fields.Char(readonly=True, help="Meta's quality rating: GREEN, YELLOW, RED or UNKNOWN.")
    body = fields.Text(readonly=True)
    param_count = fields.Integer(string="Body Parameters", readonly=True)
    usable = fields.Boolean(
        compute="_compute_usable",
        store=True,
        help="Only approved templates whose quality is not red can be sent.",
    )

    _sql_constraints = [
        ("name_language_unique", "unique(account_id, name, language)", "A template exists once per language."),
    ]

    @api.depends("status", "quality")
    def _compute_usable(self):
        for template in self:
            template.usable = template.status == "APPROVED" and template.quality != "RED"

    @api.depends("name", "language")
    def _compute_display_name(self):
        for template in self:
            template.display_name = f"{template.name} ({template.language})"

    @api.model
    def _sync_from_meta(self, account, items):
        existing = {
            (t.name, t.language): t
            for t in self.with_context(active_test=False).search([("account_id", "=", account.id)])
        }
        to_create = []
        for item in items:
            body = next(
                (c.get("text") or "" for c in item.get("components") or [] if (c.get("type") or "").upper() == "BODY"),
                "",
            )
            quality = item.get("quality_score")
            vals = {
                "meta_id": str(item.get("id") or ""),
                "category": item.get("category")
                if item.get("category") in ("MARKETING", "UTILITY", "AUTHENTICATION")
                else False,
                "status": item.get("status") or "",
                "quality": (quality.get("score") if isinstance(quality, dict) else quality) or "UNKNOWN",
                "body": body,
                "param_count": len(set(PLACEHOLDER.findall(body))),
            }
            key = (item.get("name") or "", item.get("language") or "")
            if not all(key):
                continue
            if key in existing:
                existing[key].write(vals)
            else:
                to_create.append(dict(vals, account_id=account.id, name=key[0], language=key[1]))
        if to_create:
            self.create(to_create)
        return True

    def _render(self, values):
        """The body with {{n}} replaced by ``values[n-1]``."""
        self.ensure_one()
        return PLACEHOLDER.sub(
            lambda m: values[int(m.group(1)) - 1] if int(m.group(1)) <= len(values) else m.group(0), self.body or ""
        )
