from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp

from incubator import bounds
from incubator.forms import DateField, DecimalField, Form, NoControlCharacters, strip
from incubator.targets.enums import TargetKind

# The kinds whose threshold is a percentage, measured on one date (no window): the ratio, the certified share.
SHARES = (TargetKind.INCUBATED_IT_RATIO.value, TargetKind.CERTIFIED_SHARE.value)


class TargetForm(Form):
    code = StringField(_l("Code"), validators=[
        InputRequired(message=_l("Enter a short code.")), Length(max=40),
        Regexp(r"^[A-Za-z0-9_-]+$", message=_l("Letters, digits, - and _ only."))], filters=[strip])
    name_vi = StringField(_l("Name in Vietnamese"), validators=[
        InputRequired(message=_l("Enter the name.")), Length(max=300), NoControlCharacters()], filters=[strip])
    name_en = StringField(_l("Name in English"), validators=[
        InputRequired(message=_l("Enter the name.")), Length(max=300), NoControlCharacters()], filters=[strip])
    kind = SelectField(_l("Kind"), choices=[])
    threshold = DecimalField(_l("Threshold"), places=2, validators=[
        InputRequired(message=_l("Enter the threshold.")), NumberRange(min=0, max=1_000_000),
        bounds.Percent(when=lambda form: form.kind.data in SHARES)])
    window_start = DateField(_l("Window: first day"), validators=[Optional(), bounds.PLAN.validator()])
    window_end = DateField(_l("Window: last day"), validators=[Optional(), bounds.PLAN.validator()])
    source_document = StringField(_l("Source document"), validators=[Length(max=500), NoControlCharacters()],
                                  filters=[strip])
    version = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = TargetKind.choices()

    def validate_window_end(self, field):
        from wtforms.validators import ValidationError

        if field.data and self.window_start.data and field.data < self.window_start.data:
            raise ValidationError(_l("The last day cannot be before the first day."))

    def validate_window_start(self, field):
        from wtforms.validators import ValidationError

        if self.kind.data in SHARES and (field.data or self.window_end.data):
            raise ValidationError(_l("A ratio is measured on one date: it has no window. Leave both days empty."))
