/** @odoo-module **/

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";
import { fieldSteps, filterSteps, personSteps, SAVED } from "@clientes_aduanas/../tests/tours/tour_steps";

const ANDINAS = "IMPORTACIONES ANDINAS S.A.C.";

// A data-entry clerk registers a Peruvian company with the lupa (a fake
// lookup source started by the test), then tries a second customer with the
// same e-mail: the Spanish duplicate message, and nothing saved.
registry.category("web_tour.tours").add("clientes_aduanas_customer_create_lookup", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("clientes_aduanas.clientes_aduanas_menu_root", "Open the Customers app"),
        {
            content: "New customer",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Document type RUC",
            trigger: ".o_form_editable div[name='l10n_latam_identification_type_id'] input",
            run: "edit RUC",
        },
        {
            trigger: ".o-autocomplete--dropdown-item > a:contains('RUC')",
            run: "click",
        },
        {
            content: "Type the RUC",
            trigger: "div[name='vat'] input",
            run: "edit 20100070970",
        },
        {
            content: "Leave the field (the number is committed)",
            trigger: ".oe_title div[name='customer_state']",
            run: "click",
        },
        {
            content: "The lupa is offered for RUC (a source is configured): press it",
            trigger: "div[name='document_lookup_request'] button",
            run: "click",
        },
        {
            content: "The lookup reports what it found",
            trigger: ".o_notification:contains('ACTIVO')",
        },
        {
            content: "The proposed razón social fills the title, not cut",
            trigger: `div[name='name'] textarea:value(${ANDINAS})`,
        },
        {
            content: "and the address",
            trigger: "div[name='street'] input:value(AV. JAVIER PRADO ESTE NRO. 1234)",
        },
        ...fieldSteps({ phone: "+51 1 4441234", email: "compras@andinas.example.pe" }),
        {
            content: "Accept the data: save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: SAVED,
        },
        {
            content: "A second customer",
            trigger: ".o_form_button_create",
            run: "click",
        },
        // The same e-mail as the company.
        ...personSteps({
            dni: "45678912",
            name: "Juan Pérez Quispe",
            street: "Jr. Puno 120",
            phone: "+51 987 111 222",
            email: "compras@andinas.example.pe",
        }),
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The duplicate is refused in Spanish, naming the existing customer",
            trigger: `.modal .modal-body:contains(Ya existe un cliente con ese email):contains(${ANDINAS})`,
        },
        {
            content: "Close the message",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Discard the second customer",
            trigger: "body:not(:has(.modal)) .o_form_button_cancel",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal)) .o_action_manager:not(:has(.o_form_status_indicator_new_record))",
        },
    ],
});

const SUSPENDED = "Tour Suspensión S.A.C.";


// Suspend with a reason from the form; the customer leaves the default list,
// shows under the Suspended filter, cannot be picked on a new quotation, and
// is reactivated.
registry.category("web_tour.tours").add("clientes_aduanas_customer_suspend", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("clientes_aduanas.clientes_aduanas_menu_root", "Open the Customers app"),
        {
            content: "Open the customer",
            trigger: `.o_data_row td[name='name']:contains(${SUSPENDED})`,
            run: "click",
        },
        {
            content: "Suspend",
            trigger: ".o_form_view button[name='action_open_suspend_wizard']",
            run: "click",
        },
        {
            content: "The reason",
            trigger: ".modal div[name='reason'] input",
            run: "edit Facturas impagas",
        },
        {
            trigger: ".modal button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The form shows the suspension and its reason",
            trigger: "body:not(:has(.modal)) .o_form_view button[name='action_reactivate']",
        },
        {
            trigger: ".o_form_view div[name='suspension_reason']:contains(Facturas impagas)",
        },
        {
            content: "Back to the list",
            trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb .breadcrumb-item a",
            run: "click",
        },
        {
            content: "The suspended customer left the default list",
            trigger: `.o_list_view:not(:has(td[name='name']:contains(${SUSPENDED})))`,
        },
        ...filterSteps("Suspendido"),
        {
            content: "It shows under the Suspended filter",
            trigger: `.o_data_row td[name='name']:contains(${SUSPENDED})`,
        },
        ...stepUtils.goToAppSteps("sale.sale_menu_root", "Open Sales"),
        {
            content: "New quotation",
            trigger: ".o_list_button_add, .o-kanban-button-new",
            run: "click",
        },
        {
            content: "Look for the suspended customer",
            trigger: ".o_form_editable div[name='partner_id'] input",
            run: "edit Tour Suspensión",
        },
        {
            content: "The selection list does not offer it",
            trigger: `div[name='partner_id'] .o-autocomplete--dropdown-menu:not(:has(.o-autocomplete--dropdown-item:not(.o_m2o_dropdown_option) a:contains(${SUSPENDED})))`,
        },
        {
            trigger: ".o_form_editable div[name='partner_id'] input",
            run: "clear",
        },
        {
            content: "Discard the quotation",
            trigger: ".o_form_button_cancel",
            run: "click",
        },
        ...stepUtils.goToAppSteps("clientes_aduanas.clientes_aduanas_menu_root", "Back to Customers"),
        ...filterSteps("Suspendido"),
        {
            trigger: `.o_data_row td[name='name']:contains(${SUSPENDED})`,
            run: "click",
        },
        {
            content: "Reactivate",
            trigger: ".o_form_view button[name='action_reactivate']",
            run: "click",
        },
        {
            content: "Active again",
            trigger: ".o_form_view:not(:has(.o_widget_web_ribbon)) button[name='action_open_suspend_wizard']",
        },
    ],
});
