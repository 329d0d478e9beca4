from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileRequired, MultipleFileField
from wtforms import HiddenField
from wtforms.validators import InputRequired, Regexp, ValidationError

from incubator.forms import Form
from incubator.imports.storage import CSV_NAMES, TOKEN_RE, upload_name


class UploadForm(Form):
    files = MultipleFileField(
        _l("Spreadsheet files"),
        validators=[FileRequired(message=_l("Choose the files to import.")),
                    FileAllowed(["csv", "xlsx"], message=_l("Only .csv and .xlsx files can be imported."))],
        render_kw={"accept": ".csv,.xlsx"})

    def validate_files(self, field):
        names = [upload_name(f.filename).lower() for f in field.data]
        if any(n.endswith(".xlsx") for n in names):
            if len(names) != 1:
                raise ValidationError(_l("Upload either one .xlsx workbook, or up to four .csv files."))
            return
        wrong = [n for n in names if n not in CSV_NAMES]
        if wrong:
            raise ValidationError(_l("Name the CSV files companies.csv, residencies.csv, outcomes.csv and "
                                     "certificates.csv (not %(name)s).", name=wrong[0]))
        if len(set(names)) != len(names):
            raise ValidationError(_l("The same file was chosen twice."))


class ApplyForm(Form):
    token = HiddenField(validators=[InputRequired(), Regexp(TOKEN_RE)])
