# The executor's fixtures (queue, versioned) live in tests/conftest.py, for every test folder; this name
# stays importable for the modules that import them from here.
from tests.conftest import queue, versioned  # noqa: F401
