/** @odoo-module **/

import { registry } from "@web/core/registry";

// An accountant invoices S/ 11,800 of business consulting to a customer that
// requests detracción, sees code 022, 12 %, S/ 1,416 to deposit and
// S/ 10,384 to pay, then records the deposit certificate.
registry.category("web_tour.tours").add("clientes_aduanas_detraccion_invoice", {
    url: "/odoo/action-account.action_move_out_invoice_type/new",
    steps: () => [
        {
            content: "Customer that requests detracción",
            trigger: ".o_form_editable div[name='partner_id'] input",
            run: "edit Importadora Lima",
        },
        {
            trigger: ".o-autocomplete--dropdown-item > a:contains('Importadora Lima')",
            run: "click",
        },
        {
            content: "Add a line",
            trigger: "div[name='invoice_line_ids'] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Business consulting (SPOT code 022)",
            trigger: "div[name='invoice_line_ids'] .o_selected_row div[name='product_id'] input",
            run: "edit Consultoría",
        },
        {
            trigger: ".o-autocomplete--dropdown-item > a:contains('Consultoría empresarial')",
            run: "click",
        },
        {
            content: "S/ 10,000 plus IGV",
            trigger: "div[name='invoice_line_ids'] .o_selected_row div[name='price_unit'] input",
            run: "edit 10000",
        },
        {
            content: "Confirm the invoice",
            trigger: "button[name='action_post']",
            run: "click",
        },
        {
            content: "Code 022, 12 %",
            trigger: ".o_detraction_banner div[name='detraction_code_id']:contains('022')",
        },
        {
            trigger: ".o_detraction_banner div[name='detraction_rate']:contains('12.00')",
        },
        {
            content: "S/ 1,416 to deposit, S/ 10,384 to pay",
            trigger: ".o_detraction_banner div[name='detraction_amount']:contains('1,416.00')",
        },
        {
            trigger: ".o_detraction_banner div[name='detraction_net_amount']:contains('10,384.00')",
        },
        {
            content: "The deposit is pending: record its certificate",
            trigger: "button[name='action_open_detraction_deposit']",
            run: "click",
        },
        {
            trigger: ".modal div[name='number'] input",
            run: "edit 0012345678",
        },
        {
            trigger: ".modal div[name='amount'] input",
            run: "edit 1416",
        },
        {
            trigger: ".modal button[name='action_confirm']",
            run: "click",
        },
        {
            content: "Deposited, with its certificate",
            trigger: ".o_detraction_banner div[name='detraction_deposit_number']:contains('0012345678')",
        },
    ],
});
