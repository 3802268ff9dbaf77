"""Admin search boxes are POST forms: a NIR typed in one never reaches a URL (issue 4,
"Personal data"). The browser side is in test_csp_browser.py (staff type a NIR and press Enter)."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from nir import rules as nir_rules
from tests.fixtures.accounts import admin_nir_search

pytestmark = pytest.mark.django_db

TITULAIRES = "admin:accounts_titulaire_changelist"


def search(client, url, term, **params):
    return client.post(url, {"q": term, "_recherche": "1", **params})


def notices(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# Every list of the admin with a search box, ours and the libraries' (axes, tasks): all POST.
ADMIN_LISTS = [
    "admin:accounts_titulaire_changelist",
    "admin:accounts_pendingsignup_changelist",
    "admin:dossiers_dossier_changelist",
    "admin:hours_ledgerentry_changelist",
    "admin:hours_hoursaccount_changelist",
    "admin:hours_employerdeclaration_changelist",
    "admin:hours_difdeclaration_changelist",
    "admin:hours_difmovement_changelist",
    "admin:delegations_delegation_changelist",
    "admin:catalogue_training_changelist",
    "admin:audit_auditentry_changelist",
]


@pytest.mark.parametrize("name", ADMIN_LISTS)
def test_every_admin_search_box_posts(staff_client, name):
    html = staff_client.get(reverse(name)).content.decode()
    form = re.search(r'<form id="changelist-search"[^>]*>', html)
    assert form, "no search box"
    assert 'method="post"' in form.group(0)
    assert 'name="_recherche"' in html and "csrfmiddlewaretoken" in html


@pytest.mark.parametrize("name", ADMIN_LISTS)
def test_a_nir_typed_in_any_search_box_stays_out_of_the_url(staff_client, name, make_titulaire):
    nir = make_titulaire().nir
    response = search(staff_client, reverse(name), nir_rules.format_nir(nir))
    assert response.status_code == 302
    location = response["Location"]
    assert nir not in location and nir_rules.normalize_nir(location).find(nir) == -1
    assert staff_client.get(location).status_code == 200


def test_an_ordinary_term_goes_on_as_q_with_the_filters_kept(staff_client, make_titulaire):
    make_titulaire(birth_name="DURAND")
    url = reverse(TITULAIRES)
    response = search(staff_client, url, "durand", is_active__exact="1")
    assert response.status_code == 302
    assert response["Location"].startswith(url + "?")
    assert "q=durand" in response["Location"] and "is_active__exact=1" in response["Location"]
    rows = staff_client.get(response["Location"]).context["cl"].result_list
    assert [t.birth_name for t in rows] == ["DURAND"]


def test_an_empty_search_shows_the_whole_list(staff_client):
    url = reverse(TITULAIRES)
    response = search(staff_client, url, "  ")
    assert response["Location"] == url


def test_a_nir_on_a_list_keyed_by_nir_finds_exactly_that_row(staff_client, make_titulaire):
    wanted, other = make_titulaire(), make_titulaire()
    page = admin_nir_search(staff_client, reverse(TITULAIRES), nir_rules.format_nir(wanted.nir))
    assert list(page.context["cl"].result_list) == [wanted]
    html = page.content.decode()
    assert nir_rules.mask_nir(wanted.nir) in html and wanted.nir not in html
    assert other.nir not in html


def test_a_nir_where_lists_are_not_keyed_by_nir_is_dropped_with_a_message(
    staff_client, make_titulaire
):
    nir = make_titulaire().nir
    response = search(staff_client, reverse("admin:catalogue_training_changelist"), nir)
    assert "?" not in response["Location"]
    assert "Cette liste ne se cherche pas par numéro de sécurité sociale." in notices(response)


def test_a_nir_mixed_with_words_is_dropped(staff_client, make_titulaire):
    nir = make_titulaire().nir
    response = search(staff_client, reverse(TITULAIRES), f"Martin {nir_rules.format_nir(nir)}")
    assert "q=" not in response["Location"] and nir not in response["Location"]
    assert "Saisissez le numéro de sécurité sociale seul, sans autre mot." in notices(response)


def test_a_hand_made_q_with_a_nir_finds_nothing(staff_client, make_titulaire):
    nir = make_titulaire().nir
    page = staff_client.get(reverse(TITULAIRES), {"q": nir})
    assert list(page.context["cl"].result_list) == []
    assert "saisissez-le dans le champ « Rechercher »" in page.content.decode()


def test_a_new_search_forgets_the_previous_nir(staff_client, make_titulaire):
    first = make_titulaire()
    url = reverse(TITULAIRES)
    admin_nir_search(staff_client, url, first.nir)
    response = search(staff_client, url, "")
    # The flag alone, without a NIR in the session, filters nothing.
    page = staff_client.get(url + "?recherche_nir=1")
    assert response["Location"] == url
    assert first in page.context["cl"].result_list and page.context["cl"].result_count > 1


def test_the_search_post_needs_staff_and_a_csrf_token(client, superuser):
    url = reverse(TITULAIRES)
    nobody = search(client, url, "durand")
    assert nobody.status_code == 302 and "/admin/login/" in nobody["Location"]

    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(superuser)
    assert search(strict, url, "durand").status_code == 403
