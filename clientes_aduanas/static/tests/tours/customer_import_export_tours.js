/** @odoo-module **/

import { browser } from "@web/core/browser/browser";
import { rpc } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";
import { filterSteps } from "@clientes_aduanas/../tests/tours/tour_steps";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

// Puts the file prepared by the test into the upload field, as a user picking
// it in the file dialog would (a DataTransfer on the file input).
async function pickFile(anchor, attachmentName, fileName) {
    const [attachment] = await rpc("/web/dataset/call_kw/ir.attachment/search_read", {
        model: "ir.attachment",
        method: "search_read",
        args: [[["name", "=", attachmentName]], ["datas"]],
        kwargs: {},
    });
    const bytes = Uint8Array.from(atob(attachment.datas), (char) => char.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], fileName, { type: XLSX }));
    const input = anchor.querySelector("input[type='file']");
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
}

// Clicks a download button and fetches what the browser would save. The
// button's action sends the browser to the file's URL (ir.actions.act_url),
// which headless Chrome refuses as a download: the URL is taken instead and
// fetched, so the step checks that the file is really served.
function fakeLocation(assign) {
    const real = window.location;
    const fake = {
        assign,
        replace: (url) => real.replace(url),
        reload: () => real.reload(),
        toString: () => real.href,
    };
    for (const key of ["href", "origin", "protocol", "host", "hostname", "port", "pathname", "search", "hash"]) {
        Object.defineProperty(fake, key, { get: () => real[key] });
    }
    return fake;
}

async function download(helpers, expectedName) {
    const descriptor = Object.getOwnPropertyDescriptor(browser, "location");
    let timer;
    const assigned = new Promise((resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`no download of ${expectedName}`)), 10000);
        Object.defineProperty(browser, "location", {
            configurable: true,
            get: () => fakeLocation(resolve),
        });
    });
    let url;
    try {
        await helpers.click();
        url = await assigned;
    } finally {
        clearTimeout(timer);
        Object.defineProperty(browser, "location", descriptor);
    }
    const response = await fetch(url);
    const disposition = response.headers.get("Content-Disposition") || "";
    if (!response.ok || !disposition.includes(expectedName)) {
        throw new Error(`${url} did not serve ${expectedName} (${response.status} ${disposition})`);
    }
    return new Uint8Array(await response.arrayBuffer());
}

function assertXlsx(bytes) {
    // An .xlsx is a zip archive: "PK".
    if (bytes[0] !== 0x50 || bytes[1] !== 0x4b) {
        throw new Error("the downloaded file is not an .xlsx");
    }
}

registry.category("web_tour.tours").add("clientes_aduanas_customer_import", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("clientes_aduanas.clientes_aduanas_menu_root", "Open the Customers app"),
        {
            content: "Import",
            trigger: ".o_main_navbar [data-menu-xmlid='clientes_aduanas.customer_import_wizard_menu']",
            run: "click",
        },
        {
            content: "Download the template",
            trigger: ".modal button[name='action_download_template']",
            async run(helpers) {
                assertXlsx(await download(helpers, "plantilla_clientes.xlsx"));
            },
        },
        {
            content: "Upload the filled file",
            trigger: ".modal div[name='file']",
            async run() {
                await pickFile(this.anchor, "ca_tour_import.xlsx", "clientes_tour.xlsx");
            },
        },
        {
            content: "The file is loaded (it can be removed)",
            trigger: ".modal div[name='file'] .fa-trash",
        },
        {
            content: "Preview",
            trigger: ".modal button[name='action_preview']",
            run: "click",
        },
        {
            content: "Three rows, one with errors",
            trigger: ".modal div[name='count_total']:contains(3)",
        },
        {
            trigger: ".modal div[name='count_error']:contains(1)",
        },
        {
            content: "The preview shows the wrong check digit row in red",
            trigger: ".modal .o_customer_import_preview tr.table-danger:contains(20512345672)",
        },
        {
            content: "Import only the valid rows",
            trigger: ".modal div[name='import_valid_only'] input",
            run: "click",
        },
        {
            trigger: ".modal div[name='import_valid_only'] input:checked",
        },
        {
            trigger: ".modal button[name='action_import']",
            run: "click",
        },
        {
            content: "Two customers created, one row skipped",
            trigger: ".modal div[name='result_created']:contains(2)",
        },
        {
            trigger: ".modal div[name='result_skipped']:contains(1)",
        },
        {
            content: "Open the rejected rows",
            trigger: ".modal button[name='action_download_rejected']",
            async run(helpers) {
                assertXlsx(await download(helpers, ".xlsx"));
            },
        },
        {
            content: "Close",
            trigger: ".modal .modal-footer button.btn-secondary:not([name])",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
    ],
});

function exportSteps(format) {
    return [
        // The list clears its selection after each export.
        {
            trigger: ".o_list_view:not(:has(.o_data_row_selected)) .o_data_row",
        },
        {
            content: "Select the whole filtered list",
            trigger: "body:not(:has(.o_search_bar_menu)) .o_list_view thead th.o_list_record_selector",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row.o_data_row_selected ~ .o_data_row.o_data_row_selected",
        },
        {
            content: "Action menu",
            trigger: ".o_control_panel .o_cp_action_menus button",
            run: "click",
        },
        {
            content: "Export customers",
            trigger: ".o-dropdown--menu .o_menu_item:contains(Exportar clientes)",
            run: "click",
        },
        {
            content: "The two Peruvian customers",
            trigger: ".modal div[name='customer_count']:contains(2)",
        },
        {
            content: `Format ${format}`,
            trigger: `.modal div[name='export_format'] input[data-value='${format}']`,
            run: "click",
        },
        {
            trigger: ".modal button[name='action_export']",
            async run(helpers) {
                const bytes = await download(helpers, `clientes.${format}`);
                if (format === "xlsx") {
                    assertXlsx(bytes);
                } else if (!new TextDecoder().decode(bytes).includes("Tour Export Lima S.A.C.")) {
                    throw new Error("the .csv does not list the filtered customers");
                }
            },
        },
        {
            content: "Close",
            trigger: ".modal .modal-footer button.btn-secondary:not([name])",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
    ];
}

registry.category("web_tour.tours").add("clientes_aduanas_customer_export", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("clientes_aduanas.clientes_aduanas_menu_root", "Open the Customers app"),
        ...filterSteps("Perú"),
        {
            content: "The Honduran customer is filtered out",
            trigger: ".o_list_view:not(:has(td[name='name']:contains(Sula))) td[name='name']:contains(Tour Export Lima)",
        },
        ...exportSteps("xlsx"),
        ...exportSteps("csv"),
    ],
});
