"""Staff reading the outbox never see a link that would open someone's account."""

import re

from incubator.auth.enums import Role
from incubator.mail.models import OutboxMessage
from tests.helpers import post_form


def test_staff_reading_the_outbox_never_see_a_link_that_opens_an_account(login_as, make, client_factory, db):
    victim = make.user(Role.ADMIN)
    assert post_form(client_factory(), "/password/forgot", {"email": victim.email}).status_code == 302
    message = db.session.query(OutboxMessage).filter_by(to_address=victim.email).one()
    token = re.search(r"/password/reset/(\S+)", message.body_text).group(1)
    staff, _ = login_as(Role.STAFF)
    html = staff.get(f"/outbox/{message.id}").get_data(as_text=True)
    assert token not in html and "/password/reset/••••••" in html
