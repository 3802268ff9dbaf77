import pytest


@pytest.fixture
def superuser_client(client, make_titulaire):
    """A staff superuser (the stock admin_client fixture has no NIR)."""
    staff = make_titulaire(prenom="Alex", nom_naissance="Admin", is_staff=True, is_superuser=True)
    client.force_login(staff)
    return client
