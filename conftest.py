"""Root conftest: every helper of the tests lives in tests/fixtures/. The modules with fixtures
are registered here; the others (signup steps, bad input, production settings...) are plain
modules that tests import. No test module imports another
(tests/repository/test_tests_stand_alone.py)."""

pytest_plugins = [
    "tests.fixtures.environment",
    "tests.fixtures.accounts",
    "tests.fixtures.staff",
    "tests.fixtures.browser",
    "tests.fixtures.catalogue",
    "tests.fixtures.dossiers",
    "tests.fixtures.hours",
    "tests.fixtures.delegations",
    "tests.fixtures.space",
    "tests.fixtures.passwords",
]
