from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from incubator.applications.forms import moment_field
from incubator.forms import Form, IntegerField, MultiCheckboxField, NoControlCharacters, long_text, strip, text_field
from incubator.i18n import to_local_naive, to_utc
from incubator.reviews.enums import ConflictKind, Decision


class StageForm(Form):
    version = HiddenField()
    name_vi = text_field(_l("Name (Vietnamese)"), 200, required=True)
    name_en = text_field(_l("Name (English)"), 200, required=True)
    reviewers_per_application = IntegerField(_l("Reviewers per application"), default=3,
                                             validators=[InputRequired(), NumberRange(min=1, max=20)])
    share_scores = BooleanField(_l("Reviewers see each other's scores after submitting their own"), default=True)
    blind_panel_staff = BooleanField(_l("Staff on the panel see the ranking only once their own reviews are "
                                        "submitted"), default=False)
    closes_at = moment_field(_l("Closes at (Hà Nội time)"))
    spread_threshold = IntegerField(_l("Flag a spread between reviewers wider than (points of 100)"), default=25,
                                    validators=[InputRequired(), NumberRange(min=0, max=100)])
    default_rubric = BooleanField(_l("Start with the default rubric (six criteria, 1 to 5)"), default=True)

    def load(self, stage) -> None:
        for key in ("name_vi", "name_en", "reviewers_per_application", "share_scores", "blind_panel_staff",
                    "spread_threshold"):
            getattr(self, key).data = getattr(stage, key)
        self.closes_at.data = to_local_naive(stage.closes_at)
        self.version.data = stage.version_id

    def fields(self) -> dict:
        return {"name_vi": self.name_vi.data, "name_en": self.name_en.data,
                "reviewers_per_application": self.reviewers_per_application.data,
                "share_scores": self.share_scores.data, "blind_panel_staff": self.blind_panel_staff.data,
                "closes_at": to_utc(self.closes_at.data),
                "spread_threshold": self.spread_threshold.data}


class CriterionForm(Form):
    name_vi = text_field(_l("Name (Vietnamese)"), 200, required=True)
    name_en = text_field(_l("Name (English)"), 200, required=True)
    guidance_vi = long_text(_l("Guidance for reviewers (Vietnamese)"), 3000)
    guidance_en = long_text(_l("Guidance for reviewers (English)"), 3000)
    weight = IntegerField(_l("Weight"), default=10, validators=[InputRequired(), NumberRange(min=1, max=1000)])
    scale_min = IntegerField(_l("Lowest score"), default=1, validators=[InputRequired(), NumberRange(min=0, max=100)])
    scale_max = IntegerField(_l("Highest score"), default=5, validators=[InputRequired(), NumberRange(min=1, max=100)])

    FIELDS = ("name_vi", "name_en", "guidance_vi", "guidance_en", "weight", "scale_min", "scale_max")

    def load(self, criterion) -> None:
        for key in self.FIELDS:
            getattr(self, key).data = getattr(criterion, key)

    def fields(self) -> dict:
        return {key: getattr(self, key).data or (None if key.startswith("guidance") else getattr(self, key).data)
                for key in self.FIELDS}


class PanelForm(Form):
    reviewers = MultiCheckboxField(_l("Reviewers"), coerce=int,
                                   validators=[InputRequired(message=_l("Choose at least one reviewer."))])


class BulkAssignForm(Form):
    applications = MultiCheckboxField(_l("Applications"), coerce=int,
                                      validators=[InputRequired(message=_l("Choose at least one application."))])
    reviewers = MultiCheckboxField(_l("Reviewers"), coerce=int,
                                   validators=[InputRequired(message=_l("Choose at least one reviewer."))])


class ConflictForm(Form):
    kind = SelectField(_l("Kind of conflict"), choices=ConflictKind.choices, validators=[InputRequired()])
    reason = TextAreaField(_l("Explain the tie"), filters=[strip],
                           validators=[InputRequired(message=_l("Say what the conflict is.")), Length(max=1000),
                                       NoControlCharacters()])


class StaffConflictForm(ConflictForm):
    reviewer = SelectField(_l("Reviewer"), coerce=int, validators=[InputRequired()])
    application = SelectField(_l("Application"), coerce=int, validators=[InputRequired()])
    refill = BooleanField(_l("Give the application to another reviewer now"), default=True)


class DecisionForm(Form):
    version = HiddenField()
    decision = SelectField(_l("Decision"), choices=Decision.choices,
                           validators=[InputRequired(message=_l("Choose the decision."))])
    reason = SelectField(_l("Reason for rejection"), coerce=lambda v: int(v) if v not in (None, "", "None") else None,
                         validators=[Optional()])
    reason_text = TextAreaField(_l("Reason, in your words (sent to the applicant)"), filters=[strip],
                                validators=[Optional(), Length(max=2000), NoControlCharacters()])


class BulkDecisionForm(DecisionForm):
    entries = MultiCheckboxField(_l("Applications"), coerce=int,
                                 validators=[InputRequired(message=_l("Choose at least one application."))])


class ReasonForm(Form):
    label_vi = text_field(_l("Reason (Vietnamese)"), 300, required=True)
    label_en = text_field(_l("Reason (English)"), 300)
    active = BooleanField(_l("Offered when rejecting"), default=True)


class ReviewForm(Form):
    """The score form: one score and one comment per criterion are added as plain inputs (see views)."""

    version = HiddenField()
    comment_for_applicant = TextAreaField(_l("Comment for the applicant (released with the decision)"),
                                          filters=[strip], validators=[Optional(), Length(max=5000),
                                                                       NoControlCharacters()])
    private_note = TextAreaField(_l("Private note for the staff"), filters=[strip],
                                 validators=[Optional(), Length(max=5000), NoControlCharacters()])



def review_form(criteria, *, review=None):
    """The score form of a stage: for each criterion, a score on its scale and an optional comment."""

    class StageReviewForm(ReviewForm):
        pass

    for c in criteria:
        setattr(StageReviewForm, f"score_{c.id}", RadioField(
            c.name, coerce=int, choices=[SelectChoice(v, str(v)) for v in range(c.scale_min, c.scale_max + 1)],
            validators=[Optional()]))
        setattr(StageReviewForm, f"comment_{c.id}", TextAreaField(
            _l("Comment (optional)"), filters=[strip],
            validators=[Optional(), Length(max=2000), NoControlCharacters()]))
    form = StageReviewForm()
    if review is not None and not form.is_submitted():
        scores = {s.criterion_id: s for s in review.scores}
        for c in criteria:
            if c.id in scores:
                form[f"score_{c.id}"].data = scores[c.id].value
                form[f"comment_{c.id}"].data = scores[c.id].comment
        form.comment_for_applicant.data = review.comment_for_applicant
        form.private_note.data = review.private_note
        form.version.data = review.version_id
    return form


def scores_of(form, criteria) -> dict:
    return {c.id: (form[f"score_{c.id}"].data, form[f"comment_{c.id}"].data) for c in criteria}
