"""The customs declaration of a file: DUCA / DAM, régimen, office,
transport, selectivity channel and levante, containers, goods lines, CIF and
taxes. Split from customs_file.py by concern, as Odoo splits big models."""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression

from ..tools import container_number, customs_tax

# Selectivity channels each country's customs assigns (Honduras: verde,
# amarillo, rojo; Peru: verde, naranja, rojo). A file without a customs
# office of a listed country accepts them all.
CHANNELS_BY_COUNTRY = {
    "HN": ("green", "yellow", "red"),
    "PE": ("green", "orange", "red"),
}


class CustomsFile(models.Model):
    # Split by concern on purpose, as Odoo splits big models.
    _inherit = "customs.file"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # Declaration
    # ------------------------------------------------------------------
    declaration_type = fields.Selection(
        [
            ("duca_d", "DUCA-D (third countries)"),
            ("duca_f", "DUCA-F (Central American origin)"),
            ("duca_t", "DUCA-T (transit)"),
            ("dam", "DAM (Peru)"),
        ],
        tracking=True,
    )
    regime_id = fields.Many2one(
        "customs.regime",
        string="Customs Regime",
        tracking=True,
        domain="[('country_id', '=?', declaration_country_id)]",
    )
    customs_office_id = fields.Many2one(
        "customs.office",
        tracking=True,
        index=True,
        help="The declaration follows the country of its customs office: declaration type, channels and taxes.",
    )
    declaration_country_id = fields.Many2one(
        "res.country",
        compute="_compute_declaration_country_id",
        store=True,
    )
    declaration_date = fields.Date(
        tracking=True, copy=False, help="Date of the declaration; its exchange rate converts the CIF to local currency."
    )
    incoterm_id = fields.Many2one("account.incoterms", tracking=True)
    transport_mode = fields.Selection(
        [
            ("sea", "Sea"),
            ("air", "Air"),
            ("land", "Land"),
            ("rail", "Rail"),
            ("multimodal", "Multimodal"),
            ("postal", "Postal / Courier"),
        ],
        tracking=True,
    )
    transport_document = fields.Char(
        string="BL / AWB / Waybill", tracking=True, copy=False, help="Bill of lading, air waybill or carta de porte."
    )
    carrier_id = fields.Many2one("res.partner", tracking=True)
    vessel_flight = fields.Char(string="Vessel / Flight", copy=False)
    arrival_date = fields.Date(tracking=True, copy=False, help="Arrival of the goods: days in customs count from it.")

    # ------------------------------------------------------------------
    # Selectivity channel and levante
    # ------------------------------------------------------------------
    selectivity_channel = fields.Selection(
        [("green", "Green"), ("yellow", "Yellow"), ("orange", "Orange"), ("red", "Red")],
        tracking=True,
        copy=False,
        help="Channel customs assigned: green (no inspection), yellow/orange (documentary review), "
        "red (physical inspection).",
    )
    channel_datetime = fields.Datetime(
        string="Channel Assigned On", readonly=True, copy=False, tracking=True, help="Set when the channel is recorded."
    )
    release_datetime = fields.Datetime(
        string="Release (Levante)",
        copy=False,
        tracking=True,
        help="Date and time customs released the goods; set when the file is marked as released.",
    )
    customs_start_date = fields.Date(
        compute="_compute_customs_start_date",
        store=True,
        help="Arrival date, or opening date when the arrival is unknown.",
    )
    release_days = fields.Integer(compute="_compute_customs_start_date", store=True)
    days_in_customs = fields.Integer(
        compute="_compute_days_in_customs",
        search="_search_days_in_customs",
        help="Days from the goods' arrival (or the file's opening) to the levante, or to today before it.",
    )

    # ------------------------------------------------------------------
    # Containers, goods and taxes
    # ------------------------------------------------------------------
    container_ids = fields.One2many("customs.file.container", "file_id", string="Containers", copy=True)
    container_count = fields.Integer(compute="_compute_container_count")
    container_paste = fields.Text(
        string="Paste Container Numbers",
        compute="_compute_container_paste",
        inverse="_inverse_container_paste",
        help="Several container numbers, one a line or separated by commas: each one becomes a container line.",
    )
    goods_line_ids = fields.One2many("customs.file.goods.line", "file_id", string="Goods Lines", copy=True)
    tax_line_ids = fields.One2many("customs.file.tax", "file_id", string="Taxes", copy=True)
    company_currency_id = fields.Many2one(related="company_id.currency_id", string="Local Currency")
    fob_amount = fields.Monetary(
        string="FOB", currency_field="currency_id", compute="_compute_customs_values", store=True, tracking=True
    )
    freight_amount = fields.Monetary(string="Freight", currency_field="currency_id", tracking=True)
    insurance_amount = fields.Monetary(string="Insurance", currency_field="currency_id", tracking=True)
    cif_amount = fields.Monetary(
        string="CIF", currency_field="currency_id", compute="_compute_customs_values", store=True
    )
    exchange_rate = fields.Float(
        digits=(12, 6),
        compute="_compute_exchange_rate",
        store=True,
        readonly=False,
        tracking=True,
        help="Local currency per unit of the declaration currency, from Odoo's rates at the declaration date "
        "(opening date when empty); editable to the rate customs applied.",
    )
    cif_amount_local = fields.Monetary(
        string="CIF (Local Currency)",
        currency_field="company_currency_id",
        compute="_compute_customs_values",
        store=True,
    )
    tax_total = fields.Monetary(
        string="Total Taxes", currency_field="company_currency_id", compute="_compute_tax_total", store=True
    )
    tax_payment_date = fields.Date(string="Taxes Paid On", tracking=True, copy=False)
    tax_receipt_number = fields.Char(string="Payment Receipt", tracking=True, copy=False)

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("customs_office_id", "company_id")
    def _compute_declaration_country_id(self):
        for record in self:
            record.declaration_country_id = record.customs_office_id.country_id or record.company_id.country_id

    @api.depends("arrival_date", "opening_date", "release_datetime")
    def _compute_customs_start_date(self):
        for record in self:
            record.customs_start_date = record.arrival_date or record.opening_date
            record.release_days = (
                max((record.release_datetime.date() - record.customs_start_date).days, 0)
                if record.release_datetime and record.customs_start_date
                else 0
            )

    @api.depends("customs_start_date", "release_days", "release_datetime")
    def _compute_days_in_customs(self):
        today = fields.Date.context_today(self)
        for record in self:
            if record.release_datetime:
                record.days_in_customs = record.release_days
            elif record.customs_start_date:
                record.days_in_customs = max((today - record.customs_start_date).days, 0)
            else:
                record.days_in_customs = 0

    def _search_days_in_customs(self, operator, value):
        # Released files keep their count (stored); the others count to
        # today, so "more than N days" is "started before today - N".
        flipped = {">": "<", ">=": "<=", "<": ">", "<=": ">=", "=": "="}
        if operator not in flipped or not isinstance(value, int):
            raise UserError(self.env._("Unsupported search on days in customs."))
        limit = fields.Date.context_today(self) - timedelta(days=value)
        released = [("release_datetime", "!=", False), ("release_days", operator, value)]
        pending = [("release_datetime", "=", False), ("customs_start_date", flipped[operator], limit)]
        return expression.OR([released, pending])

    def _compute_container_count(self):
        counts = dict(
            self.env["customs.file.container"]._read_group([("file_id", "in", self.ids)], ["file_id"], ["__count"])
        )
        for record in self:
            record.container_count = counts.get(record, 0)

    def _compute_container_paste(self):
        self.container_paste = False

    def _inverse_container_paste(self):
        for record in self.filtered("container_paste"):
            existing = set(record.container_ids.mapped("name"))
            numbers = [n for n in container_number.split_paste(record.container_paste) if n not in existing]
            invalid = [n for n in numbers if not container_number.is_valid(n)]
            if invalid:
                raise ValidationError(
                    self.env._(
                        "These container numbers are not valid (ISO 6346), nothing was added: %(numbers)s.",
                        numbers=", ".join(invalid),
                    )
                )
            self.env["customs.file.container"].create([{"file_id": record.id, "name": n} for n in numbers])

    @api.depends("currency_id", "company_id", "declaration_date", "opening_date")
    def _compute_exchange_rate(self):
        for record in self:
            company = record.company_id or self.env.company
            if not record.currency_id or record.currency_id == company.currency_id:
                record.exchange_rate = 1.0
            else:
                record.exchange_rate = record.currency_id._get_conversion_rate(
                    record.currency_id,
                    company.currency_id,
                    company,
                    record.declaration_date or record.opening_date or fields.Date.context_today(record),
                )

    @api.depends(
        "goods_line_ids.fob_amount", "freight_amount", "insurance_amount", "exchange_rate", "goods_line_ids.duty_rate"
    )
    def _compute_customs_values(self):
        for record in self:
            values = record._customs_values()
            record.fob_amount = values["fob"]
            record.cif_amount = values["cif"]
            record.cif_amount_local = values["cif_local"]

    @api.depends("tax_line_ids.amount")
    def _compute_tax_total(self):
        for record in self:
            record.tax_total = sum(record.tax_line_ids.mapped("amount"))

    # ------------------------------------------------------------------
    # Values and taxes: the one computation (tools/customs_tax.py)
    # ------------------------------------------------------------------
    def _customs_values(self):
        """FOB, CIF and local-currency CIF of the declaration, and per goods
        line (in order) its id, CIF, local CIF and duty rate."""
        self.ensure_one()
        lines = self.goods_line_ids.sorted("sequence")
        digits = self.currency_id.decimal_places if self.currency_id else 2
        local_digits = self.company_currency_id.decimal_places if self.company_currency_id else 2
        fobs = lines.mapped("fob_amount")
        cifs = customs_tax.share_costs(fobs, self.freight_amount, self.insurance_amount, digits)
        rate = self.exchange_rate or 1.0
        cifs_local = [customs_tax.round_money(cif * rate, local_digits) for cif in cifs]
        cif = customs_tax.round_money(sum(fobs) + self.freight_amount + self.insurance_amount, digits)
        # With goods lines the local CIF is theirs (each line is liquidated);
        # without, the declaration's total converted.
        cif_local = (
            customs_tax.round_money(sum(cifs_local), local_digits)
            if lines
            else customs_tax.round_money(cif * rate, local_digits)
        )
        return {
            "fob": customs_tax.round_money(sum(fobs), digits),
            "cif": cif,
            "cif_local": cif_local,
            "lines": list(zip(lines, cifs, cifs_local, lines.mapped("duty_rate"), strict=True)),
            "local_digits": local_digits,
        }

    def _goods_breakdown(self):
        """{goods line id: (CIF in the declaration currency, local duty)}."""
        self.ensure_one()
        values = self._customs_values()
        return {
            line.id: (cif, customs_tax.round_money(cif_local * duty_rate / 100.0, values["local_digits"]))
            for line, cif, cif_local, duty_rate in values["lines"]
        }

    def _tax_breakdown(self):
        """{tax type id: (base, amount)} in local currency."""
        self.ensure_one()
        values = self._customs_values()
        taxes = [
            {
                "key": tax.tax_type_id.id,
                "amount_type": tax.tax_type_id.amount_type,
                "rate": tax.rate,
                "fixed_amount": tax.fixed_amount,
                "base_cif": tax.tax_type_id.base_cif,
                "base_keys": tax.tax_type_id.base_tax_type_ids.ids,
            }
            for tax in self.tax_line_ids.filtered("tax_type_id").sorted(
                lambda t: (t.tax_type_id.sequence, t.tax_type_id.id)
            )
        ]
        return customs_tax.compute_taxes(
            [cif_local for _line, _cif, cif_local, _rate in values["lines"]],
            [rate for _line, _cif, _cif_local, rate in values["lines"]],
            taxes,
            values["local_digits"],
            total_cif=values["cif_local"],
        )

    def _add_default_taxes(self):
        """Give each file the default taxes of its declaration country that it
        lacks (the broker adds the other charges by hand)."""
        if not self:
            return
        tax_types = self.env["customs.tax.type"].search(
            [("auto_apply", "=", True), ("country_id", "in", self.declaration_country_id.ids)]
        )
        vals_list = []
        for record in self:
            present = record.tax_line_ids.tax_type_id
            for tax_type in tax_types:
                if tax_type.country_id == record.declaration_country_id and tax_type not in present:
                    vals_list.append({"file_id": record.id, "tax_type_id": tax_type.id})
        self.env["customs.file.tax"].create(vals_list)

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("selectivity_channel", "customs_office_id")
    def _check_selectivity_channel(self):
        labels = dict(self._fields["selectivity_channel"]._description_selection(self.env))
        for record in self.filtered("selectivity_channel"):
            allowed = CHANNELS_BY_COUNTRY.get(record.declaration_country_id.code)
            if allowed and record.selectivity_channel not in allowed:
                raise ValidationError(
                    self.env._(
                        "Customs of %(country)s does not assign the %(channel)s channel (file %(name)s).",
                        country=record.declaration_country_id.name,
                        channel=labels[record.selectivity_channel],
                        name=record.name,
                    )
                )

    @api.constrains("regime_id", "customs_office_id")
    def _check_regime_country(self):
        for record in self:
            if (
                record.regime_id
                and record.customs_office_id
                and record.regime_id.country_id != record.declaration_country_id
            ):
                raise ValidationError(
                    self.env._(
                        "Regime %(regime)s is not of %(country)s, the country of customs office %(office)s.",
                        regime=record.regime_id.display_name,
                        country=record.declaration_country_id.name,
                        office=record.customs_office_id.display_name,
                    )
                )

    @api.constrains("freight_amount", "insurance_amount", "exchange_rate")
    def _check_customs_amounts(self):
        for record in self:
            if record.freight_amount < 0 or record.insurance_amount < 0 or record.exchange_rate < 0:
                raise ValidationError(
                    self.env._(
                        "Customs file %(name)s: freight, insurance and exchange rate cannot be negative.",
                        name=record.name,
                    )
                )

    @api.constrains("release_datetime", "arrival_date")
    def _check_release_after_arrival(self):
        for record in self:
            if record.release_datetime and record.arrival_date and record.release_datetime.date() < record.arrival_date:
                raise ValidationError(
                    self.env._("Customs file %(name)s: the levante cannot precede the arrival.", name=record.name)
                )

    # ------------------------------------------------------------------
    # Writes: the one place the channel and levante are stamped and announced
    # (called by customs.file's only create / write, customs_file.py)
    # ------------------------------------------------------------------
    @api.model
    def _declaration_create_vals(self, vals_list):
        """Stamp the channel's time on files created with a channel. A file
        created with its channel or levante (demo, history import) announces
        nothing, as a created file announces no state."""
        now = fields.Datetime.now()
        for vals in vals_list:
            if vals.get("selectivity_channel"):
                vals.setdefault("channel_datetime", now)
        return vals_list

    def _declaration_write_vals(self, vals):
        """``vals`` with the channel's and the levante's times stamped, the
        files whose levante is stamped apart (``(records, vals)`` to write
        first) and what the announcements compare with afterwards."""
        now = fields.Datetime.now()
        if "selectivity_channel" in vals and "channel_datetime" not in vals:
            vals["channel_datetime"] = now if vals["selectivity_channel"] else False
        before = (
            {record.id: record.selectivity_channel for record in self},
            {record.id: record.release_datetime for record in self},
        )
        apart = (self.browse(), {})
        if vals.get("state") == "released" and not vals.get("release_datetime"):
            # The move to released is the levante, unless it was recorded.
            pending = self.filtered(lambda r: not r.release_datetime)
            if pending and pending == self:
                vals["release_datetime"] = now
            elif pending:
                apart = (pending, {"release_datetime": now})
        elif vals.get("state") == "draft":
            vals["release_datetime"] = False
        return vals, apart, before

    def _declaration_after_write(self, vals, before):
        if "customs_office_id" in vals or "company_id" in vals:
            self._add_default_taxes()
        self._announce_declaration_events(*before)

    def _announce_declaration_events(self, old_channels, old_releases):
        channel_set = self.filtered(lambda r: r.selectivity_channel and r.selectivity_channel != old_channels.get(r.id))
        if channel_set:
            channel_set.commercial_partner_id._customer_event(
                "customs_file_channel_assigned",
                customs_files=channel_set,
                previous={record.id: old_channels.get(record.id) or False for record in channel_set},
            )
        released = self.filtered(lambda r: r.release_datetime and not old_releases.get(r.id))
        if released:
            released.commercial_partner_id._customer_event("customs_file_released", customs_files=released)

    # ------------------------------------------------------------------
    # Taxes invoice
    # ------------------------------------------------------------------
    def action_create_tax_invoice(self):
        """Draft customer invoice re-billing the declaration's taxes (paid by
        the broker on the customer's behalf), one line per tax, linked to
        the file."""
        self.ensure_one()
        taxes = self.tax_line_ids.filtered("amount")
        if not taxes:
            raise UserError(self.env._("Customs file %(name)s has no taxes to invoice.", name=self.name))
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.commercial_partner_id.id,
                "company_id": self.company_id.id,
                "currency_id": self.company_currency_id.id,
                "invoice_origin": self.name,
                "ref": self.declaration_number or self.name,
                "invoice_line_ids": [
                    fields.Command.create(
                        {
                            "name": self.env._(
                                "%(tax)s - declaration %(declaration)s",
                                tax=tax.tax_type_id.name,
                                declaration=self.declaration_number or self.name,
                            ),
                            "quantity": 1.0,
                            "price_unit": tax.amount,
                            "tax_ids": [fields.Command.clear()],
                        }
                    )
                    for tax in taxes
                ],
            }
        )
        self.invoice_ids = [fields.Command.link(move.id)]
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": move.id,
            "view_mode": "form",
        }
