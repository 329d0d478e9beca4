"""Migration b1c2d3e4f5a6 places the audit log's old entries and the outbox's old messages: an entry about a row
of an incubator in that incubator, one about an incubator in it; with a single incubator everything else in that
one, with several nothing else (an account, a city-wide list, an old e-mail: the installation's)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.test_migrations import _app_on_fresh_database

BEFORE = "9a4e5b6c7d84"
AFTER = "b1c2d3e4f5a6"


def _old_rows(conn, hn2: int | None) -> dict[str, int]:
    """A rejection reason of VUHN (seeded) and, when given, one of HN2; audit entries about each, about HN2
    itself, about an account and about nothing; an e-mail."""
    vuhn_reason = conn.exec_driver_sql("SELECT MIN(id) FROM rejection_reasons").scalar()
    ids = {"vuhn_reason": vuhn_reason}
    if hn2 is not None:
        conn.exec_driver_sql("INSERT INTO rejection_reasons (position, label_vi, label_en, active, incubator_id) "
                             f"VALUES (9, 'Lý do', 'Reason', TRUE, {hn2})")
        ids["hn2_reason"] = conn.exec_driver_sql("SELECT MAX(id) FROM rejection_reasons").scalar()
    entries = [("reason.update", "rejection_reasons", str(vuhn_reason)), ("user.create", "users", "1"),
               ("register.import", "register", None)]
    if hn2 is not None:
        entries += [("reason.create", "rejection_reasons", str(ids["hn2_reason"])),
                    ("incubator.create", "incubators", str(hn2))]
    for action, object_type, object_id in entries:
        conn.execute(sa.text("INSERT INTO audit_log (at, action, object_type, object_id, details) "
                             "VALUES ('2025-01-02 03:04:05', :a, :t, :i, '{}')"),
                     {"a": action, "t": object_type, "i": object_id})
    conn.exec_driver_sql("INSERT INTO mail_outbox (to_address, subject, body_text, purpose, status, attempts, "
                         "created_at) VALUES ('a@vuonuom.example', 'Thư', 'Nội dung', 'test', 'sent', 1, "
                         "'2025-01-02 03:04:05')")
    return ids


def _placed(conn) -> tuple[dict[str, int | None], list[int | None]]:
    entries = dict(conn.exec_driver_sql("SELECT action, incubator_id FROM audit_log").all())
    mails = list(conn.exec_driver_sql("SELECT incubator_id FROM mail_outbox").scalars())
    return entries, mails


@pytest.mark.parametrize("several", [False, True], ids=["one incubator", "two incubators"])
def test_old_entries_and_messages_are_placed(app, tmp_path, several):
    from flask_migrate import downgrade, upgrade

    other = _app_on_fresh_database(tmp_path, f"h7_audit_mail_{int(several)}")
    with other.app_context():
        upgrade(revision=BEFORE)
        engine = other.extensions["migrate"].db.engine
        with engine.begin() as conn:
            vuhn = conn.exec_driver_sql("SELECT id FROM incubators WHERE code = 'VUHN'").scalar()
            hn2 = None
            if several:
                conn.exec_driver_sql("INSERT INTO incubators (code, name_vi, created_at, version_id) "
                                     "VALUES ('HN2', 'Vườn ươm số 2', '2025-01-01 00:00:00', 1)")
                hn2 = conn.exec_driver_sql("SELECT id FROM incubators WHERE code = 'HN2'").scalar()
            _old_rows(conn, hn2)

        upgrade(revision=AFTER)
        with engine.connect() as conn:
            entries, mails = _placed(conn)
        if several:
            assert entries == {"reason.update": vuhn, "reason.create": hn2, "incubator.create": hn2,
                               "user.create": None, "register.import": None}
            assert mails == [None]
        else:
            assert entries == {"reason.update": vuhn, "user.create": vuhn, "register.import": vuhn}
            assert mails == [vuhn]

        downgrade(revision=BEFORE)
        with engine.connect() as conn:
            for name in ("audit_log", "mail_outbox"):
                assert "incubator_id" not in {c["name"] for c in sa.inspect(conn).get_columns(name)}
            assert conn.exec_driver_sql("SELECT COUNT(*) FROM audit_log").scalar() == (5 if several else 3)
        engine.dispose()
