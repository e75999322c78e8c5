"""Screenshots of the detracción addon for the README (docs/screenshots/detraccion_*.png).

Same approach as screenshots.py (whose browser, RPC and start helpers it
reuses): a running Odoo with the demo database and clientes_aduanas_detraccion
installed, headless Chromium through the DevTools protocol. Creates (once) a
Peruvian company in soles with its Banco de la Nación account, a consulting
service (SPOT 022) and invoices of the demo customer that requests
detracción: pending, overdue and deposited. The admin works in that company
while the screenshots are taken, and is put back in his own afterwards.
Usage: screenshots_detraccion.py --url URL --db DB --browser PATH --out DIR
"""

from datetime import date, timedelta

from screenshots import capture, rpc, start

COMPANY = "Agencia Aduanera Callao S.A.C."


def ref(session, url, xmlid):
    # Not check_object_reference: it answers False for an archived record
    # (the currency PEN of a database without l10n_pe).
    module, name = xmlid.split(".")
    [row] = rpc(
        session, url, "ir.model.data", "search_read", [("module", "=", module), ("name", "=", name)], ["res_id"]
    )
    return row["res_id"]


def demo_data(session, url):
    """(company id, invoice to show, customer id): created on the first run."""
    customer_id = ref(session, url, "clientes_aduanas.partner_demo_andinas")
    companies = rpc(session, url, "res.company", "search", [("name", "=", COMPANY)])
    if companies:
        company_id = companies[0]
    else:
        pen = ref(session, url, "base.PEN")
        rpc(session, url, "res.currency", "write", [pen], {"active": True})
        company_id = rpc(
            session,
            url,
            "res.company",
            "create",
            {
                "name": COMPANY,
                "country_id": ref(session, url, "base.pe"),
                "currency_id": pen,
                "vat": "20100070970",
                "street": "Av. Néstor Gambetta 5502",
                "city": "Callao",
            },
            context={"lang": "es_PE", "chart_template_load": True},
        )
        try:
            rpc(session, url, "account.chart.template", "try_loading", [], "generic_coa", company_id, False)
        except KeyError:
            pass  # it returns nothing, and JSON-RPC then answers without "result"
        # The generic chart puts the company in USD: back to soles before any entry.
        rpc(session, url, "res.company", "write", [company_id], {"currency_id": pen})
    admin = ref(session, url, "base.user_admin")
    [user] = rpc(session, url, "res.users", "read", [admin], ["company_ids"])
    rpc(
        session,
        url,
        "res.users",
        "write",
        [admin],
        {"company_ids": [(4, company_id)]},
    )
    context = {"lang": "es_PE", "allowed_company_ids": [company_id, *user["company_ids"]]}

    def call(model, method, *args, **kwargs):
        return rpc(session, url, model, method, *args, context=context, **kwargs)

    call("res.company", "write", [company_id], {"detraction_account_number": "00-068-123456"})
    existing = call(
        "account.move",
        "search",
        [("company_id", "=", company_id), ("move_type", "=", "out_invoice"), ("amount_total", "=", 11_800)],
        limit=1,
    )
    if existing:
        return company_id, existing[0], customer_id
    group = call("account.tax.group", "create", {"name": "IGV", "company_id": company_id})
    [igv] = call(
        "account.tax",
        "create",
        [
            {
                "name": "IGV 18 %",
                "amount": 18,
                "type_tax_use": "sale",
                "company_id": company_id,
                "tax_group_id": group,
            }
        ],
    )
    consulting = call(
        "product.product",
        "create",
        {
            "name": "Consultoría en comercio exterior",
            "type": "service",
            "list_price": 10_000,
            "taxes_id": [(6, 0, [igv])],
            "detraction_code_id": ref(session, url, "clientes_aduanas_detraccion.detraction_code_022"),
            "company_id": company_id,
        },
    )
    today = date.today()

    def invoice(days_ago, price):
        move_id = call(
            "account.move",
            "create",
            {
                "move_type": "out_invoice",
                "company_id": company_id,
                "partner_id": customer_id,
                "invoice_date": str(today - timedelta(days=days_ago)),
                "invoice_line_ids": [(0, 0, {"product_id": consulting, "quantity": 1, "price_unit": price})],
            },
        )
        call("account.move", "action_post", [move_id])
        return move_id

    invoice(70, 4_500)  # its deadline has passed: overdue
    deposited = invoice(40, 2_500)
    invoice(25, 6_000)
    shown = invoice(2, 10_000)  # S/ 11,800 with IGV: 022, 12 %, S/ 1,416
    [amount] = call("account.move", "read", [deposited], ["detraction_amount"])
    wizard = call(
        "detraction.deposit.wizard",
        "create",
        {
            "move_id": deposited,
            "number": "0045127789",
            "date": str(today - timedelta(days=30)),
            "amount": amount["detraction_amount"],
        },
    )
    call("detraction.deposit.wizard", "action_confirm", [wizard])
    return company_id, shown, customer_id


def main():
    args, session = start()
    url = args.url
    company_id, invoice_id, customer_id = demo_data(session, url)
    admin = ref(session, url, "base.user_admin")
    [user] = rpc(session, url, "res.users", "read", [admin], ["company_id"])
    own_company = user["company_id"][0]
    # The web client opens in the user's company: the Peruvian one for now.
    rpc(session, url, "res.users", "write", [admin], {"company_id": company_id})

    try:
        invoice = f"{url}/odoo/action-account.action_move_out_invoice_type/{invoice_id}"
        customers = f"{url}/odoo/action-clientes_aduanas.res_partner_action_customer"
        screens = [
            ("detraccion_invoice.png", invoice, ".o_form_view .o_detraction_banner", None),
            (
                "detraccion_deposit.png",
                invoice,
                ".modal div[name='number'] input",
                "document.querySelector(\"button[name='action_open_detraction_deposit']\").click()",
            ),
            (
                "detraccion_list.png",
                f"{url}/odoo/action-clientes_aduanas_detraccion.account_move_detraction_action",
                ".o_list_view .o_data_row",
                None,
            ),
            (
                "detraccion_customer.png",
                f"{customers}/{customer_id}",
                ".o_list_view .o_data_row",
                # Behind the button box's "More" when the form has many buttons.
                "(async () => {"
                " const button = () => document.querySelector(\"button[name='action_view_pending_detractions']\");"
                " if (!button()) {"
                "  document.querySelector('.o_button_more').click();"
                "  await new Promise((resolve) => setTimeout(resolve, 1000));"
                " }"
                " button().click();"
                "})()",
            ),
        ]
        # A loaded machine compiles the assets on the first page.
        capture(
            args,
            session,
            screens,
            prefix="ca-detr-screenshots-",
            cookies={"cids": str(company_id)},
            script_ready=".o_form_view .o_form_sheet",
            timeout=180,
        )
    finally:
        rpc(session, url, "res.users", "write", [admin], {"company_id": own_company})


if __name__ == "__main__":
    main()
