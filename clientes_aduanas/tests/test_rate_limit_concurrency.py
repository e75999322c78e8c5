import threading

from odoo.tests import TransactionCase, tagged

from ..tools import rate_limit


@tagged("post_install", "-at_install")
class TestRateLimitConcurrency(TransactionCase):
    """Counts taken at once by many workers (real transactions, committed
    on their own as in production)."""

    def test_concurrent_counts_add_up_without_serialization_errors(self):
        key, workers, limit = "test,concurrent-counts", 20, 15
        self.addCleanup(self._forget, key)
        barrier = threading.Barrier(workers)
        answers, errors = [], []

        def take():
            try:
                barrier.wait(30)
                answers.append(rate_limit.take(self.registry, key, limit))
            except Exception as err:
                errors.append(err)

        threads = [threading.Thread(target=take) for _i in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        self.assertEqual(errors, [])
        self.assertEqual(answers.count(True), limit, "exactly the limit is granted in the minute")
        self.assertEqual(answers.count(False), workers - limit)

    def _forget(self, key):
        with self.registry.cursor() as cr:
            cr.execute(f"DELETE FROM {rate_limit.TABLE} WHERE key = %s", [key])
