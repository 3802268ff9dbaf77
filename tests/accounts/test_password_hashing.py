"""Argon2id with OWASP's m=19 MiB, t=2, p=1 (cpf_portal/hashers.py); older hashes are
rehashed at the next login."""

import pytest
from argon2 import extract_parameters
from django.conf import settings as django_settings
from django.contrib.auth.hashers import Argon2PasswordHasher, get_hasher, identify_hasher
from django.urls import reverse

from tests.fixtures.accounts import PASSWORD

pytestmark = pytest.mark.django_db

# The real configuration (the autouse fixture of tests/conftest.py puts a fast hasher first).
REAL_HASHERS = list(django_settings.PASSWORD_HASHERS)


def argon2_parameters(encoded):
    params = extract_parameters(encoded.removeprefix("argon2"))
    return params.type.name, params.memory_cost, params.time_cost, params.parallelism


class DjangoDefaultArgon2(Argon2PasswordHasher):
    """What the portal hashed with before: Django's default, m=100 MiB, t=2, p=8."""

    memory_cost = 102400
    time_cost = 2
    parallelism = 8


def test_new_passwords_get_argon2id_at_owasp_cost(settings, make_titulaire):
    settings.PASSWORD_HASHERS = REAL_HASHERS
    titulaire = make_titulaire()
    assert argon2_parameters(titulaire.password) == ("ID", 19 * 1024, 2, 1)
    assert titulaire.check_password(PASSWORD)


def test_an_old_hash_is_rehashed_at_login(settings, client, make_titulaire):
    settings.PASSWORD_HASHERS = REAL_HASHERS
    titulaire = make_titulaire()
    titulaire.password = DjangoDefaultArgon2().encode(PASSWORD, get_hasher().salt())
    titulaire.save(update_fields=["password"])
    assert argon2_parameters(titulaire.password) == ("ID", 102400, 2, 8)

    response = client.post(
        reverse("accounts:login"), {"username": titulaire.nir, "password": PASSWORD}
    )

    assert response.status_code == 302 and "_auth_user_id" in client.session
    titulaire.refresh_from_db()
    assert argon2_parameters(titulaire.password) == ("ID", 19 * 1024, 2, 1)
    assert identify_hasher(titulaire.password).algorithm == "argon2"
    assert titulaire.check_password(PASSWORD)
    # The new hash serves the next login as it is.
    assert not get_hasher().must_update(titulaire.password)
