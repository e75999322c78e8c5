/** @odoo-module **/

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";
import { personSteps, SAVED } from "@clientes_aduanas/../tests/tours/tour_steps";

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
            content: "The form is read-only: no create button and the name is not editable",
            trigger:
                ".o_form_view .o_form_readonly:not(:has(.o_form_button_create)):not(:has(div[name='name'] textarea)):not(:has(div[name='name'] input))",
        },
        {
            content: "No suspend button either",
            trigger: ".o_form_view:not(:has(button[name='action_open_suspend_wizard']))",
        },
        {
            content: "Open the action menu",
            trigger: ".o_cp_action_menus .dropdown-toggle",
            run: "click",
        },
        {
            content: "It offers the export, and neither delete nor duplicate",
            trigger:
                ".o-dropdown--menu:has(.o_menu_item):not(:has(.o_menu_item .fa-trash-o)):not(:has(.o_menu_item .fa-clone))",
        },
    ],
});

// "Customers: Create" without "Edit": the list offers New, an existing
// customer opens read-only, and a new one can be typed and saved.
registry.category("web_tour.tours").add("clientes_aduanas_customer_create_only", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("clientes_aduanas.clientes_aduanas_menu_root", "Open the Customers app"),
        {
            content: "Open the existing customer",
            trigger: ".o_list_view .o_data_row td[name='name']:contains('Tour Vista S.A.C.')",
            run: "click",
        },
        {
            content: "It is read-only for this user: no field can be typed in, no suspend button",
            trigger:
                ".o_form_view:not(:has(.o_form_sheet textarea)):not(:has(.o_form_sheet input.o_input)):not(:has(button[name='action_open_suspend_wizard']))",
        },
        {
            content: "But a new customer can be created",
            trigger: ".o_form_button_create",
            run: "click",
        },
        ...personSteps({
            dni: "45678912",
            name: "Lucía Ramos Torres",
            street: "Jr. Junín 250",
            phone: "+51 987 654 321",
            email: "lucia.ramos@example.pe",
        }),
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: SAVED,
        },
        {
            content: "and read-only now",
            trigger: ".o_breadcrumb .active:contains('Lucía Ramos Torres')",
        },
        {
            trigger: ".o_form_view:not(:has(.o_form_sheet textarea)):not(:has(.o_form_sheet input.o_input))",
        },
    ],
});
