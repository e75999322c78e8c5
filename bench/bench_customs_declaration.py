"""Customs declaration benchmark: a customs file with 200 goods lines and 40
containers. Measures the form load (web_read of the form view's
specification, cold cache) and its number of queries, which must not grow
with the lines, and the recomputation of CIF and taxes after one goods line
changes (write + flush). Baseline in the same run: Odoo's own sale order
with 200 lines, read with its form's specification and its amounts
recomputed after one line's price changes.

Everything is rolled back at the end.
"""

import statistics
import time

from bench_history import make_customer
from harness import odoo_env, report
from lxml import etree

from odoo import Command, sql_db

LINES, CONTAINERS, RUNS = 200, 40, 15


def container_numbers(count):
    from odoo.addons.clientes_aduanas.tools import container_number

    numbers = []
    serial = 100000
    while len(numbers) < count:
        head = f"BNCU{serial:06d}"
        numbers.append(head + str(container_number.check_digit(head)))
        serial += 7
    return numbers


def form_spec(env, model):
    """The specification the web client sends for ``model``'s form: every
    field of the arch, x2many fields with the fields of their inline list."""
    views = env[model].get_views([(False, "form")])
    arch = etree.fromstring(views["views"]["form"]["arch"])

    def spec_of(node, model_name, spec=None):
        spec = {} if spec is None else spec
        fields_info = env[model_name]._fields
        for child in node:
            if child.tag != "field":
                spec_of(child, model_name, spec)
                continue
            field = fields_info.get(child.get("name"))
            if field is None:
                continue
            if field.type in ("one2many", "many2many"):
                sub = child.find("list")
                spec[field.name] = {"fields": spec_of(sub, field.comodel_name) if sub is not None else {}}
            elif field.type == "many2one":
                spec[field.name] = {"fields": {"display_name": {}}}
            else:
                spec[field.name] = {}
        return spec

    return spec_of(arch, model)


def measure_read(env, record, spec):
    times, queries = [], set()
    record.web_read(spec)
    for _i in range(RUNS):
        env.invalidate_all()
        q0 = sql_db.sql_counter
        start = time.perf_counter()
        record.web_read(spec)
        times.append((time.perf_counter() - start) * 1000)
        queries.add(sql_db.sql_counter - q0)
    return statistics.median(times), sorted(queries)


def measure_change(env, write):
    times = []
    for i in range(RUNS):
        start = time.perf_counter()
        write(i)
        env.flush_all()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def make_file(env, customer, lines, containers):
    return env["customs.file"].create(
        {
            "partner_id": customer.id,
            "customs_office_id": env.ref("clientes_aduanas.customs_office_hn_pco").id,
            "freight_amount": 1850.0,
            "insurance_amount": 190.0,
            "container_ids": [
                Command.create({"name": number, "container_type": "40hc"}) for number in container_numbers(containers)
            ],
            "goods_line_ids": [
                Command.create(
                    {
                        "tariff_code": f"8471.{i % 100:02d}.00",
                        "name": f"Mercancía {i}",
                        "quantity": 1 + i,
                        "fob_amount": 100.0 + i,
                        "duty_rate": (0, 5, 10, 15)[i % 4],
                    }
                )
                for i in range(lines)
            ],
        }
    )


def main():
    with odoo_env(context={"tracking_disable": True, "mail_notrack": True}) as env:
        customer, _contact = make_customer(env, 94_000_001)
        big = make_file(env, customer, LINES, CONTAINERS)
        small = make_file(env, customer, 20, 4)
        product = env["product.product"].create({"name": "Bench", "list_price": 10})
        order = env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": 1, "price_unit": 10 + i})
                    for i in range(LINES)
                ],
            }
        )
        env.flush_all()
        spec = form_spec(env, "customs.file")
        order_spec = form_spec(env, "sale.order")
        file_ms, file_queries = measure_read(env, big, spec)
        small_ms, small_queries = measure_read(env, small, spec)
        order_ms, order_queries = measure_read(env, order, order_spec)
        line = big.goods_line_ids[100]
        recompute_ms = measure_change(env, lambda i: line.write({"fob_amount": 500.0 + i}))
        order_line = order.order_line[100]
        order_recompute_ms = measure_change(env, lambda i: order_line.write({"price_unit": 50.0 + i}))
        assert big.tax_total > 0 and len(big.goods_line_ids) == LINES and len(big.container_ids) == CONTAINERS
        report(
            f"Customs declaration: {LINES} goods lines, {CONTAINERS} containers (median of {RUNS})",
            [
                ("form load (web_read, cold cache)", f"{file_ms:.1f} ms, queries {file_queries}"),
                ("  same form, 20 lines / 4 containers", f"{small_ms:.1f} ms, queries {small_queries}"),
                ("  baseline: sale order, 200 lines", f"{order_ms:.1f} ms, queries {order_queries}"),
                ("  ratio to baseline", f"{file_ms / order_ms:.2f}"),
                ("taxes recomputed after one line change", f"{recompute_ms:.1f} ms"),
                ("  baseline: sale order amounts, one line", f"{order_recompute_ms:.1f} ms"),
                ("  ratio to baseline", f"{recompute_ms / order_recompute_ms:.2f}"),
            ],
        )
        assert file_queries == small_queries, "the form's queries grow with the lines"


if __name__ == "__main__":
    main()
