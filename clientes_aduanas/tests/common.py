from odoo.tests import TransactionCase, new_test_user


class ClientesAduanasCase(TransactionCase):
    """Users with each permission, built once for the class."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.pe = cls.env.ref("base.pe")
        cls.hn = cls.env.ref("base.hn")
        cls.IdType = cls.env["l10n_latam.identification.type"]
        cls.type_ruc = cls.IdType._get_by_document_code("pe_ruc")
        cls.type_dni = cls.IdType._get_by_document_code("pe_dni")
        cls.type_rtn = cls.IdType._get_by_document_code("hn_rtn")
        cls.type_hn_identity = cls.IdType._get_by_document_code("hn_identity")
        group = "clientes_aduanas.clientes_aduanas_group_%s"
        cls.user_plain = new_test_user(cls.env, login="ca_plain", groups="base.group_user")
        cls.user_view = new_test_user(cls.env, login="ca_view", groups=group % "view")
        cls.user_create = new_test_user(cls.env, login="ca_create", groups=group % "create")
        cls.user_edit = new_test_user(cls.env, login="ca_edit", groups=group % "edit")
        cls.user_delete = new_test_user(cls.env, login="ca_delete", groups=group % "delete")
        cls.user_manager = new_test_user(cls.env, login="ca_manager", groups=group % "manager")
