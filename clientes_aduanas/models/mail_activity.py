from odoo import api, models
from odoo.tools import SQL


class MailActivity(models.Model):
    _inherit = "mail.activity"

    @api.model
    def _subscribe_responsibles_sql(self, res_model, activity_ids):
        """The responsible of each activity of ``activity_ids`` (inserted in
        SQL, on records of ``res_model``) follows its record with the default
        subtypes, as create subscribes them: its ``message_subscribe`` per
        activity is what the SQL insert avoids. A follower already there
        keeps its own subtypes."""
        default, _internal, external = self.env["mail.message.subtype"].default_subtypes(res_model)
        self.env["mail.followers"].flush_model()
        self.env.cr.execute(
            SQL(
                """WITH new AS (
                    INSERT INTO mail_followers (res_model, res_id, partner_id)
                    SELECT DISTINCT a.res_model, a.res_id, u.partner_id
                      FROM mail_activity a JOIN res_users u ON u.id = a.user_id
                     WHERE a.id = ANY(%(ids)s)
                    ON CONFLICT DO NOTHING
                 RETURNING id, partner_id)
                INSERT INTO mail_followers_mail_message_subtype_rel (mail_followers_id, mail_message_subtype_id)
                SELECT new.id, subtype.id
                  FROM new JOIN res_partner p ON p.id = new.partner_id
                 CROSS JOIN unnest(CASE WHEN p.partner_share THEN %(external)s::int[] ELSE %(default)s::int[] END)
                       AS subtype(id)""",
                ids=activity_ids,
                default=default.ids,
                external=external.ids,
            )
        )
        self.env["mail.followers"].invalidate_model()
        self.env[res_model].invalidate_model(["message_follower_ids", "message_partner_ids"])
