"""The staff page that imports the register from spreadsheets: upload, preview (nothing written), apply."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from incubator.auth.permissions import is_staff, require
from incubator.imports import reading, services, storage
from incubator.imports.forms import ApplyForm, UploadForm

bp = Blueprint("imports", __name__, url_prefix="/register/import")


def _preview_page(result, token=None):
    form = ApplyForm(token=token) if token else None
    return render_template("imports/preview.html", result=result, form=form, tables=reading.TABLES)


@bp.route("/")
@require(is_staff)
def index():
    return render_template("imports/index.html", form=UploadForm())


@bp.route("/preview", methods=["POST"])
@require(is_staff)
def preview():
    """Check the files and show what the import would change, writing nothing."""
    form = UploadForm()
    if not form.validate_on_submit():
        return render_template("imports/index.html", form=form), 400
    token = storage.save(form.files.data, current_user.id)
    result = services.import_register(storage.load(token, current_user.id), dry_run=True, actor=current_user)
    if result.problems:
        storage.discard(token)
        return _preview_page(result), 400
    return _preview_page(result, token)


@bp.route("/apply", methods=["POST"])
@require(is_staff)
def apply():
    """Import the files checked at the preview, for real."""
    form = ApplyForm()
    if not form.validate_on_submit():
        abort(400)
    upload = storage.load(form.token.data, current_user.id)
    if upload is None:
        flash(_("These files are no longer here (already imported, or uploaded more than a day ago). "
                "Upload them again."), "warning")
        return redirect(url_for("imports.index"))
    result = services.import_register(upload, actor=current_user)
    storage.discard(form.token.data)
    if result.problems:
        # The register changed since the preview: nothing was written, and the page says why.
        return _preview_page(result), 400
    flash(_("The register was imported from %(name)s: %(created)d row(s) created, %(updated)d updated.",
            name=result.name, created=result.created, updated=result.updated), "success")
    return redirect(url_for("imports.index"))
