"""Customs value (CIF) and import taxes of a declaration.

Pure Python, shared by ``customs.file`` and the benchmark. The rules of each
country are *data* (``customs.tax.type`` records, see
data/customs_tax_type_data.xml) of one shape, evaluated here in sequence:

* ``duty``: each goods line pays its own rate on its own CIF (the tariff
  duty: DAI in Honduras, ad valorem in Peru). The base is the total CIF.
* ``percent``: ``rate`` % of a base made of the CIF (when ``base_cif``) plus
  the amounts of the taxes listed in ``base_keys``, computed before it.
* ``fixed``: a fixed amount (a fee per declaration).

Customs value (valor en aduana, CIF): FOB + freight + insurance, as the
WTO Valuation Agreement (art. 8.2) lets member countries include them and
both countries do: Honduras through the Central American customs code
(CAUCA / RECAUCA, valor en aduana de las mercancías importadas) and Peru
through Ley General de Aduanas (D. Leg. 1053) and D.S. 186-99-EF. The
freight and insurance of the declaration are shared between its goods lines
in proportion to their FOB value.

Taxes are paid in the local currency (lempiras, soles): the CIF is converted
at the declaration's exchange rate and every tax is rounded to the local
currency, line by line for the duty, as the customs systems liquidate them.
"""

from decimal import ROUND_HALF_UP, Decimal

DUTY = "duty"
PERCENT = "percent"
FIXED = "fixed"


def round_money(amount, digits=2):
    """Half-up rounding to ``digits`` decimals (customs liquidations round
    half up, not to even)."""
    quantum = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(amount)).quantize(quantum, rounding=ROUND_HALF_UP))


def share_costs(fob_values, freight, insurance, digits=2):
    """CIF of each goods line: its FOB plus its share of the declaration's
    freight and insurance, in proportion to its FOB. The rounding difference
    goes to the last line with a value, so the lines add up to the total."""
    total_fob = sum(fob_values)
    if not total_fob:
        return [float(fob) for fob in fob_values]
    extra = freight + insurance
    cifs = []
    shared = 0.0
    last = max(i for i, fob in enumerate(fob_values) if fob) if any(fob_values) else -1
    for index, fob in enumerate(fob_values):
        if index == last:
            part = round_money(extra - shared, digits)
        else:
            part = round_money(extra * fob / total_fob, digits)
            shared += part
        cifs.append(round_money(fob + part, digits))
    return cifs


def compute_taxes(lines_cif, lines_rate, taxes, digits=2, total_cif=None):
    """Amounts of ``taxes`` for goods lines of local-currency CIF
    ``lines_cif`` and duty rates (percent) ``lines_rate``.

    ``taxes``: dicts with ``key``, ``amount_type`` (duty, percent, fixed),
    ``rate`` (percent), ``fixed_amount``, ``base_cif`` (bool) and
    ``base_keys`` (keys of earlier taxes added to the base), in the order of
    computation. ``total_cif`` defaults to the lines' total. Returns
    ``{key: (base, amount)}`` rounded to ``digits``.
    """
    if total_cif is None:
        total_cif = round_money(sum(lines_cif), digits)
    result = {}
    for tax in taxes:
        kind = tax["amount_type"]
        if kind == DUTY:
            base = total_cif
            amount = sum(
                round_money(cif * rate / 100.0, digits) for cif, rate in zip(lines_cif, lines_rate, strict=True)
            )
        elif kind == PERCENT:
            base = total_cif if tax.get("base_cif", True) else 0.0
            base += sum(result[key][1] for key in tax.get("base_keys", ()) if key in result)
            amount = base * (tax.get("rate") or 0.0) / 100.0
        else:
            base = 0.0
            amount = tax.get("fixed_amount") or 0.0
        result[tax["key"]] = (round_money(base, digits), round_money(amount, digits))
    return result
