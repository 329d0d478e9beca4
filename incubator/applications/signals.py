"""What the packages above applications add to its pages, without applications importing them: blinker
signals the higher packages connect receivers to at start-up (reviews: the decisions released to the founders,
and the reviews a staff member may read). Each receiver returns a dict of the template's variables it gives."""

from __future__ import annotations

from blinker import Namespace

signals = Namespace()
# The founders' status page of an application (sender: the application).
status_page = signals.signal("application-status-page")
# The staff's page of an application (sender: the application; user= the staff member reading it).
staff_page = signals.signal("application-staff-page")


def page_context(signal, application, **kwargs) -> dict:
    """The template's variables the receivers of ``signal`` give for ``application``."""
    context: dict = {}
    for _receiver, variables in signal.send(application, **kwargs):
        context.update(variables or {})
    return context
