"""Every route, requested as every role (anonymous included), answers as this table says.

A route with no row here fails the test: whoever adds a route decides who may use it. Each POST is sent
with a valid CSRF token and an empty or harmless form, so what is checked is the door, not the form; a POST
refused (sent to the login page, or answered 400, 403, 404) writes nothing.
"""

from __future__ import annotations

import pytest

from incubator.auth.enums import ROLES_IN_AN_INCUBATOR, Role
from incubator.companies.enums import MembershipStatus
from tests.helpers import csrf_token, login, table_state, written

ROLES = ["anonymous", *[r.value for r in Role]]
LOGIN = "login"  # anonymous: a redirect to the login page
REFUSED = {LOGIN, 400, 403, 404}

# Shorthands for a row: what anonymous gets, then the default for logged-in roles, then exceptions.


def _post(client, url, token, want, failures):
    """POST the empty form; a refused one must leave every table as it was."""
    before = table_state() if want in REFUSED else None
    response = client.post(url, data={"csrf_token": token})
    if before is not None and (changed := written(before, table_state())):
        failures.append(f"POST {url}: refused, yet wrote {', '.join(changed)}")
    return response


def row(anonymous, others, **exceptions):
    result = {role: others for role in ROLES if role != "anonymous"}
    result["anonymous"] = anonymous
    result.update(exceptions)
    return result


def only(roles, ok=200, anonymous=LOGIN, others=403):
    result = row(anonymous, others)
    for role in roles:
        result[role] = ok
    return result


STAFF = ("staff", "admin")
ADMIN = ("admin",)
READ_TARGETS = ("staff", "admin", "official")
DESK = ("reviewer", "staff", "admin")

# Every API route, asked with a session and no token (issue 24): 401, anonymous included.
API_SESSION = row(401, 401)

# (method, endpoint, {path params}) -> expected status per role
MATRIX = {
    ("GET", "auth.login", None): row(200, 302),
    ("POST", "auth.login", None): row(400, 302),
    ("GET", "auth.register", None): row(200, 302),
    ("POST", "auth.register", None): row(400, 302),
    ("GET", "auth.verify_email", "token"): row(400, 400),
    ("POST", "auth.resend_verification", None): row(LOGIN, 302),
    ("GET", "auth.forgot_password", None): row(200, 200),
    ("POST", "auth.forgot_password", None): row(400, 400),
    ("GET", "auth.reset_password", "token"): row(400, 400),
    ("POST", "auth.reset_password", "token"): row(400, 400),
    ("GET", "auth.accept_invitation", "token"): row(400, 400),
    ("POST", "auth.accept_invitation", "token"): row(400, 400),
    ("GET", "auth.account", None): row(LOGIN, 200),
    ("POST", "auth.account", None): row(LOGIN, 400),
    ("POST", "auth.set_language", None): row(302, 302),
    ("POST", "auth.logout", None): row(302, 302),
    # An account not yet confirmed lands here (see test_an_unconfirmed_account_meets_only_its_own_doors).
    ("GET", "auth.confirm_email", None): row(LOGIN, 302),
    ("POST", "auth.confirm_email", None): row(LOGIN, 302),
    ("GET", "home.index", None): row(200, 302),  # anonymous: the front page; others: their home
    **{("GET", "home.role_home", f"role={r.value}"): only([r.value]) for r in Role},
    ("GET", "home.role_home", "role=nobody"): row(LOGIN, 404),
    # The incubator switcher: no incubator named (and here a single one): nothing to switch to.
    ("POST", "home.switch_incubator", None): row(LOGIN, 404),
    ("GET", "admin.users", None): only(ADMIN),
    ("GET", "admin.export_users", "fmt=csv"): only(ADMIN),
    ("GET", "admin.invite", None): only(ADMIN),
    ("POST", "admin.invite", None): only(ADMIN, ok=400),
    ("GET", "admin.invitations", None): only(ADMIN),
    ("POST", "admin.revoke_invitation", "token_id"): only(ADMIN, ok=302),
    ("GET", "admin.user", "user_id"): only(ADMIN),
    ("POST", "admin.user", "user_id"): only(ADMIN, ok=400),
    ("POST", "admin.deactivate", "user_id"): only(ADMIN, ok=400),
    ("POST", "admin.reactivate", "user_id"): only(ADMIN, ok=302),
    # An incubator's record (names, address, report numbers, logo): administrators any, staff their own.
    ("GET", "admin.incubators", None): only(STAFF),
    ("GET", "admin.incubator", "incubator_id"): only(STAFF),
    ("POST", "admin.incubator", "incubator_id"): only(STAFF, ok=400),
    ("GET", "admin.incubator_logo", "incubator_id"): only(STAFF, ok=404),  # no logo uploaded here
    ("GET", "mail.outbox", None): only(STAFF),
    ("GET", "mail.message", "message_id"): only(STAFF),
    ("POST", "mail.send", "message_id"): only(STAFF, ok=302),
    ("GET", "audit.log", None): only(STAFF),
    ("GET", "audit.export", "fmt=csv"): only(STAFF),
    # The register (issue 4): staff keep it.
    ("GET", "companies.index", None): only(STAFF),
    ("GET", "companies.new", None): only(STAFF),
    ("GET", "companies.export", "fmt=xlsx"): only(STAFF),
    ("GET", "companies.residencies", None): only(STAFF),
    ("GET", "companies.export_residencies", "fmt=csv"): only(STAFF),
    ("GET", "companies.outcomes", None): only(STAFF),
    ("GET", "companies.export_outcomes", "fmt=xlsx"): only(STAFF),
    ("POST", "companies.new", None): only(STAFF, ok=400),
    ("GET", "companies.company", "company_id"): only(STAFF),
    ("GET", "companies.edit", "company_id"): only(STAFF),
    ("POST", "companies.edit", "company_id"): only(STAFF, ok=400),
    ("GET", "companies.new_residency", "company_id"): only(STAFF),
    ("POST", "companies.new_residency", "company_id"): only(STAFF, ok=400),
    ("GET", "companies.edit_residency", "residency_id"): only(STAFF),
    ("POST", "companies.edit_residency", "residency_id"): only(STAFF, ok=400),
    ("POST", "companies.end_residency", "residency_id"): only(STAFF, ok=400),
    ("GET", "companies.new_outcome", "company_id"): only(STAFF),
    ("POST", "companies.new_outcome", "company_id"): only(STAFF, ok=400),
    ("GET", "companies.edit_outcome", "outcome_id"): only(STAFF),
    ("POST", "companies.edit_outcome", "outcome_id"): only(STAFF, ok=400),
    ("GET", "companies.evidence", "outcome_id"): only(READ_TARGETS, ok=404),  # no file attached here
    ("POST", "companies.approve_membership", "membership_id"): only(STAFF, ok=302),
    ("POST", "companies.refuse_membership", "membership_id"): only(STAFF, ok=302),
    ("GET", "companies.claims", None): only(STAFF),
    ("GET", "companies.claim_certificate", "membership_id"): only(STAFF, ok=404),  # none attached here
    ("POST", "companies.verify", "company_id"): only(STAFF, ok=302),
    # Taking in a business another incubator has; one this incubator sees goes on to its residency form.
    ("GET", "companies.take_in", "tax_code"): only(STAFF, ok=302),
    ("POST", "companies.take_in", "tax_code"): only(STAFF, ok=302),
    ("GET", "my_companies.claim", None): only(["founder"]),
    ("POST", "my_companies.claim", None): only(["founder"], ok=400),
    # Intake rounds: anyone reads the public pages; staff manage the rounds.
    ("GET", "rounds.public", None): row(200, 200),
    ("GET", "rounds.detail", "round_id"): row(200, 200),
    ("GET", "rounds.manage", None): only(STAFF),
    ("GET", "rounds.new", None): only(STAFF),
    ("POST", "rounds.new", None): only(STAFF, ok=400),
    ("GET", "rounds.edit", "round_id"): only(STAFF),
    ("POST", "rounds.edit", "round_id"): only(STAFF, ok=400),
    ("GET", "rounds.setup", "round_id"): only(STAFF),
    ("POST", "rounds.add_question", "round_id"): only(STAFF, ok=400),
    ("GET", "rounds.edit_question", "question_id"): only(STAFF),
    ("POST", "rounds.edit_question", "question_id"): only(STAFF, ok=400),
    ("POST", "rounds.remove_question", "question_id"): only(STAFF, ok=302),
    ("POST", "rounds.add_document", "round_id"): only(STAFF, ok=400),
    ("POST", "rounds.extend", "round_id"): only(STAFF, ok=400),
    ("GET", "rounds.copy", "round_id"): only(STAFF),
    ("GET", "rounds.preview", "round_id"): only(STAFF),
    ("POST", "rounds.copy", "round_id"): only(STAFF, ok=400),
    # Applications (someone else's, here): founders start their own; another's answers 404, not a hint.
    ("GET", "applications.start", "round_id"): only(["founder"], ok=302),  # no company yet: add it first
    ("POST", "applications.start", "round_id"): only(["founder"], ok=302),
    ("GET", "applications.edit", "application_id"): row(LOGIN, 404, staff=302, admin=302),  # staff: the status
    ("POST", "applications.edit", "application_id"): row(LOGIN, 404, staff=302, admin=302),
    ("POST", "applications.upload", "application_id,document_id"): row(LOGIN, 404),
    ("POST", "applications.autosave", "application_id"): row(LOGIN, 404),
    ("GET", "applications.download", "application_id,document_id"): row(LOGIN, 404),
    ("GET", "applications.review", "application_id"): row(LOGIN, 404),
    ("POST", "applications.review", "application_id"): row(LOGIN, 404),
    ("GET", "applications.status", "application_id"): row(LOGIN, 404, staff=200, admin=200),
    ("POST", "applications.withdraw", "application_id"): row(LOGIN, 404, staff=403, admin=403),
    ("GET", "applications.withdraw", "application_id"): row(LOGIN, 404, staff=403, admin=403),  # the confirmation
    # A draft: nothing was sent yet, staff are sent to its status (its founders to the summary before submitting).
    ("GET", "applications.copy", "application_id"): row(LOGIN, 404, staff=302, admin=302),
    ("GET", "applications.copy_pdf", "application_id"): row(LOGIN, 404, staff=302, admin=302),
    ("GET", "round_applications.index", "round_id"): only(STAFF),
    ("GET", "round_applications.export", "round_id,fmt=csv"): only(STAFF),
    ("GET", "applications.staff_view", "application_id"): only(STAFF),
    ("POST", "applications.staff_view", "application_id"): only(STAFF, ok=400),
    ("POST", "applications.judge_novelty", "application_id"): only(STAFF, ok=400),
    ("GET", "imports.index", None): only(STAFF),
    ("POST", "imports.preview", None): only(STAFF, ok=400),
    ("POST", "imports.apply", None): only(STAFF, ok=400),
    # The targets: staff, admins and the Department's officials read them; staff edit them.
    ("GET", "targets.dashboard", None): only(READ_TARGETS),
    ("GET", "targets.explain", "code"): only(READ_TARGETS),
    ("GET", "targets.manage", None): only(STAFF),
    ("GET", "targets.new", None): only(STAFF),
    ("POST", "targets.new", None): only(STAFF, ok=400),
    ("GET", "targets.edit", "code"): only(STAFF),
    ("POST", "targets.edit", "code"): only(STAFF, ok=400),
    # The review (issue 6): reviewers (and staff on a panel) at their desk; another's assignment is not found.
    ("GET", "reviews.desk", None): only(DESK),
    ("GET", "reviews.assignment", "assignment_id"): only(DESK, ok=404),
    ("POST", "reviews.assignment", "assignment_id"): only(DESK, ok=404),
    ("POST", "reviews.confirm", "assignment_id"): only(DESK, ok=404),
    ("POST", "reviews.declare_conflict", "assignment_id"): only(DESK, ok=404),
    ("GET", "reviews.document", "assignment_id,document_id"): only(DESK, ok=404),
    # Staff run the review.
    ("GET", "reviews.round_stages", "round_id"): only(STAFF),
    ("GET", "reviews.new_stage", "round_id"): only(STAFF),
    ("POST", "reviews.new_stage", "round_id"): only(STAFF, ok=400),
    ("GET", "reviews.stage", "stage_id"): only(STAFF),
    ("GET", "reviews.edit_stage", "stage_id"): only(STAFF),
    ("POST", "reviews.edit_stage", "stage_id"): only(STAFF, ok=400),
    ("GET", "reviews.new_criterion", "stage_id"): only(STAFF),
    ("POST", "reviews.new_criterion", "stage_id"): only(STAFF, ok=400),
    ("GET", "reviews.edit_criterion", "criterion_id"): only(STAFF),
    ("POST", "reviews.edit_criterion", "criterion_id"): only(STAFF, ok=400),
    ("POST", "reviews.remove_criterion", "criterion_id"): only(STAFF, ok=302),
    ("POST", "reviews.add_panel", "stage_id"): only(STAFF, ok=302),
    ("POST", "reviews.take", "stage_id"): only(STAFF, ok=302),
    ("POST", "reviews.auto_assign", "stage_id"): only(STAFF, ok=302),
    ("POST", "reviews.remind", "stage_id"): only(STAFF, ok=302),
    ("GET", "reviews.assignments", "stage_id"): only(STAFF),
    ("POST", "reviews.assignments", "stage_id"): only(STAFF, ok=400),
    ("GET", "reviews.conflicts", "stage_id"): only(STAFF),
    ("POST", "reviews.conflicts", "stage_id"): only(STAFF, ok=400),
    ("GET", "reviews.ranking", "stage_id"): only(STAFF),
    ("GET", "reviews.export_ranking", "stage_id,fmt=xlsx"): only(STAFF),
    ("POST", "reviews.decide_many", "stage_id"): only(STAFF, ok=400),  # an empty post: the form again
    ("GET", "reviews.decide", "entry_id"): only(STAFF),
    ("POST", "reviews.decide", "entry_id"): only(STAFF, ok=400),
    ("GET", "reviews.reasons", None): only(STAFF),
    ("POST", "reviews.reasons", None): only(STAFF, ok=400),
    ("GET", "reviews.edit_reason", "reason_id"): only(STAFF),
    ("POST", "reviews.edit_reason", "reason_id"): only(STAFF, ok=400),
    # Cohorts, reports, services and a startup's file (issue 7).
    ("GET", "cohorts.index", None): only(STAFF),
    ("GET", "cohorts.new", None): only(STAFF),
    ("POST", "cohorts.new", None): only(STAFF, ok=400),
    ("GET", "cohorts.edit", "cohort_id"): only(STAFF),
    ("POST", "cohorts.edit", "cohort_id"): only(STAFF, ok=400),
    ("GET", "cohorts.cohort", "cohort_id"): only(STAFF),
    ("POST", "cohorts.cohort", "cohort_id"): only(STAFF, ok=400),
    ("GET", "cohorts.late", None): only(STAFF),
    ("GET", "cohorts.export_late", "fmt=csv"): only(STAFF),
    ("GET", "cohorts.export", "fmt=xlsx"): only(STAFF),
    ("GET", "cohorts.export_members", "cohort_id,fmt=xlsx"): only(STAFF),
    ("GET", "cohorts.export_reports", "cohort_id,fmt=csv"): only(STAFF),
    ("GET", "cohorts.leave", "member_id"): only(STAFF),
    ("POST", "cohorts.leave", "member_id"): only(STAFF, ok=400),
    # A report: its founders write it; staff read it; anyone else is told nothing.
    ("GET", "cohorts.report", "member_id,period=2025-01-01"): row(LOGIN, 404, staff=200, admin=200),
    ("POST", "cohorts.report", "member_id,period=2025-01-01"): row(LOGIN, 404, staff=403, admin=403),
    ("GET", "startups.file", "company_id"): row(LOGIN, 404, staff=200, admin=200),
    ("GET", "services.index", None): only(STAFF),
    ("GET", "services.export", "fmt=xlsx"): only(STAFF),
    ("GET", "services.new_service", None): only(STAFF),
    ("POST", "services.new_service", None): only(STAFF, ok=400),
    ("GET", "services.edit_service", "service_id"): only(STAFF),
    ("POST", "services.edit_service", "service_id"): only(STAFF, ok=400),
    # Partners, mentoring and fund managers (issue 8).
    ("GET", "mentoring.desk", None): only(["mentor"]),
    ("GET", "mentoring.export_my_sessions", "fmt=csv"): only(["mentor"]),
    ("GET", "mentoring.profile", None): only(["mentor"]),
    ("POST", "mentoring.profile", None): only(["mentor"], ok=400),
    # Another mentor's startup and session: not found, for a mentor too.
    ("GET", "mentoring.new_session", "assignment_id=mentor_assignment_id"): only(["mentor"], ok=404),
    ("POST", "mentoring.new_session", "assignment_id=mentor_assignment_id"): only(["mentor"], ok=404),
    ("GET", "mentoring.session", "session_id"): row(LOGIN, 404, staff=200, admin=200),
    ("POST", "mentoring.session", "session_id"): row(LOGIN, 404, staff=400, admin=400),
    ("POST", "mentoring.answer", "session_id"): row(LOGIN, 404, staff=403, admin=403),
    ("GET", "mentoring.cohort", "cohort_id"): only(STAFF),
    ("POST", "mentoring.cohort", "cohort_id"): only(STAFF, ok=400),
    ("GET", "mentoring.hours", None): only(STAFF),
    ("GET", "mentoring.sessions", None): only(STAFF),
    ("GET", "mentoring.export_sessions", "fmt=xlsx"): only(STAFF),
    ("GET", "mentoring.calendar", "token=khong-phai-ma-that"): row(404, 404),
    ("POST", "mentoring.calendar_token", None): only(["mentor"], ok=302),
    ("GET", "partners.index", None): only(STAFF),
    ("GET", "partners.new", None): only(STAFF),
    ("POST", "partners.new", None): only(STAFF, ok=400),
    ("GET", "partners.edit", "partner_id"): only(STAFF),
    ("POST", "partners.edit", "partner_id"): only(STAFF, ok=400),
    ("GET", "partners.partner", "partner_id"): row(LOGIN, 404, staff=200, admin=200),
    ("POST", "partners.add_agreement", "partner_id"): only(STAFF, ok=302),
    # A partner this incubator sees leads to its page; another incubator's is taken in once found by name.
    ("GET", "partners.take_in", "partner_id"): only(STAFF, ok=302),
    ("POST", "partners.take_in", "partner_id"): only(STAFF, ok=302),
    ("GET", "partners.edit_agreement", "partner_id,agreement_id"): only(STAFF),
    ("POST", "partners.edit_agreement", "partner_id,agreement_id"): only(STAFF, ok=400),
    ("GET", "partners.export", "fmt=xlsx"): only(STAFF),
    ("GET", "funding.pipeline", None): only(["fund_manager", "staff", "admin"]),
    # Without the startup's consent a fund manager sees nothing of it.
    ("GET", "funding.startup", "company_id"): row(LOGIN, 404, staff=200, admin=200),
    ("POST", "funding.startup", "company_id"): row(LOGIN, 404, staff=403, admin=403),
    ("GET", "funding.consent", "company_id"): row(LOGIN, 404),
    ("POST", "funding.consent", "company_id"): row(LOGIN, 404),
    ("GET", "funding.board", None): only(["fund_manager", "staff", "admin"]),
    ("GET", "funding.export_pipeline", "fmt=xlsx"): only(["fund_manager", "staff", "admin"]),
    # Another fund's startup: not found; staff read every fund's pipeline but move none.
    ("POST", "funding.move_stage", "entry_id=pipeline_entry_id"): row(LOGIN, 404, staff=403, admin=403),
    # A yearly survey's results (issue 22): staff and officials read them; staff turn a proposal into a request
    # (the fixture's response is not submitted: refused with a message, back to the results).
    ("GET", "survey_results.results", "survey_id"): only(READ_TARGETS),
    ("GET", "survey_results.export", "survey_id"): only(READ_TARGETS),
    ("POST", "survey_results.proposal_request", "response_id=survey_response_id"): only(STAFF, ok=302),
    # Certificates (issue 22): staff keep them on a business's file and the list of standards; a founder submits
    # for a business whose file they hold (the matrix's founder holds none: not found). The fixture's certificate
    # is a founder's submission with no file stored.
    ("GET", "certificates.new", "company_id"): only(STAFF),
    ("POST", "certificates.new", "company_id"): only(STAFF, ok=400),
    ("GET", "certificates.edit", "certificate_id"): only(STAFF),
    ("POST", "certificates.edit", "certificate_id"): only(STAFF, ok=400),
    ("GET", "certificates.revoke", "certificate_id"): only(STAFF),
    ("POST", "certificates.revoke", "certificate_id"): only(STAFF, ok=400),
    ("POST", "certificates.delete", "certificate_id"): only(STAFF, ok=400),  # no version given
    ("GET", "certificates.review", "certificate_id"): only(STAFF),
    ("POST", "certificates.verify", "certificate_id"): only(STAFF, ok=400),
    ("POST", "certificates.refuse", "certificate_id"): only(STAFF, ok=400),
    ("GET", "certificates.evidence", "certificate_id"): row(LOGIN, 403, staff=404, admin=404, official=404,
                                                            founder=404),  # no file stored; not their business
    ("GET", "certificates.submit", "company_id"): row(LOGIN, 403, founder=404),
    ("POST", "certificates.submit", "company_id"): row(LOGIN, 403, founder=404),
    ("GET", "certificates.submissions", None): only(STAFF),
    ("GET", "certificates.expiring", None): only(STAFF),
    ("GET", "certificates.standards", None): only(STAFF),
    ("GET", "certificates.new_standard", None): only(STAFF),
    ("POST", "certificates.new_standard", None): only(STAFF, ok=400),
    ("GET", "certificates.edit_standard", "standard_id"): only(STAFF),
    ("POST", "certificates.edit_standard", "standard_id"): only(STAFF, ok=400),
    # The yearly survey (issue 22): staff of its incubator prepare, open and close it and read the answers;
    # officials read; the founders of an invited business answer (the matrix's founder holds none: not found).
    # The fixture's survey is being prepared (a founder's pages of it are not found), its deadline past (opening
    # it is refused with a message, back to its page).
    ("GET", "surveys.index", None): only(READ_TARGETS),
    ("GET", "surveys.new", None): only(STAFF),
    ("POST", "surveys.new", None): only(STAFF, ok=400),
    ("GET", "surveys.show", "survey_id"): row(LOGIN, 404, staff=200, admin=200, official=200),
    ("GET", "surveys.edit", "survey_id"): row(LOGIN, 404, staff=200, admin=200),
    ("POST", "surveys.edit", "survey_id"): row(LOGIN, 404, staff=400, admin=400),
    ("POST", "surveys.add_question", "survey_id"): row(LOGIN, 404, staff=400, admin=400),
    ("GET", "surveys.edit_question", "question_id=survey_question_id"): row(LOGIN, 404, staff=200, admin=200),
    ("POST", "surveys.edit_question", "question_id=survey_question_id"): row(LOGIN, 404, staff=400, admin=400),
    ("POST", "surveys.move_question", "question_id=survey_question_id"): row(LOGIN, 404, staff=400, admin=400),
    ("POST", "surveys.open_survey", "survey_id"): row(LOGIN, 404, staff=303, admin=303),
    ("POST", "surveys.invite", "survey_id"): row(LOGIN, 404, staff=303, admin=303),  # not open
    ("POST", "surveys.close", "survey_id"): row(LOGIN, 404, staff=303, admin=303),  # not open
    ("GET", "surveys.answer", "response_id=survey_response_id"): row(LOGIN, 404),
    ("POST", "surveys.answer", "response_id=survey_response_id"): row(LOGIN, 404),
    ("GET", "surveys.submit", "response_id=survey_response_id"): row(LOGIN, 404),
    ("POST", "surveys.submit", "response_id=survey_response_id"): row(LOGIN, 404),
    ("GET", "surveys.response", "response_id=survey_response_id"): row(LOGIN, 404),
    ("POST", "surveys.reopen", "response_id=survey_response_id"): row(LOGIN, 404, staff=400, admin=400),
    # Periodic reports (issue 9): staff write them; officials read the finalised ones.
    ("GET", "reports.index", None): only(READ_TARGETS),
    ("POST", "reports.new", None): only(STAFF, ok=400),  # nothing chosen: the list and the form again
    ("GET", "reports.report", "report_id"): only(READ_TARGETS),
    ("POST", "reports.report", "report_id"): only(STAFF, ok=400),  # a finalised report: its form is closed
    ("GET", "reports.pdf", "report_id,lang=vi"): only(READ_TARGETS),
    ("POST", "reports.new_version", "report_id"): only(STAFF, ok=302),
    ("POST", "reports.finalise", "report_id"): only(STAFF, ok=302),
    # The city's consolidated report (issue 20): readers of the whole network.
    ("GET", "reports.city", None): only(("admin", "official")),
    # The dated names of bodies a report prints (issue 18): staff keep them.
    ("GET", "reports.names", None): only(STAFF),
    ("POST", "reports.names", None): only(STAFF, ok=400),
    ("GET", "reports.city_pdf", None): only(("admin", "official")),
    # PDFs drawn in the background (issue 23): asked for with no language, refused; a draft's render is its
    # incubator's staff's (an official reads the finalised reports only).
    ("POST", "reports.prepare_pdf", "report_id"): only(READ_TARGETS, ok=400),
    ("POST", "reports.prepare_city_pdf", None): only(("admin", "official"), ok=400),
    ("GET", "reports.render", "render_id"): {**only(STAFF), "official": 404},
    ("GET", "reports.render_file", "render_id"): {**only(STAFF), "official": 404},
    ("POST", "reports.render_again", "render_id"): {**only(STAFF, ok=302), "official": 404},
    ("GET", "reports.edit_name", "name_id"): only(STAFF),
    ("POST", "reports.edit_name", "name_id"): only(STAFF, ok=400),
    # Businesses' requests to the city (issue 21): founders file and follow their businesses' (the founder here
    # holds none, so another business's request is not found); staff handle them and keep the lists; anyone
    # reads the published answers and their feed.
    ("GET", "requests.mine", None): only(("founder",)),
    ("GET", "requests.new", None): only(("founder",)),
    ("POST", "requests.new", None): only(("founder",), ok=400),
    ("GET", "requests.show", "request_id"): row(LOGIN, 404, staff=200, admin=200),
    ("POST", "requests.add_information", "request_id"): row(LOGIN, 404),
    ("GET", "requests.withdraw", "request_id"): row(LOGIN, 404),
    ("POST", "requests.withdraw", "request_id"): row(LOGIN, 404),
    ("POST", "requests.rate", "request_id"): row(LOGIN, 404),
    ("POST", "requests.consent", "request_id"): row(LOGIN, 404),
    ("GET", "requests.attachment", "request_id,attachment_id"): row(LOGIN, 404),  # no file stored here
    ("GET", "requests.answer_document", "request_id"): row(LOGIN, 404),  # not answered
    ("GET", "requests.index", None): only(STAFF),
    **{("POST", "requests.act", f"request_id,action={action}"): only(STAFF, ok=400)
       for action in ("route", "ask", "merge", "decline", "answer", "approve", "prepare", "publish", "unpublish")},
    ("GET", "requests.lists", None): only(STAFF),
    ("GET", "request_figures.index", None): only(STAFF),  # the requests' figures per quarter
    ("GET", "requests.new_category", None): only(STAFF),
    ("POST", "requests.new_category", None): only(STAFF, ok=400),
    ("GET", "requests.category", "category_id"): only(STAFF),
    ("POST", "requests.category", "category_id"): only(STAFF, ok=400),
    ("GET", "requests.new_body", None): only(STAFF),
    ("POST", "requests.new_body", None): only(STAFF, ok=400),
    ("GET", "requests.body", "body_id"): only(STAFF),
    ("POST", "requests.body", "body_id"): only(STAFF, ok=400),
    ("POST", "requests.add_day", None): only(STAFF, ok=400),
    ("GET", "dialogue.index", None): only(STAFF),
    ("GET", "dialogue.new", None): only(STAFF),
    ("POST", "dialogue.new", None): only(STAFF, ok=400),
    ("GET", "dialogue.show", "conference_id"): row(LOGIN, 404, staff=200, admin=200),
    ("GET", "dialogue.edit", "conference_id"): row(LOGIN, 404, staff=200, admin=200),
    ("POST", "dialogue.edit", "conference_id"): row(LOGIN, 404, staff=400, admin=400),
    **{("POST", "dialogue.act", f"conference_id,action={action}"): row(LOGIN, 404, staff=400, admin=400)
       for action in ("add_item", "remove_item", "answer", "invite", "floor", "hold", "cancel", "minutes",
                      "publish", "unpublish")},
    ("GET", "dialogue.minutes_pdf", "conference_id"): row(LOGIN, 404),  # no minutes made yet
    ("GET", "dialogue.invitations", None): only(("founder",)),
    ("GET", "dialogue.register", "conference_id"): row(LOGIN, 404),  # no one of these roles is invited
    ("POST", "dialogue.register", "conference_id"): row(LOGIN, 404),
    ("GET", "dialogue.published_index", None): row(200, 200),
    ("GET", "dialogue.published", "conference_id"): row(404, 404),  # planned: nothing published
    ("GET", "dialogue.published_minutes", "conference_id"): row(404, 404),
    ("GET", "requests.answers", None): row(200, 200),
    ("GET", "requests.feed", None): row(200, 200),
    # The catalogue (issue 24): anyone reads the approved, listed products and writes to a business (an empty form:
    # 400); a founder writes the entries of the businesses whose file they hold (this one holds none: 404); staff
    # decide on the changes of products listed in their incubator, and keep the product groups.
    ("GET", "catalogue.index", None): row(200, 200),
    ("GET", "catalogue.product", "product_id,slug=product_slug"): row(200, 200),
    ("POST", "catalogue.contact", "product_id"): row(400, 400),
    ("GET", "site.sitemap", None): row(200, 200),
    ("GET", "site.robots", None): row(200, 200),
    ("GET", "catalogue.mine", None): only(["founder"]),
    ("GET", "catalogue.new", "company_id"): row(LOGIN, 403, founder=404),
    ("POST", "catalogue.new", "company_id"): row(LOGIN, 403, founder=404),
    ("GET", "catalogue.edit", "product_id"): row(LOGIN, 403, founder=404),
    ("POST", "catalogue.edit", "product_id"): row(LOGIN, 403, founder=404),
    ("POST", "catalogue.listing", "product_id"): row(LOGIN, 403, founder=404),
    ("GET", "catalogue.waiting", None): only(STAFF),
    ("GET", "catalogue.review", "product_id=waiting_product_id"): only(STAFF),
    ("POST", "catalogue.approve", "product_id=waiting_product_id"): only(STAFF, ok=400),
    ("POST", "catalogue.refuse", "product_id=waiting_product_id"): only(STAFF, ok=400),
    ("GET", "catalogue.groups", None): only(STAFF),
    ("POST", "catalogue.groups", None): only(STAFF, ok=400),
    ("GET", "catalogue.edit_group", "group_id"): only(STAFF),
    ("POST", "catalogue.edit_group", "group_id"): only(STAFF, ok=400),
    # The API (issue 24) is answered by token, never by the session: a signed-in person without a token gets
    # 401, whatever the role (tests/api test each route with tokens: scope 403, another incubator's object 404).
    # Its description and documentation page hold no data: everyone reads them.
    ("GET", "api_docs.openapi_json", None): row(200, 200),
    ("GET", "api_docs.docs", None): row(200, 200),
    ("GET", "api_docs.asset", "filename=swagger-ui.css"): row(200, 200),
    ("GET", "api_incubators.list_incubators", None): API_SESSION,
    ("GET", "api_incubators.get_incubator", "code=VUHN"): API_SESSION,
    ("GET", "api_targets.figures", None): API_SESSION,
    ("GET", "api_targets.series", None): API_SESSION,
    ("GET", "api_targets.businesses", "code=IT70"): API_SESSION,
    # The API's resources (incubator/api/resources): ids as literals, so that the second incubator's walk (which
    # expects 404 from a session) leaves them to tests/api/test_resources.py, which tests them with tokens.
    ("GET", "api_register.list_businesses", None): API_SESSION,
    ("GET", "api_register.get_business", "business_id=company_id"): API_SESSION,
    ("GET", "api_register.list_residencies", "business_id=company_id"): API_SESSION,
    ("GET", "api_register.list_business_certificates", "business_id=company_id"): API_SESSION,
    ("GET", "api_register.list_outcomes", None): API_SESSION,
    ("GET", "api_register.get_outcome", "outcome_id=1"): API_SESSION,
    ("GET", "api_register.list_certificates", None): API_SESSION,
    ("GET", "api_register.get_certificate", "certificate_id"): API_SESSION,
    ("GET", "api_rounds.list_rounds", None): API_SESSION,
    ("GET", "api_rounds.get_round", "round_id=1"): API_SESSION,
    ("GET", "api_cohorts.list_cohorts", None): API_SESSION,
    ("GET", "api_cohorts.get_cohort", "cohort_id=1"): API_SESSION,
    ("GET", "api_mentoring.mentoring_hours", None): API_SESSION,
    ("GET", "api_reports.list_reports", None): API_SESSION,
    ("GET", "api_reports.get_report", "report_id=1"): API_SESSION,
    ("GET", "api_reports.get_report_pdf", "report_id=1,lang=vi"): API_SESSION,
    ("GET", "api_answers.list_answers", None): API_SESSION,
    ("GET", "api_answers.get_answer", "number=KN-2026-0001"): API_SESSION,
    ("GET", "api_catalogue.list_products", None): API_SESSION,
    ("GET", "api_catalogue.get_product", "product_id"): API_SESSION,
    # The API tokens' pages: administrators and officials, each their own tokens; administrators everyone's.
    ("GET", "api_tokens.index", None): only(("admin", "official")),
    ("GET", "api_tokens.new", None): only(("admin", "official")),
    ("POST", "api_tokens.new", None): only(("admin", "official"), ok=400),
    # Last, as they change what the rows above read.
    ("POST", "surveys.remove_question", "question_id=survey_question_id"): row(LOGIN, 404, staff=302, admin=302),
    ("POST", "requests.remove_day", "day_id"): only(STAFF, ok=302),
    ("POST", "mentoring.end_assignment", "assignment_id=mentor_assignment_id"): only(STAFF, ok=302),
    ("POST", "reviews.withdraw_assignment", "assignment_id"): only(STAFF, ok=302),
    ("POST", "reviews.remove_panel", "stage_id,user_id"): only(STAFF, ok=302),
    # Another official's token: not theirs to see; an administrator revokes it.
    ("POST", "api_tokens.revoke", "token_id=api_token_id"): only(ADMIN, ok=302, others=403) | {"official": 404},
}

# Public files: no permission to check.
PUBLIC_ENDPOINTS = {"static", "bootstrap.static"}


@pytest.fixture
def objects(make):
    return _objects(make)


def _objects(make):
    target = make.user(Role.REVIEWER, full_name="Người Được Quản Lý")
    _token, invitation = make.invitation()
    message = make.outbox_message()
    residency = make.residency()
    from incubator.outcomes.enums import Decision
    from incubator.outcomes.models import GraduationOutcome

    outcome = make._save(GraduationOutcome(company=residency.company, decision=Decision.GRADUATED,
                                           decided_on=residency.starts_on))
    city_target = make.target(code="IT70")
    from incubator.applications.enums import QuestionKind
    from incubator.applications.models import RoundDocument, RoundQuestion

    intake_round = make.intake_round()
    question = make._save(RoundQuestion(round=intake_round, kind=QuestionKind.TEXT, label_vi="Câu hỏi",
                                        label_en="Question"))
    from incubator.applications.enums import ApplicationStatus

    stage = make.review_stage(intake_round=intake_round)
    entry = make.stage_entry(stage, make.application(intake_round=intake_round, status=ApplicationStatus.UNDER_REVIEW,
                                                     reference="VU-2026-0001"))
    assignment = make.assignment(entry, target)  # another reviewer's
    review_ids = {"stage_id": stage.id, "criterion_id": stage.criteria[0].id, "entry_id": entry.id,
                  "assignment_id": assignment.id, "reason_id": make.rejection_reason().id}
    from incubator.cohorts.models import ServiceDelivery, ServiceRecipient

    member = make.cohort_member(make.cohort(), residency.company)
    service = make._save(ServiceDelivery(kind="training", title="Khóa học", delivered_on=residency.starts_on,
                                         recipients=[ServiceRecipient(company_id=residency.company_id)]))
    cohort_ids = {"cohort_id": member.cohort_id, "member_id": member.id, "service_id": service.id}
    from incubator.funding.models import PipelineEntry
    from incubator.partners.enums import PartnerKind

    fund = make.partner(kind=PartnerKind.FUND_MANAGER)
    cohort_ids["pipeline_entry_id"] = make._save(PipelineEntry(partner_id=fund.id, company_id=residency.company_id,
                                                               stage_on=residency.starts_on)).id
    mentor_assignment = make.mentor_assignment(member)  # another mentor's startup
    from incubator.reports.enums import ReportStatus
    from incubator.reports.models import PeriodicReport

    final_report = make._save(PeriodicReport(period_label="2025", period_start=residency.starts_on,
                                             period_end=residency.starts_on, status=ReportStatus.FINAL, number="1/BC",
                                             snapshot={}, pdf_vi=b"%PDF-1.4", pdf_en=b"%PDF-1.4"))
    from incubator.db import utcnow
    from incubator.reports.enums import NameKind, RenderKind, RenderStatus
    from incubator.reports.models import BodyName, ReportRender
    from incubator.uploads.stores import StoredFile

    draft_report = make._save(PeriodicReport(period_label="2024", period_start=residency.starts_on,
                                             period_end=residency.starts_on, number="2/BC"))
    rendered = make._save(StoredFile(kind="renders", name="0" * 32 + ".pdf", content=b"%PDF-1.4", size=8,
                                     media_type="application/pdf"))
    cohort_ids["render_id"] = make._save(ReportRender(
        kind=RenderKind.DRAFT, report_id=draft_report.id, incubator_id=draft_report.incubator_id, lang="vi",
        status=RenderStatus.DONE, stored_name=rendered.name, started_at=utcnow(), finished_at=utcnow())).id

    cohort_ids["name_id"] = make._save(BodyName(kind=NameKind.PLACE, name_vi="Hà Nội", name_en="Hà Nội",
                                                valid_from=residency.starts_on)).id
    from incubator.organisation.current import current_incubator_id

    cohort_ids["incubator_id"] = current_incubator_id()  # the record of the incubator these objects are in
    cohort_ids.update(report_id=final_report.id, mentor_assignment_id=mentor_assignment.id,
                      partner_id=make.partner().id, session_id=make.mentoring_session(mentor_assignment).id)
    from incubator.mentoring.models import Agreement

    cohort_ids["agreement_id"] = make._save(Agreement(partner_id=cohort_ids["partner_id"], programme="Hợp tác 2025",
                                                      starts_on=residency.starts_on)).id
    cohort_ids.update(_request_objects(make, residency))
    cohort_ids["conference_id"] = _conference(make, cohort_ids["request_id"])
    cohort_ids.update(_certificate_objects(make, residency))
    cohort_ids.update(_catalogue_objects(make, residency))
    cohort_ids.update(_survey_objects(make, residency))
    cohort_ids["survey_question_id"] = _survey_question(make, cohort_ids["survey_id"])
    cohort_ids["api_token_id"] = _api_token(make)
    return {**review_ids, **cohort_ids, "user_id": target.id, "token_id": invitation.id, "message_id": message.id,
            "token": "khong-phai-ma-that-" + "x" * 24, "company_id": residency.company_id,
            "tax_code": residency.company.tax_code,
            "residency_id": residency.id, "outcome_id": outcome.id, "code": city_target.code,
            "membership_id": make.member(status=MembershipStatus.PENDING).id, "round_id": intake_round.id,
            "question_id": question.id, "application_id": make.application(intake_round=intake_round).id,
            "document_id": make._save(RoundDocument(round=intake_round, name_vi="Kế hoạch", name_en="Plan")).id}


def _api_token(make) -> int:
    """An API token of an official (not the one logged in)."""
    from incubator.api import services as api_services

    return api_services.create_token(make.user(Role.OFFICIAL), "Hệ thống của Sở").token.id


def _request_objects(make, residency) -> dict:
    """A business's request (with an attachment whose file is not stored), a body, a category, a calendar day."""
    from datetime import date

    from incubator.requests import queries as request_queries
    from incubator.requests import services as requests
    from incubator.requests.enums import BodyKind, CalendarDayKind
    from incubator.requests.models import RequestAttachment

    requests.ensure_default_categories()
    founder = make.user(Role.FOUNDER)
    make.member(company=residency.company, user=founder)
    staff = make.user(Role.STAFF)
    category = request_queries.categories()[0]
    filed = requests.file(residency.company, actor=founder, kind="request", category=category,
                          title="Kiến nghị về mặt bằng", text="Nội dung", consent="named")
    attachment = make._save(RequestAttachment(request_id=filed.id, stored_name="khong-co-tep.pdf",
                                              original_name="tep.pdf", size=1, uploaded_by_id=founder.id))
    body = requests.save_body(None, actor=staff, name_vi="Phòng Quản lý", kind=BodyKind.DEPARTMENT_UNIT)
    day = make._save(requests.add_calendar_day(date(2026, 1, 2), CalendarDayKind.DAY_OFF, actor=staff))
    return {"request_id": filed.id, "attachment_id": attachment.id, "category_id": category.id, "body_id": body.id,
            "day_id": day.id}


def _survey_objects(make, residency) -> dict:
    """A survey of 2026 with the residency's business invited to it (not answered)."""
    from datetime import date

    from incubator.surveys.models import Survey, SurveyResponse

    survey = make._save(Survey(year=2026, title_vi="Khảo sát 2026", title_en="Survey 2026", opens_on=date(2026, 1, 1),
                               deadline=date(2026, 3, 31)))
    response = make._save(SurveyResponse(survey=survey, company_id=residency.company_id,
                                         residency_kind=residency.kind))
    return {"survey_id": survey.id, "survey_response_id": response.id}


def _survey_question(make, survey_id) -> int:
    """A question staff added to the survey (not a default one: it may be removed while the survey is prepared)."""
    from incubator.applications.enums import QuestionKind
    from incubator.surveys.models import SurveyQuestion

    return make._save(SurveyQuestion(survey_id=survey_id, position=1, kind=QuestionKind.TEXT,
                                     label_vi="Trang web", label_en="Website")).id


def _certificate_objects(make, residency) -> dict:
    """A founder's certificate submitted for the residency's business (no file stored), and a standard."""
    from incubator.certificates.enums import CertificateStatus
    from incubator.certificates.models import Certificate
    from incubator.certificates.services import standard_by_code

    standard = standard_by_code("ISO 9001")
    certificate = make._save(Certificate(company_id=residency.company_id, standard=standard,
                                         issued_on=residency.starts_on, status=CertificateStatus.SUBMITTED))
    return {"certificate_id": certificate.id, "standard_id": standard.id}


def _catalogue_objects(make, residency) -> dict:
    """A product of the residency's (incubated) business, approved and listed, with a change waiting for staff;
    a product group."""
    from incubator.catalogue import services as catalogue
    from incubator.catalogue.models import ProductGroup
    from incubator.extensions import db

    catalogue.ensure_default_groups()
    group = db.session.scalar(db.select(ProductGroup).order_by(ProductGroup.id))
    founder, staff = make.user(Role.FOUNDER), make.user(Role.STAFF)
    data = {"name_vi": "Cổng dịch vụ công phường", "summary_vi": "Nộp hồ sơ trực tuyến", "audience_vi": "Phường",
            "pillar": "government", "group_id": group.id}
    entry = catalogue.create_entry(residency.company, data, actor=founder)
    catalogue.approve(entry, actor=staff)
    catalogue.propose_change(entry, dict(data, name_vi="Cổng dịch vụ công"), actor=founder)
    db.session.commit()
    # The change waits for staff of the incubators where the business is listed: another incubator's is not found.
    return {"product_id": entry.id, "waiting_product_id": entry.id, "product_slug": entry.slug, "group_id": group.id}


def _conference(make, request_id) -> int:
    """A planned dialogue conference with the request on its agenda and someone invited by e-mail."""
    from datetime import UTC, datetime, timedelta

    from incubator.dialogue import services as dialogue
    from incubator.extensions import db
    from incubator.requests.models import BusinessRequest

    staff = make.user(Role.STAFF)
    conference = dialogue.plan(actor=staff, title="Hội nghị đối thoại", chair="Chủ trì", place="Hội trường",
                               starts_at=datetime.now(UTC) + timedelta(days=30))
    dialogue.add_item(conference, db.session.get(BusinessRequest, request_id), actor=staff)
    dialogue.invite(conference, actor=staff, concerned=False, emails=["khach.moi@example.vn"])
    db.session.commit()
    return conference.id


def _url(app, endpoint, params, objects):
    values = {}
    for name in (params or "").split(","):
        if "=" in name:
            key, value = name.split("=", 1)
            values[key] = objects.get(value, value)  # a literal, or the name of one of the objects
        elif name:
            values[name] = objects[name]
    with app.test_request_context():
        from flask import url_for

        return url_for(endpoint, **values)


def test_every_route_has_a_row(app):
    covered = {(method, endpoint) for method, endpoint, _ in MATRIX}
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if (method, rule.endpoint) not in covered:
                missing.append(f"{method} {rule.rule} ({rule.endpoint})")
    assert not missing, "routes with no row in the permission matrix: " + ", ".join(missing)


@pytest.mark.slow  # a walk over every route
@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_each_role_as_the_matrix_says(role, app, make, client_factory, objects):
    client = client_factory()
    if role != "anonymous":
        login(client, make.user(Role(role)))
    token = csrf_token(client)
    failures = []
    # Logging out comes last: it ends the session the other requests need.
    for (method, endpoint, params), expected in sorted(MATRIX.items(), key=lambda kv: kv[0][1] == "auth.logout"):
        url = _url(app, endpoint, params, objects)
        want = expected[role]
        response = client.get(url) if method == "GET" else _post(client, url, token, want, failures)
        got = response.status_code
        if want == LOGIN:
            ok = got == 302 and "/login" in response.headers.get("Location", "")
        else:
            ok = got == want
        if not ok:
            failures.append(f"{method} {url}: expected {want}, got {got}")
    assert not failures, f"as {role}:\n" + "\n".join(failures)


# ---- A second incubator (issue 20): its objects' ids answer 404 to every role held in the first -------------

# The objects of the fixture above that belong to an incubator (the others are city-wide: people, invitations,
# businesses and their memberships, partners, targets' codes, the names of bodies; an e-mail carries the incubator
# of the work that queued it, so HN2's is HN2's).
IN_AN_INCUBATOR = {"round_id", "question_id", "document_id", "application_id", "stage_id", "criterion_id",
                   "entry_id", "assignment_id", "reason_id", "cohort_id", "member_id", "service_id",
                   "pipeline_entry_id", "mentor_assignment_id", "session_id", "report_id", "residency_id",
                   "outcome_id", "agreement_id", "name_id", "incubator_id", "request_id", "attachment_id",
                   "conference_id", "survey_id", "survey_response_id", "survey_question_id",
                   "waiting_product_id", "render_id", "message_id"}


def _names_objects_of_an_incubator(params) -> bool:
    for name in (params or "").split(","):
        key, _, value = name.partition("=")
        if (value or key) in IN_AN_INCUBATOR or (value == "" and key in IN_AN_INCUBATOR):
            return True
    return False


@pytest.mark.slow  # a walk over every route
@pytest.mark.parametrize("role", sorted(r.value for r in ROLES_IN_AN_INCUBATOR))
def test_every_route_with_another_incubators_ids_answers_404_to_this_ones_people(role, app, make, db,
                                                                                 client_factory):
    from incubator.organisation import services as organisation
    from incubator.organisation.current import use_incubator

    hn2 = organisation.create("HN2", "Vườn ươm thứ hai", "Second incubator")
    db.session.commit()
    with use_incubator(hn2):
        theirs = _objects(make)
    client = client_factory()
    login(client, make.user(Role(role)))  # held in the first incubator
    token = csrf_token(client)
    failures = []
    for (method, endpoint, params), expected in MATRIX.items():
        if not _names_objects_of_an_incubator(params):
            continue
        url = _url(app, endpoint, params, theirs)
        # Refused by role (403) stays refused; what the role may do on its own incubator's objects is not found.
        allowed = {403, 404} if expected[role] == 403 else {404}
        response = client.get(url) if method == "GET" else _post(client, url, token, 404, failures)
        if response.status_code not in allowed:
            failures.append(f"{method} {url}: expected {' or '.join(map(str, sorted(allowed)))}, "
                            f"got {response.status_code}")
    assert not failures, f"as {role} of the first incubator:\n" + "\n".join(failures)


# What an account whose e-mail address is not confirmed gets at each door: 403 with the reason, but for these.
UNCONFIRMED = {
    ("GET", "auth.login"): 302, ("POST", "auth.login"): 302, ("GET", "auth.register"): 302,
    ("POST", "auth.register"): 302, ("GET", "auth.verify_email"): 400, ("POST", "auth.resend_verification"): 302,
    ("GET", "auth.forgot_password"): 200, ("POST", "auth.forgot_password"): 400,
    ("GET", "auth.reset_password"): 400, ("POST", "auth.reset_password"): 400,
    ("GET", "auth.accept_invitation"): 400, ("POST", "auth.accept_invitation"): 400,
    ("POST", "auth.set_language"): 302, ("POST", "auth.logout"): 302,
    ("GET", "auth.confirm_email"): 200, ("POST", "auth.confirm_email"): 400,
    ("GET", "home.index"): 302, ("GET", "rounds.public"): 200, ("GET", "rounds.detail"): 200,
    ("GET", "requests.answers"): 200, ("GET", "requests.feed"): 200,
    ("GET", "dialogue.published_index"): 200, ("GET", "dialogue.published"): 404,
    ("GET", "dialogue.published_minutes"): 404,
    ("GET", "catalogue.index"): 200, ("GET", "catalogue.product"): 200, ("POST", "catalogue.contact"): 400,
    ("GET", "site.sitemap"): 200, ("GET", "site.robots"): 200,
}


# The API's doors answer an unconfirmed account as any session without a token (401), its documentation 200.
UNCONFIRMED.update({(method, endpoint): 401 for (method, endpoint, _), expected in MATRIX.items()
                    if expected == API_SESSION})
UNCONFIRMED.update({("GET", "api_docs.openapi_json"): 200, ("GET", "api_docs.docs"): 200,
                    ("GET", "api_docs.asset"): 200})


@pytest.mark.slow  # a walk over every route
def test_an_unconfirmed_account_meets_only_its_own_doors(app, make, client_factory, objects):
    client = client_factory()
    login(client, make.user(Role.FOUNDER, email_verified_at=None))
    token = csrf_token(client, "/account/confirm")
    failures = []
    for (method, endpoint, params), _expected in sorted(MATRIX.items(), key=lambda kv: kv[0][1] == "auth.logout"):
        url = _url(app, endpoint, params, objects)
        want = UNCONFIRMED.get((method, endpoint), 403)
        response = client.get(url) if method == "GET" else _post(client, url, token, want, failures)
        if response.status_code != want:
            failures.append(f"{method} {url}: expected {want}, got {response.status_code}")
        elif want == 403 and "được xác nhận" not in response.get_data(as_text=True):
            failures.append(f"{method} {url}: 403 without saying why")
    assert not failures, "\n".join(failures)


# ---- Object-level cases (issue 16): one business's file, as each kind of person near it sees it -------------
#
# "holder" founded the business and holds its file; "co_founder" holds it too (approved by staff); "other_founder"
# holds another business; "pending" asked for the file and waits for staff; "unconfirmed" holds the file but has
# not confirmed the e-mail address; "mentor" is assigned to the startup and logged the session;
# "partner_mentor" is a mentor of the same partner assigned to another startup; "other_mentor" belongs to
# another partner; "fund_manager" belongs to a fund the startup has not shared with.
VISITORS = ["holder", "co_founder", "other_founder", "pending", "unconfirmed", "mentor", "partner_mentor",
            "other_mentor", "fund_manager"]
HOLDERS = ("holder", "co_founder")
WHY = 403  # the unconfirmed account is told why, whatever the door


def _see(*allowed, ok=200, others=404, **exceptions):
    result = dict.fromkeys(VISITORS, others)
    result["unconfirmed"] = WHY
    result.update(dict.fromkeys(allowed, ok))
    result.update(exceptions)
    return result


OBJECT_MATRIX = {
    ("GET", "applications.status", "application_id"): _see(*HOLDERS),
    ("GET", "applications.edit", "application_id"): _see(*HOLDERS),
    ("GET", "applications.review", "application_id"): _see(*HOLDERS),
    ("GET", "applications.download", "application_id,document_id"): _see(*HOLDERS, ok=404),  # nothing uploaded
    ("POST", "applications.autosave", "application_id"): _see(*HOLDERS, ok=400),  # an empty save
    ("GET", "applications.withdraw", "application_id"): _see(*HOLDERS),  # the confirmation page
    # A draft has no copy of what was sent yet: its founders are sent to the summary before submitting.
    ("GET", "applications.copy", "application_id"): _see(*HOLDERS, ok=302),
    ("GET", "applications.copy_pdf", "application_id"): _see(*HOLDERS, ok=302),
    ("GET", "startups.file", "company_id"): _see(*HOLDERS, "mentor"),
    ("GET", "cohorts.report", "member_id,period=2025-01-01"): _see(*HOLDERS, "mentor"),
    ("GET", "funding.consent", "company_id"): _see(*HOLDERS),
    ("GET", "funding.startup", "company_id"): _see(),
    ("GET", "mentoring.session", "session_id"): _see(*HOLDERS, "mentor"),
    ("POST", "mentoring.session", "session_id"): _see("mentor", ok=400, others=404,
                                                     holder=403, co_founder=403),
    # Not a mentor: refused by role (403); another mentor's startup: not found.
    ("GET", "mentoring.new_session", "assignment_id"): _see("mentor", others=403, partner_mentor=404,
                                                            other_mentor=404),
    ("GET", "partners.partner", "partner_id"): _see("mentor", "partner_mentor"),
    ("GET", "my_companies.claim", None): _see("holder", "co_founder", "other_founder", "pending", others=403),
    ("GET", "auth.confirm_email", None): _see(others=302, unconfirmed=200),
    # A certificate is submitted by the founders holding the business's file; other founders: not found; other
    # roles: refused by role.
    ("GET", "certificates.submit", "company_id"): _see(*HOLDERS, mentor=403, partner_mentor=403, other_mentor=403,
                                                       fund_manager=403),
    ("POST", "certificates.submit", "company_id"): _see(*HOLDERS, ok=400, mentor=403, partner_mentor=403,
                                                        other_mentor=403, fund_manager=403),
    # Last: it changes what the rows above read.
    ("POST", "applications.withdraw", "application_id"): _see(*HOLDERS, ok=302),
}


@pytest.fixture
def near_one_business(make):
    from datetime import UTC, datetime, timedelta

    from incubator.applications.models import RoundDocument

    company = make.company(name="Công ty TNHH Hồ Sơ Riêng")
    people = {
        "holder": make.user(Role.FOUNDER), "co_founder": make.user(Role.FOUNDER),
        "other_founder": make.user(Role.FOUNDER), "pending": make.user(Role.FOUNDER),
        "unconfirmed": make.user(Role.FOUNDER, email_verified_at=None),
    }
    for key in ("holder", "co_founder", "unconfirmed"):
        make.member(company=company, user=people[key])
    make.member(company=company, user=people["pending"], status=MembershipStatus.PENDING)
    make.member(user=people["other_founder"])  # their own business
    now = datetime.now(UTC)
    intake_round = make.intake_round(opens_at=now - timedelta(days=2), closes_at=now + timedelta(days=20))
    application = make.application(intake_round=intake_round, company=company, created_by=people["holder"])
    document = make._save(RoundDocument(round=intake_round, name_vi="Kế hoạch", name_en="Plan"))
    member = make.cohort_member(make.cohort(), company)
    partner = make.partner()
    people["mentor"] = make.user(Role.MENTOR, partner=partner)
    people["partner_mentor"] = make.user(Role.MENTOR, partner=partner)
    people["other_mentor"] = make.user(Role.MENTOR)
    people["fund_manager"] = make.user(Role.FUND_MANAGER)
    assignment = make.mentor_assignment(member, people["mentor"])
    make.mentor_assignment(make.cohort_member(member.cohort), people["partner_mentor"])  # another startup
    session = make.mentoring_session(assignment)
    ids = {"company_id": company.id, "application_id": application.id, "document_id": document.id,
           "member_id": member.id, "session_id": session.id, "assignment_id": assignment.id,
           "partner_id": partner.id}
    return people, ids


def test_every_object_route_has_a_row_for_each_visitor():
    assert all(set(expected) == set(VISITORS) for expected in OBJECT_MATRIX.values())


@pytest.mark.slow  # a walk over every route
@pytest.mark.parametrize("visitor", VISITORS)
def test_each_person_near_a_business_sees_exactly_their_own(visitor, app, client_factory, near_one_business):
    people, ids = near_one_business
    client = client_factory()
    login(client, people[visitor])
    token = csrf_token(client, "/account/confirm" if visitor == "unconfirmed" else "/password/forgot")
    failures = []
    for (method, endpoint, params), expected in OBJECT_MATRIX.items():
        url = _url(app, endpoint, params, ids)
        want = expected[visitor]
        response = client.get(url) if method == "GET" else _post(client, url, token, want, failures)
        if response.status_code != want:
            failures.append(f"{method} {url}: expected {expected[visitor]}, got {response.status_code}")
    assert not failures, f"as {visitor}:\n" + "\n".join(failures)
