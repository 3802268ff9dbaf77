"""Issue 4, point 6: production settings. `check --deploy` passes with no warning, and a response
in production mode carries every security header; the demo keeps plain http usable.

Production settings are read once at import, so these run in subprocesses with a production
environment (no PORTAL_DEMO, no DJANGO_DEBUG)."""

import json
import re

import pytest
from django.conf import settings

from tests.fixtures.production import production_env, run

PROBE = r"""
import json, django
from django.test import Client, override_settings
django.setup()
from django.conf import settings
out = {"settings": {name: getattr(settings, name, None) for name in (
    "SESSION_COOKIE_NAME", "CSRF_COOKIE_NAME", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SAMESITE",
    "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_PROXY_SSL_HEADER",
    "SIGNUP_IP_LIMIT_PER_HOUR", "PORTAL_LINKS_FOLLOW_REQUEST", "PORTAL_BASE_URL")}}
static = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
with override_settings(STORAGES=static):
    client = Client()
    plain = client.get("/", HTTP_HOST="cpf.example")
    out["plain"] = {"status": plain.status_code, "location": plain.get("Location", "")}
    secure = client.get("/espace-titulaire/", HTTP_HOST="cpf.example",
                        HTTP_X_FORWARDED_PROTO="https")
    # The first signup step starts a session: its cookie is set too.
    client.post("/inscription/", {"accept": "on"}, HTTP_HOST="cpf.example",
                HTTP_X_FORWARDED_PROTO="https")
    out["secure"] = {"status": secure.status_code, "headers": dict(secure.headers),
                     "cookies": {k: {a: str(v[a]) for a in ("secure", "httponly", "samesite",
                                 "domain", "path")} for k, v in client.cookies.items()}}
    # A signup's email waits in the database queue for the worker (make worker).
    import random
    from django_tasks_db.models import DBTaskResult
    from accounts.services.signup import register
    from nir.rules import generate_fictitious_nir
    from tests.fixtures.signup import identity
    nir = generate_fictitious_nir(random.Random(7), sex="F", min_age=20, max_age=50)
    register(identity(nir), "Camille2015!x")
    out["queued_emails"] = DBTaskResult.objects.filter(status="READY").count()
print("JSON" + json.dumps(out))
"""


def probe(tmp_path, **extra) -> dict:
    env = production_env(tmp_path, **extra)
    migrate = run(["manage.py", "migrate", "--noinput", "-v", "0"], env)
    assert migrate.returncode == 0, migrate.stderr
    result = run(["-c", PROBE], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.split("JSON", 1)[1])


def test_check_deploy_passes_without_any_warning(tmp_path):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_when_email_links_would_not_be_https(tmp_path):
    env = production_env(tmp_path)
    env.pop("PORTAL_BASE_URL")
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode != 0
    assert "cpf_portal.W003" in result.stdout + result.stderr


def test_production_builds_email_links_from_the_configuration(production):
    """Issue 12, L3: never from the request's Host (tests/security/test_email_links.py)."""
    assert production["settings"]["PORTAL_LINKS_FOLLOW_REQUEST"] is False
    assert production["settings"]["PORTAL_BASE_URL"] == "https://cpf.example"


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = production_env(tmp_path)
    env.pop("DJANGO_SECRET_KEY")
    result = run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_a_nir_hash_key(tmp_path):
    """The NIR's keyed hash has its own key: no silent fallback to the secret key."""
    env = production_env(tmp_path)
    env.pop("PORTAL_NIR_HASH_KEY")
    result = run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "PORTAL_NIR_HASH_KEY" in result.stderr


DIGEST = (
    "import django, json; django.setup(); from nir.digest import nir_digest; "
    "print('JSON' + json.dumps(nir_digest('182121836700051')))"
)


def digest(env) -> str:
    result = run(["-c", DIGEST], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.split("JSON", 1)[1])


def test_the_nir_hash_key_does_not_follow_the_secret_key(tmp_path):
    """Rotating DJANGO_SECRET_KEY leaves every lockout key and audit hash as it was, in
    production and in the demo (whose fixed development key is not the secret key either);
    rotating PORTAL_NIR_HASH_KEY changes them."""
    production = production_env(tmp_path)
    rotated = {**production, "DJANGO_SECRET_KEY": "rotated-" + "x7Wq" * 12}
    assert digest(production) == digest(rotated)
    assert digest({**production, "PORTAL_NIR_HASH_KEY": "another-" + "Lp2z" * 12}) != digest(
        production
    )
    demo = {key: value for key, value in production.items() if key != "PORTAL_NIR_HASH_KEY"}
    demo["PORTAL_DEMO"] = "1"
    assert digest(demo) == digest({**demo, "DJANGO_SECRET_KEY": "rotated-" + "x7Wq" * 12})


def test_the_captcha_has_no_test_mode_to_switch_on(tmp_path):
    """Issue 10: PORTAL_CAPTCHA_TEST_MODE (every captcha accepting "PASSED") is gone: set, it
    changes nothing, in production or in the demo."""
    for extra in ({}, {"PORTAL_DEMO": "1"}):
        env = production_env(tmp_path, PORTAL_CAPTCHA_TEST_MODE="1", **extra)
        code = "from django.conf import settings; print(settings.CAPTCHA_TEST_MODE)"
        result = run(["manage.py", "shell", "-c", code], env)
        assert result.returncode == 0, result.stderr
        assert result.stdout.split()[-1] == "False"


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    return probe(tmp_path_factory.mktemp("prod"))


def test_plain_http_is_redirected_to_https(production):
    assert production["plain"]["status"] == 301
    assert production["plain"]["location"].startswith("https://cpf.example/")


def test_security_headers_in_production(production):
    headers = {k.lower(): v for k, v in production["secure"]["headers"].items()}
    assert production["secure"]["status"] == 200
    assert headers["strict-transport-security"] == ("max-age=31536000; includeSubDomains; preload")
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["cross-origin-opener-policy"] == "same-origin"
    assert headers["x-frame-options"] == "DENY"
    csp = {
        part.split()[0]: part.split()[1:]
        for part in headers["content-security-policy"].split(";")
        if part.strip()
    }
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"][0] == "'self'"
    assert all(src == "'self'" or src.startswith("'nonce-") for src in csp["script-src"])
    assert "'unsafe-inline'" not in headers["content-security-policy"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]


def test_production_allows_ten_signups_an_hour_per_address(production):
    assert production["settings"]["SIGNUP_IP_LIMIT_PER_HOUR"] == 10


def test_cookies_are_host_prefixed_secure_httponly_samesite(production):
    conf = production["settings"]
    assert conf["SESSION_COOKIE_NAME"] == "__Host-sessionid"
    assert conf["CSRF_COOKIE_NAME"] == "__Host-csrftoken"
    assert conf["SESSION_COOKIE_SECURE"] and conf["CSRF_COOKIE_SECURE"]
    assert conf["SESSION_COOKIE_HTTPONLY"]
    assert conf["SESSION_COOKIE_SAMESITE"] == "Lax" and conf["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert conf["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    cookies = production["secure"]["cookies"]
    assert set(cookies) == {"__Host-csrftoken", "__Host-sessionid"}
    for cookie in cookies.values():
        assert cookie["secure"] == "True" and cookie["httponly"] == "True"
        assert cookie["samesite"] == "Lax"
        assert cookie["path"] == "/" and cookie["domain"] == ""


SECURITY_HEADERS = (
    "strict-transport-security",
    "x-content-type-options",
    "referrer-policy",
    "cross-origin-opener-policy",
    "x-frame-options",
    "content-security-policy",
)


def security_headers(result) -> dict:
    headers = {k.lower(): v for k, v in result["secure"]["headers"].items()}
    found = {name: headers.get(name) for name in SECURITY_HEADERS}
    found["content-security-policy"] = re.sub(
        r"'nonce-[^']+'", "'nonce'", found["content-security-policy"] or ""
    )
    return found


def test_ssl_redirect_can_be_turned_off_alone(tmp_path, production):
    result = probe(tmp_path, DJANGO_SECURE_SSL_REDIRECT="0")
    assert result["plain"]["status"] == 200
    assert result["settings"]["SECURE_SSL_REDIRECT"] is False
    assert result["settings"]["SESSION_COOKIE_SECURE"] is True
    assert result["settings"]["SECURE_HSTS_SECONDS"] == 31536000
    # Behind the proxy, every other header and every cookie is the production one.
    assert result["secure"]["status"] == 200
    assert security_headers(result) == security_headers(production)
    assert result["secure"]["cookies"] == production["secure"]["cookies"]


@pytest.mark.django_db
def test_demo_keeps_plain_http_usable(client):
    """The test suite runs in demo mode: no redirect, cookies usable over http."""
    assert settings.PORTAL_DEMO
    assert not getattr(settings, "SECURE_SSL_REDIRECT", False)
    assert not getattr(settings, "SESSION_COOKIE_SECURE", False)
    assert not settings.SESSION_COOKIE_NAME.startswith("__Host-")
    response = client.get("/")
    assert response.status_code == 200
    assert "content-security-policy" in {k.lower() for k in response.headers}
    # Over http, the cookies a browser needs (CSRF on the login page, the signup's session)
    # carry no Secure flag, so the browser keeps and sends them back.
    assert client.get("/espace-titulaire/").status_code == 200
    assert client.post("/inscription/", {"accept": "on"}).status_code == 302
    assert set(client.cookies) == {"csrftoken", "sessionid"}
    for cookie in client.cookies.values():
        assert not cookie["secure"], cookie.key
        assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_production_queues_emails_for_the_worker(production):
    assert production["queued_emails"] == 1


def test_error_reports_go_to_the_addresses_of_django_admins(tmp_path):
    """Without ADMINS, Django sends no error report at all; the masked reports (test_error_
    reports.py) reach the team named in DJANGO_ADMINS, and the proxies are counted."""
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print('JSON' + json.dumps([settings.ADMINS, settings.PORTAL_PROXY_COUNT]))"
    )
    env = production_env(
        tmp_path,
        DJANGO_ADMINS=" equipe@cpf.example, astreinte@cpf.example ",
        DJANGO_PROXY_COUNT="1",
    )
    result = run(["-c", code], env)
    assert result.returncode == 0, result.stderr
    admins, proxies = json.loads(result.stdout.split("JSON", 1)[1])
    assert admins == ["equipe@cpf.example", "astreinte@cpf.example"]
    assert proxies == 1
