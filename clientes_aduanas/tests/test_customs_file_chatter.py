from odoo.tests import tagged

from .common import CustomsCase


@tagged("post_install", "-at_install")
class TestCustomsFileChatter(CustomsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_spanish()
        cls.env["ir.module.module"]._load_module_terms(["mail"], ["es_PE"], overwrite=True)
        cls.env.company.partner_id.lang = "es_PE"
        cls.user_en = cls.user_manager
        cls.user_en.lang = "en_US"

    def _creation_body(self, record):
        message = record.message_ids.filtered(lambda m: m.message_type == "notification")[-1:]
        return message.body

    def test_creation_message_in_company_spanish(self):
        record = self._file().with_user(self.user_en)
        self.assertIn("Expediente creado", self._creation_body(record))

    def test_creation_message_spanish_when_company_speaks_english(self):
        # The company partner's language is not Spanish: the installed Spanish is used.
        self.env.company.partner_id.lang = "en_US"
        record = (
            self.env["customs.file"]
            .with_user(self.user_en)
            .create({"partner_id": self.customer.id, "operation_type": "import"})
        )
        self.assertIn("Expediente creado", self._creation_body(record))
