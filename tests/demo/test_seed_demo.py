"""manage.py seed_demo: demo accounts, extensible seeders, idempotent."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from accounts.models import Titulaire
from demo import seeding
from nir import rules as nir_rules
from tests.fixtures import fake_seeder

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def snapshot():
    """Row count of every model: what a second run must leave unchanged."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


@pytest.fixture
def only_accounts(monkeypatch):
    monkeypatch.setattr(seeding, "SEEDERS", ())


def test_creates_the_demo_accounts(only_accounts):
    output = run()
    camille = Titulaire.objects.get(email="camille.martin@demo.test")
    karim = Titulaire.objects.get(email="karim.benali@demo.test")
    operator = Titulaire.objects.get(is_superuser=True)
    assert (camille.civility, camille.first_name, camille.birth_name) == (
        "MME",
        "Camille",
        "Martin",
    )
    assert (karim.civility, karim.first_name, karim.birth_name) == ("M", "Karim", "Benali")
    assert camille.nir.startswith("2") and karim.nir.startswith("1")
    for person in (camille, karim, operator):
        nir_rules.validate_nir(person.nir)
        assert person.is_active
        assert nir_rules.format_nir(person.nir) in output
    assert camille.check_password("Formation2015!") and karim.check_password("Formation2015!")
    assert operator.is_staff and operator.check_password("Operateur2015!")
    assert not camille.is_staff and not karim.is_staff
    assert "Formation2015!" in output and "Operateur2015!" in output
    assert "Mot de passe" in output and "Identifiant" in output


def test_nirs_are_the_same_on_every_machine(only_accounts):
    run()
    first = sorted(Titulaire.objects.values_list("nir", flat=True))
    Titulaire.objects.all().delete()
    run()
    assert sorted(Titulaire.objects.values_list("nir", flat=True)) == first


def test_idempotent_accounts(only_accounts):
    run()
    before = list(Titulaire.objects.order_by("pk").values("pk", "nir", "email", "password"))
    run()
    after = list(Titulaire.objects.order_by("pk").values("pk", "nir", "email", "password"))
    assert after == before


def test_idempotent_with_every_app_seeder():
    """The real command, with whatever demo_data modules the apps provide."""
    run()
    before = snapshot()
    run()
    assert snapshot() == before


def test_refuses_without_demo_mode(settings, only_accounts):
    settings.PORTAL_DEMO = False
    with pytest.raises(CommandError, match="PORTAL_DEMO"):
        run()
    assert not Titulaire.objects.exists()
    run("--force")
    assert Titulaire.objects.count() == 3


def test_calls_app_seeders_in_order_with_accounts(monkeypatch):
    monkeypatch.setattr(
        seeding, "SEEDERS", ("tests.demo.no_such_module", "tests.fixtures.fake_seeder")
    )
    fake_seeder.CALLS.clear()
    output = run()
    assert fake_seeder.CALLS == [["camille", "karim", "operateur"]]
    assert "Données factices créées." in output
    lea = Titulaire.objects.get(email="lea.petit@demo.test")
    assert nir_rules.format_nir(lea.nir) in output  # extra accounts are listed too
    run()
    assert Titulaire.objects.filter(email="lea.petit@demo.test").count() == 1
    assert seeding.available_seeders() == ["tests.fixtures.fake_seeder"]


def test_demo_titulaire_is_idempotent():
    import random

    def make():
        return seeding.demo_titulaire(
            "x", "M", "Paul", "Durand", "paul@demo.test", random.Random(7)
        )

    first = make()
    second = make()
    assert first.pk == second.pk
    assert first.check_password(seeding.DEMO_PASSWORD)
    assert first.mobile.startswith("063998")


def test_readme_lists_the_accounts_seed_demo_creates():
    """The README's table of demo accounts is what `make demo` really creates."""
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| ([^|]+?) \| `([0-9AB ]{21})` \| `([^`]+)` \|", readme, re.MULTILINE)
    assert len(rows) >= 4, "README: tableau des comptes de démonstration introuvable"
    run()
    for name, identifier, password in rows:
        person = Titulaire.objects.get(nir=nir_rules.normalize_nir(identifier))
        assert person.get_full_name() == name.strip()
        assert person.check_password(password)
