"""A development-only fake of Dodo Payments: its API, hosted checkout and webhooks.

Its own Django app (label ``dodo_sandbox``), listed in ``INSTALLED_APPS`` by the
dev and test settings only (``DODO_SANDBOX_APP``).
"""
