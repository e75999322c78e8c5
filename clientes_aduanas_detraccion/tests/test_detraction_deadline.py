import datetime

from odoo.tests import tagged

from .common import DetractionCase


@tagged("post_install", "-at_install")
class TestDetractionDeadline(DetractionCase):
    """SUNAT's deposit deadline, the fifth business day of the next month,
    counted on the company's working calendar and its public holidays."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env["resource.calendar"].create(
            {"name": "Lima 48 h", "tz": "America/Lima", "company_id": cls.company.id}
        )
        cls.company.resource_calendar_id = cls.calendar

    def _holiday(self, day, calendar=None):
        # A public holiday is a leave without resource, as Odoo's "Public
        # Holidays" menu records it: the whole day in the calendar's zone.
        start = datetime.datetime.fromisoformat(f"{day} 05:00:00")  # 00:00 in Lima
        return self.env["resource.calendar.leaves"].create(
            {
                "name": "Feriado",
                "calendar_id": (calendar or self.calendar).id,
                "company_id": self.company.id,
                "date_from": start,
                "date_to": start + datetime.timedelta(hours=23, minutes=59),
            }
        )

    def test_no_holiday_is_the_fifth_weekday(self):
        # August 2026 starts on a Saturday: 3, 4, 5, 6, 7.
        move = self._invoice(self.flagged, [(self.consulting, 10_000)], date="2026-07-20")
        self.assertEqual(str(move.detraction_due_date), "2026-08-07")

    def test_public_holiday_in_the_window_moves_the_deadline(self):
        # 6 August (Batalla de Junín) is a public holiday in Peru.
        self._holiday("2026-08-06")
        move = self._invoice(self.flagged, [(self.consulting, 10_000)], date="2026-07-20")
        self.assertEqual(str(move.detraction_due_date), "2026-08-10")
        self.assertEqual(self.company._detraction_deposit_deadline(datetime.date(2026, 7, 1)), move.detraction_due_date)

    def test_holidays_of_another_calendar_or_of_one_employee_do_not_count(self):
        other = self.env["resource.calendar"].create({"name": "Otra sede", "company_id": self.company.id})
        self._holiday("2026-08-06", calendar=other)
        employee_leave = self._holiday("2026-08-05")
        employee_leave.resource_id = (
            self.env["resource.resource"]
            .sudo()
            .create({"name": "Contador", "calendar_id": self.calendar.id, "company_id": self.company.id})
        )
        move = self._invoice(self.flagged, [(self.consulting, 10_000)], date="2026-07-20")
        self.assertEqual(str(move.detraction_due_date), "2026-08-07")

    def test_without_a_calendar_monday_to_friday(self):
        self._holiday("2026-08-06")
        self.company.resource_calendar_id = False
        move = self._invoice(self.flagged, [(self.consulting, 10_000)], date="2026-07-20")
        self.assertEqual(str(move.detraction_due_date), "2026-08-07")

    def test_one_calendar_computation_per_company_and_month(self):
        self._holiday("2026-08-06")
        moves = self.env["account.move"]
        for day in ("2026-07-01", "2026-07-15", "2026-07-31", "2026-08-03"):
            moves |= self._invoice(self.flagged, [(self.consulting, 10_000)], date=day, post=False)
        moves.action_post()
        self.assertEqual(
            [str(date) for date in moves.mapped("detraction_due_date")],
            ["2026-08-10", "2026-08-10", "2026-08-10", "2026-09-07"],
        )

    def test_holiday_recorded_later_moves_pending_deadlines(self):
        pending = self._invoice(self.flagged, [(self.consulting, 10_000)], date="2026-07-20")
        deposited = self._invoice(self.flagged, [(self.consulting, 10_000)], date="2026-07-21")
        deposited.write({"detraction_deposit_number": "0099", "detraction_deposit_amount": deposited.detraction_amount})
        self.assertEqual(str(pending.detraction_due_date), "2026-08-07")
        self.assertEqual((deposited.detraction_state, str(deposited.detraction_due_date)), ("deposited", "2026-08-07"))
        holiday = self._holiday("2026-08-06")
        self.assertEqual(str(pending.detraction_due_date), "2026-08-10")
        self.assertEqual(str(deposited.detraction_due_date), "2026-08-07", "a deposited one keeps its deadline")
        holiday.write({"date_from": "2026-09-03 05:00:00", "date_to": "2026-09-04 04:59:00"})
        self.assertEqual(str(pending.detraction_due_date), "2026-08-07")
        holiday.write({"date_from": "2026-08-06 05:00:00", "date_to": "2026-08-07 04:59:00"})
        self.assertEqual(str(pending.detraction_due_date), "2026-08-10")
        holiday.unlink()
        self.assertEqual(str(pending.detraction_due_date), "2026-08-07")
