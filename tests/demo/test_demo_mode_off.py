"""Without PORTAL_DEMO the demo pages do not exist and the banner is absent."""

import importlib

import pytest
from django.test import override_settings
from django.urls import clear_url_caches, reverse

pytestmark = pytest.mark.django_db


def _reload_urls():
    import cpf_portal.urls

    clear_url_caches()
    importlib.reload(cpf_portal.urls)
    clear_url_caches()


@pytest.fixture
def demo_off():
    with override_settings(PORTAL_DEMO=False):
        _reload_urls()
        yield
    _reload_urls()  # back to the demo URLconf for the other tests


@pytest.mark.parametrize(
    "path", ["/demo/boite-mail/", "/demo/boite-mail/1/", "/demo/numero-fictif/"]
)
def test_demo_routes_404_without_demo(client, demo_off, path):
    assert client.get(path).status_code == 404
    assert client.post(path, {"sexe": "F", "age": "30"}).status_code in (403, 404)


def test_no_banner_without_demo(client, demo_off):
    for url in (reverse("pages:home"), "/admin/login/"):
        html = client.get(url).content.decode()
        assert "demo-banner" not in html, url
        assert "/demo/" not in html, url


def test_urls_restored_after_demo_off(client, demo_off):
    # The fixture's teardown runs after this test; the next test checks the demo routes again.
    assert client.get("/demo/numero-fictif/").status_code == 404


def test_banner_and_routes_in_demo_mode(client):
    # Runs last: also checks the fixture put the demo URLconf back.
    html = client.get(reverse("pages:home")).content.decode()
    assert "demo-banner" in html
    assert reverse("demo:mailbox") in html
    assert reverse("demo:nir") in html
    assert client.get("/demo/boite-mail/").status_code == 200


def test_the_operators_pages_show_the_banner_and_one_heading(client, superuser):
    html = client.get("/admin/login/").content.decode()
    assert "demo-banner" in html and html.count("<h1") == 1
    assert "Espace des opérateurs : connexion" in html
    client.force_login(superuser)
    html = client.get("/admin/").content.decode()
    assert "demo-banner" in html and reverse("demo:mailbox") in html
