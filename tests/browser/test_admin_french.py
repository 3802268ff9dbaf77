"""The admin in a browser (issue 10, point 8): French, the portal's header, banner and colours,
axe-clean on a sample of pages (index, the libraries' lists and forms, an action's
confirmation, the logout page); screenshots at 360 px."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.fixtures.browser import assert_accessible, login_as, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_sample_in_french_and_accessible(page, superuser):
    AccessAttempt.objects.create(
        user_agent="Navigateur de test",
        ip_address="127.0.0.1",
        username="quelqu'un",
        http_accept="text/html",
        path_info="/connexion/",
        attempt_time=timezone.now(),  # real clock: a security record
        get_data="",
        post_data="",
        failures_since_start=5,
    )
    group = Group.objects.create(name="Formateurs")
    login_as(page, superuser)

    page.goto(reverse("admin:index"))
    expect(page.get_by_role("link", name="moncompteformation administration")).to_be_visible()
    expect(page.get_by_role("region", name="Site de démonstration")).to_be_visible()
    expect(page.get_by_role("link", name="Tentatives de connexion").first).to_be_visible()
    expect(page.get_by_role("link", name="Résultats des tâches")).to_be_visible()
    assert_accessible(page, "admin index")
    screenshot(page, "admin_index")

    page.get_by_role("link", name="Tentatives de connexion").last.click()
    expect(page.get_by_role("columnheader", name="Navigateur (agent utilisateur)")).to_be_visible()
    expect(page.get_by_role("columnheader", name="État")).to_be_visible()
    expect(page.get_by_text("Verrouillé").first).to_be_visible()
    page.get_by_role("combobox", name="Action").select_option(
        label="Supprimer les tentatives expirées"
    )
    page.get_by_role("checkbox", name="Choisir cet objet pour une action").check()
    page.get_by_role("button", name="Exécuter").click()
    expect(page.get_by_text("Tentatives de connexion expirées supprimées : 0.")).to_be_visible()
    assert_accessible(page, "admin axes list")
    screenshot(page, "admin_axes_list")

    page.goto(reverse("admin:django_tasks_database_dbtaskresult_changelist"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("résultat de tâche")
    assert_accessible(page, "admin task results")

    page.goto(reverse("admin:auth_group_delete", args=[group.pk]))
    expect(page.get_by_role("button", name="Oui, je suis sûr")).to_be_visible()
    assert_accessible(page, "admin delete confirmation")

    page.goto(reverse("admin:auth_group_add"))
    expect(
        page.get_by_text("Tentatives de connexion | Peut voir : tentative de connexion")
    ).to_be_visible()
    assert_accessible(page, "admin group form")

    page.get_by_role("button", name="Déconnexion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vous êtes déconnecté")
    assert_accessible(page, "admin logout")
    screenshot(page, "admin_logged_out", fits_narrow=True)
