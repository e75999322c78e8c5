/** @odoo-module **/

import { ConfirmationDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { RelationalModel } from "@web/model/relational_model/relational_model";
import { kanbanView } from "@web/views/kanban/kanban_view";

// A card dropped in another column changes the customs file's status, which
// runs the workflow guards and e-mails the customer: the user confirms first,
// as with the form's buttons. Cancelling leaves the card where it was.
export class CustomsFileKanbanDynamicGroupList extends RelationalModel.DynamicGroupList {
    async moveRecord(dataRecordId, dataGroupId, refId, targetGroupId) {
        const source = this.groups.find((group) => group.id === dataGroupId);
        const target = this.groups.find((group) => group.id === targetGroupId);
        // Only the status columns run the workflow (grouped by customer or
        // type, a move is a plain change of that field).
        if (dataGroupId !== targetGroupId && source && source.groupByField.name === "state") {
            const record = source.list.records.find((rec) => rec.id === dataRecordId);
            const confirmed = await new Promise((resolve) => {
                this.model.dialog.add(
                    ConfirmationDialog,
                    {
                        title: _t("Change the customs file status"),
                        body: _t(
                            "Move %(file)s from “%(source)s” to “%(target)s”? The customer is notified of the new status.",
                            {
                                file: (record && record.data.name) || "",
                                source: source.displayName || "",
                                target: (target && target.displayName) || "",
                            }
                        ),
                        confirmLabel: _t("Move"),
                        confirm: () => resolve(true),
                        cancel: () => resolve(false),
                    },
                    { onClose: () => resolve(false) }
                );
            });
            if (!confirmed) {
                return;
            }
        }
        return super.moveRecord(...arguments);
    }
}

export class CustomsFileKanbanModel extends RelationalModel {}
CustomsFileKanbanModel.DynamicGroupList = CustomsFileKanbanDynamicGroupList;

export const customsFileKanbanView = {
    ...kanbanView,
    Model: CustomsFileKanbanModel,
};

registry.category("views").add("customs_file_kanban", customsFileKanbanView);
