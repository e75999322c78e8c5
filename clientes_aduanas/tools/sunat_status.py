"""The SUNAT status rule: when a Peruvian taxpayer is "observed".

SUNAT reports two values for a RUC: the taxpayer status (estado: ACTIVO,
BAJA DE OFICIO...) and the condition of its fiscal address (condición:
HABIDO, NO HABIDO...). A taxpayer is observed unless SUNAT says both ACTIVO
and HABIDO; a missing value is not ACTIVO / HABIDO (a source that answers a
state without a condition does not vouch for the address). With neither value
nothing is known and nothing is observed. Values are compared trimmed, with
inner blanks collapsed, in upper case.

The lookup's warning, the status rows' ``observed`` and the padrón check
(its SQL joins the answers of :func:`sql_rule_values`, given by these very
functions) all answer through this module.
"""

from odoo.tools import SQL

STATE_OK = "ACTIVO"
CONDITION_OK = "HABIDO"


def normalize(value):
    """``value`` trimmed, inner blanks collapsed, upper case; '' for none."""
    return " ".join((value or "").split()).upper()


def is_known(state, condition):
    return bool(normalize(state) or normalize(condition))


def state_ok(state):
    return normalize(state) == STATE_OK


def condition_ok(condition):
    return normalize(condition) == CONDITION_OK


def is_observed(state, condition):
    """Whether SUNAT does not report the taxpayer as ACTIVO and HABIDO."""
    return is_known(state, condition) and not (state_ok(state) and condition_ok(condition))


def status_changed(previous, new):
    """Whether the status went from ``previous`` to a different ``new``
    (both ``(state, condition)``). A first status (none before) is no
    change: nothing was known to change from."""
    if not is_known(*previous):
        return False
    return tuple(normalize(v) for v in previous) != tuple(normalize(v) for v in new)


def sql_rule_values(statuses):
    """SQL ``VALUES`` rows answering the rule for each distinct status of
    ``statuses``, iterable of ``(previous state, previous condition, state,
    condition)``: the four values ('' for none: the rule does not tell them
    apart) then :func:`is_observed` of the new status and
    :func:`status_changed`. None for no statuses.

    A set-based query joins these answers on its rows instead of
    re-expressing the rule in SQL: the rule runs once per distinct status
    (a few dozen for every customer, SUNAT has a handful of states and
    conditions), not once per row."""
    rows = [
        SQL("(%s, %s, %s, %s, %s, %s)", *status, is_observed(*status[2:]), status_changed(status[:2], status[2:]))
        for status in dict.fromkeys(tuple(value or "" for value in status) for status in statuses)
    ]
    return SQL("VALUES %s", SQL(", ").join(rows)) if rows else None
