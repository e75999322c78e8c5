"""SUNAT status of Peruvian customers: set by the lookup button and, for
every registered customer at once, by each load of the offline padrón."""

import html
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import document_number as dn
from ..tools import sunat_status
from .res_partner import VIEW_GROUP
from .res_partner_sunat_status import PARTNER_FIELDS

ABSENT_EXAMPLES = 20
# Above this many new activities for one user in one padrón check, one e-mail
# lists them instead of Odoo's e-mail per activity: a load can make thousands
# of customers observed at once, and the check's queries must not grow with
# them.
ACTIVITY_MAIL_LIMIT = 1
# Customers named in that e-mail (the rest are in the user's activities).
ACTIVITY_MAIL_NAMES = 20
# Above this many new activities in one check (the first load after
# installing makes a third of the customers observed at once), they are
# inserted in SQL: mail.activity's create, even of one list, costs 3 to 7 ms a
# record (default values, the note's sanitising, followers), which would put
# a 100,000-customer check far beyond 10 s.
ACTIVITY_ORM_LIMIT = 500
CHECK_TABLE = "clientes_aduanas_sunat_check"
# Set only by the lookup and the padrón check, never by a caller's values.
SUNAT_STATUS_FIELDS = frozenset(PARTNER_FIELDS)
# Tracked in the chatter by _sunat_set_status.
SUNAT_TRACKED_FIELDS = ("sunat_taxpayer_state", "sunat_taxpayer_condition")


def _q(query, table=None, **params):
    """``query`` with the check table (and the padrón ``table``) as identifiers."""
    return SQL(query, check=SQL.identifier(CHECK_TABLE), padron=SQL.identifier(table or CHECK_TABLE), **params)


def _sql_escape(column):
    """SQL expression HTML-escaping the check table's ``column`` (padrón
    text is not trusted)."""
    return SQL(
        "replace(replace(replace(coalesce(%s, '-'), '&', '&amp;'), '<', '&lt;'), '>', '&gt;')",
        SQL.identifier("c", column),
    )


def _markers(names):
    # Built outside the translation call: the string extractor cannot read f-strings.
    return {name: f"\x01{name}\x01" for name in names}


def _sql_template(text, names):
    """A PostgreSQL format() template from a translated message: ``text``
    was rendered with ``\\x01name\\x01`` markers, each becoming a
    positional argument (in the order of ``names``)."""
    text = html.escape(text, quote=False).replace("%", "%%")
    for position, name in enumerate(names, start=1):
        text = text.replace(f"\x01{name}\x01", f"%{position}$s")
    return text


def _status_field(field_type, **kwargs):
    """A partner field showing the column of its SUNAT status row named as
    the field without ``sunat_``, readonly and searchable."""

    def search(partners, operator, value):
        return partners._sunat_search_status(PARTNER_FIELDS[field.name], operator, value)

    field = field_type(
        compute="_compute_sunat_status", compute_sudo=True, search=search, readonly=True, copy=False, **kwargs
    )
    return field


class ResPartner(models.Model):
    # The partner is split by concern, as the house rules ask.
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # The status lives in res.partner.sunat.status (see there why): these
    # fields show it, search it, and are set only by _sunat_set_status (and
    # the padrón check). They are tracked by that writer, not by
    # ``tracking=True``: mail.thread would read them before every partner
    # write, a query more for each ordinary partner.
    sunat_taxpayer_state = _status_field(
        fields.Char,
        string="SUNAT Status",
        help="Estado del contribuyente at SUNAT (ACTIVO, BAJA DE OFICIO, SUSPENSIÓN TEMPORAL...), "
        "from the lookup button or the daily padrón check.",
    )
    sunat_taxpayer_condition = _status_field(
        fields.Char,
        string="SUNAT Address Condition",
        help="Condición del domicilio fiscal at SUNAT (HABIDO, NO HABIDO, NO HALLADO...).",
    )
    sunat_observed = _status_field(
        fields.Boolean,
        string="Observed by SUNAT",
        help="SUNAT does not report this taxpayer as ACTIVO and HABIDO: its invoices and detracciones are at risk.",
    )
    sunat_status_date = _status_field(
        fields.Datetime,
        string="SUNAT Status Set On",
        help="When the status last changed or was confirmed by the lookup button.",
    )
    sunat_checked_on = fields.Datetime(
        string="SUNAT Checked On",
        compute="_compute_sunat_checked_on",
        help="When the status was last checked: by the lookup button or by the last padrón load.",
        groups=VIEW_GROUP,
    )
    sunat_source = _status_field(
        fields.Char,
        string="SUNAT Source",
        help="Where the status comes from: the offline padrón or the lookup provider used.",
    )
    sunat_from_padron = _status_field(fields.Boolean, string="From the SUNAT Padrón")
    sunat_absent = _status_field(
        fields.Boolean,
        string="Not in the SUNAT Padrón",
        help="The RUC was not found in the last padrón loaded.",
        groups=VIEW_GROUP,
    )
    sunat_data_differs = _status_field(
        fields.Boolean,
        string="SUNAT Data Differs",
        help="The name or address in the padrón differ from the customer's: review them with "
        "'Review SUNAT data' (nothing is changed without you).",
        groups=VIEW_GROUP,
    )

    def _compute_sunat_status(self):
        statuses = (
            self.env["res.partner.sunat.status"]
            .sudo()
            .search_fetch([("partner_id", "in", self._origin.ids)], ["partner_id", *PARTNER_FIELDS.values()])
        )
        by_partner = {status.partner_id.id: status for status in statuses}
        for partner in self:
            status = by_partner.get(partner._origin.id)
            for name, column in PARTNER_FIELDS.items():
                partner[name] = status[column] if status else False

    @api.model
    def _sunat_search_status(self, column, operator, value):
        """Domain of the partners whose status row matches ``column operator
        value``; a partner without a row has every value empty."""
        statuses = self.env["res.partner.sunat.status"].sudo()
        matching = statuses._search([(column, operator, value)])
        domain = [("id", "in", matching.subselect("partner_id"))]
        if statuses.new({}).filtered_domain([(column, operator, value)]):
            domain = ["|", ("id", "not in", statuses._search([]).subselect("partner_id")), *domain]
        return domain

    @api.depends(*PARTNER_FIELDS)
    def _compute_sunat_checked_on(self):
        # A padrón check only writes the customers whose status changed: the
        # others were checked at that load too (no write of every customer
        # each day).
        last_load = self.env["sunat.padron.load"].sudo()._last_check_date()
        for partner in self:
            checked = partner.sunat_status_date
            if partner.sunat_from_padron and not partner.sunat_absent and last_load:
                checked = max(checked, last_load) if checked else last_load
            partner.sunat_checked_on = checked

    # ------------------------------------------------------------------
    # Pipeline steps (called by res_partner.py's create / write)
    # ------------------------------------------------------------------
    @api.model
    def _sunat_create_vals(self, vals_list):
        """Create step: the values without the SUNAT status (no column of
        the partner), and {index: status} of the rows that sent one, for
        :meth:`_sunat_after_create`."""
        sent = {
            index: self._sunat_sent_status(vals)
            for index, vals in enumerate(vals_list)
            if SUNAT_STATUS_FIELDS.intersection(vals)
        }
        if not sent:
            return vals_list, sent
        return [self._sunat_without_status(vals) for vals in vals_list], sent

    def _sunat_after_create(self, sent):
        """Create step, after the ORM: the status each new partner was sent
        with (``sent`` from :meth:`_sunat_create_vals`)."""
        lookups, by_status = self.browse(), {}
        for index, status in sent.items():
            if status is None:
                lookups |= self[index]
            else:
                key = tuple(sorted(status.items()))
                by_status[key] = by_status.get(key, self.browse()) | self[index]
        for status, partners in by_status.items():
            partners._sunat_save_status(dict(status))
        lookups._sunat_save_status(None, lookup=True)

    def _sunat_write_vals(self, vals):
        """Write step: ``vals`` without the SUNAT status, and what
        :meth:`_sunat_after_write` does once the partners are written:
        ``status`` to set (the system's own values, or the reset of a new
        document number: the status belongs to the old one), ``lookup``
        (a status sent by anyone else, taken again from the lookup) and
        ``cleared``, the status the reset clears {customer id: (estado,
        condición)}."""
        pending = {"status": None, "lookup": False, "cleared": {}}
        if SUNAT_STATUS_FIELDS.intersection(vals):
            pending["status"] = self._sunat_sent_status(vals)
            pending["lookup"] = pending["status"] is None
            vals = self._sunat_without_status(vals)
        if "vat" in vals:
            new_vat = dn.normalize(vals["vat"]) if isinstance(vals["vat"], str) else vals["vat"]
            if any(partner.vat and partner.vat != new_vat for partner in self):
                pending["status"] = {**self._sunat_reset_vals(), **(pending["status"] or {})}
                for partner in self.filtered("is_registered_customer"):
                    previous = (partner.sunat_taxpayer_state, partner.sunat_taxpayer_condition)
                    if sunat_status.status_changed(previous, (False, False)):
                        pending["cleared"][partner.id] = previous
        return vals, pending

    def _sunat_after_write(self, pending):
        """Write step, after the ORM: the status of ``pending``
        (:meth:`_sunat_write_vals`), ``sunat_status_changed`` for the
        customers whose status the write cleared (a new RUC; once: the
        status a lookup then records for the new number is a first one),
        then the status of the lookups saved with the write."""
        cleared = pending["cleared"]
        self._sunat_save_status(pending["status"])
        customers = cleared and self.browse(list(cleared)).filtered("is_registered_customer")
        if customers:
            customers._customer_event("sunat_status_changed", previous={pid: cleared[pid] for pid in customers.ids})
        self._sunat_save_status(None, lookup=pending["lookup"])

    def _sunat_save_status(self, status, lookup=False):
        """The status a create / write was saved with: ``status`` as given,
        then, with ``lookup``, what the lookup's cache holds for each
        partner's number."""
        if status:
            self._sunat_set_status(status)
        if lookup:
            for partner in self:
                partner._sunat_record_lookup(partner.customs_document_code, partner.vat)

    @api.model
    def _sunat_sent_status(self, vals):
        """The status in ``vals`` when the system sent it, else None: only
        the lookup and the padrón set it. A form saves what its lookup showed
        (force_save), which any RPC caller could forge; that status is taken
        again from the lookup's own cached answer instead."""
        if not self.env.su:
            return None
        return {name: value for name, value in vals.items() if name in SUNAT_STATUS_FIELDS}

    @api.model
    def _sunat_without_status(self, vals):
        return {name: value for name, value in vals.items() if name not in SUNAT_STATUS_FIELDS}

    @api.model
    def _sunat_reset_vals(self):
        return dict.fromkeys(SUNAT_STATUS_FIELDS - {"sunat_observed"}, False)

    def _sunat_set_status(self, vals):
        """The one writer of the SUNAT status besides the padrón check's SQL:
        ``vals`` (partner field names) on each partner's status row, made
        when there is something to keep. The estado and condición changes
        are tracked in the chatter, as a write of the partner would."""
        partners = self.filtered("id")
        columns = {PARTNER_FIELDS[name]: value for name, value in vals.items() if name != "sunat_observed"}
        if not partners or not columns:
            return
        statuses = self.env["res.partner.sunat.status"].sudo()
        tracked_columns = [PARTNER_FIELDS[name] for name in SUNAT_TRACKED_FIELDS]
        existing = statuses.search_fetch([("partner_id", "in", partners.ids)], ["partner_id", *tracked_columns])
        # Nothing to keep is no row (a new RUC of a partner never looked up).
        missing = set(partners.ids) - set(existing.partner_id.ids) if any(columns.values()) else set()
        if not (existing or missing):
            return
        initial = {partner_id: dict.fromkeys(SUNAT_TRACKED_FIELDS, False) for partner_id in partners.ids}
        for status in existing:
            initial[status.partner_id.id] = {
                name: status[column] for name, column in zip(SUNAT_TRACKED_FIELDS, tracked_columns, strict=True)
            }
        existing.write(columns)
        statuses.create([{"partner_id": partner_id, **columns} for partner_id in sorted(missing)])
        partners.invalidate_recordset([*SUNAT_STATUS_FIELDS, "sunat_checked_on"])
        context = self.env.context
        track = not (context.get("tracking_disable") or context.get("mail_notrack"))
        if track:
            tracked = partners.fields_get(SUNAT_TRACKED_FIELDS, attributes=("string", "type", "selection"))
            for partner in partners.sudo():
                _changes, tracking_values = partner._mail_track(tracked, initial[partner.id])
                if tracking_values:
                    partner._message_log(tracking_value_ids=tracking_values)

    # ------------------------------------------------------------------
    # Lookup button: the status found is recorded (master data go through
    # the comparison wizard, the status does not: it is SUNAT's, not ours)
    # ------------------------------------------------------------------
    def _sunat_record_lookup(self, code, number):
        """Record the SUNAT status of the lookup just made for ``number``
        (its answer is in the cache)."""
        if code != dn.PE_RUC or not number:
            return
        provider_model = self.env["document.lookup.provider"]
        entry = self.env["document.lookup.cache"].sudo()._get(code, number, *provider_model._cache_ttl())
        payload = entry and entry["found"] and entry["payload"]
        if not payload or not (payload.get("taxpayer_state") or payload.get("taxpayer_condition")):
            return
        provider = provider_model.sudo().browse(payload.get("provider_id")).exists()
        vals = {
            "sunat_taxpayer_state": payload.get("taxpayer_state") or False,
            "sunat_taxpayer_condition": payload.get("taxpayer_condition") or False,
            "sunat_status_date": fields.Datetime.now(),
            "sunat_source": payload.get("provider") or False,
            "sunat_from_padron": provider.kind == "sunat_padron",
            "sunat_absent": False,
        }
        if isinstance(self.id, models.NewId):
            # A form being edited: saved with it (force_save in the views).
            self.update(vals)
        else:
            previous = (self.sunat_taxpayer_state, self.sunat_taxpayer_condition)
            # After the caller's own permission check (the lookup button
            # needs the edit permission).
            self._sunat_set_status(vals)
            if self.is_registered_customer and sunat_status.status_changed(
                previous, (vals["sunat_taxpayer_state"], vals["sunat_taxpayer_condition"])
            ):
                self._customer_event("sunat_status_changed", previous={self.id: previous})

    def action_lookup_document(self):
        action = super().action_lookup_document()
        if action.get("res_model") == "document.lookup.wizard":
            self._sunat_record_lookup(self.customs_document_code, self.vat)
        return action

    @api.onchange("document_lookup_request")
    def _onchange_document_lookup_request(self):
        requested = self.document_lookup_request
        result = super()._onchange_document_lookup_request()
        if requested:
            self._sunat_record_lookup(self.customs_document_code, self.vat)
        return result

    def action_review_sunat_data(self):
        """Compare the customer with its padrón row in the lookup wizard:
        only what the user ticks is written."""
        self.ensure_one()
        action = self.with_context(document_lookup_kind="sunat_padron").action_lookup_document()
        if action.get("res_model") == "document.lookup.wizard":
            self.env["document.lookup.wizard"].browse(action["res_id"]).sunat_review = True
        return action

    # ------------------------------------------------------------------
    # Operations: a customer observed by SUNAT
    # ------------------------------------------------------------------
    def _sunat_observed_message(self):
        partner = self.commercial_partner_id
        return self.env._(
            "SUNAT reports %(name)s as %(state)s / %(condition)s (not ACTIVO / HABIDO): its invoices and "
            "detracciones are at risk.",
            name=partner.display_name,
            state=partner.sunat_taxpayer_state or "-",
            condition=partner.sunat_taxpayer_condition or "-",
        )

    def _sunat_operation_warning(self, company=None):
        """Onchange warning for a document of ``company`` (default: the
        user's current one) made for this partner, or None."""
        partner = self.sudo().commercial_partner_id
        if len(partner) != 1 or not partner.sunat_observed:
            return None
        message = self.sudo()._sunat_observed_message()
        if (company or self.env.company).sunat_refuse_observed:
            message += "\n" + self.env._("This company does not allow new operations for such customers.")
        return {"warning": {"title": self.env._("Customer observed by SUNAT"), "message": message}}

    def _check_can_be_used_in_operation(self, company=None):
        res = super()._check_can_be_used_in_operation(company=company)
        if (company or self.env.company).sunat_refuse_observed:
            commercial = self.sudo().with_context(active_test=False).commercial_partner_id
            observed = commercial.filtered("sunat_observed")
            if observed:
                raise UserError(
                    observed[0]._sunat_observed_message()
                    + "\n"
                    + self.env._("This company does not allow new operations for such customers.")
                )
        return res

    # ------------------------------------------------------------------
    # Padrón check: every registered Peruvian customer at once
    # ------------------------------------------------------------------
    @api.model
    def _sunat_alert_user_id(self):
        """Who gets the activity of a customer without salesperson."""
        user = self.env.company.sunat_alert_user_id
        if not user and not self.env.user._is_superuser():
            user = self.env.user
        if not user:
            user = self.env.ref("clientes_aduanas.clientes_aduanas_group_manager").users.filtered("active")[:1]
        return (user or self.env.ref("base.user_admin")).id

    @api.model
    def _sunat_check_against_padron(self, table, provider):
        """Compare every registered customer with a RUC with the padrón in
        ``table`` in set-based SQL: status written where it changed, a
        chatter note with before/after, an activity when a customer becomes
        observed (once), absent RUCs and differing master data flagged.
        Name and address are never written here. Returns the summary dict.

        The comparison and the status rows stay in SQL: one statement for up
        to every customer, where the ORM would write row by row for minutes;
        the status is SUNAT's, readonly and set by no user. The rows are
        those of res.partner.sunat.status, not of res_partner: a first check
        of 100,000 customers made a new version of each partner row in
        every index of res_partner (about 8 of its 11 s). Its ACTIVO /
        HABIDO rule is not rewritten in SQL: tools/sunat_status.py answers
        it for each distinct status. What users and other addons see goes
        through the ORM: the chatter notes (_message_log_batch), the
        activities (one create) and their e-mails, and the customer event;
        only the first statuses of thousands of customers insert their
        activities in SQL (ACTIVITY_ORM_LIMIT)."""
        cr = self.env.cr
        self.flush_model()
        self.env["res.partner.sunat.status"].flush_model()
        self.env["mail.activity"].flush_model()
        ruc_types = (
            self.env["l10n_latam.identification.type"]
            .with_context(active_test=False)
            .search([("customs_document_code", "=", dn.PE_RUC)])
        )
        cr.execute(_q("DROP TABLE IF EXISTS %(check)s"))
        # The padrón columns are compared in upper case, trimmed; an empty
        # padrón street says nothing about the customer's address.
        cr.execute(
            _q(
                """CREATE TEMP TABLE %(check)s ON COMMIT DROP AS
                SELECT p.id AS partner_id, p.name, p.user_id, t.source AS old_source,
                       t.taxpayer_state AS old_state, t.taxpayer_condition AS old_condition,
                       coalesce(t.observed, false) AS was_observed,
                       coalesce(t.absent, false) AS was_absent,
                       coalesce(t.data_differs, false) AS old_differs,
                       coalesce(t.from_padron, false) AS was_from_padron,
                       s.ruc IS NOT NULL AS found,
                       nullif(s.taxpayer_state, '') AS new_state,
                       nullif(s.taxpayer_condition, '') AS new_condition,
                       false AS observed, false AS changed,
                       s.ruc IS NOT NULL
                       AND (upper(btrim(p.name)) IS DISTINCT FROM upper(btrim(s.name))
                            OR (coalesce(s.street, '') <> ''
                                AND upper(btrim(coalesce(p.street, ''))) <> upper(btrim(s.street)))) AS differs
                  FROM res_partner p
                  LEFT JOIN res_partner_sunat_status t ON t.partner_id = p.id
                  LEFT JOIN %(padron)s s ON s.ruc = p.vat
                 WHERE p.is_registered_customer AND p.active AND p.vat IS NOT NULL
                   AND p.l10n_latam_identification_type_id = ANY(%(types)s)""",
                table,
                types=ruc_types.ids,
            )
        )
        # Observed / changed: the rule of tools/sunat_status.py itself, asked
        # once per distinct (previous, new) status and joined on the rows (a
        # first status is no change). Written in SQL, the rule normalised
        # every value of every customer again (regexp_replace, six times a
        # row: over a second for 100,000 customers).
        cr.execute(
            _q(
                """SELECT DISTINCT coalesce(old_state, ''), coalesce(old_condition, ''),
                                   coalesce(new_state, ''), coalesce(new_condition, '')
                     FROM %(check)s WHERE found"""
            )
        )
        rule = sunat_status.sql_rule_values(cr.fetchall())
        if rule:
            cr.execute(
                _q(
                    """UPDATE %(check)s c SET observed = r.observed, changed = r.changed
                         FROM (%(rule)s) AS r(old_state, old_condition, new_state, new_condition, observed, changed)
                        WHERE c.found AND (r.observed OR r.changed)
                          AND coalesce(c.old_state, '') = r.old_state
                          AND coalesce(c.old_condition, '') = r.old_condition
                          AND coalesce(c.new_state, '') = r.new_state
                          AND coalesce(c.new_condition, '') = r.new_condition""",
                    rule=rule,
                )
            )
        # Statistics for the planner: the joins below are on up to every customer.
        cr.execute(_q("ANALYZE %(check)s"))
        now = fields.Datetime.now()
        # Only rows with something new are written: an unchanged customer
        # keeps its row (no write of every customer at each load). The
        # partner's write_uid / write_date are left alone, as account leaves
        # them for its partner ranks: they keep telling who last edited the
        # customer; the check's own date is the status date (and the
        # chatter note says who ran it).
        cr.execute(
            _q(
                """INSERT INTO res_partner_sunat_status AS t
                       (partner_id, taxpayer_state, taxpayer_condition, observed, absent, data_differs,
                        source, from_padron, status_date)
                SELECT c.partner_id, c.new_state, c.new_condition, c.observed, false, c.differs,
                       %(source)s, true, %(now)s
                  FROM %(check)s c
                 WHERE c.found
                   AND (c.old_state IS DISTINCT FROM c.new_state OR c.old_condition IS DISTINCT FROM c.new_condition
                        OR c.was_absent OR c.old_differs <> c.differs OR NOT c.was_from_padron
                        OR c.old_source IS DISTINCT FROM %(source)s)
                ON CONFLICT (partner_id) DO UPDATE
                   SET taxpayer_state = excluded.taxpayer_state, taxpayer_condition = excluded.taxpayer_condition,
                       observed = excluded.observed, absent = false, data_differs = excluded.data_differs,
                       source = excluded.source, from_padron = true, status_date = excluded.status_date""",
                source=provider.name,
                now=now,
            )
        )
        cr.execute(
            _q(
                """INSERT INTO res_partner_sunat_status AS t (partner_id, absent, data_differs, status_date)
                SELECT c.partner_id, true, false, %(now)s
                  FROM %(check)s c
                 WHERE NOT c.found AND NOT c.was_absent
                ON CONFLICT (partner_id) DO UPDATE
                   SET absent = true, data_differs = false, status_date = excluded.status_date""",
                now=now,
            )
        )
        # The statuses were written behind the ORM's back: what the notes,
        # the activities and the event subscribers read must be the new ones.
        self.invalidate_model()
        self.env["res.partner.sunat.status"].invalidate_model()
        self._sunat_post_change_notes()
        self._sunat_schedule_observed_activities()
        cr.execute(
            _q(
                """SELECT count(*), count(*) FILTER (WHERE changed), count(*) FILTER (WHERE observed),
                       count(*) FILTER (WHERE observed AND NOT was_observed), count(*) FILTER (WHERE NOT found),
                       count(*) FILTER (WHERE differs)
                  FROM %(check)s"""
            )
        )
        keys = ("checked", "changed", "observed", "newly_observed", "absent", "differs")
        summary = dict(zip(keys, cr.fetchone(), strict=True))
        cr.execute(
            _q(
                """SELECT p.vat FROM %(check)s c JOIN res_partner p ON p.id = c.partner_id
                    WHERE NOT c.found ORDER BY p.vat LIMIT %(limit)s""",
                limit=ABSENT_EXAMPLES,
            )
        )
        summary["absent_examples"] = [row[0] for row in cr.fetchall()]
        cr.execute(_q("DROP TABLE %(check)s"))
        self.invalidate_model()
        self.env["res.partner.sunat.status"].invalidate_model()
        self.env["mail.message"].invalidate_model()
        self.env["mail.activity"].invalidate_model()
        return summary

    def _sunat_post_change_notes(self):
        """Chatter note (before → after) and the ``sunat_status_changed``
        event for the customers whose status changed: through the ORM's
        batch log (one INSERT for all notes), so the messages are ordinary
        chatter messages. Only real changes are in this set: a few per load."""
        self.env.cr.execute(
            _q(
                """SELECT partner_id, old_state, new_state, old_condition, new_condition
                     FROM %(check)s WHERE changed ORDER BY partner_id"""
            )
        )
        rows = self.env.cr.fetchall()
        if not rows:
            return
        bodies, previous = {}, {}
        for partner_id, old_state, new_state, old_condition, new_condition in rows:
            previous[partner_id] = (old_state, old_condition)
            bodies[partner_id] = Markup("<p>%s</p>") % self.env._(
                "SUNAT padrón check: taxpayer status %(old_state)s → %(new_state)s; "
                "address condition %(old_condition)s → %(new_condition)s.",
                old_state=old_state or "-",
                new_state=new_state or "-",
                old_condition=old_condition or "-",
                new_condition=new_condition or "-",
            )
        partners = self.browse(list(bodies))
        partners._message_log_batch(bodies=bodies, author_id=self.env.user.partner_id.id)
        partners._customer_event("sunat_status_changed", previous=previous)

    def _sunat_schedule_observed_activities(self):
        """An activity for the salesperson (or the alert user) of each
        customer that becomes observed, through ``activity_schedule`` on the
        batch (one create per responsible and status). One open activity per
        customer: a second load with the same data, or a customer observed
        again before the activity is done, adds none.

        A responsible with one new activity gets Odoo's e-mail of an assigned
        activity; with more (thousands after the first load), one e-mail
        listing them (ACTIVITY_MAIL_LIMIT). Above ACTIVITY_ORM_LIMIT new
        activities, they are inserted in SQL (:meth:`_sunat_insert_observed_activities`)."""
        activity_type = self.env.ref("clientes_aduanas.mail_activity_type_sunat_observed")
        self.env.cr.execute(
            _q(
                """SELECT c.partner_id, c.new_state, c.new_condition, coalesce(u.id, %(fallback)s)
                     FROM %(check)s c
                     LEFT JOIN res_users u ON u.id = c.user_id AND u.active
                    WHERE c.observed AND NOT c.was_observed
                      AND NOT EXISTS (SELECT 1 FROM mail_activity a
                                       WHERE a.res_model = 'res.partner' AND a.res_id = c.partner_id
                                         AND a.activity_type_id = %(type)s AND a.active IS NOT FALSE)
                    ORDER BY c.partner_id""",
                type=activity_type.id,
                fallback=self._sunat_alert_user_id(),
            )
        )
        rows = self.env.cr.fetchall()
        if len(rows) > ACTIVITY_ORM_LIMIT:
            activities_by_user = self._sunat_insert_observed_activities([row[0] for row in rows])
            for user_id, activities in activities_by_user.items():
                if user_id != self.env.uid:
                    self._sunat_notify_activity_digest(self.env["res.users"].browse(user_id), activities)
            return
        # One create for every new activity (activity_schedule would be one
        # per responsible and status). The document names are read for the
        # whole batch and given: mail.activity computes each one on its own,
        # one partner at a time once the cache is gone (a query per customer).
        partners = self.browse([row[0] for row in rows])
        names = dict(zip(partners.ids, partners.mapped("display_name"), strict=True))
        model_id = self.env["ir.model"]._get_id("res.partner")
        summary = activity_type.summary or activity_type.name
        today = fields.Date.context_today(self)
        notes = {}
        vals_list = []
        for partner_id, state, condition, user_id in rows:
            if (state, condition) not in notes:
                notes[state, condition] = Markup("<p>%s</p>") % self.env._(
                    "SUNAT now reports this customer as %(state)s / %(condition)s (not ACTIVO / HABIDO): "
                    "check its invoices and detracciones before new operations.",
                    state=state or "-",
                    condition=condition or "-",
                )
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": partner_id,
                    "res_name": names[partner_id],
                    "activity_type_id": activity_type.id,
                    "summary": summary,
                    "note": notes[state, condition],
                    "date_deadline": today,
                    "user_id": user_id,
                    "automated": True,
                }
            )
        # No e-mail per activity from create: sent below, one per responsible.
        activities = self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(vals_list)
        activities_by_user = {
            user.id: user_activities for user, user_activities in activities.grouped("user_id").items()
        }
        for user_id, activities in activities_by_user.items():
            if user_id == self.env.uid:
                continue  # As Odoo: no e-mail for an activity one assigns oneself.
            if len(activities) <= ACTIVITY_MAIL_LIMIT:
                activities.action_notify()
            else:
                self._sunat_notify_activity_digest(self.env["res.users"].browse(user_id), activities)

    @api.model
    def _sunat_insert_observed_activities(self, partner_ids):
        """The activities of many customers at once, in one INSERT (see
        ACTIVITY_ORM_LIMIT); the responsible users get the digest e-mail and
        follow their customers (mail.activity's ``_subscribe_responsibles_sql``). Returns
        the activities by user id."""
        activity_type = self.env.ref("clientes_aduanas.mail_activity_type_sunat_observed")
        names = ("state", "condition")
        text = self.env._(
            "SUNAT now reports this customer as %(state)s / %(condition)s (not ACTIVO / HABIDO): "
            "check its invoices and detracciones before new operations.",
            **_markers(names),
        )
        template = str(Markup("<p>%s</p>") % Markup(_sql_template(text, names)))
        now = fields.Datetime.now()
        self.env["mail.activity"].flush_model()
        self.env.cr.execute(
            _q(
                """INSERT INTO mail_activity (res_model_id, res_model, res_id, res_name, activity_type_id, summary,
                                           note, date_deadline, user_id, automated, active,
                                           create_uid, create_date, write_uid, write_date)
                SELECT %(model)s, 'res.partner', c.partner_id, c.name, %(type)s, %(summary)s,
                       format(%(template)s, %(state)s, %(condition)s),
                       %(deadline)s, coalesce(u.id, %(fallback)s), true, true,
                       %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM %(check)s c
                  LEFT JOIN res_users u ON u.id = c.user_id AND u.active
                 WHERE c.partner_id = ANY(%(ids)s)
             RETURNING id, user_id""",
                model=self.env["ir.model"]._get_id("res.partner"),
                type=activity_type.id,
                summary=activity_type.summary or activity_type.name,
                template=template,
                state=_sql_escape("new_state"),
                condition=_sql_escape("new_condition"),
                deadline=fields.Date.context_today(self),
                fallback=self._sunat_alert_user_id(),
                uid=self.env.uid,
                now=now,
                ids=partner_ids,
            )
        )
        by_user = defaultdict(list)
        for activity_id, user_id in self.env.cr.fetchall():
            by_user[user_id].append(activity_id)
        self.env["mail.activity"].invalidate_model()
        self.env["mail.activity"]._subscribe_responsibles_sql(
            "res.partner", [activity_id for ids in by_user.values() for activity_id in ids]
        )
        return {user_id: self.env["mail.activity"].browse(ids) for user_id, ids in by_user.items()}

    @api.model
    def _sunat_notify_activity_digest(self, user, activities):
        """One e-mail to ``user`` for many new activities of one load."""
        shown = activities[:ACTIVITY_MAIL_NAMES].mapped("res_name")
        names = Markup("").join(Markup("<li>%s</li>") % name for name in shown)
        self.env["mail.thread"].sudo().message_notify(
            partner_ids=user.partner_id.ids,
            subject=self.env._("SUNAT padrón check: %(count)s customers now observed", count=len(activities)),
            body=Markup("<p>%s</p><ul>%s</ul>")
            % (
                self.env._(
                    "SUNAT no longer reports %(count)s of your customers as ACTIVO / HABIDO: an activity "
                    '"%(type)s" was scheduled for each of them (see your activities).',
                    count=len(activities),
                    type=activities[:1].activity_type_id.name,
                ),
                names,
            ),
            email_layout_xmlid="mail.mail_notification_light",
        )
