import json
from datetime import timedelta

from odoo import api, fields, models


class DocumentLookupCache(models.Model):
    """Answers of the lookup providers, so that asking twice costs no request."""

    _name = "document.lookup.cache"
    _description = "Document Lookup Cache"
    _log_access = False

    code = fields.Char(required=True)
    number = fields.Char(required=True)
    provider_id = fields.Many2one("document.lookup.provider", ondelete="cascade")
    found = fields.Boolean()
    payload = fields.Json()
    fetched_at = fields.Datetime(required=True, default=fields.Datetime.now)

    _sql_constraints = [("code_number_uniq", "unique(code, number)", "One cached answer per document.")]

    @api.model
    def _get(self, code, number, ttl, not_found_ttl):
        entry = self.search([("code", "=", code), ("number", "=", number)], limit=1)
        if not entry:
            return None
        age = fields.Datetime.now() - entry.fetched_at
        if age > timedelta(seconds=ttl if entry.found else not_found_ttl):
            return None
        return {"found": entry.found, "payload": dict(entry.payload or {})}

    @api.model
    def _store(self, code, number, provider, found, payload):
        self.env.cr.execute(
            """INSERT INTO document_lookup_cache (code, number, provider_id, found, payload, fetched_at)
               VALUES (%s, %s, %s, %s, %s, now() at time zone 'utc')
               ON CONFLICT (code, number) DO UPDATE
                  SET provider_id = EXCLUDED.provider_id, found = EXCLUDED.found,
                      payload = EXCLUDED.payload, fetched_at = EXCLUDED.fetched_at""",
            [code, number, provider.id or None, found, json.dumps(payload)],
        )
        self.invalidate_model()
