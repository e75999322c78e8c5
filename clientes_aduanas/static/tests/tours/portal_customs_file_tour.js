/** @odoo-module **/

import { registry } from "@web/core/registry";

// A customer's contact opens its portal, lists its company's customs files,
// keeps the exportations, opens one and asks a question in its chatter.
registry.category("web_tour.tours").add("clientes_aduanas_portal_customs_file", {
    url: "/my",
    steps: () => [
        {
            content: "Open the customs files entry of the portal home",
            trigger: ".o_portal_index_card a[href='/my/expedientes']",
            run: "click",
        },
        {
            content: "The list shows the company's files",
            trigger: "tr.o_customs_file_row:nth-child(3)",
        },
        {
            content: "Open the filters",
            trigger: "#portal_searchbar_filters",
            run: "click",
        },
        {
            content: "Keep the exportations",
            trigger: ".dropdown-menu a[href*='filterby=export']",
            run: "click",
        },
        {
            content: "Two exportations are left",
            trigger:
                ".o_portal_my_doc_table:not(:has(tr.o_customs_file_row:nth-child(3))) tr.o_customs_file_row:nth-child(2)",
        },
        {
            content: "Open the newest one, addressed to the contact",
            trigger: "tr.o_customs_file_row:first a",
            run: "click",
        },
        {
            content: "The file page shows the goods",
            trigger: ".o_customs_file_goods:contains('Repuestos de motor')",
        },
        {
            content: "Write a question",
            trigger: "#chatterRoot:shadow .o-mail-Composer-input",
            run: "edit ¿Cuándo sale mi carga?",
        },
        {
            content: "Send it",
            trigger: "#chatterRoot:shadow .o-mail-Composer-send:enabled",
            run: "click",
        },
        {
            content: "The question is in the file's chatter",
            trigger: "#chatterRoot:shadow .o-mail-Message-body:contains('¿Cuándo sale mi carga?')",
        },
    ],
});
