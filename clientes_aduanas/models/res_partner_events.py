"""Customer events: the one hook through which other addons react to what
happens to a registered customer, instead of overriding ``create``, ``write``
or the customs-file and invoice workflows again.

Fired by ``res.partner._customer_event(event, **payload)`` on the commercial
partners concerned, once per change, after the change is written and inside
the same transaction (a subscriber that must talk to the outside world queues
a job or a mail instead of doing it inline). Subscribers override the method,
call ``super()`` and act on the events they know; unknown events are ignored.

==============================  =================================================
event                           payload
==============================  =================================================
``registered``                  -
``suspended``                   ``reason``
``reactivated``                 -
``sunat_status_changed``        ``previous``: {partner id: (estado, condición)}
``customs_file_state_changed``  ``customs_files``, ``previous``: {file id: state}
``invoice_posted``              ``moves``: the customer invoices just posted
``customs_file_channel_assigned`` ``customs_files``, ``previous``: {file id:
                                channel or False}; the selectivity channel was
                                recorded or changed
``customs_file_released``       ``customs_files``: the levante (release) was
                                recorded, by itself or by the move to released
==============================  =================================================
"""

from odoo import models

CUSTOMER_EVENTS = frozenset(
    {
        "registered",
        "suspended",
        "reactivated",
        "sunat_status_changed",
        "customs_file_state_changed",
        "invoice_posted",
        "customs_file_channel_assigned",
        "customs_file_released",
    }
)


class ResPartner(models.Model):
    # Split by concern on purpose (see res_partner.py).
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    def _customer_event(self, event, **payload):
        """Announce ``event`` for the customers in ``self`` (see the module
        docstring for the events and their payload). The addon's own
        subscriber: the customer's notification e-mail when a customs file
        changes state, gets its selectivity channel or its levante."""
        if event not in CUSTOMER_EVENTS:
            raise ValueError(f"Unknown customer event {event!r}")
        if event == "customs_file_state_changed":
            # The move to released is announced by the levante e-mail
            # (customs_file_released, fired by the same write).
            payload["customs_files"].filtered(lambda f: f.state != "released")._notify_customer_state_change()
        elif event == "customs_file_channel_assigned":
            payload["customs_files"]._notify_customer_state_change(
                "clientes_aduanas.mail_template_customs_file_channel"
            )
        elif event == "customs_file_released":
            payload["customs_files"]._notify_customer_state_change(
                "clientes_aduanas.mail_template_customs_file_release"
            )
        return True
