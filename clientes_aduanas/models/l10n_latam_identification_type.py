from odoo import api, fields, models, tools

from ..tools import document_number as dn

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

        Called from data on install/update and from ``_register_hook`` so that
        installing l10n_pe after this addon moves our RUC/DNI onto its records
        instead of leaving two "RUC" in every selection list.
        """
        Partner = self.env["res.partner"].with_context(active_test=False)
        for code, existing_xmlid, own_xmlid, name, description, country, is_vat, sequence in DOCUMENT_TYPES:
            existing = existing_xmlid and self.env.ref(existing_xmlid, raise_if_not_found=False)
            own = own_xmlid and self.env.ref(f"clientes_aduanas.{own_xmlid}", raise_if_not_found=False)
            tagged = self._get_by_document_code(code)
            if existing:
                if tagged and tagged != existing:
                    # Ours was created before l10n_pe arrived: merge into l10n_pe's.
                    Partner.search([("l10n_latam_identification_type_id", "=", tagged.id)]).write(
                        {"l10n_latam_identification_type_id": existing.id}
                    )
                    tagged.write({"customs_document_code": False, "active": False})
                if existing.customs_document_code != code:
                    existing.customs_document_code = code
                continue
            if tagged:
                continue
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
            self.env["ir.model.data"].create(
                {
                    "module": "clientes_aduanas",
                    "name": own_xmlid,
                    "model": self._name,
                    "res_id": record.id,
                    "noupdate": True,
                }
            )
        return True

    def _register_hook(self):
        super()._register_hook()
        # Cheap check: only act when l10n_pe's RUC exists and is not yet ours.
        ruc = self.env.ref("l10n_pe.it_RUC", raise_if_not_found=False)
        if ruc and ruc.customs_document_code != dn.PE_RUC:
            self._setup_customs_document_types()
