"""The hooks a lower package offers are filled by the factory, once: each signal has its receiver and each
registry its predicate after create_app, and creating the application again (as tests and workers do) adds
no second copy."""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session

from incubator import create_app


def _hooks():
    from incubator.applications import permissions as application_permissions
    from incubator.applications.signals import staff_page, status_page
    from incubator.auth import services as auth_services
    from incubator.cohorts import permissions as cohort_permissions
    from incubator.cohorts.services import member_left
    from incubator.companies import queries as company_queries
    from incubator.companies.services import company_added, company_changed
    from incubator.mail import services as mail_services
    from incubator.organisation import placing, scoping
    from incubator.organisation.services import incubator_created

    return {
        "member_left": len(member_left.receivers), "status_page": len(status_page.receivers),
        "staff_page": len(staff_page.receivers), "company_added": len(company_added.receivers),
        "company_changed": len(company_changed.receivers),
        "startup_readers": len(cohort_permissions._startup_readers),
        "application_readers": len(application_permissions._application_readers),
        "partner_rules": len(auth_services._partner_rules),
        "incubator_created": len(incubator_created.receivers),
        # Residencies and outcomes (the register's own), applications past the draft.
        "business_presence": len(company_queries._PRESENCE), "city_wide_scoped": len(scoping._city_wide),
        # The audit log and the outbox: their rows placed in an incubator when flushed, and read so.
        "installation_wide_scoped": len(scoping._installation_wide),
        "placing": sum(event.contains(Session, "before_flush", f)
                       for f in (placing._place_audit_entries, mail_services._place_messages)),
    }


def test_every_hook_is_filled_once_however_often_the_application_is_created(app, tmp_path):
    first = _hooks()
    assert first == {"member_left": 1, "status_page": 1, "staff_page": 1, "company_added": 1,
                     "company_changed": 1, "startup_readers": 1, "application_readers": 1, "partner_rules": 1,
                     "incubator_created": 3, "business_presence": 3, "city_wide_scoped": 1,
                     "installation_wide_scoped": 2, "placing": 2}
    create_app({"TESTING": True, "SECRET_KEY": "x" * 32,
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'again.sqlite'}"})
    assert _hooks() == first
