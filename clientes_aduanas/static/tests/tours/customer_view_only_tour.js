/** @odoo-module **/

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// A user with only "Customers: View" reads the list and a customer's form and
// is offered no way to create, edit or delete.
registry.category("web_tour.tours").add("clientes_aduanas_customer_view_only", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("clientes_aduanas.clientes_aduanas_menu_root", "Open the Customers app"),
        {
            content: "The list shows the customer",
            trigger: ".o_list_view .o_data_row td[name='name']:contains('Tour Vista S.A.C.')",
        },
        {
            content: "No create button on the list",
            trigger: ".o_list_view:not(:has(.o_list_button_add))",
        },
        {
            content: "Open the customer",
            trigger: ".o_data_row td[name='name']:contains('Tour Vista S.A.C.')",
            run: "click",
        },
        {
            content: "The form is read-only: no create button and the name is not an input",
            trigger: ".o_form_view .o_form_readonly:not(:has(.o_form_button_create)):not(:has(div[name='name'] input))",
        },
    ],
});
