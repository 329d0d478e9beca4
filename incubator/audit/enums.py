"""Codes the audit package itself gives meaning to; the words for each domain's actions, objects and states are
registered by the domains (incubator/audit/labels.py)."""

# Sign-ins are in the log but are not news on a home page.
ROUTINE_ACTIONS = ("user.login", "user.logout")
