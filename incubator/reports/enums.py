"""A periodic report's states, and what a dated name of a body is for, in the heading and the closing of a
periodic report."""

from flask_babel import lazy_gettext as _l

from incubator.enums import LabelledEnum, state_machine


class ReportStatus(LabelledEnum):
    DRAFT = "draft"  # staff edit it; its figures are computed again on every reading
    FINAL = "final"  # issued: its figures, names and PDFs are frozen; a change is a new version

    @classmethod
    def labels(cls):
        return {cls.DRAFT: _l("Draft"), cls.FINAL: _l("Finalised")}


# A draft is finalised once (reports.services.finalise, the one door); a finalised report stays so.
TRANSITIONS = state_machine({
    ReportStatus.DRAFT: frozenset({ReportStatus.FINAL}),
    ReportStatus.FINAL: frozenset(),
})


class NameKind(LabelledEnum):
    GOVERNING_BODY = "governing_body"  # the body directly above the issuer: the heading's first line
    ISSUING_BODY = "issuing_body"  # who issues the report: the heading's second line, in bold
    ADDRESSEE = "addressee"  # the usual addressees ("Nơi nhận"), several at a time, in their order
    PLACE = "place"  # the place before the date: "Hà Nội, ngày …"
    SIGNER_TITLE = "signer_title"  # the signer's position: "GIÁM ĐỐC"

    @classmethod
    def labels(cls):
        return {
            cls.GOVERNING_BODY: _l("Governing body"),
            cls.ISSUING_BODY: _l("Issuing body"),
            cls.ADDRESSEE: _l("Addressee"),
            cls.PLACE: _l("Place"),
            cls.SIGNER_TITLE: _l("Title of the signatory"),
        }


# The kinds of which one name is in force at a time (the latest to start); addressees are a list.
SINGLE_KINDS = (NameKind.GOVERNING_BODY, NameKind.ISSUING_BODY, NameKind.PLACE, NameKind.SIGNER_TITLE)


class RenderKind(LabelledEnum):
    """What a PDF prepared in the background is of (reports.renders)."""

    DRAFT = "draft"  # a draft report with the figures of the moment it was asked for
    FINAL = "final"  # a finalised report's PDF from its frozen figures, kept in the report itself
    CITY = "citywide"  # the city's consolidated report of a period

    @classmethod
    def labels(cls):
        return {cls.DRAFT: _l("Draft report"), cls.FINAL: _l("Finalised report"),
                cls.CITY: _l("The city's consolidated report")}


class RenderStatus(LabelledEnum):
    QUEUED = "queued"  # asked for; a worker has not taken it yet
    RUNNING = "running"  # a worker is drawing it
    DONE = "done"  # ready to download
    FAILED = "failed"  # it could not be drawn: asked again, it starts afresh

    @classmethod
    def labels(cls):
        return {cls.QUEUED: _l("Waiting"), cls.RUNNING: _l("Being prepared"), cls.DONE: _l("Ready"),
                cls.FAILED: _l("Failed")}
