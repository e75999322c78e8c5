/** @odoo-module **/

import { registry } from "@web/core/registry";

const NUMBER = "+51987650001";

// An agent sends the customs-file template from the file itself; the
// messages are listed, queued, on the file's WhatsApp tab.
registry.category("web_tour.tours").add("clientes_aduanas_whatsapp_send_from_file", {
    steps: () => [
        {
            content: "Send WhatsApp from the customs file",
            trigger: ".o_form_view button[name='action_whatsapp_send']",
            run: "click",
        },
        {
            content: "The recipients are the customer's WhatsApp numbers",
            trigger: `.modal .o_field_widget[name='recipients']:contains(${NUMBER})`,
        },
        {
            content: "Choose the template",
            trigger: ".modal .o_field_widget[name='template_id'] input",
            run: "edit estado",
        },
        {
            content: "The approved template is offered",
            trigger: ".o-autocomplete--dropdown-item:contains(estado_expediente)",
            run: "click",
        },
        {
            content: "Its parameters are filled in",
            trigger: ".modal .o_field_widget[name='template_params'] input:value(customer_name, file_reference, file_state)",
        },
        {
            content: "Send",
            trigger: ".modal button[name='action_send']",
            run: "click",
        },
        {
            content: "The dialog closed",
            trigger: ".o_form_view:not(:has(.modal))",
        },
        {
            content: "Open the WhatsApp tab",
            trigger: ".o_notebook .nav-link:contains(WhatsApp)",
            run: "click",
        },
        {
            content: "The message waits in the queue",
            trigger: `.o_field_widget[name='whatsapp_message_ids'] .o_data_row:contains(${NUMBER}):contains(Queued)`,
        },
    ],
});

// After the job ran against the (fake) Graph API, the file shows the state.
registry.category("web_tour.tours").add("clientes_aduanas_whatsapp_state_on_file", {
    steps: () => [
        {
            content: "Open the WhatsApp tab",
            trigger: ".o_notebook .nav-link:contains(WhatsApp)",
            run: "click",
        },
        {
            content: "Delivered to the first number",
            trigger: `.o_field_widget[name='whatsapp_message_ids'] .o_data_row:contains(${NUMBER}):contains(Delivered)`,
        },
        {
            content: "Read on the second number",
            trigger: ".o_field_widget[name='whatsapp_message_ids'] .o_data_row:contains(+51987650002):contains(Read)",
        },
    ],
});
