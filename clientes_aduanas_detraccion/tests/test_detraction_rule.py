from decimal import Decimal

from odoo.tests import BaseCase

from ..models.account_move import fifth_business_day_of_next_month
from ..tools import detraction as spot

D = Decimal
SERVICES = spot.SpotRate("022", D("12"))
RENTAL = spot.SpotRate("019", D("10"))
TRANSPORT = spot.SpotRate("027", D("4"), D("400"))


class TestDetractionRule(BaseCase):
    """The pure rule, without the ORM."""

    def test_threshold_is_strictly_greater(self):
        self.assertFalse(spot.compute_detraction(D("700.00"), [SERVICES]).applies)
        result = spot.compute_detraction(D("700.01"), [SERVICES])
        self.assertTrue(result.applies)
        self.assertEqual(result.amount, D("84"))

    def test_below_threshold_says_why(self):
        result = spot.compute_detraction(D("500"), [SERVICES])
        self.assertFalse(result.applies)
        self.assertEqual(result.reason, spot.BELOW_THRESHOLD)
        self.assertEqual(result.spot, SERVICES)

    def test_highest_rate_wins_whatever_the_order(self):
        for lines in ([TRANSPORT, RENTAL, SERVICES], [SERVICES, TRANSPORT, RENTAL]):
            result = spot.compute_detraction(D("11800"), lines)
            self.assertEqual(result.spot.code, "022")
            self.assertEqual(result.amount, D("1416"))

    def test_tie_takes_the_lowest_code(self):
        other = spot.SpotRate("037", D("12"))
        self.assertEqual(spot.compute_detraction(D("1000"), [other, SERVICES]).spot.code, "022")

    def test_transport_has_its_own_threshold(self):
        self.assertFalse(spot.compute_detraction(D("400"), [TRANSPORT]).applies)
        result = spot.compute_detraction(D("450"), [TRANSPORT])
        self.assertTrue(result.applies)
        self.assertEqual(result.amount, D("18"))

    def test_deposits_are_whole_soles_half_up(self):
        self.assertEqual(spot.round_deposit(D("1000.49")), D("1000"))
        self.assertEqual(spot.round_deposit(D("1000.50")), D("1001"))
        # 4 % of 25,012.25 is 1,000.49; of 25,012.50, 1,000.50.
        self.assertEqual(spot.compute_detraction(D("25012.25"), [TRANSPORT]).amount, D("1000"))
        self.assertEqual(spot.compute_detraction(D("25012.50"), [TRANSPORT]).amount, D("1001"))

    def test_requested_without_code_uses_the_default(self):
        result = spot.compute_detraction(D("1000"), [], default_rate=RENTAL, requested=True)
        self.assertEqual((result.applies, result.spot.code, result.amount), (True, "019", D("100")))
        result = spot.compute_detraction(D("1000"), [], requested=True)
        self.assertEqual((result.applies, result.reason), (False, spot.NO_CODE))

    def test_not_requested_and_no_code_is_nothing(self):
        result = spot.compute_detraction(D("100000"), [], default_rate=RENTAL, requested=False)
        self.assertEqual((result.applies, result.reason, result.spot), (False, "", None))

    def test_deadline_fifth_business_day_of_next_month(self):
        import datetime

        # December 2026 starts on a Tuesday: 1, 2, 3, 4, 7.
        self.assertEqual(fifth_business_day_of_next_month(datetime.date(2026, 11, 10)), datetime.date(2026, 12, 7))
        # February 2026 starts on a Sunday: 2, 3, 4, 5, 6.
        self.assertEqual(fifth_business_day_of_next_month(datetime.date(2026, 1, 31)), datetime.date(2026, 2, 6))
