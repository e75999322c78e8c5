import base64
from collections import OrderedDict

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, ValidationError
from odoo.http import request
from odoo.osv import expression

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

# The steps of the progress bar; a cancelled file shows a badge instead.
PROGRESS_STATES = ("draft", "in_progress", "released", "closed")


class CustomsFilePortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "customs_file_count" in counters:
            CustomsFile = request.env["customs.file"]
            values["customs_file_count"] = (
                CustomsFile.search_count(self._prepare_customs_files_domain(request.env.user.partner_id))
                if CustomsFile.has_access("read")
                else 0
            )
        if "customer_document_count" in counters:
            values["customer_document_count"] = len(self._portal_customer_documents())
        return values

    # ------------------------------------------------------------------
    # /my/documents: the customer's documents, their expiry and renewals
    # ------------------------------------------------------------------
    def _portal_customer_documents(self):
        """The documents of the user's registered customer (read as sudo:
        portal users have no access to the model; the domain is the rule)."""
        customer = request.env.user.partner_id.commercial_partner_id
        if not customer.is_registered_customer or request.env.user._is_public():
            return request.env["res.partner.customer.document"].sudo().browse()
        return request.env["res.partner.customer.document"].sudo().search([("partner_id", "=", customer.id)])

    @http.route(["/my/documents"], type="http", auth="user", website=True)
    def portal_my_customer_documents(self, renewal=None, error=None, **kw):
        env = request.env
        documents = self._portal_customer_documents()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "customer_documents",
                "customer_documents": documents,
                "document_state_labels": dict(documents._fields["state"]._description_selection(env)),
                "renewal_sent": renewal == "sent",
                "renewal_error": error,
                "customer_suspended": env.user.partner_id.commercial_partner_id.customer_state == "suspended",
            }
        )
        return request.render("clientes_aduanas.portal_my_customer_documents", values)

    @http.route(["/my/documents/<int:document_id>/renewal"], type="http", auth="user", methods=["POST"], website=True)
    def portal_customer_document_renewal(self, document_id, renewal_file=None, expiry_date=None, number=None, **kw):
        document = self._portal_customer_documents().filtered(lambda d: d.id == document_id)
        if not document:
            # Another customer's document, or none: nothing to tell.
            raise request.not_found()
        if document.partner_id.customer_state == "suspended":
            return request.redirect("/my/documents")
        content = renewal_file.read() if renewal_file else b""
        try:
            with request.env.cr.savepoint():
                document.with_user(request.env.user).sudo()._portal_submit_renewal(
                    base64.b64encode(content) if content else False,
                    renewal_file.filename if renewal_file else False,
                    self._parse_date(expiry_date),
                    number=(number or "").strip() or None,
                    issue_date=self._parse_date(kw.get("issue_date")),
                )
        except ValidationError as error:
            return self.portal_my_customer_documents(error=error.args[0])
        return request.redirect("/my/documents?renewal=sent")

    def _prepare_customs_files_domain(self, partner):
        # All the files of the user's company, whichever of its contacts they
        # are addressed to; the record rule enforces the same on every read.
        return [("commercial_partner_id", "=", partner.commercial_partner_id.id)]

    def _get_customs_file_searchbar_sortings(self):
        env = request.env
        return {
            "date": {"label": env._("Newest"), "order": "opening_date desc, id desc"},
            "name": {"label": env._("Reference"), "order": "name desc"},
            "state": {"label": env._("Status"), "order": "state, opening_date desc, id desc"},
        }

    def _get_customs_file_searchbar_filters(self):
        env = request.env
        states = dict(env["customs.file"]._fields["state"]._description_selection(env))
        filters = OrderedDict(
            [
                ("all", {"label": env._("All"), "domain": []}),
                ("import", {"label": env._("Importation"), "domain": [("operation_type", "=", "import")]}),
                ("export", {"label": env._("Exportation"), "domain": [("operation_type", "=", "export")]}),
            ]
        )
        for state, label in states.items():
            filters[state] = {"label": label, "domain": [("state", "=", state)]}
        return filters

    def _get_customs_file_searchbar_inputs(self):
        env = request.env
        return {
            "all": {"input": "all", "label": env._("Search in All")},
            "name": {"input": "name", "label": env._("Search in Reference")},
            "declaration": {"input": "declaration", "label": env._("Search in Declaration (DUA/DUCA)")},
        }

    def _get_customs_file_search_domain(self, search_in, search):
        domains = {
            "name": [("name", "ilike", search)],
            "declaration": [("declaration_number", "ilike", search)],
        }
        if search_in in domains:
            return domains[search_in]
        return expression.OR(domains.values())

    @staticmethod
    def _parse_date(value):
        try:
            return fields.Date.to_date(value) if value else None
        except ValueError:
            return None

    def _prepare_customs_files_portal_rendering_values(
        self, page=1, date_begin=None, date_end=None, sortby=None, filterby=None, search=None, search_in="all", **kw
    ):
        CustomsFile = request.env["customs.file"]
        partner = request.env.user.partner_id
        values = self._prepare_portal_layout_values()

        searchbar_sortings = self._get_customs_file_searchbar_sortings()
        searchbar_filters = self._get_customs_file_searchbar_filters()
        searchbar_inputs = self._get_customs_file_searchbar_inputs()
        sortby = sortby if sortby in searchbar_sortings else "date"
        filterby = filterby if filterby in searchbar_filters else "all"
        search_in = search_in if search_in in searchbar_inputs else "all"

        domain = self._prepare_customs_files_domain(partner) + searchbar_filters[filterby]["domain"]
        if search:
            domain += self._get_customs_file_search_domain(search_in, search)
        # Bad dates from a tampered URL are ignored, not a server error.
        date_begin, date_end = self._parse_date(date_begin), self._parse_date(date_end)
        if date_begin:
            domain += [("opening_date", ">=", date_begin)]
        if date_end:
            domain += [("opening_date", "<=", date_end)]

        url = "/my/expedientes"
        # Defaults stay out of the pager's links.
        url_args = {
            "sortby": sortby if sortby != "date" else None,
            "filterby": filterby if filterby != "all" else None,
            "search_in": search_in if search and search_in != "all" else None,
            "search": search,
            "date_begin": date_begin and fields.Date.to_string(date_begin),
            "date_end": date_end and fields.Date.to_string(date_end),
        }
        pager_values = portal_pager(
            url=url,
            url_args={key: value for key, value in url_args.items() if value},
            total=CustomsFile.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        customs_files = CustomsFile.search(
            domain,
            order=searchbar_sortings[sortby]["order"],
            limit=self._items_per_page,
            offset=pager_values["offset"],
        )
        values.update(
            {
                # sudo: read through the record rule above; the template shows
                # only customer-facing fields.
                "customs_files": customs_files.sudo(),
                "page_name": "customs_file",
                "pager": pager_values,
                "default_url": url,
                "searchbar_sortings": searchbar_sortings,
                "sortby": sortby,
                "searchbar_filters": searchbar_filters,
                "filterby": filterby,
                "searchbar_inputs": searchbar_inputs,
                "search_in": search_in,
                "search": search,
                "date_begin": url_args["date_begin"],
                "date_end": url_args["date_end"],
                "state_labels": dict(CustomsFile._fields["state"]._description_selection(request.env)),
            }
        )
        return values

    @http.route(["/my/expedientes", "/my/expedientes/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_customs_files(self, **kw):
        values = self._prepare_customs_files_portal_rendering_values(**kw)
        request.session["my_customs_files_history"] = values["customs_files"].ids[:100]
        return request.render("clientes_aduanas.portal_my_customs_files", values)

    @http.route(["/my/expedientes/<int:file_id>"], type="http", auth="public", website=True)
    def portal_customs_file_page(self, file_id, access_token=None, **kw):
        try:
            file_sudo = self._document_check_access("customs.file", file_id, access_token=access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        env = request.env
        suspended = file_sudo.commercial_partner_id.customer_state == "suspended"
        state_labels = dict(file_sudo._fields["state"]._description_selection(env))
        portal_orders, portal_invoices = file_sudo._portal_linked_documents(env.user)
        values = {
            "customs_file": file_sudo,
            "page_name": "customs_file",
            "state_labels": state_labels,
            "progress_states": [(state, state_labels[state]) for state in PROGRESS_STATES],
            "shared_attachments": file_sudo._portal_shared_attachments(),
            # Drafts are still the staff's work: only what the customer was sent.
            "portal_orders": portal_orders,
            "portal_invoices": portal_invoices,
            "customer_suspended": suspended,
            # The chatter stays readable; posting is refused on the server too.
            "disable_composer": suspended,
            "backend_url": f"/odoo/action-{file_sudo._get_portal_return_action().id}/{file_sudo.id}",
        }
        values = self._get_page_view_values(file_sudo, access_token, values, "my_customs_files_history", False, **kw)
        # The portal chatter posts with the record's token; a logged-in user
        # who reached the file through the record rule gets it too.
        values["token"] = file_sudo._portal_ensure_token()
        return request.render("clientes_aduanas.portal_customs_file_page", values)

    # ------------------------------------------------------------------
    # /my/account: a registered customer's master data stays with the staff
    # ------------------------------------------------------------------
    def _account_post_to_vals(self, data):
        """The values Odoo's account() would write for ``data``."""
        names = self._get_mandatory_fields() + self._get_optional_fields()
        vals = {name: data[name] for name in names if name in data}
        for name in {"country_id", "state_id"}.intersection(vals):
            try:
                vals[name] = int(vals[name])
            except (TypeError, ValueError):
                vals[name] = False
        if "zipcode" in vals:
            vals["zip"] = vals.pop("zipcode")
        return vals

    def details_form_validate(self, data, partner_creation=False):
        # can_edit_vat is False for every registered customer (the page shows
        # its document read-only): account's own check must still mean "has
        # invoices", or a customer without any is told it has some. The
        # master data are refused below, with their own message.
        request.update_context(customer_portal_invoice_check=True)
        try:
            error, error_message = super().details_form_validate(data, partner_creation=partner_creation)
        finally:
            request.update_context(customer_portal_invoice_check=False)
        partner = request.env.user.partner_id
        if partner_creation or not partner:
            return error, error_message
        refused = partner._portal_refused_master_data_changes(self._account_post_to_vals(data))
        if refused:
            for name in refused:
                error["zipcode" if name == "zip" else name] = "error"
            error_message.append(
                request.env._(
                    "The registered data of %(customer)s (document, name, e-mail, address, phone) can only be "
                    "changed by our staff: write to us to update them.",
                    customer=partner.commercial_partner_id.name,
                )
            )
        return error, error_message

    def on_account_update(self, values, partner):
        res = super().on_account_update(values, partner)
        # Odoo's form re-posts every field: unchanged master data is not
        # rewritten, so the customer rules only ever see real changes.
        for name in partner._portal_unchanged_master_data(values):
            values.pop(name)
        return res
