"""The pure-Python document module, the single place of the number rules."""

import datetime

from odoo.tests import BaseCase, tagged

from ..tools import document_number as dn


@tagged("post_install", "-at_install")
class TestDocumentNumber(BaseCase):
    def assertRule(self, kind, number, rule):
        with self.assertRaises(dn.DocumentNumberError) as ctx:
            dn.validate(kind, number)
        self.assertEqual(ctx.exception.rule, rule, f"{kind} {number!r}")

    def test_ruc(self):
        self.assertEqual(dn.validate(dn.PE_RUC, "20100070970"), "20100070970")
        # Normalised before checking: spaces, dashes and dots go.
        self.assertEqual(dn.validate(dn.PE_RUC, " 20-100.070 970 "), "20100070970")
        self.assertRule(dn.PE_RUC, "20100070971", "check_digit")
        self.assertRule(dn.PE_RUC, "2010007097", "length")
        self.assertRule(dn.PE_RUC, "201000709701", "length")
        self.assertRule(dn.PE_RUC, "2010007097A", "digits_only")
        self.assertRule(dn.PE_RUC, "", "empty")
        self.assertRule(dn.PE_RUC, False, "empty")
        self.assertRule(dn.PE_RUC, "30100070975", "ruc_prefix")

    def test_ruc_prefix_16_accepted(self):
        # SUNAT issues prefix 16; python-stdnum's list forgets it.
        base = "1610007097"
        number = base + dn.pe_ruc.calc_check_digit(base)
        self.assertEqual(dn.validate(dn.PE_RUC, number), number)
        self.assertEqual(dn.ruc_company_type(number), "company")

    def test_ruc_person_prefix_and_dni(self):
        ruc = dn.dni_to_ruc("45678912")
        self.assertEqual(ruc, "10456789124")
        self.assertEqual(dn.ruc_to_dni(ruc), "45678912")
        self.assertEqual(dn.ruc_company_type(ruc), "person")
        self.assertIsNone(dn.ruc_to_dni("20100070970"))

    def test_dni(self):
        self.assertEqual(dn.validate(dn.PE_DNI, "10117410"), "10117410")
        # The check character printed on the card is verified, then dropped.
        self.assertEqual(dn.validate(dn.PE_DNI, "10117410-2"), "10117410")
        self.assertRule(dn.PE_DNI, "10117410-3", "check_digit")
        self.assertRule(dn.PE_DNI, "1011741", "length")
        self.assertRule(dn.PE_DNI, "1011741A", "digits_only")
        self.assertRule(dn.PE_DNI, " ", "empty")

    def test_rtn(self):
        self.assertEqual(dn.validate(dn.HN_RTN, "0501-9012-345678"), "05019012345678")
        self.assertRule(dn.HN_RTN, "0501901234567", "length")
        self.assertRule(dn.HN_RTN, "0501901234567X", "digits_only")

    def test_hn_identity(self):
        self.assertEqual(dn.validate(dn.HN_IDENTITY, "0801-1990-12345"), "0801199012345")
        self.assertRule(dn.HN_IDENTITY, "1901199012345", "hn_department")
        self.assertRule(dn.HN_IDENTITY, "0001199012345", "hn_department")
        self.assertRule(dn.HN_IDENTITY, "0801180012345", "hn_year")
        self.assertRule(dn.HN_IDENTITY, "080119901234", "length")
        next_year = str(datetime.date.today().year + 1)
        self.assertRule(dn.HN_IDENTITY, f"0801{next_year}12345", "hn_year")

    def test_passport(self):
        self.assertEqual(dn.validate(dn.PASSPORT, "ab 123456"), "AB123456")
        self.assertRule(dn.PASSPORT, "A1", "alphanumeric")

    def test_restore_leading_zeros(self):
        self.assertEqual(dn.restore_leading_zeros(dn.PE_DNI, "1234567"), "01234567")
        self.assertEqual(dn.restore_leading_zeros(dn.HN_IDENTITY, "801199012345"), "0801199012345")
        self.assertEqual(dn.restore_leading_zeros(dn.PE_RUC, "2010007097"), "2010007097")
