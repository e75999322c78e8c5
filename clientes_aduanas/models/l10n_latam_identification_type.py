import logging

from odoo import api, fields, models, tools
from odoo.tools import SQL

from ..tools import document_number as dn

_logger = logging.getLogger(__name__)

# Document kinds the addon validates, and where an existing record of Odoo or
# of the Peruvian localization (l10n_pe) already stands for them. Records of
# l10n_pe are reused when that module is installed, never duplicated.
DOCUMENT_TYPES = [
    # (code, existing xml id, own xml id, name, description, country, is_vat, sequence)
    (dn.PE_RUC, "l10n_pe.it_RUC", "it_pe_ruc", "RUC", "Registro Único de Contribuyentes", "base.pe", True, 10),
    (dn.PE_DNI, "l10n_pe.it_DNI", "it_pe_dni", "DNI", "Documento Nacional de Identidad", "base.pe", False, 20),
    (dn.HN_RTN, None, "it_hn_rtn", "RTN", "Registro Tributario Nacional", "base.hn", True, 30),
    (dn.HN_IDENTITY, None, "it_hn_identity", "Identidad", "Documento Nacional de Identificación", "base.hn", False, 40),
    (dn.PASSPORT, "l10n_latam_base.it_pass", None, None, None, None, False, 90),
    (dn.FOREIGN_ID, "l10n_latam_base.it_fid", None, None, None, None, False, 100),
]


class L10nLatamIdentificationType(models.Model):
    _inherit = "l10n_latam.identification.type"

    customs_document_code = fields.Selection(
        selection=[
            (dn.PE_RUC, "RUC (Peru)"),
            (dn.PE_DNI, "DNI (Peru)"),
            (dn.HN_RTN, "RTN (Honduras)"),
            (dn.HN_IDENTITY, "Identity card (Honduras)"),
            (dn.PASSPORT, "Passport"),
            (dn.FOREIGN_ID, "Foreign ID"),
        ],
        string="Validation Rule",
        index=True,
        copy=False,
        help="Which number check the registered-customer rules apply to this document type.",
    )

    _sql_constraints = [
        (
            "customs_document_code_uniq",
            "unique(customs_document_code)",
            "Only one identification type can carry each validation rule.",
        ),
    ]

    @api.model
    def _get_by_document_code(self, code):
        return self.with_context(active_test=False).search([("customs_document_code", "=", code)], limit=1)

    @api.model
    @tools.ormcache()
    def _customs_document_codes(self):
        """{type id: validation rule} of every type that has one (cached: the
        duplicate checks of a batch ask it without a query)."""
        types = self.sudo().with_context(active_test=False).search(self._customer_governed_domain())
        return {id_type.id: id_type.customs_document_code for id_type in types}

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("customs_document_code") for vals in vals_list):
            self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        if "customs_document_code" in vals:
            self.env.registry.clear_cache()
        return super().write(vals)

    @api.model
    def _customer_governed_domain(self):
        """The document types a registered customer may have: those with a
        validation rule."""
        return [("customs_document_code", "!=", False)]

    @api.model
    def _customer_default_for_country(self, country):
        """The document type a new registered customer of ``country`` starts
        with: RUC in Peru, RTN in Honduras, the foreign id elsewhere (never
        Odoo's generic VAT)."""
        code = {"PE": dn.PE_RUC, "HN": dn.HN_RTN}.get(country.code if country else "PE", dn.FOREIGN_ID)
        return self._get_by_document_code(code)

    @api.model
    def _setup_customs_document_types(self):
        """Tag (or create) one identification type per document kind.

        Runs from the addon's data (install, upgrade) and whenever l10n_pe's
        RUC/DNI are loaded (``_load_records``), never on every start of the
        server: a database left half-way by an earlier version starts, and
        its next upgrade of the addon completes the adoption. Where l10n_pe stands for a kind, its record
        is adopted (``_customs_adopt_type``). Idempotent: a second run changes
        nothing.
        """
        for code, existing_xmlid, own_xmlid, name, description, country, is_vat, sequence in DOCUMENT_TYPES:
            existing = existing_xmlid and self.env.ref(existing_xmlid, raise_if_not_found=False)
            own = own_xmlid and self.env.ref(f"clientes_aduanas.{own_xmlid}", raise_if_not_found=False)
            tagged = self._get_by_document_code(code)
            if existing:
                if existing != tagged:
                    self._customs_adopt_type(code, tagged, existing)
                continue
            if tagged:
                continue
            if not own and own_xmlid:
                # Reinstalled after an uninstall: the uninstall kept the type
                # (customers use it) but not its xml id nor its rule.
                own = self.with_context(active_test=False).search(
                    [
                        ("name", "=", name),
                        ("country_id", "=", self.env.ref(country).id),
                        ("customs_document_code", "=", False),
                        ("id", "not in", self._customs_l10n_pe_type_ids()),
                    ],
                    order="active desc, id",
                    limit=1,
                )
                if own:
                    self._customs_own_xmlid(own_xmlid, own)
            if own:
                own.write({"customs_document_code": code, "active": True})
                continue
            record = self.create(
                {
                    "name": name,
                    "description": description,
                    "country_id": self.env.ref(country).id,
                    "is_vat": is_vat,
                    "sequence": sequence,
                    "customs_document_code": code,
                }
            )
            self._customs_own_xmlid(own_xmlid, record)
        return True

    @api.model
    def _customs_l10n_pe_type_ids(self):
        return [
            record.id
            for xmlid in ("l10n_pe.it_RUC", "l10n_pe.it_DNI")
            if (record := self.env.ref(xmlid, raise_if_not_found=False))
        ]

    @api.model
    def _customs_own_xmlid(self, own_xmlid, record):
        self.env["ir.model.data"].create(
            {
                "module": "clientes_aduanas",
                "name": own_xmlid,
                "model": self._name,
                "res_id": record.id,
                "noupdate": True,
            }
        )

    @api.model
    def _customs_adopt_type(self, code, ours, target):
        """Move the rule ``code`` from ``ours`` (created before l10n_pe was
        installed) onto l10n_pe's ``target``, in one step that cannot stop
        half-way: in a savepoint, the rule changes record first, then every
        reference to ours (customers first of all) points to the target with
        one UPDATE per column, then ours is archived. The customers' keys stay
        valid (they depend on the rule, which is the same), and no customer is
        ever on a type without a rule. Should it fail anyway, nothing moved:
        a Spanish line in the log says so and the caller goes on."""
        cr = self.env.cr
        self.env.flush_all()
        try:
            with cr.savepoint():
                if ours:
                    cr.execute(
                        "UPDATE l10n_latam_identification_type SET customs_document_code = NULL WHERE id = %s",
                        [ours.id],
                    )
                cr.execute(
                    "UPDATE l10n_latam_identification_type SET customs_document_code = %s WHERE id = %s",
                    [code, target.id],
                )
                moved = self._customs_repoint_references(ours, target) if ours else {}
                if ours:
                    cr.execute("UPDATE l10n_latam_identification_type SET active = false WHERE id = %s", [ours.id])
        except Exception:
            _logger.exception(
                "clientes_aduanas: no se pudo adoptar el tipo de documento %s de l10n_pe (%s); se conserva el "
                "del módulo, los clientes no cambiaron. Vuelva a actualizar el módulo para reintentarlo.",
                target.name,
                code,
            )
            return False
        finally:
            self.env.invalidate_all()
            self.env.registry.clear_cache()
        if ours:
            _logger.info(
                "clientes_aduanas: tipo de documento %s adoptado de l10n_pe; referencias movidas: %s",
                target.name,
                moved,
            )
        return True

    @api.model
    def _customs_repoint_references(self, ours, target):
        """Point every stored reference to ``ours`` to ``target``: the
        many2one columns (customers' document type, ...) and the many2many
        tables (lookup providers' types). Returns {field: rows moved}."""
        cr = self.env.cr
        moved = {}
        for model in self.env.values():
            if model._abstract or not model._auto:
                continue
            for field in model._fields.values():
                if field.comodel_name != self._name or not field.store:
                    continue
                if field.type == "many2one":
                    cr.execute(
                        SQL(
                            "UPDATE %s SET %s = %s WHERE %s = %s",
                            SQL.identifier(model._table),
                            SQL.identifier(field.name),
                            target.id,
                            SQL.identifier(field.name),
                            ours.id,
                        )
                    )
                elif field.type == "many2many" and field.relation not in moved:
                    relation, col1, col2 = (SQL.identifier(n) for n in (field.relation, field.column1, field.column2))
                    cr.execute(
                        SQL(
                            """INSERT INTO %(rel)s (%(c1)s, %(c2)s)
                               SELECT %(c1)s, %(target)s FROM %(rel)s WHERE %(c2)s = %(ours)s
                               ON CONFLICT DO NOTHING""",
                            rel=relation,
                            c1=col1,
                            c2=col2,
                            target=target.id,
                            ours=ours.id,
                        )
                    )
                    cr.execute(SQL("DELETE FROM %s WHERE %s = %s", relation, col2, ours.id))
                else:
                    continue
                if cr.rowcount:
                    moved[field.relation if field.type == "many2many" else f"{model._name}.{field.name}"] = cr.rowcount
        return moved

    @api.model
    def _load_records(self, data_list, update=False):
        # l10n_pe installed (or updated) after this addon: adopt its RUC/DNI
        # as soon as they exist, in the same transaction as its data.
        records = super()._load_records(data_list, update=update)
        adoptable = {xmlid for _code, xmlid, *_rest in DOCUMENT_TYPES if xmlid and xmlid.startswith("l10n_pe.")}
        if any(data.get("xml_id") in adoptable for data in data_list):
            try:
                with self.env.cr.savepoint():
                    self._setup_customs_document_types()
            except Exception:
                # Never the reason a localization cannot be installed.
                _logger.exception(
                    "clientes_aduanas: no se pudieron preparar los tipos de documento al cargar l10n_pe; "
                    "actualice el módulo clientes_aduanas para reintentarlo."
                )
        return records
