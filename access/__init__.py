"""Who may see and do what: the role predicates and the one admin access policy.

``access.roles`` answers "what is this user?" (customer, seller, marketer, staff,
superuser) and where they land after signing in; ``access.policy`` answers "may
this user see this admin area, this record, this page, this image?" Everything
else (Wagtail's permission policies and testers, modeladmin helpers, admin
hooks, the scope middleware) only asks these two modules.
"""
