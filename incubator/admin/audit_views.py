"""The audit log's page and export: the outer layer's, as it needs people's permissions (audit/ knows no domain)."""

from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from incubator import exports
from incubator.audit import queries
from incubator.audit.labels import action_label, name_in_words, object_choices, object_text, state_label
from incubator.auth.permissions import can_read_audit_log, require
from incubator.extensions import db
from incubator.i18n import parse_date
from incubator.text import vietnamese_sort_key
from incubator.web import page_arg

bp = Blueprint("audit", __name__, url_prefix="/audit")


def _filters() -> dict:
    args = request.args
    return {
        "action": (args.get("action") or "").strip()[:64] or None,
        "actor": (args.get("actor") or "").strip()[:254] or None,
        "object_type": (args.get("object_type") or "").strip()[:40] or None,
        "object_id": (args.get("object_id") or "").strip()[:40] or None,
        "date_from": parse_date(args.get("date_from")),
        "date_to": parse_date(args.get("date_to")),
    }


@bp.route("/")
@require(can_read_audit_log)
def log():
    filters = _filters()
    entries = db.paginate(queries.filtered(**filters), page=page_arg(), per_page=50, error_out=False)
    actions = sorted(queries.actions(), key=lambda code: vietnamese_sort_key(action_label(code)))
    return render_template("audit/log.html", entries=entries, filters=filters, actions=actions,
                           object_types=object_choices(queries.object_types()))


@bp.route(f"/export.{exports.FORMAT_RULE}")
@require(can_read_audit_log)
def export(fmt):
    header = [_("When"), _("Who"), _("Action"), _("Object"), _("Name"), _("From"), _("To"), _("Why")]
    body = [[e.at, e.actor_email or _("system"), action_label(e.action), object_text(e.object_type, e.object_id),
             name_in_words(e.object_label, e.object_type), state_label(e.from_state, e.object_type),
             state_label(e.to_state, e.object_type), e.reason or ""]
            for e in db.session.scalars(queries.filtered(**_filters()))]
    return exports.response(fmt, "nhat-ky-thay-doi", header, body, "audit")
