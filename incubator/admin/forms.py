"""The form of an incubator's record (its page under /admin/incubators)."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField
from wtforms import BooleanField, HiddenField

from incubator.forms import Form, text_field


class IncubatorForm(Form):
    version = HiddenField()
    name_vi = text_field(_l("Name in Vietnamese"), 300, required=True)
    name_en = text_field(_l("Name in English"), 300)
    address = text_field(_l("Address"), 300)
    report_number_suffix = text_field(_l("What its reports' numbers end with (e.g. BC-VƯTT in 03/BC-VƯTT)"), 50)
    logo = FileField(_l("Logo printed on its reports (PNG or JPEG, up to 1 MB)"),
                     validators=[FileAllowed(["png", "jpg", "jpeg"], _l("Only PNG or JPEG images are accepted."))],
                     render_kw={"accept": "image/png,image/jpeg,.png,.jpg,.jpeg"})
    remove_logo = BooleanField(_l("Remove the current logo"))

    FIELDS = ("name_vi", "name_en", "address", "report_number_suffix")
