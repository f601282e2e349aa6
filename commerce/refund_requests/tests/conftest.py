from commerce.tests.conftest import _sandbox_in_process  # noqa: F401
