from datetime import date, datetime, timedelta

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from ..models.customs_file_goods_line import normalize_tariff_code
from ..tools import container_number, customs_tax
from .common import ClientesAduanasCase


class DeclarationCase(ClientesAduanasCase):
    """A Honduran broker (company in lempiras) and a Peruvian one (soles),
    each with its dollar rates on two dates."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False, mail_notrack=False))
        cls.usd = cls.env.ref("base.USD")
        cls.hnl = cls.env.ref("base.HNL")
        cls.pen = cls.env.ref("base.PEN")
        (cls.hnl | cls.pen | cls.usd).active = True
        cls.company_hn = cls.env["res.company"].create(
            {"name": "Agencia Aduanera Sula", "country_id": cls.hn.id, "currency_id": cls.hnl.id}
        )
        cls.company_pe = cls.env["res.company"].create(
            {"name": "Agencia de Aduanas Callao", "country_id": cls.pe.id, "currency_id": cls.pen.id}
        )
        # Odoo's rate is units of the currency per unit of the company's:
        # 1 USD = 24.50 HNL in January, 25.00 HNL in February; 3.75 PEN.
        cls.env["res.currency.rate"].create(
            [
                {"currency_id": cls.usd.id, "company_id": cls.company_hn.id, "name": "2026-01-10", "rate": 1 / 24.5},
                {"currency_id": cls.usd.id, "company_id": cls.company_hn.id, "name": "2026-02-10", "rate": 1 / 25.0},
                {"currency_id": cls.usd.id, "company_id": cls.company_pe.id, "name": "2026-01-10", "rate": 1 / 3.75},
            ]
        )
        cls.env.user.company_ids |= cls.company_hn | cls.company_pe
        cls.customer = cls.env["res.partner"].create(
            cls._hn_vals(notification_emails="ops@sula.example.hn", lang="es_PE")
        )
        cls.customer_pe = cls._create_customer(notification_emails="ops@lima.example.pe")
        cls.office_pco = cls.env.ref("clientes_aduanas.customs_office_hn_pco")
        cls.office_callao = cls.env.ref("clientes_aduanas.customs_office_pe_118")
        cls.tax = {
            xmlid.rsplit("_", 1)[-1]: cls.env.ref(f"clientes_aduanas.customs_tax_type_{xmlid}")
            for xmlid in ("hn_dai", "hn_isv", "hn_std", "pe_av", "pe_isc", "pe_igv", "pe_ipm", "pe_percepcion")
        }

    @classmethod
    def _hn_file(cls, **vals):
        return (
            cls.env["customs.file"]
            .with_company(cls.company_hn)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "company_id": cls.company_hn.id,
                    "currency_id": cls.usd.id,
                    "customs_office_id": cls.office_pco.id,
                    "declaration_type": "duca_d",
                    "declaration_date": "2026-01-15",
                    **vals,
                }
            )
        )

    def _taxes(self, record):
        return {line.tax_type_id: (line.base_amount, line.amount) for line in record.tax_line_ids}


@tagged("post_install", "-at_install")
class TestCustomsTaxes(DeclarationCase):
    def test_honduras_cif_dai_isv_worked_example(self):
        record = self._hn_file(
            freight_amount=200.0,
            insurance_amount=40.0,
            goods_line_ids=[
                Command.create({"tariff_code": "8471.30.00", "name": "Laptops", "fob_amount": 1000.0, "duty_rate": 10}),
                Command.create(
                    {"tariff_code": "8703230000", "name": "Vehículo", "fob_amount": 3000.0, "duty_rate": 15}
                ),
            ],
        )
        # The country's default taxes (DAI, ISV), not the optional charges.
        self.assertEqual(record.tax_line_ids.tax_type_id, self.tax["dai"] | self.tax["isv"])
        self.assertEqual(record.goods_line_ids[1].tariff_code, "8703.23.00.00")
        # Freight + insurance 240 shared by FOB: 240 * 1000/4000 = 60, the
        # rest (180) to the last line. CIF 1060 + 3180 = 4240 USD.
        self.assertEqual(record.fob_amount, 4000.0)
        self.assertEqual(record.cif_amount, 4240.0)
        self.assertEqual(record.goods_line_ids.mapped("cif_amount"), [1060.0, 3180.0])
        # At 24.50 (rate of 2026-01-10, the declaration is of the 15th):
        # 1060 * 24.5 = 25,970.00; 3180 * 24.5 = 77,910.00; CIF 103,880.00 HNL.
        self.assertAlmostEqual(record.exchange_rate, 24.5)
        self.assertEqual(record.cif_amount_local, 103880.0)
        # DAI: 25,970 * 10 % = 2,597.00 + 77,910 * 15 % = 11,686.50 = 14,283.50.
        self.assertEqual(record.goods_line_ids.mapped("duty_amount"), [2597.0, 11686.5])
        # ISV: 15 % of (103,880.00 + 14,283.50) = 118,163.50 * 0.15 = 17,724.525 -> 17,724.53 (half up).
        taxes = self._taxes(record)
        self.assertEqual(taxes[self.tax["dai"]], (103880.0, 14283.5))
        self.assertEqual(taxes[self.tax["isv"]], (118163.5, 17724.53))
        self.assertEqual(record.tax_total, 14283.5 + 17724.53)

        # The broker itemises the STD (fixed L 250.00): it enters the ISV base.
        record.tax_line_ids = [Command.create({"tax_type_id": self.tax["std"].id, "fixed_amount": 250.0})]
        # ISV: 15 % of (118,163.50 + 250.00) = 118,413.50 * 0.15 = 17,762.025 -> 17,762.03.
        self.assertEqual(self._taxes(record)[self.tax["isv"]], (118413.5, 17762.03))
        self.assertEqual(record.tax_total, 14283.5 + 250.0 + 17762.03)

        # One line changes: every figure follows.
        record.goods_line_ids[0].duty_rate = 0
        # DAI 11,686.50 only; ISV 15 % of (103,880 + 11,686.50 + 250) = 115,816.50 -> 17,372.475 -> 17,372.48.
        self.assertEqual(self._taxes(record)[self.tax["isv"]], (115816.5, 17372.48))

    def test_conversion_at_the_declaration_date_and_rounding(self):
        record = self._hn_file(
            goods_line_ids=[Command.create({"tariff_code": "84713000", "name": "Cable", "fob_amount": 1.01})]
        )
        # 1.01 * 24.50 = 24.745 -> 24.75 L (half up, not to even).
        self.assertEqual(record.cif_amount_local, 24.75)
        self.assertEqual(self._taxes(record)[self.tax["isv"]], (24.75, 3.71))  # 3.7125 -> 3.71
        record.declaration_date = "2026-02-15"
        # February's rate: 1.01 * 25 = 25.25 L; ISV 3.7875 -> 3.79.
        self.assertAlmostEqual(record.exchange_rate, 25.0)
        self.assertEqual(record.cif_amount_local, 25.25)
        self.assertEqual(self._taxes(record)[self.tax["isv"]], (25.25, 3.79))
        # The rate customs applied can be typed in.
        record.exchange_rate = 24.6
        self.assertEqual(record.cif_amount_local, 24.85)  # 24.846 -> 24.85
        # A file in the local currency converts at 1.
        local = self._hn_file(currency_id=self.hnl.id, freight_amount=100.0)
        self.assertEqual(local.exchange_rate, 1.0)
        self.assertEqual(local.cif_amount_local, 100.0)

    def test_peru_taxes_same_shape(self):
        record = (
            self.env["customs.file"]
            .with_company(self.company_pe)
            .create(
                {
                    "partner_id": self.customer_pe.id,
                    "company_id": self.company_pe.id,
                    "currency_id": self.usd.id,
                    "customs_office_id": self.office_callao.id,
                    "declaration_type": "dam",
                    "declaration_date": "2026-01-20",
                    "freight_amount": 800.0,
                    "insurance_amount": 200.0,
                    "goods_line_ids": [
                        Command.create(
                            {"tariff_code": "8432.80.90.00", "name": "Repuestos", "fob_amount": 9000.0, "duty_rate": 6}
                        ),
                    ],
                }
            )
        )
        self.assertEqual(record.declaration_country_id, self.pe)
        self.assertEqual(
            record.tax_line_ids.tax_type_id,
            self.tax["av"] | self.tax["igv"] | self.tax["ipm"] | self.tax["percepcion"],
        )
        # CIF 9,000 + 800 + 200 = 10,000 USD * 3.75 = 37,500.00 PEN.
        self.assertEqual(record.cif_amount_local, 37500.0)
        taxes = self._taxes(record)
        # Ad valorem 6 % = 2,250.00.
        self.assertEqual(taxes[self.tax["av"]], (37500.0, 2250.0))
        # IGV 16 % and IPM 2 % of 37,500 + 2,250 = 39,750: 6,360.00 and 795.00.
        self.assertEqual(taxes[self.tax["igv"]], (39750.0, 6360.0))
        self.assertEqual(taxes[self.tax["ipm"]], (39750.0, 795.0))
        # Percepción 3.5 % of 39,750 + 6,360 + 795 = 46,905: 1,641.675 -> 1,641.68.
        self.assertEqual(taxes[self.tax["percepcion"]], (46905.0, 1641.68))
        self.assertEqual(record.tax_total, 2250.0 + 6360.0 + 795.0 + 1641.68)
        # ISC where it applies (10 % on CIF + ad valorem = 3,975.00) enters IGV/IPM's base.
        record.tax_line_ids = [Command.create({"tax_type_id": self.tax["isc"].id, "rate": 10})]
        taxes = self._taxes(record)
        self.assertEqual(taxes[self.tax["isc"]], (39750.0, 3975.0))
        self.assertEqual(taxes[self.tax["igv"]], (43725.0, 6996.0))

    def test_pure_functions(self):
        # Shares that do not divide evenly: 100 over three equal lines.
        self.assertEqual(customs_tax.share_costs([10.0, 10.0, 10.0], 100.0, 0.0), [43.33, 43.33, 43.34])
        self.assertEqual(customs_tax.share_costs([0.0, 0.0], 50.0, 0.0), [0.0, 0.0])
        self.assertEqual(customs_tax.round_money(2.675), 2.68)  # round() gives 2.67
        result = customs_tax.compute_taxes(
            [100.0],
            [5.0],
            [
                {"key": "d", "amount_type": "duty"},
                {"key": "f", "amount_type": "fixed", "fixed_amount": 7.0},
                {"key": "v", "amount_type": "percent", "rate": 15, "base_cif": True, "base_keys": ["d", "f"]},
            ],
        )
        # 100 * 5 % = 5; fixed 7; 15 % of (100 + 5 + 7) = 16.80.
        self.assertEqual(result, {"d": (100.0, 5.0), "f": (0.0, 7.0), "v": (112.0, 16.8)})

    def test_tariff_code_format(self):
        self.assertEqual(normalize_tariff_code("8471.30.00"), "8471.30.00")
        self.assertEqual(normalize_tariff_code("8471 30 00 10"), "8471.30.00.10")
        self.assertIsNone(normalize_tariff_code("84713"))
        self.assertIsNone(normalize_tariff_code("8471.30.0A"))
        with self.assertRaisesRegex(ValidationError, "84713"):
            self._hn_file(goods_line_ids=[Command.create({"tariff_code": "84713", "name": "X", "fob_amount": 1})])
        with self.assertRaises(ValidationError):
            self._hn_file(goods_line_ids=[Command.create({"tariff_code": "84713000", "name": "X", "duty_rate": -1})])

    def test_tax_invoice_and_payment(self):
        # The main company (it has a chart of accounts), in its own currency.
        company = self.env.company
        record = self.env["customs.file"].create(
            {
                "partner_id": self.customer.id,
                "currency_id": company.currency_id.id,
                "customs_office_id": self.office_pco.id,
                "goods_line_ids": [
                    Command.create(
                        {"tariff_code": "84713000", "name": "Laptops", "fob_amount": 1000.0, "duty_rate": 10}
                    )
                ],
            }
        )
        # CIF 1,000; DAI 10 % = 100; ISV 15 % of 1,100 = 165.
        self.assertEqual(record.tax_total, 265.0)
        action = record.action_create_tax_invoice()
        move = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(record.invoice_ids, move)
        self.assertEqual(move.partner_id, self.customer)
        self.assertEqual(move.state, "draft")
        self.assertEqual(move.amount_total, 265.0, "taxes re-billed as paid, without VAT on them")
        self.assertEqual(sorted(move.invoice_line_ids.mapped("price_unit")), [100.0, 165.0])
        record.write({"tax_payment_date": "2026-01-16", "tax_receipt_number": "BAN-778812"})
        self.assertEqual(record.tax_receipt_number, "BAN-778812")
        empty = self.env["customs.file"].create({"partner_id": self.customer.id})
        with self.assertRaises(UserError):
            empty.action_create_tax_invoice()

    def test_base_taxes_of_another_country_refused(self):
        with self.assertRaises(ValidationError):
            self.tax["isv"].base_tax_type_ids |= self.tax["av"]


@tagged("post_install", "-at_install")
class TestContainers(DeclarationCase):
    def test_check_digit(self):
        # ISO 6346 annex A example: CSQU305438, check digit 3.
        self.assertEqual(container_number.check_digit("CSQU305438"), 3)
        self.assertTrue(container_number.is_valid("CSQU3054383"))
        self.assertFalse(container_number.is_valid("CSQU3054384"), "wrong check digit")
        self.assertFalse(container_number.is_valid("CSQ3054383"), "owner code of 3 letters + category")
        self.assertFalse(container_number.is_valid("CSQX3054383"), "category U, J or Z")
        self.assertEqual(container_number.normalize("csqu 305438-3"), "CSQU3054383")

    def test_lines_normalised_and_validated(self):
        record = self._hn_file()
        record.container_ids = [
            Command.create({"name": "csqu 305438-3", "container_type": "40hc", "seal_number": "S1"})
        ]
        self.assertEqual(record.container_ids.name, "CSQU3054383", "lower case and separators accepted")
        with self.assertRaisesRegex(ValidationError, "MSKU1234567"):
            record.container_ids = [Command.create({"name": "MSKU1234567"})]
        with self.assertRaises(ValidationError):
            record.container_ids.name = "CSQU3054384"

    def test_bulk_paste_refuses_invalid(self):
        record = self._hn_file()
        with self.assertRaisesRegex(ValidationError, "TGHU1234568"):
            record.container_paste = "CSQU3054383\nmsku9070323, TGHU1234568"
        self.assertFalse(record.container_ids, "an invalid number in the paste adds nothing")

    def test_bulk_paste_valid(self):
        record = self._hn_file()
        with Form(record) as form:
            form.container_paste = "CSQU3054383\nmsku9070323;CSQU3054383"
        self.assertEqual(record.container_ids.mapped("name"), ["CSQU3054383", "MSKU9070323"])
        self.assertEqual(record.container_count, 2)
        # Pasting again skips the numbers already there.
        record.container_paste = "MSKU9070323"
        self.assertEqual(record.container_count, 2)


@tagged("post_install", "-at_install")
class TestSelectivity(DeclarationCase):
    def _mails(self, record):
        return self.env["mail.mail"].search([("model", "=", "customs.file"), ("res_id", "=", record.id)])

    def test_channel_and_levante_timestamps_and_notifications(self):
        record = self._hn_file(arrival_date=fields.Date.today() - timedelta(days=5))
        self.assertEqual(record.days_in_customs, 5)
        record.action_start()
        self.assertEqual(len(self._mails(record)), 1, "the state change")
        self.env.cr.precommit.run()
        before = fields.Datetime.now()
        record.selectivity_channel = "red"
        self.assertGreaterEqual(record.channel_datetime, before.replace(microsecond=0))
        channel_mail = self._mails(record)[:1]
        self.assertEqual(len(self._mails(record)), 2)
        self.assertIn("Rojo", channel_mail.subject)
        self.assertIn(record.name, channel_mail.body_html)
        self.env.cr.precommit.run()  # tracking values are written at commit
        record.invalidate_recordset(["message_ids"])
        self.assertTrue(
            record.message_ids.tracking_value_ids.filtered(lambda v: v.field_id.name == "selectivity_channel"),
            "the channel is tracked in the chatter",
        )
        # Same channel again: nothing new.
        record.selectivity_channel = "red"
        self.assertEqual(len(self._mails(record)), 2)
        record.declaration_number = "0801-2026-DUCA-000123"
        record.action_release()
        self.assertTrue(record.release_datetime, "the move to released is the levante")
        mails = self._mails(record)
        self.assertEqual(len(mails), 3, "one e-mail: the levante's, not also the state change's")
        self.assertIn("levante", mails[:1].subject)
        self.assertIn("0801-2026-DUCA-000123", mails[:1].body_html)
        self.assertEqual(record.days_in_customs, 5)
        # Back to draft (cancel and reopen) clears the levante.
        record.action_cancel()
        record.action_draft()
        self.assertFalse(record.release_datetime)

    def test_levante_recorded_by_hand_and_days(self):
        arrival = date(2026, 1, 10)
        record = self._hn_file(arrival_date=arrival, state="in_progress", declaration_number="D-1")
        record.release_datetime = datetime(2026, 1, 13, 15, 30)
        self.assertEqual(record.days_in_customs, 3)
        self.assertEqual(len(self._mails(record)), 1, "the levante e-mail")
        with self.assertRaises(ValidationError):
            record.release_datetime = datetime(2026, 1, 9, 8, 0)
        record.action_release()
        self.assertEqual(record.release_datetime, datetime(2026, 1, 13, 15, 30), "the recorded levante is kept")
        self.assertEqual(len(self._mails(record)), 1, "the levante was already announced")

    def test_days_in_customs_search(self):
        today = fields.Date.today()
        old = self._hn_file(arrival_date=today - timedelta(days=10))
        recent = self._hn_file(arrival_date=today - timedelta(days=1))
        released = self._hn_file(arrival_date=date(2026, 1, 1))
        released.release_datetime = datetime(2026, 1, 9, 12, 0)
        files = old | recent | released
        found = self.env["customs.file"].search([("id", "in", files.ids), ("days_in_customs", ">", 7)])
        self.assertEqual(found, old | released)
        found = self.env["customs.file"].search([("id", "in", files.ids), ("days_in_customs", "<=", 3)])
        self.assertEqual(found, recent)

    def test_channels_of_each_country(self):
        record = self._hn_file()
        with self.assertRaisesRegex(ValidationError, "Honduras"):
            record.selectivity_channel = "orange"
        record.selectivity_channel = "yellow"
        self.assertEqual(record.selectivity_channel, "yellow")
        with self.assertRaises(ValidationError):
            record.regime_id = self.env.ref("clientes_aduanas.customs_regime_pe_10")
        record.regime_id = self.env.ref("clientes_aduanas.customs_regime_hn_4000")
        self.assertEqual(record.regime_id.display_name, "4000 - Importación definitiva")


@tagged("post_install", "-at_install")
class TestDeclarationDemo(ClientesAduanasCase):
    def test_demo_declarations_load(self):
        from odoo.tools import convert_file

        for path in ("demo/res_partner_demo.xml", "demo/customs_file_demo.xml", "demo/customs_declaration_demo.xml"):
            convert_file(self.env, "clientes_aduanas", path, {}, mode="init", noupdate=False, kind="demo")
        callao = self.env.ref("clientes_aduanas.customs_file_demo_andinas_import")
        self.assertEqual(callao.declaration_country_id, self.pe)
        self.assertEqual(callao.selectivity_channel, "orange")
        self.assertEqual(len(callao.container_ids), 2)
        # FOB 81,780 + freight 3,200 + insurance 420 = CIF 85,400 (its declared value).
        self.assertEqual(callao.cif_amount, 85400.0)
        self.assertEqual(callao.cif_amount, callao.declared_value)
        self.assertTrue(callao.tax_total > 0)
        duca = self.env.ref("clientes_aduanas.customs_file_demo_montana_import")
        self.assertEqual((duca.declaration_type, duca.selectivity_channel), ("duca_d", "red"))
        self.assertEqual(len(duca.container_ids), 3)
        self.assertEqual(duca.tax_line_ids.tax_type_id.mapped("code"), ["DAI", "ISV"])
