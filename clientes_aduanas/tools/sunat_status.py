"""The SUNAT status rule: when a Peruvian taxpayer is "observed".

SUNAT reports two values for a RUC: the taxpayer status (estado: ACTIVO,
BAJA DE OFICIO...) and the condition of its fiscal address (condición:
HABIDO, NO HABIDO...). A taxpayer is observed unless SUNAT says both ACTIVO
and HABIDO; a missing value is not ACTIVO / HABIDO (a source that answers a
state without a condition does not vouch for the address). With neither value
nothing is known and nothing is observed. Values are compared trimmed, with
inner blanks collapsed, in upper case.

The lookup's warning, the stored ``sunat_observed`` and the padrón check's
SQL (:func:`sql_is_observed`, built here from the same constants and tested
against :func:`is_observed`) all answer through this module.
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


def _sql_normalize(column):
    return SQL("upper(btrim(regexp_replace(coalesce(%s, ''), '\\s+', ' ', 'g')))", column)


def sql_is_observed(state, condition):
    """SQL boolean expression of :func:`is_observed` on the SQL expressions
    ``state`` and ``condition``."""
    state_n, condition_n = _sql_normalize(state), _sql_normalize(condition)
    return SQL(
        "((%(state)s <> '' OR %(condition)s <> '')"
        " AND (%(state)s <> %(state_ok)s OR %(condition)s <> %(condition_ok)s))",
        state=state_n,
        condition=condition_n,
        state_ok=STATE_OK,
        condition_ok=CONDITION_OK,
    )


def sql_status_changed(old_state, old_condition, new_state, new_condition):
    """SQL boolean expression of :func:`status_changed`."""
    old_s, old_c = _sql_normalize(old_state), _sql_normalize(old_condition)
    new_s, new_c = _sql_normalize(new_state), _sql_normalize(new_condition)
    return SQL(
        "((%(old_s)s <> '' OR %(old_c)s <> '') AND (%(old_s)s <> %(new_s)s OR %(old_c)s <> %(new_c)s))",
        old_s=old_s,
        old_c=old_c,
        new_s=new_s,
        new_c=new_c,
    )
