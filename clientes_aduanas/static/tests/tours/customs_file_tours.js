/** @odoo-module **/

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";
import { filterSteps } from "@clientes_aduanas/../tests/tours/tour_steps";

const CARD = ".o_kanban_record:contains(118-2026-10-000777)";
const CUSTOMER = "Importaciones Andinas del Sur S.A.C.";

function menuStep(xmlid, content) {
    return {
        content,
        trigger: `.o_main_navbar [data-menu-xmlid='${xmlid}']`,
        run: "click",
    };
}


// A customs agent (Customers groups only, no Sales or Invoicing) works a
// customs file that has a quotation and an invoice linked.
registry.category("web_tour.tours").add("clientes_aduanas_customs_file_kanban", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("clientes_aduanas.clientes_aduanas_menu_root", "Open the Customers app"),
        menuStep("clientes_aduanas.customs_file_menu", "Customs files"),
        {
            content: "Kanban view",
            trigger: ".o_switch_view.o_kanban",
            run: "click",
        },
        {
            content: "Drag the draft file to the next column",
            trigger: `.o_kanban_group:eq(0) ${CARD}`,
            run: "drag_and_drop(.o_kanban_group:eq(1))",
        },
        {
            content: "The move asks first, naming the file",
            trigger: ".modal .modal-body:contains(EXP/)",
        },
        {
            content: "Cancel",
            trigger: ".modal .modal-footer .btn-secondary",
            run: "click",
        },
        {
            content: "The card stayed in its column",
            trigger: `.o_kanban_view:not(:has(.modal)) .o_kanban_group:eq(0) ${CARD}`,
        },
        {
            content: "Drag it again",
            trigger: `.o_kanban_group:eq(0) ${CARD}`,
            run: "drag_and_drop(.o_kanban_group:eq(1))",
        },
        {
            content: "Confirm",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The file moved forward",
            trigger: `.o_kanban_view:not(:has(.modal)) .o_kanban_group:eq(1) ${CARD}:not(.o_kanban_record_processing)`,
        },
        {
            content: "Open it",
            trigger: `.o_kanban_group:eq(1) ${CARD}`,
            run: "click",
        },
        {
            content: "The form opens without an access error, the Sales and Invoicing links hidden",
            trigger: `.o_form_view:not(:has(div[name='sale_order_ids'])):not(:has(div[name='invoice_ids'])) div[name='partner_id'] input:value(${CUSTOMER})`,
        },
        {
            content: "Its state is the new one",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current[data-value='in_progress']",
        },
        menuStep("clientes_aduanas.res_partner_menu_customer", "Customers"),
        {
            content: "Open the customer",
            trigger: `.o_data_row td[name='name']:contains(${CUSTOMER})`,
            run: "click",
        },
        {
            content: "Its history tab",
            trigger: ".o_notebook a.nav-link[name='operations_history']",
            run: "click",
        },
        {
            content: "The history lists the customs file",
            trigger: ".o_field_widget[name='operation_history_ids'] .o_data_row:contains(EXP/)",
        },
        {
            content: "Filter the history",
            trigger: ".o_notebook button[name='action_view_operation_history']",
            run: "click",
        },
        {
            content: "Only this customer's history",
            trigger: ".o_list_view .o_data_row:contains(EXP/)",
        },
        ...filterSteps("Expedientes en proceso"),
        {
            content: "The file in progress is listed",
            trigger: ".o_searchview .o_facet_values:contains(Expedientes en proceso)",
        },
        {
            trigger: ".o_list_view .o_data_row:contains(EXP/)",
        },
        ...filterSteps("Expedientes en proceso"),
        ...filterSteps("Expedientes en borrador"),
        {
            content: "No draft file is left",
            trigger: ".o_searchview .o_facet_values:contains(Expedientes en borrador)",
        },
        {
            trigger: ".o_view_nocontent, .o_list_view:not(:has(.o_data_row))",
        },
    ],
});
