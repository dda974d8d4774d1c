"""The test client itself: every request is judged on its own session, as in production.

Tests keep one app context open, so Flask would hand every request the same `g`; conftest forgets the per-request
globals (the signed-in user, the CSRF token, the nonce) when each request starts. Without that, the second client
below would act as the first client's user."""

from __future__ import annotations

from portal.domain.enums import Role


def test_two_signed_in_clients_in_one_test_each_act_as_their_own_user(staff_client):
    officer = staff_client(Role.COMPLAINTS_OFFICER)
    administrator = staff_client(Role.ADMINISTRATOR)

    officer.get("/staff/settings/users", expected_status=403)
    administrator.get("/staff/settings/users")
    officer.get("/staff/settings/users", expected_status=403)
    assert administrator.user.full_name in administrator.page("/staff/account").text
