from .downloads import wagtail_hooks as downloads_hooks  # noqa: F401
