/** @odoo-module **/

import { registry } from "@web/core/registry";

// The renewal of a customer document, from the portal to the back office:
// the customer's contact sees the expiry of its power of attorney on
// /my/documents and uploads the renewed one through the page's form; the
// broker's staff then accept it in *Customer Documents*.

// The test gives the document 10 days to run; the renewal runs to June 30th
// two years ahead. The browser and the server both run in UTC.
const DAY = 24 * 60 * 60 * 1000;
const isoDate = (date) => date.toISOString().slice(0, 10);
// The portal user reads en_US dates (MM/DD/YYYY).
const usDate = (iso) => {
    const [year, month, day] = iso.split("-");
    return `${month}/${day}/${year}`;
};
const EXPIRY = isoDate(new Date(Date.now() + 10 * DAY));
const RENEWAL_EXPIRY = `${new Date().getUTCFullYear() + 2}-06-30`;
const OWN_ROW = "tr.o_customer_document_row:contains(PODER-A-001)";

registry.category("web_tour.tours").add("clientes_aduanas_portal_document_renewal", {
    url: "/my",
    steps: () => [
        {
            content: "Open the documents entry of the portal home",
            trigger: ".o_portal_index_card a[href='/my/documents']",
            run: "click",
        },
        {
            content: "The power of attorney shows its expiry date",
            trigger: `${OWN_ROW} td:contains(${usDate(EXPIRY)})`,
        },
        {
            content: "...and that it expires soon",
            trigger: `${OWN_ROW} .badge.text-bg-warning`,
        },
        {
            content: "Another customer's document is not listed",
            trigger: ".o_portal_my_doc_table:not(:has(tr:contains(PODER-B-777)))",
        },
        {
            content: "Attach the renewed document",
            trigger: `${OWN_ROW} form.o_customer_document_renewal input[type='file'][name='renewal_file']`,
            run() {
                // A real file in the input: the browser posts it with the form.
                const files = new DataTransfer();
                files.items.add(new File(["%PDF-1.4 poder renovado"], "poder_renovado.pdf", { type: "application/pdf" }));
                this.anchor.files = files.files;
                this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "New expiry date",
            trigger: `${OWN_ROW} form.o_customer_document_renewal input[type='date'][name='expiry_date']`,
            run() {
                this.anchor.value = RENEWAL_EXPIRY;
                this.anchor.dispatchEvent(new Event("input", { bubbles: true }));
                this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "Number of the renewed power of attorney",
            trigger: `${OWN_ROW} form.o_customer_document_renewal input[name='number']`,
            run: "edit PODER-A-002",
        },
        {
            content: "Upload the renewal",
            trigger: `${OWN_ROW} form.o_customer_document_renewal button[type='submit']`,
            run: "click",
        },
        {
            content: "The page thanks the customer",
            trigger: ".o_customer_document_renewal_sent",
        },
        {
            content: "The document waits for the staff's review",
            trigger: `${OWN_ROW} .o_customer_document_under_review`,
        },
    ],
});

registry.category("web_tour.tours").add("clientes_aduanas_customer_document_accept", {
    steps: () => [
        {
            content: "The renewal to review is listed",
            trigger: ".o_list_view .o_data_row:contains(PODER-A-001) td[name='partner_id']",
            run: "click",
        },
        {
            content: "The form shows the renewal the customer uploaded",
            trigger: ".o_form_view div[name='renewal_number']:contains(PODER-A-002)",
        },
        {
            content: "Accept it",
            trigger: ".o_form_view .o_form_statusbar button[name='action_accept_renewal']",
            run: "click",
        },
        {
            content: "No renewal is left to review",
            trigger: ".o_form_view:not(:has(button[name='action_accept_renewal'])) .o_form_sheet:not(:has(.ribbon))",
        },
        {
            content: "The new number is tracked in the document's chatter",
            trigger:
                ".o-mail-Message-tracking:has(.o-mail-Message-trackingOld:contains(PODER-A-001)):has(.o-mail-Message-trackingNew:contains(PODER-A-002))",
        },
    ],
});
