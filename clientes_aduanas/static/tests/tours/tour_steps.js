/** @odoo-module **/

// Steps shared by the addon's tours. Selectors use field names and classes,
// never the text of the addon's own strings (translated after a merge).

// A saved record with nothing left to save.
export const SAVED =
    ".o_form_status_indicator:not(.o_form_status_indicator_new_record) .o_form_status_indicator_buttons.invisible:not(:visible)";

export function fieldSteps(values) {
    return Object.entries(values).map(([name, value]) => ({
        content: `Type ${name}`,
        trigger: name === "name" ? "div[name='name'] textarea" : `div[name='${name}'] input`,
        run: `edit ${value}`,
    }));
}

// A natural person with a DNI on the customer form already open.
export function personSteps({ dni, name, street, phone, email }) {
    return [
        {
            content: "Person",
            trigger: ".o_form_editable div[name='company_type'] input[data-value='person']",
            run: "click",
        },
        {
            content: "Document type DNI",
            trigger: "div[name='l10n_latam_identification_type_id'] input",
            run: "edit DNI",
        },
        {
            trigger: ".o-autocomplete--dropdown-item > a:contains('DNI')",
            run: "click",
        },
        ...fieldSteps({ vat: dni, name, street, phone, email }),
    ];
}

// Toggles a filter of the search panel (by its label: Odoo's or an existing,
// already translated one).
export function filterSteps(label) {
    return [
        { content: "Open the filters", trigger: ".o_searchview_dropdown_toggler", run: "click" },
        { content: `Filter ${label}`, trigger: `.o_filter_menu .o_menu_item:contains(${label})`, run: "click" },
        { content: "Close the filters", trigger: ".o_searchview_dropdown_toggler", run: "click" },
    ];
}
