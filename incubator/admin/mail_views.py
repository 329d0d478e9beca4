"""The outbox's pages for staff: the outer layer's, as they need people's permissions and forms (mail/ sits below
auth, which sends through it). The blueprint keeps the name "mail" and the addresses under /outbox."""

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from incubator.auth.forms import ConfirmForm
from incubator.auth.permissions import can_read_outbox, require
from incubator.extensions import db
from incubator.mail import services
from incubator.mail.models import OutboxMessage, OutboxStatus
from incubator.web import page_arg

bp = Blueprint("mail", __name__, url_prefix="/outbox")


@bp.route("/")
@require(can_read_outbox)
def outbox():
    stmt = sa.select(OutboxMessage).order_by(OutboxMessage.id.desc())
    status = request.args.get("status")
    if status in {s.value for s in OutboxStatus}:
        stmt = stmt.where(OutboxMessage.status == OutboxStatus(status))
    to = (request.args.get("to") or "").strip()[:254]
    if to:
        stmt = stmt.where(OutboxMessage.to_address.contains(to.lower(), autoescape=True))
    messages = db.paginate(stmt, page=page_arg(), per_page=50, error_out=False)
    return render_template("mail/outbox.html", messages=messages, statuses=list(OutboxStatus),
                           status=status, to=to)


@bp.route("/<int:message_id>")
@require(can_read_outbox)
def message(message_id):
    return render_template("mail/message.html", message=db.get_or_404(OutboxMessage, message_id),
                           form=ConfirmForm())


@bp.route("/<int:message_id>/send", methods=["POST"])
@require(can_read_outbox)
def send(message_id):
    row = db.get_or_404(OutboxMessage, message_id)
    if ConfirmForm().validate_on_submit():
        services.retry(row)
        if row.status is OutboxStatus.FAILED:
            flash(_("Sending failed again: %(error)s", error=row.last_error), "warning")
        else:
            flash(_("The message was sent."), "success")
    return redirect(url_for("mail.message", message_id=row.id))
