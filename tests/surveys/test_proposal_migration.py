"""Migration a7b8c9d0e1f2 fills what it adds from what an installation already holds: the request a survey
response's proposals were filed as (from the audit log), and where each request filed on a business's behalf came
from (a survey's, a dialogue conference's; a business's own has none)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from incubator.auth.enums import Role
from incubator.extensions import db
from tests.conftest import Factory
from tests.surveys.test_results import _world
from tests.test_migrations import _fresh_database_url

BEFORE = "f5a6b7c8d9e0"


def test_the_upgrade_fills_the_proposals_request_and_each_requests_origin(app, tmp_path):
    from flask_migrate import downgrade, upgrade

    from incubator import create_app
    from incubator.organisation.models import Incubator
    from incubator.requests import services as requests
    from incubator.requests.models import RequestCategory
    from incubator.surveys import results
    from incubator.surveys.models import SurveyResponse

    other = create_app({"TESTING": True, "SECRET_KEY": "x", "SERVER_NAME": None, "MAIL_SERVER": None,
                        "PUBLIC_URL": "http://localhost",
                        "SQLALCHEMY_DATABASE_URI": _fresh_database_url(tmp_path, "proposal_request")})
    other.instance_path = str(tmp_path)
    with other.app_context():
        upgrade()
        make = Factory()
        requests.ensure_default_categories()
        _survey, alpha, beta = _world(make)
        make.residency(company=alpha)
        make.residency(company=beta)
        staff = make.user(Role.STAFF)
        category = db.session.scalars(sa.select(RequestCategory).where(RequestCategory.active.is_(True))).first()
        response = db.session.scalar(sa.select(SurveyResponse).where(SurveyResponse.company_id == alpha.id))
        from_survey = results.proposal_to_request(response, actor=staff, category=category)
        vuhn = db.session.scalar(sa.select(Incubator.id).where(Incubator.code == "VUHN"))
        from_dialogue = requests.file_on_behalf(beta, actor=staff, category=category, title="Mặt bằng",
                                                text="Câu hỏi tại hội nghị", raised_at="Hội nghị đối thoại quý I",
                                                incubator_id=vuhn, today=date(2026, 3, 5))
        db.session.commit()
        ids = {"survey": from_survey.id, "dialogue": from_dialogue.id, "response": response.id}
        db.session.remove()
        engine = db.engine

        downgrade(revision=BEFORE)
        with engine.connect() as conn:
            assert "proposal_request_id" not in {c["name"] for c in sa.inspect(conn).get_columns("survey_responses")}
            assert "origin" not in {c["name"] for c in sa.inspect(conn).get_columns("business_requests")}
        upgrade()
        with engine.connect() as conn:
            filed = dict(conn.execute(sa.text("SELECT id, proposal_request_id FROM survey_responses")).all())
            assert filed == {ids["response"]: ids["survey"], **{k: None for k in filed if k != ids["response"]}}
            origins = dict(conn.execute(sa.text("SELECT id, origin FROM business_requests")).all())
            assert origins == {ids["survey"]: "survey", ids["dialogue"]: "dialogue"}
        engine.dispose()
