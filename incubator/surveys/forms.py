"""The forms of the yearly survey: the survey itself (staff), a question (the intake rounds' question form), the
founders' answers (built from the survey's questions by the applications' answer form builder), reopening."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from incubator import bounds
from incubator.applications import answer_forms
from incubator.applications.forms import QuestionForm
from incubator.forms import DateField, Form, IntegerField, NoControlCharacters, strip, text_field

__all__ = ["AnswerForm", "MoveForm", "QuestionForm", "ReopenForm", "SurveyForm", "answer_form"]


class SurveyForm(Form):
    year = IntegerField(_l("Year surveyed"), validators=[InputRequired(message=_l("Enter the year.")),
                                                         NumberRange(min=2000, max=2100)])
    title_vi = text_field(_l("Title in Vietnamese"), 300, required=True)
    title_en = text_field(_l("Title in English"), 300, required=True)
    opens_on = DateField(_l("Opens on"), validators=[InputRequired(message=_l("Enter the date.")),
                                                     bounds.PROGRAMME.validator()])
    deadline = DateField(_l("To answer by (inclusive)"), validators=[InputRequired(message=_l("Enter the date.")),
                                                                    bounds.PROGRAMME.validator()])
    version = HiddenField()

    def load(self, survey) -> None:
        if self.year is not None:
            self.year.data = survey.year
        self.title_vi.data, self.title_en.data = survey.title_vi, survey.title_en
        self.opens_on.data, self.deadline.data, self.version.data = survey.opens_on, survey.deadline, survey.version_id

    def fields(self) -> dict:
        return {"title_vi": self.title_vi.data, "title_en": self.title_en.data, "opens_on": self.opens_on.data,
                "deadline": self.deadline.data}


class MoveForm(Form):
    direction = RadioField(choices=[SelectChoice("up", _l("Up")), SelectChoice("down", _l("Down"))],
                           validators=[InputRequired()])


class ReopenForm(Form):
    reason = TextAreaField(_l("Reason (told to the founders)"), filters=[strip], render_kw={"rows": 2},
                           validators=[DataRequired(message=_l("Give the reason.")), Length(max=1000),
                                       NoControlCharacters()])


class AnswerForm(Form):
    version = HiddenField()


def answer_form(survey, *args, **kwargs):
    """The founders' form: a field per visible question of the survey, in order (a required one's label ends
    with *)."""
    form = answer_forms.with_questions(AnswerForm, survey.questions, *args, **kwargs)
    for question, field in form.questions:
        if question.required:
            field.label.text = f"{field.label.text} *"
    return form


class EditSurveyForm(SurveyForm):
    """The year of a survey is kept: only its titles and dates change."""

    year = None
