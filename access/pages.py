"""The page permission tester every page type of the project uses.

It refuses any ``can_*`` the policy does not grant on the page, including
methods a later Wagtail adds. Page models mix in ``ScopedPermissionsPage``; a
test checks that every page model does.
"""

from __future__ import annotations

from wagtail.models import PagePermissionTester

from . import policy


def _refused(*args, **kwargs) -> bool:
    return False


class ScopedPagePermissionTester(PagePermissionTester):
    """Wagtail's tester, narrowed to the actions the policy grants on the page."""

    def __init__(self, user, page):
        super().__init__(user, page)
        self.allowed_actions = policy.page_actions(user, page)

    def __getattribute__(self, name: str):
        if name.startswith("can_"):
            allowed = object.__getattribute__(self, "allowed_actions")
            if name.removeprefix("can_") not in allowed:
                return _refused
        return super().__getattribute__(name)


class ScopedPermissionsPage:
    """Mixin for every page model: its permissions come from the policy."""

    def permissions_for_user(self, user):
        return ScopedPagePermissionTester(user, self)
