"""Root conftest: the fixtures every test folder shares (tests/fixtures/)."""

pytest_plugins = ["tests.fixtures.accounts", "tests.fixtures.browser"]
