"""Issue 4, point 8: the NIR is masked wherever the full value is not needed, in every admin list
(accounts, pending signups, hours, declarations, DIF, DIF movements, dossiers, delegations, the
trail…), walked as a superuser over the demo data."""

from io import StringIO

import pytest
from django.apps import apps
from django.contrib.admin.sites import site
from django.core.management import call_command
from django.urls import reverse

from accounts.services.signup import register
from tests.fixtures.personal_data import leaks
from tests.fixtures.signup import identity

pytestmark = pytest.mark.django_db


def all_nirs() -> set[str]:
    """Every NIR held anywhere in the database."""
    nirs = set()
    for model in apps.get_models():
        if not model._meta.managed:
            continue  # the import's staging table exists only inside an import's transaction
        if any(field.name == "nir" for field in model._meta.concrete_fields):
            nirs |= set(model._default_manager.values_list("nir", flat=True))
    return nirs


def test_no_admin_list_shows_a_full_nir(client, superuser, nir_factory, locmem_email):
    call_command("seed_demo", stdout=StringIO())
    register(identity(nir_factory()), "Camille2015!x")  # a pending signup
    client.force_login(superuser)
    nirs = all_nirs()
    assert len(nirs) > 5

    checked = []
    for model, _model_admin in site._registry.items():
        opts = model._meta
        response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        assert response.status_code == 200, opts.label
        html = response.content.decode()
        if any(field.name == "nir" for field in opts.concrete_fields):
            # The list is not empty, so a full NIR would show.
            assert response.context["cl"].result_count > 0, opts.label
            checked.append(opts.label)
        assert not leaks(html, nirs), f"NIR en clair dans la liste {opts.label}"
    assert {
        "accounts.Titulaire",
        "accounts.PendingSignup",
        "hours.LedgerEntry",
        "hours.HoursAccount",
        "hours.EmployerDeclaration",
        "hours.DifDeclaration",
        "hours.DifMovement",
        "dossiers.Dossier",
    } <= set(checked)
