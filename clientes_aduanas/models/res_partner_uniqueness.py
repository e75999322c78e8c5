"""res.partner: what makes two registered customers the same one.

The e-mail and the document number are compared through stored key fields
computed by the same normalisers the rules use (tools/), and PostgreSQL's
partial unique indexes are built on those keys: no path can store a duplicate
the check in Python would not see. Index definitions are versioned in the
index comment, so an upgrade replaces an index whose definition changed.
"""

import contextlib
import contextvars
import hashlib
import logging

import psycopg2
from psycopg2 import errors as pg_errors

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL
from odoo.tools.sql import create_index, index_exists

from ..tools import contact_channel as ch
from ..tools import document_number as dn

_logger = logging.getLogger(__name__)

EMAIL_INDEX = "res_partner_registered_customer_email_uniq"
DOCUMENT_INDEX = "res_partner_registered_customer_document_uniq"
OPERATIONS_CONTACT_INDEX = "res_partner_operations_contact_uniq"
# Pending list of the search box's trigram indexes, in kB (PostgreSQL's
# default is 4096).
GIN_PENDING_LIST_KB = 256
# name -> (columns, condition). Only registered customers have keys, so
# installing on a database full of ordinary duplicate partners works; contacts
# can never be registered customers; suspended customers (archived) keep their
# keys: a new customer must not reuse their e-mail or document.
UNIQUE_INDEXES = {
    EMAIL_INDEX: ("customer_email_key", "customer_email_key IS NOT NULL"),
    DOCUMENT_INDEX: (
        "customer_vat_key, l10n_latam_identification_type_id",
        "customer_vat_key IS NOT NULL",
    ),
    OPERATIONS_CONTACT_INDEX: ("parent_id", "is_operations_contact AND parent_id IS NOT NULL AND active"),
}
# Set while _customer_unique_guard runs a create/write (per thread: a context
# variable).
_IN_UNIQUE_GUARD = contextvars.ContextVar("clientes_aduanas_unique_guard", default=False)


class _GuardedViolationFilter(logging.Filter):
    """Drops odoo.sql_db's "bad query" ERROR of a violation of the indexes
    above met inside _customer_unique_guard, which turns it into the user's
    message (two users registering the same customer at once: the second
    INSERT waits on the index, then fails). Any other failed query is logged
    as before. A filter installed once rather than ``mute_logger``: that one
    swaps the logger's handlers for the whole process, and two threads
    entering it at once can leave odoo.sql_db silent for good."""

    def filter(self, record):
        if not _IN_UNIQUE_GUARD.get() or not isinstance(record.args, tuple) or not record.args:
            return True
        error = record.args[-1]
        return not (
            isinstance(error, pg_errors.UniqueViolation | pg_errors.ExclusionViolation)
            and error.diag.constraint_name in UNIQUE_INDEXES
        )


_sql_logger = logging.getLogger("odoo.sql_db")
if not any(type(existing).__name__ == _GuardedViolationFilter.__name__ for existing in _sql_logger.filters):
    _sql_logger.addFilter(_GuardedViolationFilter())

# Writing one of these may hit one of the unique indexes above.
UNIQUE_INDEX_FIELDS = frozenset(
    {
        "email",
        "vat",
        "l10n_latam_identification_type_id",
        "is_registered_customer",
        "is_operations_contact",
        "parent_id",
        "active",
    }
)


def index_version(columns, condition):
    """Comment stored on each index: the definition it was built from."""
    digest = hashlib.sha1(f"{columns} WHERE {condition}".encode()).hexdigest()[:12]
    return f"clientes_aduanas {digest}"


class ResPartner(models.Model):
    # Split by concern on purpose (see res_partner.py).
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    customer_email_key = fields.Char(
        string="E-mail Key",
        compute="_compute_customer_keys",
        store=True,
        copy=False,
        help="Normalised e-mail of a registered customer: what the unique index compares.",
    )
    customer_vat_key = fields.Char(
        string="Document Key",
        compute="_compute_customer_keys",
        store=True,
        copy=False,
        help="Normalised document number of a registered customer: what the unique index compares.",
    )

    @api.depends("is_registered_customer", "email", "vat", "l10n_latam_identification_type_id.customs_document_code")
    def _compute_customer_keys(self):
        for partner in self:
            if partner.is_registered_customer:
                partner.customer_email_key = ch.email_key(partner.email)
                code = partner.l10n_latam_identification_type_id.customs_document_code
                partner.customer_vat_key = dn.key(code, partner.vat) if partner.vat else False
            else:
                partner.customer_email_key = partner.customer_vat_key = False

    # ------------------------------------------------------------------
    # Database guarantees
    # ------------------------------------------------------------------
    def _auto_init(self):
        res = super()._auto_init()
        cr = self.env.cr
        # After every model's columns exist, and the new keys are computed.
        self.pool.post_init(self._customer_setup_unique_indexes)
        # Exact e-mail look-ups (import matching, RPC searches on
        # email_normalized) must not scan the partner table.
        if not index_exists(cr, "res_partner_lower_email_idx"):
            cr.execute("CREATE INDEX res_partner_lower_email_idx ON res_partner (lower(btrim(email)))")
        if not index_exists(cr, "res_partner_email_normalized_idx"):
            cr.execute("CREATE INDEX res_partner_email_normalized_idx ON res_partner (email_normalized)")
        # The Clientes search box looks for ilike '%text%' in the name, the
        # document number and the e-mail: trigram indexes, partial so that
        # writing ordinary partners pays nothing (the list's domain has
        # is_registered_customer = true, which lets PostgreSQL use them).
        if self.env.registry.has_trigram:
            names = [f"res_partner_customer_{column}_trgm_idx" for column in ("complete_name", "vat", "email")]
            for name, column in zip(names, ("complete_name", "vat", "email"), strict=True):
                create_index(
                    cr, name, self._table, [f"{column} gin_trgm_ops"], method="gin", where="is_registered_customer"
                )
            # A GIN index keeps new entries in a pending list that every
            # search reads through until (auto)vacuum merges it: up to 4 MB
            # after an import, which made each search several times slower.
            # A small list bounds that cost and keeps inserts batched.
            cr.execute(
                "SELECT relname FROM pg_class WHERE relname = ANY(%s) AND NOT coalesce(reloptions, '{}') @> %s",
                [names, [f"gin_pending_list_limit={GIN_PENDING_LIST_KB}"]],
            )
            for (name,) in cr.fetchall():
                cr.execute(
                    SQL("ALTER INDEX %s SET (gin_pending_list_limit = %s)", SQL.identifier(name), GIN_PENDING_LIST_KB)
                )
        return res

    def _customer_setup_unique_indexes(self):
        """Create (or replace, when its definition changed) each unique index.
        Duplicates already stored are reported to the administrator and the
        index is left out: the upgrade never fails on data Odoo accepted."""
        self.flush_model(["customer_email_key", "customer_vat_key"])
        cr = self.env.cr
        for name, (columns, condition) in UNIQUE_INDEXES.items():
            version = index_version(columns, condition)
            cr.execute(SQL("SELECT obj_description(to_regclass(%s), 'pg_class')", name))
            if cr.fetchone()[0] == version:
                continue
            cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(name)))
            cr.execute(
                SQL(
                    "SELECT array_agg(id ORDER BY id) FROM res_partner WHERE %s GROUP BY %s HAVING count(*) > 1",
                    SQL(condition),
                    SQL(columns),
                )
            )
            duplicates = [row[0] for row in cr.fetchall()]
            if duplicates:
                self._customer_report_duplicates(name, duplicates)
                continue
            cr.execute(
                SQL(
                    "CREATE UNIQUE INDEX %s ON res_partner (%s) WHERE %s",
                    SQL.identifier(name),
                    SQL(columns),
                    SQL(condition),
                )
            )
            cr.execute(SQL("COMMENT ON INDEX %s IS %s", SQL.identifier(name), version))

    def _customer_report_duplicates(self, index_name, groups):
        # Written in Spanish on purpose: the administrator reads it in the
        # server log and in Ajustes > Técnico > Registros, where no user
        # language applies at upgrade time.
        lines = []
        Partner = self.with_context(active_test=False)
        for ids in groups[:20]:
            names = ", ".join(f"{p.display_name} (id {p.id})" for p in Partner.browse(ids))
            lines.append(f"- {names}")
        message = (
            f"clientes_aduanas: no se creó el índice único {index_name} porque {len(groups)} grupo(s) de "
            "clientes registrados comparten el mismo valor. Corrija o combine estos clientes y vuelva a "
            "actualizar el módulo:\n" + "\n".join(lines)
        )
        _logger.warning(message)
        self.env["ir.logging"].sudo().create(
            {
                "name": "clientes_aduanas",
                "type": "server",
                "dbname": self.env.cr.dbname,
                "level": "WARNING",
                "message": message,
                "path": __name__,
                "func": "_customer_setup_unique_indexes",
                "line": "0",
            }
        )

    # ------------------------------------------------------------------
    # Duplicate checks (one query per batch)
    # ------------------------------------------------------------------
    @api.model
    def _find_duplicate_customers(self, vals_list, exclude_ids=()):
        """Existing registered customers (suspended included) sharing the
        e-mail or the document type and number of each values dict.

        One query for the whole batch. Returns a list, aligned with
        ``vals_list``, of ``(field_name, partner)`` or ``False``.
        """
        self.flush_model(["customer_email_key", "customer_vat_key", "l10n_latam_identification_type_id"])
        matches = self._match_registered_customers(self.env.cr, vals_list, exclude_ids)
        Partner = self.sudo().with_context(active_test=False)
        return [match and (match[0], Partner.browse(match[1])) for match in matches]

    @api.model
    def _match_registered_customers_query(self, emails, vats, exclude_ids=()):
        # Two arms rather than one OR: with thousands of values PostgreSQL
        # scans the table for the OR, while each arm keeps its index. The
        # IS NOT NULL repeats the partial indexes' condition: the planner does
        # not infer it from "= ANY" of more than 100 values.
        return SQL(
            """SELECT id, customer_email_key, l10n_latam_identification_type_id, customer_vat_key
                 FROM res_partner
                WHERE customer_email_key IS NOT NULL AND customer_email_key = ANY(%(emails)s)
                  AND id != ALL(%(exclude)s)
                UNION
               SELECT id, customer_email_key, l10n_latam_identification_type_id, customer_vat_key
                 FROM res_partner
                WHERE customer_vat_key IS NOT NULL AND customer_vat_key = ANY(%(vats)s)
                  AND id != ALL(%(exclude)s)
             ORDER BY id""",
            emails=list(emails),
            vats=list(vats),
            exclude=list(exclude_ids),
        )

    @api.model
    def _customer_keys(self, vals_list):
        """``(email key, (type id, document key))`` of each values dict,
        computed as the stored key fields are."""
        codes = self.env["l10n_latam.identification.type"]._customs_document_codes()
        keys = []
        for vals in vals_list:
            type_id = vals.get("l10n_latam_identification_type_id") or False
            vat = vals.get("vat")
            vat_key = (dn.key(codes.get(type_id), vat) if vat else False) or ""
            keys.append((ch.email_key(vals.get("email")) or "", (type_id, vat_key)))
        return keys

    @api.model
    def _customer_set_keys(self, vals_list):
        """Put the stored keys in the create values of registered customers
        (what _compute_customer_keys would compute right after)."""
        for vals, (email, (_type_id, vat)) in zip(vals_list, self._customer_keys(vals_list), strict=True):
            vals["customer_email_key"] = email or False
            vals["customer_vat_key"] = vat or False

    @api.model
    def _match_registered_customers(self, cr, vals_list, exclude_ids=()):
        """The query behind :meth:`_find_duplicate_customers`, on any cursor
        (also one that sees what other transactions have just committed).
        Returns, aligned with ``vals_list``, ``(field_name, partner_id)`` or
        ``False``; the document wins over the e-mail."""
        all_keys = self._customer_keys(vals_list)
        emails = {email for email, _document in all_keys} - {""}
        vats = {document[1] for _email, document in all_keys} - {""}
        if not emails and not vats:
            return [False] * len(vals_list)
        cr.execute(self._match_registered_customers_query(emails, vats, exclude_ids))
        by_email, by_document = {}, {}
        for partner_id, email, type_id, vat in cr.fetchall():
            if email:
                by_email.setdefault(email, partner_id)
            if vat:
                by_document.setdefault((type_id or False, vat), partner_id)
        result = []
        for email, document in all_keys:
            if document[1] and document in by_document:
                result.append(("vat", by_document[document]))
            elif email and email in by_email:
                result.append(("email", by_email[email]))
            else:
                result.append(False)
        return result

    @api.model
    def _duplicate_message(self, field_name, partner):
        """Spec 000's "Ya existe un cliente con ese email: <name>"; ``partner``
        is a record or, from another transaction, its name."""
        name = partner if isinstance(partner, str) else partner.display_name
        if field_name == "email":
            return self.env._("A customer with this e-mail already exists: %(name)s", name=name)
        return self.env._("A customer with this document type and number already exists: %(name)s", name=name)

    @api.model
    def _check_customer_duplicates(self, vals_list, exclude_ids=()):
        """Refuse values that repeat, among themselves or against the
        database, the e-mail or the document of a registered customer. One
        query per batch, before writing, so the message can name the
        existing customer; the unique indexes remain the guarantee against
        concurrent transactions."""
        seen_email, seen_document = set(), set()
        for email, document in self._customer_keys(vals_list):
            if email and email in seen_email:
                raise ValidationError(
                    self.env._("Two customers in the same operation share the e-mail %(email)s.", email=email)
                )
            if document[1] and document in seen_document:
                raise ValidationError(
                    self.env._("Two customers in the same operation share the document %(vat)s.", vat=document[1])
                )
            seen_email.add(email)
            seen_document.add(document)
        for duplicate in self._find_duplicate_customers(vals_list, exclude_ids=exclude_ids):
            if duplicate:
                raise ValidationError(self._duplicate_message(*duplicate))

    # ------------------------------------------------------------------
    # Unique violations (another transaction won the race)
    # ------------------------------------------------------------------
    @contextlib.contextmanager
    def _customer_unique_guard(self, vals_list, registered_vals=None, exclude_ids=(), ordinary=False):
        """Run a create/write; a unique index it hits becomes a clear
        message. A savepoint only when the values can hit one: for
        ``ordinary`` partners (not registered customers, not becoming one)
        only the operations-contact index can be hit, the key indexes hold
        registered customers only."""
        if ordinary:
            can_hit = self._customer_may_hit_operations_contact_index(vals_list)
        else:
            can_hit = any(UNIQUE_INDEX_FIELDS.intersection(vals) for vals in vals_list)
        if not can_hit:
            yield
            return
        token = _IN_UNIQUE_GUARD.set(True)
        try:
            # The violation becomes the user's message below: not an ERROR
            # with the whole query in the server log (_GuardedViolationFilter).
            with self.env.cr.savepoint():
                yield
        except (pg_errors.UniqueViolation, pg_errors.ExclusionViolation) as exc:
            self._raise_friendly_unique_violation(exc, registered_vals, exclude_ids)
        finally:
            _IN_UNIQUE_GUARD.reset(token)

    def _customer_may_hit_operations_contact_index(self, vals_list):
        """Whether creating (``self`` empty) or writing ``vals_list`` on
        ordinary partners may hit the one index they can: a second main
        operations contact of one customer."""
        for vals in vals_list:
            if vals.get("is_operations_contact"):
                return True
            if self and ("parent_id" in vals or vals.get("active")) and any(self.mapped("is_operations_contact")):
                return True
        return False

    def _committed_duplicate_name(self, field_name, vals_list, exclude_ids=()):
        """Name of the customer another transaction has just committed with
        the same e-mail or document. This transaction cannot see it (Odoo
        cursors read a REPEATABLE READ snapshot), so a fresh, short-lived
        cursor asks; on any database trouble the caller falls back to a
        message without the name."""
        try:
            with self.env.registry.cursor() as cr:
                matches = [m for m in self._match_registered_customers(cr, vals_list, exclude_ids) if m]
                ids = [m[1] for m in matches if m[0] == field_name] or [m[1] for m in matches]
                if not ids:
                    return None
                cr.execute("SELECT complete_name FROM res_partner WHERE id = %s", [ids[0]])
                row = cr.fetchone()
                return row and row[0]
        except psycopg2.Error:
            _logger.warning("Could not name the customer behind a duplicate", exc_info=True)
            return None

    def _raise_friendly_unique_violation(self, exc, vals_list=None, exclude_ids=()):
        constraint = exc.diag.constraint_name
        if constraint in (EMAIL_INDEX, DOCUMENT_INDEX) and vals_list:
            field_name = "email" if constraint == EMAIL_INDEX else "vat"
            name = self._committed_duplicate_name(field_name, vals_list, exclude_ids)
            if name:
                raise ValidationError(self._duplicate_message(field_name, name)) from exc
        if constraint == EMAIL_INDEX:
            raise ValidationError(
                self.env._(
                    "A customer with this e-mail already exists (it may have just been registered by another user)."
                )
            ) from exc
        if constraint == DOCUMENT_INDEX:
            raise ValidationError(
                self.env._(
                    "A customer with this document type and number already exists "
                    "(it may have just been registered by another user)."
                )
            ) from exc
        if constraint == OPERATIONS_CONTACT_INDEX:
            raise ValidationError(self.env._("A customer can have only one main operations contact.")) from exc
        raise exc
