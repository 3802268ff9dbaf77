"""`make bench`: the portal measured under gunicorn (cpf_portal.serve, gunicorn.conf.py) against
PostgreSQL and Redis, each figure printed beside its baseline from the same run.

    make bench-scale                        # once: the 1 M database (benchmarks/scale_data.py)
    make bench                              # about 15 minutes, the 5-minute load run included
    .venv/bin/python benchmarks/bench.py --load-seconds 60 --skip-search --skip-import

At 1 k (bench_scale_1k, built by the bench when missing) and 1 M titulaires (bench_scale_1m):
- pages' throughput as a share of a bare "ok" view with the same middleware, served by the same
  gunicorn (benchmarks/settings.py adds it; production's URLs never have it);
then, both servers up, one request to each in turn (the load of a shared machine drifts: it
weighs the same on both columns): login (its POST) beside the Argon2 hash alone and login minus
the hash, the titulaire pages, the admin change lists;
then queries per titulaire page at 1, 10 and 100 dossiers; the catalogue search at 1 k and
100 k trainings (benchmarks/catalogue_search.py); the import beside COPY of the same file
(benchmarks/import_declarations.py); and a mixed load run (signups answering the captcha read
from the database as the tests do, logins, titulaire pages) that counts every error.

Settings are production's (DJANGO_DEBUG and PORTAL_DEMO unset), with two bench-only values:
PORTAL_SIGNUP_IP_LIMIT (the load run signs up hundreds of people from the loopback) and the
bench URLconf. BENCH_REDIS_URL (redis://127.0.0.1:6379/9) is emptied at the start: give the
bench a Redis database of its own. Traffic goes to 127.0.0.1 only (from 127.0.0.1 and .2).
"""

import argparse
import html
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import scale_data  # noqa: E402
from benchmarks.httpload import Session, run_for  # noqa: E402

PY = sys.executable
HOST = "127.0.0.1"
SOURCES = ("127.0.0.1", "127.0.0.2")
PAGES = [
    ("accueil", "/", False),
    ("connexion (GET)", "/espace-titulaire/", False),
    ("synthèse", "/mon-compte/", True),
    ("mes heures", "/mon-compte/heures/", True),
    ("mes dossiers", "/mon-compte/dossiers/", True),
    ("recherche catalogue « anglais »", "/formations/?q=anglais", False),
]
ADMIN_LISTS = [
    ("titulaires", "/admin/accounts/titulaire/"),
    ("titulaires, actifs", "/admin/accounts/titulaire/?is_active__exact=1"),
    ("mouvements d'heures", "/admin/hours/ledgerentry/"),
    ("mouvements, nature", "/admin/hours/ledgerentry/?kind__exact=credit_annuel"),
    ("mouvements, année 2017", "/admin/hours/ledgerentry/?year=2017"),
    ("soldes d'heures", "/admin/hours/hoursaccount/"),
    ("soldes, triés par solde CPF ↓", "/admin/hours/hoursaccount/?o=-1"),
    ("déclarations", "/admin/hours/employerdeclaration/"),
    ("déclarations, année 2016", "/admin/hours/employerdeclaration/?year=2016"),
    ("formations", "/admin/catalogue/training/"),
]
BARE_PATH = "/__banc__/ok/"  # benchmarks/urls.py
CAPTCHA_KEY = re.compile(r'name="captcha_0" value="([0-9a-f]+)"')
# The captcha's limit (accounts.captcha_limits): 300 new challenges per address and hour, and
# a signup's identity step counts twice (its GET and its POST). The load run stays under it from
# each of its two source addresses; past it the portal rightly answers 429.
SIGNUPS_PER_SOURCE = 140


def say(text: str = "") -> None:
    print(text, flush=True)


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def pg(database: str):
    import psycopg

    return psycopg.connect(scale_data.database_url(database), autocommit=True)


def sql_nir(i: int) -> str:
    """Titulaire i of scale_data.TITULAIRES_SQL, computed the same way."""
    dept = 1 + (i // 500) % 94
    dept = dept + 1 if dept >= 20 else dept
    body = (
        f"{1 + (i // 564000) % 2}{50 + i // 1128000:02d}{1 + (i // 47000) % 12:02d}"
        f"{dept:02d}{1 + i % 500:03d}000"
    )
    return body + f"{97 - int(body) % 97:02d}"


class Server:
    """`python -m cpf_portal.serve` (its checks, then gunicorn) on one bench database."""

    def __init__(self, args, database: str, static_root: str, port: int | None = None):
        self.port = port or args.port
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
            "DATABASE_URL": scale_data.database_url(database),
            "REDIS_URL": args.redis_url,
            "DJANGO_SECRET_KEY": "banc-" + "x" * 60,
            "PORTAL_NIR_HASH_KEY": "banc-" + "y" * 60,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,127.0.0.2,testserver",
            "DJANGO_STATIC_ROOT": static_root,
            "GUNICORN_BIND": f"{HOST}:{self.port}",
            "PORTAL_SIGNUP_IP_LIMIT": "1000000",
        }
        for name in ("PORTAL_DEMO", "DJANGO_DEBUG", "DJANGO_ROOT_URLCONF"):
            self.env.pop(name, None)
        self.process = None

    def __enter__(self):
        log = open(Path(tempfile.gettempdir()) / f"bench-gunicorn-{self.port}.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(  # noqa: S603 - this Python, fixed arguments
            [PY, "-m", "cpf_portal.serve"],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                if Session(HOST, self.port).get(BARE_PATH)[0] == 200:
                    return self
            except OSError:
                pass
            if self.process.poll() is not None:
                sys.exit(f"gunicorn s'est arrêté : voir {log.name}")
            time.sleep(0.5)
        sys.exit(f"gunicorn ne répond pas : voir {log.name}")

    def __exit__(self, *exc):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=60)


def login(session: Session, nir: str) -> bool:
    status, headers, _ = session.post_form(
        "/espace-titulaire/", {"username": nir, "password": scale_data.BENCH_PASSWORD}
    )
    return status == 302 and headers.get("Location", "").endswith("/mon-compte/")


def measure_pages(args, label: str, port: int) -> dict:
    say(f"\n== Pages à {label} : débit ({args.threads} clients, {args.seconds:g} s chacune)")
    nirs = scale_data.bench_nirs()
    figures = {}
    anonymous = [Session(HOST, port) for _ in range(args.threads)]
    logged = [Session(HOST, port) for _ in range(args.threads)]
    for session in logged:
        assert login(session, nirs["d10"]), "connexion du titulaire du banc refusée"

    def fetch(path):
        def action(session):
            status, _, body = session.get(path)
            return status == 200, f"{status} {path}"

        return action

    for sessions in (anonymous, logged):  # warm up each worker's connections and caches
        run_for("warm", 1.5, sessions, fetch("/"))
    bare = run_for("bare", args.seconds, anonymous, fetch(BARE_PATH))
    figures["bare"] = bare
    say(f"  {'vue nue « ok » (référence)':<36} {bare.rate:8.0f} req/s  p50 {bare.p50:6.1f} ms")
    for name, path, needs_login in PAGES:
        result = run_for(name, args.seconds, logged if needs_login else anonymous, fetch(path))
        figures[name] = result
        share = 100 * result.rate / bare.rate if bare.rate else float("nan")
        errors = f"  erreurs {result.errors} {result.error_samples[:2]}" if result.errors else ""
        say(
            f"  {name:<36} {result.rate:8.0f} req/s  {share:5.1f} % de la vue nue  "
            f"p50 {result.p50:6.1f} ms  p95 {result.p95:6.1f} ms{errors}"
        )
    return figures


def hash_alone_ms(database: str, runs: int = 15) -> float:
    """Argon2 verification of the bench password against the stored hash, in this process."""
    import statistics

    from argon2 import PasswordHasher

    with pg(database) as conn:
        (stored,) = conn.execute(
            "SELECT password FROM accounts_titulaire WHERE nir = %s",
            [scale_data.bench_nirs()["d1"]],
        ).fetchone()
    encoded = stored.removeprefix("argon2")
    hasher = PasswordHasher()
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        hasher.verify(encoded, scale_data.BENCH_PASSWORD)
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def login_post_ms(port: int, nir: str) -> float:
    """One login by a new visitor: the POST only (the page's GET before it is not timed)."""
    session = Session(HOST, port)
    status, _, page = session.get("/espace-titulaire/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    start = time.perf_counter()
    status, _, _ = session.request(
        "POST",
        "/espace-titulaire/",
        {"csrfmiddlewaretoken": token, "username": nir, "password": scale_data.BENCH_PASSWORD},
    )
    elapsed = (time.perf_counter() - start) * 1000
    session.close()
    assert status == 302, f"connexion refusée ({status})"
    return elapsed


def admin_session(port: int) -> Session:
    session = Session(HOST, port)
    status, _, _ = session.post_form(
        "/admin/login/?next=/admin/",
        {"username": scale_data.bench_nirs()["admin"], "password": scale_data.BENCH_PASSWORD},
    )
    assert status == 302, f"connexion à l'administration refusée ({status})"
    return session


def timed_get(session: Session, path: str) -> tuple[float, str]:
    start = time.perf_counter()
    status, _, body = session.get(path)
    elapsed = (time.perf_counter() - start) * 1000
    assert status == 200, f"{path} : {status}"
    return elapsed, body


def compare_sizes(args, sizes: list, counts: dict) -> None:
    """Login, synthesis and admin lists at 1 k and 1 M, one request to each server in turn
    (both run at once), so that the machine's load, which drifts over minutes on a shared
    machine, weighs the same on both columns. p50 of the sequential requests."""
    import statistics

    ports = {size: port for _, size, _, port in sizes}
    say(
        "\n== 1 M titulaires comparés à 1 k, requêtes alternées entre les deux serveurs "
        "(objectif ≤ 1,2× ; listes ≤ 1,5×)"
    )
    rng = random.Random(5)
    timings = {size: [] for size in ports}
    for _ in range(args.logins):
        for size, port in ports.items():
            timings[size].append(login_post_ms(port, sql_nir(rng.randrange(counts[size]))))
    hash_ms = hash_alone_ms(args.large_db)
    minus_hash = {size: statistics.median(values) - hash_ms for size, values in timings.items()}
    small_login = statistics.median(timings["small"])
    large_login = statistics.median(timings["large"])
    say(
        f"  connexion (POST) p50 : {large_login:.1f} ms à 1 M, {small_login:.1f} ms à 1 k ; "
        f"hachage Argon2 seul {hash_ms:.1f} ms"
    )
    say(
        f"  {'connexion moins le hachage':<34} {minus_hash['large']:7.1f} ms / "
        f"{minus_hash['small']:7.1f} ms = ×{minus_hash['large'] / minus_hash['small']:.2f}"
    )
    nirs = scale_data.bench_nirs()
    sessions = {}
    for size, port in ports.items():
        sessions[size] = Session(HOST, port)
        assert login(sessions[size], nirs["d10"])
    pages = [(name, path) for name, path, logged in PAGES if logged]
    for name, path in pages:
        timings = {size: [] for size in ports}
        for size in ports:
            timed_get(sessions[size], path)
        for _ in range(args.admin_runs * 2):
            for size in ports:
                timings[size].append(timed_get(sessions[size], path)[0])
        small, large = (statistics.median(timings[size]) for size in ("small", "large"))
        say(f"  {name:<34} {large:7.1f} ms / {small:7.1f} ms = ×{large / small:.2f}")
    admins = {size: admin_session(port) for size, port in ports.items()}
    say("  listes de l'administration (à 1 M / à 1 k) :")
    for name, path in ADMIN_LISTS:
        timings = {size: [] for size in ports}
        counted = {}
        for size in ports:
            timed_get(admins[size], path)
        for _ in range(args.admin_runs):
            for size in ports:
                elapsed, body = timed_get(admins[size], path)
                timings[size].append(elapsed)
                found = re.search(r"</ul>\s*([^<]*?)\s*<", body.split('class="paginator"', 1)[-1])
                text = html.unescape(found.group(1)) if found else "?"
                shown = re.match(r"(?:environ |plus de )?\d+", text)
                counted[size] = shown.group(0) if shown else text
        small, large = (statistics.median(timings[size]) for size in ("small", "large"))
        say(
            f"    {name:<32} {large:7.1f} ms / {small:7.1f} ms = ×{large / small:.2f}   "
            f"(compte affiché : {counted['large']} / {counted['small']})"
        )


def measure_queries(args, static_root: str) -> None:
    """Queries per titulaire page at 1, 10 and 100 dossiers: Django's test client in a child
    process on the 1 M database, each page's second request (the first fills caches)."""
    env = Server(args, args.large_db, static_root).env
    code = f"""
import django; django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from accounts.models import Titulaire
from benchmarks import scale_data
pages = {[(n, p) for n, p, logged in PAGES if logged]!r}
for count in scale_data.DOSSIER_COUNTS:
    client = Client()
    client.force_login(Titulaire.objects.get(nir=scale_data.bench_nirs()[f"d{{count}}"]))
    line = []
    for name, path in pages:
        client.get(path, secure=True)
        with CaptureQueriesContext(connection) as queries:
            status = client.get(path, secure=True).status_code
        line.append(f"{{name}} {{len(queries)}}" + ("" if status == 200 else f" (HTTP {{status}})"))
    print(f"  {{count:>3}} dossier(s) : " + " ; ".join(line))
"""
    say("\n== Requêtes SQL par page de titulaire (base à 1 M), objectif ≤ 6 et constant")
    subprocess.run([PY, "-c", code], cwd=ROOT, env=env, check=False)  # noqa: S603


def load_run(args, count: int) -> None:
    """Mixed traffic for args.load_seconds: signups, logins, titulaire pages; errors counted."""
    from nir.rules import generate_fictitious_nir

    say(
        f"\n== Charge mixte pendant {args.load_seconds:g} s ({args.load_threads} clients) : "
        f"inscriptions, connexions, pages — charge {load_average()}"
    )
    rng_lock = threading.Lock()
    rng = random.Random(2015)
    seen: set[str] = set()
    signups = {source: 0 for source in SOURCES}
    conn = pg(args.large_db)
    conn_lock = threading.Lock()
    stats = {kind: [] for kind in ("inscription", "connexion", "page")}
    nirs = scale_data.bench_nirs()
    pages = [path for _, path, logged in PAGES if logged] + ["/formations/?q=comptable"]

    def new_nir():
        with rng_lock:
            while True:
                nir = generate_fictitious_nir(rng, today=date(2016, 6, 1), min_age=18, max_age=40)
                if nir not in seen:
                    seen.add(nir)
                    return nir

    def signup(source) -> tuple[bool, str]:
        s = Session(HOST, args.port, source=source)
        status, headers, _ = s.post_form("/inscription/", {"accept": "on"})
        if status != 302:
            return False, f"CGU {status}"
        status, _, html = s.get("/inscription/identite/")
        key = CAPTCHA_KEY.search(html)
        if status != 200 or not key:
            return False, f"identité GET {status}"
        with conn_lock:
            (answer,) = conn.execute(
                "SELECT response FROM captcha_captchastore WHERE hashkey = %s", [key.group(1)]
            ).fetchone()
        nir = new_nir()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        data = {
            "csrfmiddlewaretoken": token,
            "nir": nir,
            "civility": "MME" if nir[0] == "2" else "M",
            "first_name": "Camille",
            "birth_name": "Charge",
            "landline": "",
            "mobile": "06 12 34 56 78",
            "email": f"charge{nir[-8:]}@exemple.test",
            "email_confirmation": f"charge{nir[-8:]}@exemple.test",
            "captcha_0": key.group(1),
            "captcha_1": answer.upper(),
        }
        status, headers, html = s.request("POST", "/inscription/identite/", data)
        if status != 302:
            return False, f"identité POST {status}"
        password = "Vacances2015!x"  # the tests' good password
        status, headers, _ = s.post_form(
            "/inscription/mot-de-passe/", {"password1": password, "password2": password}
        )
        ok = status == 302 and headers.get("Location", "").endswith("/inscription/enregistree/")
        s.close()
        return ok, f"mot de passe {status}"

    def action(session):
        with rng_lock:
            draw = rng.random()
            source = min(signups, key=signups.get)
            may_sign_up = signups[source] < SIGNUPS_PER_SOURCE
            if draw < 0.08 and may_sign_up:
                signups[source] += 1
            index = rng.randrange(count)
            page = rng.choice(pages)
        start = time.perf_counter()
        if draw < 0.08 and may_sign_up:
            kind, (ok, sample) = "inscription", signup(source)
        elif draw < 0.25:
            fresh = Session(HOST, args.port, source=SOURCES[index % 2])
            ok = login(fresh, sql_nir(index)) and fresh.get("/mon-compte/")[0] == 200
            kind, sample = "connexion", "connexion"
            fresh.close()
        else:
            if not getattr(session, "logged_in", False):
                session.logged_in = login(session, nirs[rng.choice(["d1", "d10", "d100"])])
            status, _, _ = session.get(page)
            kind, ok, sample = "page", status == 200, f"{status} {page}"
        with rng_lock:
            stats[kind].append((time.perf_counter() - start) * 1000)
        return ok, f"{kind}: {sample}"

    sessions = [Session(HOST, args.port) for _ in range(args.load_threads)]
    result = run_for("charge", args.load_seconds, sessions, action)
    conn.close()
    total = len(result.latencies) + result.errors
    say(
        f"  {total} actions en {result.seconds:.0f} s ({total / result.seconds:.1f}/s), "
        f"erreurs : {result.errors}, reconnexions keep-alive rejouées : {result.retries}"
    )
    for sample in result.error_samples:
        say(f"    erreur : {sample}")
    for kind, timings in stats.items():
        if timings:
            timings.sort()
            p50, p95 = timings[len(timings) // 2], timings[int(len(timings) * 0.95)]
            say(f"  {kind:<12} {len(timings):6d}  p50 {p50:7.1f} ms  p95 {p95:7.1f} ms")
    say(f"  charge de la machine après : {load_average()}")


def create_database(name: str) -> None:
    import psycopg

    admin = psycopg.connect(scale_data.database_url("postgres"), autocommit=True)
    exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    if not exists:
        admin.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def ensure_database(name: str, size: str) -> int:
    """The titulaires' count of a bench database, building the small one when missing."""
    import psycopg

    create_database(name)
    try:
        with pg(name) as conn:
            count = conn.execute("SELECT count(*) FROM accounts_titulaire").fetchone()[0]
    except psycopg.Error:
        count = 0
    if size == "large" and not count:
        sys.exit(f"{name} est vide : lancez d'abord `make bench-scale`.")
    if count < scale_data.SIZES[size]["titulaires"] and size == "small":
        subprocess.run(  # noqa: S603 - this Python, fixed arguments
            [
                PY,
                "benchmarks/scale_data.py",
                "--size",
                size,
                "--database-url",
                scale_data.database_url(name),
            ],
            cwd=ROOT,
            check=True,
        )
        count = scale_data.SIZES[size]["titulaires"]
    return count


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small-db", default="bench_scale_1k")
    parser.add_argument("--large-db", default="bench_scale_1m")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
    )
    parser.add_argument("--threads", type=int, default=4, help="clients for the page figures")
    parser.add_argument("--seconds", type=float, default=6, help="seconds per page figure")
    parser.add_argument("--logins", type=int, default=20)
    parser.add_argument("--admin-runs", type=int, default=10)
    parser.add_argument("--load-seconds", type=float, default=300)
    parser.add_argument("--load-threads", type=int, default=4)
    parser.add_argument("--load-only", action="store_true")
    parser.add_argument("--skip-search", action="store_true")
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--search-runs", type=int, default=20)
    parser.add_argument("--import-rows", type=int, default=100_000)
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    import redis

    redis.Redis.from_url(args.redis_url).flushdb()  # the captcha and signup limits' counters
    say(
        f"Banc du portail — {time.strftime('%Y-%m-%d %H:%M %Z')} — {os.cpu_count()} cœurs — "
        f"charge (1, 5, 15 min) {load_average()}"
    )
    say("gunicorn.conf.py par défaut (GUNICORN_* de l'environnement), PostgreSQL + Redis")
    static_root = tempfile.mkdtemp(prefix="bench-static-")
    sizes = [(args.small_db, "small", "1 k titulaires"), (args.large_db, "large", "1 M titulaires")]
    counts = {size: ensure_database(name, size) for name, size, _ in sizes}
    collect = Server(args, args.small_db, static_root).env
    subprocess.run(  # noqa: S603 - this Python, fixed arguments
        [PY, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=collect,
        check=True,
    )
    if not args.load_only:
        sizes = [(*size, args.port + i) for i, size in enumerate(sizes)]
        with (
            Server(args, sizes[0][0], static_root, sizes[0][3]),
            Server(args, sizes[1][0], static_root, sizes[1][3]),
        ):
            for _, _, label, port in sizes:
                measure_pages(args, label, port)
                say(f"  charge : {load_average()}")
            compare_sizes(args, sizes, counts)
        measure_queries(args, static_root)
        if not args.skip_search:
            say(f"\n== Recherche du catalogue (catalogue_search.py) — charge {load_average()}")
            create_database("bench_scale_search")
            subprocess.run(  # noqa: S603 - this Python, fixed arguments
                [
                    PY,
                    "benchmarks/catalogue_search.py",
                    "--runs",
                    str(args.search_runs),
                    "--database-url",
                    scale_data.database_url("bench_scale_search"),
                ],
                cwd=ROOT,
                check=False,
            )
        if not args.skip_import:
            say(f"\n== Import des déclarations (import_declarations.py) — charge {load_average()}")
            create_database("bench_scale_import")
            subprocess.run(  # noqa: S603 - this Python, fixed arguments
                [
                    PY,
                    "benchmarks/import_declarations.py",
                    "--rows",
                    str(args.import_rows),
                    "--database",
                    scale_data.database_url("bench_scale_import"),
                ],
                cwd=ROOT,
                check=False,
            )
    if args.load_seconds > 0:
        with Server(args, args.large_db, static_root):
            load_run(args, counts["large"])


if __name__ == "__main__":
    main()
