import base64
import os
import tempfile

from odoo import api, fields, models
from odoo.exceptions import UserError

PARAM_PATH = "clientes_aduanas.padron_path"
# Base64 decoded by slices (a multiple of 4) so the upload is never held
# twice in memory.
B64_SLICE = 4 << 20
# An upload travels whole in the browser's request: beyond this size the
# file goes through the server directory (SUNAT's is about 370 MB).
UPLOAD_MAX_MB = 50


class SunatPadronLoadWizard(models.TransientModel):
    """Loads or refreshes the offline SUNAT padrón from a file on the
    server (the usual case: the .zip is several hundred MB) or from an
    uploaded file."""

    _name = "sunat.padron.load.wizard"
    _description = "Load SUNAT Padrón"

    provider_id = fields.Many2one(
        "document.lookup.provider",
        required=True,
        domain=[("kind", "=", "sunat_padron")],
        context={"active_test": False},
    )
    source = fields.Selection(
        [("path", "File on the server"), ("upload", "Uploaded file")],
        required=True,
        default="path",
    )
    path = fields.Char(
        string="Path on the Server",
        default=lambda self: self.env["ir.config_parameter"].sudo().get_param(PARAM_PATH),
        help="padron_reducido_ruc.zip or its .txt, as downloaded from SUNAT: a file name inside the padrón "
        "directory set in the settings, or a full path inside it.",
    )
    padron_directory = fields.Char(
        string="Padrón Directory",
        readonly=True,
        default=lambda self: self.env["ir.config_parameter"].sudo().get_param("clientes_aduanas.padron_directory"),
    )
    remember_path = fields.Boolean(
        string="Use for the Daily Refresh",
        default=True,
        help="The scheduled action 'Clientes: refresh SUNAT padrón' reloads this file every day.",
    )
    upload = fields.Binary(string="File", attachment=False)
    upload_name = fields.Char()
    report = fields.Text(readonly=True)

    @api.model
    def default_get(self, fields_list):
        if not self.env.is_admin():
            raise UserError(self.env._("Only administrators can load the SUNAT padrón."))
        return super().default_get(fields_list)

    def action_load(self):
        self.ensure_one()
        if self.source == "path":
            if not self.path:
                raise UserError(self.env._("Give the path of the padrón file on the server."))
            path = self.path.strip()
            stats = self.provider_id._load_padron_file(path)
            if self.remember_path:
                self.env["ir.config_parameter"].sudo().set_param(PARAM_PATH, path)
        else:
            if not self.upload:
                raise UserError(self.env._("Choose the padrón file to upload."))
            data = self.upload
            if len(data) * 3 // 4 > UPLOAD_MAX_MB << 20:
                raise UserError(
                    self.env._(
                        "Files larger than %(size)s MB cannot be uploaded through the browser: copy the file into "
                        "the padrón directory on the server and choose 'File on the server'.",
                        size=UPLOAD_MAX_MB,
                    )
                )
            suffix = os.path.splitext(self.upload_name or "")[1].lower() or ".txt"
            with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
                for start in range(0, len(data), B64_SLICE):
                    handle.write(base64.b64decode(data[start : start + B64_SLICE]))
                handle.flush()
                stats = self.provider_id._load_padron_path(handle.name, self.upload_name or "padron")
        self.report = self.provider_id.padron_report
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "context": {"padron_loaded_rows": stats.loaded},
        }
