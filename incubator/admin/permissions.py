"""Who may edit an incubator's record (its names, address, report numbers and logo)."""

from incubator.auth.permissions import is_admin, is_staff


def can_edit_incubators(user) -> bool:
    """Administrators (every incubator's record) and staff (the record of the incubator they work in)."""
    return is_staff(user)


def can_edit_incubator(user, incubator) -> bool:
    """An administrator, any incubator; staff, the incubator they work in now (staff of several switch)."""
    from incubator.organisation.current import incubator_in_force

    if is_admin(user):
        return True
    return is_staff(user) and incubator is not None and incubator.id == incubator_in_force()
