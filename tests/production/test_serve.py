"""`make serve` (cpf_portal/serve.py): production under gunicorn, which refuses to start
without what it needs and says what is missing."""

import html
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from cpf_portal.serve import REQUIRED, environment_problems
from tests.fixtures.production import ROOT, production_env, run

COMPLETE = {
    "DJANGO_SECRET_KEY": "k" * 50,
    "DJANGO_ALLOWED_HOSTS": "cpf.example.fr",
    "DATABASE_URL": "postgres://cpf@db/cpf",
}


def test_a_complete_environment_has_no_problem():
    assert environment_problems(COMPLETE) == []


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_each_required_setting_is_named_when_missing(name):
    for missing in ({k: v for k, v in COMPLETE.items() if k != name}, {**COMPLETE, name: " "}):
        problems = environment_problems(missing)
        assert len(problems) == 1 and problems[0].startswith(f"{name} manque")


@pytest.mark.parametrize("name", ["PORTAL_DEMO", "DJANGO_DEBUG"])
def test_demo_and_debug_are_refused(name):
    assert environment_problems({**COMPLETE, name: "1"})[0].startswith(f"{name} est activé")
    assert environment_problems({**COMPLETE, name: "0"}) == []


def serve(env, **popen):
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "cpf_portal.serve"], cwd=ROOT, env=env, text=True, **popen
    )


def test_serve_refuses_and_says_which_setting_is_missing(tmp_path):
    env = production_env(tmp_path)
    del env["DJANGO_SECRET_KEY"], env["DATABASE_URL"]
    done = serve(env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = done.communicate(timeout=60)
    assert done.returncode == 2
    assert "Le portail ne démarre pas en production" in err
    assert "DJANGO_SECRET_KEY manque" in err and "DATABASE_URL manque" in err
    assert "DJANGO_ALLOWED_HOSTS" not in err


def test_serve_refuses_an_unmigrated_database(tmp_path):
    done = serve(production_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = done.communicate(timeout=60)
    assert done.returncode == 2
    assert "manage.py migrate" in err


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """Plain HTTP with the portal's cookies (they are Secure: a cookie jar would not send them
    back over http, as the proxy in front would)."""

    def __init__(self, base):
        self.base, self.cookies = base, {}

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)
        request.add_header("Host", "cpf.example")
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        try:
            response = urllib.request.urlopen(request, timeout=30)  # noqa: S310
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            name, value = header.split(";", 1)[0].split("=", 1)
            self.cookies[name] = value
        return response.status, response.read().decode()


def test_migrate_alone_then_serve_runs_the_portal_under_gunicorn(tmp_path):
    """The production journey of the README: migrate (no createcachetable), collectstatic, and
    `make serve`. A failed login counts in the database cache, whose table only migrate made:
    without it, that answered 500."""
    port = free_port()
    env = production_env(
        tmp_path,
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        DJANGO_SECURE_SSL_REDIRECT="0",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="1",
        GUNICORN_THREADS="2",
        GUNICORN_ACCESS_LOG="-",
    )
    for command in (["migrate", "--noinput", "-v", "0"], ["collectstatic", "--noinput", "-v", "0"]):
        done = run(["manage.py", *command], env)
        assert done.returncode == 0, done.stderr
    server = serve(env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        browser = Browser(f"http://127.0.0.1:{port}")
        for _ in range(300):
            try:
                status, page = browser.request("/espace-titulaire/")
                break
            except OSError:
                assert server.poll() is None, server.stdout.read()
                time.sleep(0.1)
        assert status == 200 and "<h1" in page
        token = html.unescape(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1])
        nir = "2 83 08 06 067 000 94"
        status, page = browser.request(
            "/espace-titulaire/",
            {"csrfmiddlewaretoken": token, "username": nir, "password": "Mauvais2015!"},
        )
        assert status == 200, page
        assert 'aria-invalid="true"' in page or "incorrect" in page
        status, page = browser.request("/inscription/")
        assert status == 200
        # A NIR typed into an address: gunicorn's access log masks it.
        browser.request("/espace-titulaire/?n=283080606700094")
    finally:
        server.terminate()
        log = server.communicate(timeout=60)[0]
    assert "Booting worker" in log and "Internal Server Error" not in log
    assert "POST /espace-titulaire/" in log  # the access log, masked
    assert "GET /espace-titulaire/?n=[NIR masqué]" in log and "283080606700094" not in log
