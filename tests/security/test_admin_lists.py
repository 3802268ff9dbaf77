"""Issue 4, point 8: the NIR is masked wherever the full value is not needed, in every admin list
(accounts, pending signups, hours, declarations, DIF, DIF movements, dossiers, delegations, the
trail…), walked as a superuser over the demo data."""

from io import StringIO

import pytest
from django.apps import apps
from django.contrib.admin.sites import site
from django.core.management import call_command
from django.urls import reverse

from accounts.flows.signup import register
from tests.accounts.test_signup_register import identity
from tests.security.test_personal_data import leaks

pytestmark = pytest.mark.django_db


def all_nirs() -> set[str]:
    """Every NIR held anywhere in the database."""
    nirs = set()
    for model in apps.get_models():
        if model._meta.managed and any(f.name == "nir" for f in model._meta.concrete_fields):
            nirs |= set(model._default_manager.values_list("nir", flat=True))
    return nirs


def test_no_admin_list_shows_a_full_nir(client, make_titulaire, nir_factory, locmem_email):
    call_command("seed_demo", stdout=StringIO())
    register(identity(nir_factory()), "Camille2015!x")  # a pending signup
    client.force_login(make_titulaire(is_staff=True, is_superuser=True))
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
