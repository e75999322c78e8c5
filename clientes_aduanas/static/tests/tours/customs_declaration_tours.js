/** @odoo-module **/

import { registry } from "@web/core/registry";

// A broker records the declaration of a Honduran import: channel rojo, one
// goods line, and reads the CIF and the tax breakdown.
registry.category("web_tour.tours").add("clientes_aduanas_customs_declaration", {
    steps: () => [
        {
            content: "Declaration tab",
            trigger: ".o_form_view .o_notebook a[name='declaration']",
            run: "click",
        },
        {
            content: "Customs assigned the red channel",
            trigger: ".o_form_view div[name='selectivity_channel'] .o_radio_item:contains(Rojo) input",
            run: "click",
        },
        {
            content: "The red ribbon shows",
            trigger: ".o_form_view .ribbon:contains(Canal rojo)",
        },
        {
            content: "Values and taxes tab",
            trigger: ".o_form_view .o_notebook a[name='taxes']",
            run: "click",
        },
        {
            content: "Add a goods line",
            trigger: ".o_form_view div[name='goods_line_ids'] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Tariff code",
            trigger: "div[name='goods_line_ids'] .o_selected_row div[name='tariff_code'] input",
            run: "edit 84713000",
        },
        {
            content: "Description",
            trigger: "div[name='goods_line_ids'] .o_selected_row div[name='name'] input",
            run: "edit Computadoras portátiles",
        },
        {
            content: "FOB value",
            trigger: "div[name='goods_line_ids'] .o_selected_row div[name='fob_amount'] input",
            run: "edit 1000",
        },
        {
            content: "Duty rate",
            trigger: "div[name='goods_line_ids'] .o_selected_row div[name='duty_rate'] input",
            run: "edit 10",
        },
        {
            content: "Save",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "Saved: the tariff code is formatted",
            trigger: ".o_form_view div[name='goods_line_ids'] .o_data_row:not(.o_selected_row) td[name='tariff_code']:contains(8471.30.00)",
        },
        {
            content: "CIF 1,000 and the DAI line (10 %)",
            trigger: ".o_form_view div[name='tax_line_ids'] .o_data_row:contains(DAI):contains(100.00)",
        },
        {
            content: "ISV 15 % of CIF + DAI",
            trigger: ".o_form_view div[name='tax_line_ids'] .o_data_row:contains(ISV):contains(165.00)",
        },
        {
            content: "Total taxes",
            trigger: ".o_form_view div[name='tax_total']:contains(265.00)",
        },
    ],
});
