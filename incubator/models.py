"""Imports every domain's models, so that SQLAlchemy's metadata (and Alembic) sees all tables."""

from incubator.api.models import ApiCall, ApiToken
from incubator.applications.models import Application, ApplicationDocument, IntakeRound, RoundDocument, RoundQuestion
from incubator.audit.models import AuditEntry
from incubator.auth.models import AccountToken, LoginAttempt, User, UserRole, WebSession
from incubator.catalogue.models import ProductEntry, ProductGroup, ProductMessage, ProductRevision
from incubator.certificates.models import Certificate, CertificateStandard
from incubator.cohorts.models import (
    Cohort,
    CohortMember,
    ProgressReport,
    ReportReminder,
    ServiceDelivery,
    ServiceRecipient,
)
from incubator.companies import presence  # noqa: F401  (its listeners keep where each business is as rows change)
from incubator.companies.models import Company, CompanyMember, CompanyPresence, Residency
from incubator.dialogue.models import AgendaItem, DialogueConference, DialogueQuestion, Registration
from incubator.funding.models import Consent, PipelineEntry, PipelineMove
from incubator.mail.models import OutboxMessage
from incubator.mentoring.models import Agreement, CalendarToken, MentorAssignment, MentoringSession, MentorProfile
from incubator.organisation.models import Incubator
from incubator.outcomes.models import GraduationOutcome
from incubator.partners.models import Partner
from incubator.reports.models import PeriodicReport
from incubator.requests.models import (
    AnsweringBody,
    BusinessRequest,
    CalendarDay,
    RequestAnswer,
    RequestAttachment,
    RequestCategory,
    RequestEvent,
    RequestNumberCounter,
)
from incubator.reviews import standings  # noqa: F401  (its listeners keep each stage's figures as reviews change)
from incubator.reviews.models import (
    Assignment,
    Conflict,
    Criterion,
    PanelMember,
    RejectionReason,
    Review,
    ReviewStage,
    Score,
    StageEntry,
    StageReviewer,
    StageStanding,
)
from incubator.surveys.models import Survey, SurveyQuestion, SurveyResponse
from incubator.targets import freshness  # noqa: F401  (its listeners tell the dashboard when what it counts changed)
from incubator.targets.models import ChangeCounter, Target
from incubator.uploads.stores import StoredFile

__all__ = [
    "AccountToken",
    "AgendaItem",
    "Agreement",
    "AnsweringBody",
    "ApiCall",
    "ApiToken",
    "Application",
    "ApplicationDocument",
    "Assignment",
    "AuditEntry",
    "BusinessRequest",
    "CalendarDay",
    "CalendarToken",
    "Certificate",
    "CertificateStandard",
    "ChangeCounter",
    "Cohort",
    "CohortMember",
    "Company",
    "CompanyMember",
    "CompanyPresence",
    "Conflict",
    "Consent",
    "Criterion",
    "DialogueConference",
    "DialogueQuestion",
    "GraduationOutcome",
    "Incubator",
    "IntakeRound",
    "LoginAttempt",
    "MentorAssignment",
    "MentorProfile",
    "MentoringSession",
    "OutboxMessage",
    "PanelMember",
    "Partner",
    "PeriodicReport",
    "PipelineEntry",
    "PipelineMove",
    "ProductEntry",
    "ProductGroup",
    "ProductMessage",
    "ProductRevision",
    "ProgressReport",
    "Registration",
    "RejectionReason",
    "ReportReminder",
    "RequestAnswer",
    "RequestAttachment",
    "RequestCategory",
    "RequestEvent",
    "RequestNumberCounter",
    "Residency",
    "Review",
    "ReviewStage",
    "RoundDocument",
    "RoundQuestion",
    "Score",
    "ServiceDelivery",
    "ServiceRecipient",
    "StageEntry",
    "StageReviewer",
    "StageStanding",
    "StoredFile",
    "Survey",
    "SurveyQuestion",
    "SurveyResponse",
    "Target",
    "User",
    "UserRole",
    "WebSession",
]
