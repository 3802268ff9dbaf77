"""`make bench-scale`: a bench database at national scale, built with SQL in a few minutes.

    .venv/bin/python benchmarks/scale_data.py --size large   # bench_scale_1m
    .venv/bin/python benchmarks/scale_data.py --size small   # bench_scale_1k (make bench does it)

The database's name must start with "bench" (it is emptied). It is migrated, then filled:
- titulaires (1,000,000 or 1,000) by one INSERT … SELECT over generate_series: fictitious NIRs
  (order number 000, never allocated by INSEE) whose key is computed in SQL
  (97 - body mod 97), all with one Argon2 hash of BENCH_PASSWORD computed once;
- a quarter of them with hours: one employer declaration and one annual credit per year
  2015-2018 (1,000,000 declarations and 1,000,000 ledger rows at the large size, 250,000 hours
  accounts whose stored balance is the ledger's sum);
- the catalogue's demo generator's first 100,000 (or 1,000) trainings;
- the bench's own accounts (their NIRs from bench_nirs()): an operator (superuser) and three
  titulaires with 1, 10 and 100 dossiers, for the pages and the queries per page;
then VACUUM ANALYZE, as autovacuum would after a load.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SIZES = {
    "small": {"titulaires": 1_000, "trainings": 1_000, "db": "bench_scale_1k"},
    "large": {"titulaires": 1_000_000, "trainings": 100_000, "db": "bench_scale_1m"},
}
BENCH_PASSWORD = "Banc-d-essai-2015!"
DOSSIER_COUNTS = (1, 10, 100)
SURNAMES = "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent"
FIRST_NAMES = "Camille Dominique Claude Alix Sacha Lou Noé Maël Jules Léa Hugo Inès"


def database_url(name: str) -> str:
    base = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    return f"{base.rstrip('/')}/{name}"


def bench_nirs() -> dict[str, str]:
    """The bench's own accounts, the same on every build: {"admin" | "d1" | "d10" | "d100": NIR}.
    Born in the 1990s, so never one of the SQL rows (born 1950-1969)."""
    from datetime import date

    from nir.rules import generate_fictitious_nir

    rng = random.Random(8)
    today = date(2016, 6, 1)
    names = ["admin", *(f"d{n}" for n in DOSSIER_COUNTS)]
    return {
        name: generate_fictitious_nir(rng, today=today, min_age=18, max_age=25) for name in names
    }


# Titulaire i (0-based): commune 1..500, then département (94 of them: 01-95 without 20), month,
# sex, birth year 1950 + …: a bijection, so 1 M distinct NIRs.
TITULAIRES_SQL = """
INSERT INTO accounts_titulaire (password, last_login, is_superuser, nir, civility, first_name,
    birth_name, landline, mobile, email, is_active, is_staff, date_joined)
SELECT %(hash)s, NULL, false, body || lpad((97 - (body::bigint %% 97))::text, 2, '0'),
    CASE WHEN left(body, 1) = '1' THEN 'M' ELSE 'MME' END,
    (%(first)s::text[])[1 + i %% 12], (%(last)s::text[])[1 + (i / 12) %% 12], '', '',
    'titulaire' || i || '@exemple.test', true, false,
    timestamptz '2015-01-05 08:00+01' + i * interval '20 seconds'
FROM (
    SELECT i, (1 + (i / 564000) %% 2)::text
        || lpad((50 + i / 1128000)::text, 2, '0')
        || lpad((1 + (i / 47000) %% 12)::text, 2, '0')
        || lpad((CASE WHEN 1 + (i / 500) %% 94 >= 20 THEN 2 + (i / 500) %% 94
                      ELSE 1 + (i / 500) %% 94 END)::text, 2, '0')
        || lpad((1 + i %% 500)::text, 3, '0') || '000' AS body
    FROM generate_series(0, %(n)s - 1) AS i
) numbered
"""

# A quarter of the titulaires have hours: a declaration and a credit for each year 2015-2018.
DECLARATIONS_SQL = """
INSERT INTO hours_employerdeclaration (nir, year, hours_worked, reference_hours, low_qualified,
    imported_at, source_file)
SELECT t.nir, y, 1607, NULL, t.id %% 10 = 0, timestamptz '2019-02-01 08:00+01', 'bench.csv'
FROM (SELECT id, nir FROM accounts_titulaire ORDER BY id LIMIT %(n)s) t,
    generate_series(2015, 2018) AS y
"""
LEDGER_SQL = """  -- run without parameters: a single % is the operator
INSERT INTO hours_ledgerentry (nir, kind, hours, year, label, reasons, declaration_id,
    dossier_ref, dossier_id, created_at, created_by_id)
SELECT d.nir, 'credit_annuel', CASE WHEN d.year = 2015 THEN 24 ELSE 12 + d.id % 13 END, d.year,
    'Alimentation au titre de ' || d.year, '', d.id, '', NULL,
    make_timestamptz(d.year + 1, 3, 1, 8, 0, 0, 'Europe/Paris') + d.id * interval '1 second', NULL
FROM hours_employerdeclaration d
"""
ACCOUNTS_SQL = """
INSERT INTO hours_hoursaccount (nir, created_at, cpf_balance)
SELECT nir, min(created_at), sum(hours) FROM hours_ledgerentry GROUP BY nir
"""


def setup_django(url: str) -> None:
    os.environ.update(
        {
            "PORTAL_DEMO": "1",
            "DJANGO_SETTINGS_MODULE": "cpf_portal.settings",
            "DATABASE_URL": url,
            "DJANGO_ALLOWED_HOSTS": "testserver",
        }
    )
    os.environ.pop("DJANGO_DEBUG", None)
    import django

    django.setup()


def step(label: str, func) -> None:
    start = time.perf_counter()
    func()
    print(f"  {label:<52} {time.perf_counter() - start:7.1f} s", flush=True)


def build(size: str, url: str) -> None:
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection

    spec = SIZES[size]
    n = spec["titulaires"]
    print(f"Base {urlparse(url).path.lstrip('/')} : {n:,} titulaires", flush=True)
    step("migrate", lambda: call_command("migrate", verbosity=0, interactive=False))
    tables = (
        "hours_ledgerentry, hours_employerdeclaration, hours_hoursaccount, hours_difmovement, "
        "hours_difdeclaration, dossiers_dossierevent, dossiers_dossier, delegations_delegation, "
        "accounts_titulaire, accounts_pendingsignup, catalogue_training_lists, "
        "catalogue_training, catalogue_eligibilitylist, audit_auditentry, captcha_captchastore, "
        "axes_accessattempt, axes_accesslog, axes_accessfailurelog, django_session, "
        "django_tasks_database_dbtaskresult"
    )
    with connection.cursor() as cursor:
        step("vidage", lambda: cursor.execute(f"TRUNCATE {tables} CASCADE"))  # noqa: S608
        password = make_password(BENCH_PASSWORD)
        params = {
            "hash": password,
            "n": n,
            "first": FIRST_NAMES.split(),
            "last": SURNAMES.split(),
        }
        step(f"{n:,} titulaires (SQL)", lambda: cursor.execute(TITULAIRES_SQL, params))
        step(
            f"{n // 4 * 4:,} déclarations (SQL)",
            lambda: cursor.execute(DECLARATIONS_SQL, {"n": n // 4}),
        )
        step(f"{n // 4 * 4:,} mouvements d'heures (SQL)", lambda: cursor.execute(LEDGER_SQL))
        step(f"{n // 4:,} soldes d'heures (SQL)", lambda: cursor.execute(ACCOUNTS_SQL))
    step(f"{spec['trainings']:,} formations", lambda: trainings(spec["trainings"]))
    step("comptes du banc (opérateur, 1/10/100 dossiers)", lambda: bench_accounts(password))
    with connection.cursor() as cursor:
        step("VACUUM ANALYZE", lambda: cursor.execute("VACUUM ANALYZE"))


def trainings(count: int) -> None:
    from catalogue.demo_data import generate
    from catalogue.importer import save_rows

    rows = generate(count)
    for start in range(0, len(rows), 10_000):
        save_rows(rows[start : start + 10_000])


def bench_accounts(password_hash: str) -> None:
    from datetime import date, timedelta

    from accounts.models import Titulaire
    from catalogue.models import Training
    from dossiers.models import Dossier
    from hours import services

    nirs = bench_nirs()
    admin = Titulaire(
        nir=nirs["admin"],
        civility="MME" if nirs["admin"][0] == "2" else "M",
        first_name="Opératrice",
        birth_name="Banc",
        email="operatrice@exemple.test",
        is_staff=True,
        is_superuser=True,
        password=password_hash,
    )
    admin.save()
    training = Training.objects.order_by("pk").first()
    for count in DOSSIER_COUNTS:
        nir = nirs[f"d{count}"]
        titulaire = Titulaire.objects.create(
            nir=nir,
            civility="MME" if nir[0] == "2" else "M",
            first_name="Camille",
            birth_name="Banc",
            email=f"banc{count}@exemple.test",
            password=password_hash,
        )
        services.add_movement(nir, "abondement", 200, "Abondement du banc", None)
        services.declare_dif(nir, 40)
        Dossier.objects.bulk_create(
            Dossier(
                reference=f"BANC{count:03d}-{i:04d}",
                titulaire=titulaire,
                training=training,
                nir=nir,
                date_accord=date(2016, 1, 4) + timedelta(days=i),
                hours_total=10,
                hours_cpf=10,
            )
            for i in range(count)
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=SIZES, default="large")
    parser.add_argument("--database-url", help="default: BENCH_PG/bench_scale_1m (or _1k)")
    args = parser.parse_args()
    url = args.database_url or database_url(SIZES[args.size]["db"])
    if not urlparse(url).path.lstrip("/").startswith("bench"):
        sys.exit("La base doit s'appeler bench… : ce script la vide.")
    setup_django(url)
    start = time.perf_counter()
    build(args.size, url)
    print(f"  {'total':<52} {time.perf_counter() - start:7.1f} s")


if __name__ == "__main__":
    main()
