from .dashboard import wagtail_hooks  # noqa: F401
