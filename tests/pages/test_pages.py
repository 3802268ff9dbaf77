"""Home, information pages and error pages."""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from pages import views
from pages.content import PAGES, breadcrumbs, get_page

pytestmark = pytest.mark.django_db


class LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []  # (href, text)
        self.ids = set()
        self._current = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a":
            self._current = [attrs.get("href"), ""]

    def handle_data(self, data):
        if self._current is not None:
            self._current[1] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._current is not None:
            href, text = self._current
            self.links.append((href, " ".join(text.split())))
            self._current = None


def parse(html: str) -> LinkParser:
    parser = LinkParser()
    parser.feed(html)
    return parser


def h1_count(html: str) -> int:
    return len(re.findall(r"<h1[\s>]", html))


def assert_page_sane(response):
    html = response.content.decode()
    assert h1_count(html) == 1, html
    assert 'href="#"' not in html
    assert "style=" not in html
    assert "<script>" not in html  # scripts only as files
    return html


def test_home(client):
    response = client.get(reverse("pages:home"))
    assert response.status_code == 200
    html = assert_page_sane(response)
    assert "Mon compte personnel de formation" in html
    assert "plus de 16 ans" in html
    for block in ("block--titulaire", "block--employeur", "block--professionnel"):
        assert block in html
    links = parse(html).links
    texts = [text for _, text in links]
    for label in (
        "Mes droits",
        "Mes interlocuteurs",
        "Informer sur les heures DIF",
        "L'accompagnement par l'OPCA",
        "Espace professionnel",
    ):
        assert label in texts
    # Three "Accéder à mon espace sécurisé" links, to three different places.
    secure = [href for href, text in links if text.startswith("Accéder à mon espace sécurisé")]
    assert secure == [
        reverse("accounts:login"),
        reverse("pages:info", args=["espace-employeur"]),
        reverse("admin:login"),
    ]
    # "EN SAVOIR +" three times, each with its own accessible name.
    more = [text for _, text in links if text.startswith("EN SAVOIR +")]
    assert len(more) == 3
    assert len(set(more)) == 3
    # The purple button to the Espace Titulaire (base.html).
    assert reverse("accounts:login") in html


def test_home_links_all_resolve(client):
    html = client.get(reverse("pages:home")).content.decode()
    parser = parse(html)
    hrefs = {href for href, _ in parser.links}
    assert len(hrefs) >= 15
    for href in sorted(hrefs):
        assert href and href != "#"
        if href.startswith("#"):
            assert href[1:] in parser.ids, href
            continue
        assert href.startswith("/"), href
        response = Client().get(href)
        assert response.status_code == 200, (href, response.status_code)


@pytest.mark.parametrize("slug", sorted(PAGES))
def test_every_info_page(client, slug):
    page = PAGES[slug]
    response = client.get(reverse("pages:info", args=[slug]))
    assert response.status_code == 200
    html = assert_page_sane(response)
    assert f"<h1>{page.title}</h1>".replace("'", "&#x27;") in html
    # Breadcrumbs: home, the parents, then the page itself as the current one.
    assert 'aria-label="Fil d’Ariane"' in html
    assert f'href="{reverse("pages:home")}"' in html
    for parent in breadcrumbs(page):
        assert f'href="{reverse("pages:info", args=[parent.slug])}"' in html
    # Every link of the page's own content leads somewhere real (header and footer links are
    # crawled from the home page).
    article = html[html.index("<article") : html.index("</article>")]
    for href, _ in parse(article).links:
        if href.startswith("/") and not href.startswith(("/static/", "/demo/")):
            assert Client().get(href).status_code == 200, href


def test_registry():
    assert get_page("nope") is None
    assert [p.slug for p in breadcrumbs(PAGES["heures-dif"])] == ["employeurs"]
    assert breadcrumbs(PAGES["cgu"]) == []
    for page in PAGES.values():
        assert page.parent is None or page.parent in PAGES
        assert page.section in {"titulaire", "employeur", "professionnel"}


def test_info_contents(client):
    def text(slug):
        return client.get(reverse("pages:info", args=[slug])).content.decode()

    droits = text("mes-droits")
    for fact in (
        "24 heures par an",
        "120 heures",
        "12 heures par an",
        "150 heures",
        "1 607",
        "48 heures par an",
        "400 heures",
        "abondement",
    ):
        assert fact in droits, fact
    interlocuteurs = text("mes-interlocuteurs")
    for who in ("OPCA", "Pôle emploi", "Cap emploi", "Apec", "mission", "Opacif"):
        assert who in interlocuteurs, who
    dif = text("heures-dif")
    assert "31 janvier 2015" in dif and "120 heures" in dif
    access = text("accessibilite")
    for fact in (
        "partiellement conforme",
        "RGAA",
        "4.1",
        "axe-core",
        "clavier",
        "contrastes",
        "sonore",
        "accessibilite@",
    ):
        assert fact in access, fact
    legal = text("mentions-legales")
    for fact in ("Éditeur", "Hébergement", "Données personnelles", "CNIL", "rectification"):
        assert fact in legal, fact
    assert reverse("admin:login") in text("espace-professionnel")
    assert "ne fait pas partie de cette reconstitution" in text("espace-employeur")


def test_cgu_page_includes_cgu_content(client):
    html = client.get(reverse("pages:info", args=["cgu"])).content.decode()
    assert "Conditions générales d&#x27;utilisation" in html


@pytest.mark.parametrize("slug", ["inconnue", "CGU", "mes-droits-", "x" * 200])
def test_unknown_slug_is_a_french_404(client, slug):
    response = client.get(f"/informations/{slug}/")
    assert response.status_code == 404
    html = assert_page_sane(response)
    assert "Page introuvable" in html
    assert f'href="{reverse("pages:home")}"' in html


def test_unknown_url_is_a_french_404(client):
    response = client.get("/nulle-part/?q=<script>")
    assert response.status_code == 404
    html = assert_page_sane(response)
    assert "Page introuvable" in html
    assert "<script>" not in html


@pytest.mark.parametrize(
    ("view", "status", "title"),
    [
        (views.bad_request, 400, "Requête incorrecte"),
        (views.permission_denied, 403, "Accès refusé"),
        (views.page_not_found, 404, "Page introuvable"),
    ],
)
def test_error_handlers(rf, django_user_model, view, status, title):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/x/")
    request.user = AnonymousUser()
    response = view(request, Exception("détail interne"))
    assert response.status_code == status
    html = response.content.decode()
    assert h1_count(html) == 1
    assert title in html
    assert "détail interne" not in html
    assert reverse("pages:home") in html


@pytest.mark.django_db(False)
def test_server_error_needs_no_request_context_nor_database():
    # No django_db mark: any database access here would fail the test.
    request = RequestFactory().get("/boom/")
    response = views.server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert h1_count(html) == 1
    assert "Le service rencontre un problème" in html
    assert 'href="/"' in html
    assert 'lang="fr"' in html


def test_csrf_failure_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("pages:home"), {"a": "b"})
    assert response.status_code == 403
    html = assert_page_sane(response)
    assert "Votre session a expiré ou la page a été ouverte trop longtemps" in html
    assert reverse("pages:home") in html


def test_pages_set_csp_header(client):
    response = client.get(reverse("pages:home"))
    assert "Content-Security-Policy" in response.headers


@pytest.mark.django_db(False)
def test_server_error_survives_a_broken_template(monkeypatch):
    def broken(name):
        raise ValueError("manifest manquant")

    monkeypatch.setattr(views.loader, "get_template", broken)
    response = views.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Le service rencontre un problème" in response.content.decode()


def test_favicon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("img/favicon.svg")
    html = client.get("/").content.decode()
    assert 'rel="icon"' in html
