from flask import Blueprint, render_template, request

from incubator.audit import queries
from incubator.auth.permissions import can_read_audit_log, require
from incubator.extensions import db
from incubator.i18n import parse_date
from incubator.web import page_arg

bp = Blueprint("audit", __name__, url_prefix="/audit")


@bp.route("/")
@require(can_read_audit_log)
def log():
    args = request.args
    filters = {
        "action": (args.get("action") or "").strip()[:64] or None,
        "actor": (args.get("actor") or "").strip()[:254] or None,
        "object_type": (args.get("object_type") or "").strip()[:40] or None,
        "object_id": (args.get("object_id") or "").strip()[:40] or None,
        "date_from": parse_date(args.get("date_from")),
        "date_to": parse_date(args.get("date_to")),
    }
    entries = db.paginate(queries.filtered(**filters), page=page_arg(), per_page=50, error_out=False)
    return render_template("audit/log.html", entries=entries, filters=filters, actions=queries.actions(),
                           object_types=queries.object_types())
