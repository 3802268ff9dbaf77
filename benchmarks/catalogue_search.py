"""Catalogue search at 1 k and 100 k trainings on PostgreSQL: measure and print, never assert.

    createdb -h 127.0.0.1 -U postgres bench_search   # once; the script empties its catalogue
    .venv/bin/python benchmarks/catalogue_search.py [--database-url URL] [--runs 60] [--plans]

For each typical search, the search page (Django's test client: view, queries, template) is
timed twice in the same run, on the same data and connection:
- « avant »: the search as it was, an exact COUNT(*) and the title order the planner may take
  from the title index, with `SET enable_bitmapscan = off` so the trigram indexes are not used
  (a GIN index is only read by bitmap scans): LIKE '%term%' reads the table, as before them;
- « après »: the portal as it is (trigram indexes, count capped at 1 000, sorted matches).
Beside them, the floor: a bare primary-key fetch, and a training's page (one fetch by code).
Then, at each size, two changes measured the same way:
- the list filter: « avant » an EXISTS over the links (eligibility lists), « après » the stored
  bitmask Training.list_kinds;
- the admin's trainings list (staff, Django's test client): « avant » Django's field filters
  (SELECT DISTINCT région, département; the « liste » filter through the links), « après » the
  fixed choices of catalogue/admin.py.
Figures depend on the machine and its load: compare the columns of one run, not runs.
"""

import argparse
import os
import random
import re
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SIZES = (1_000, 100_000)
COUNT_HEADING = re.compile(r'class="search-count">\s*<h2>([^<]*)</h2>')
# (label, query string): keyword, place, both, no criteria, and the harder cases.
QUERIES = [
    ("sans critère", ""),
    ("mot-clé « anglais »", "q=anglais"),
    ("mot-clé « comptable »", "q=comptable"),
    ("mot-clé court « web »", "q=web"),
    ("code CPF « 4242 »", "q=4242"),
    ("lieu « Rennes »", "lieu=Rennes"),
    ("lieu « Bretagne » (région)", "lieu=Bretagne"),
    ("lieu « 69 » (département)", "lieu=69"),
    ("mot-clé + lieu « comptable » « Bretagne »", "q=comptable&lieu=Bretagne"),
    ("mot-clé + lieu « développeur web » « Lyon »", "q=d%C3%A9veloppeur+web&lieu=Lyon"),
    ("mot-clé + modalité « anglais » distance", "q=anglais&modalite=distance"),
    ("mot-clé + liste « soudeur » CPNE", "q=soudeur&liste=cpne"),
    ("aucun résultat « plongée »", "q=plong%C3%A9e"),
    ("sans critère, page 40", "page=40"),
]


# (label, query string): the list filter, through the links or the stored kinds.
LIST_QUERIES = [
    ("mot-clé + liste « soudeur » CPNE", "q=soudeur&liste=cpne"),
    ("liste CPNE seule", "liste=cpne"),
    ("mot-clé + liste « anglais » COPAREF", "q=anglais&liste=coparef"),
]
# (label, query string « avant », query string « après »)
ADMIN_URL = "/admin/catalogue/training/"
ADMIN_QUERIES = [
    ("sans filtre", "", ""),
    ("liste CPNE", "lists__kind__exact=cpne", "liste=cpne"),
    ("région Bretagne", "region=Bretagne", "region=Bretagne"),
    ("département 69", "department_name=Rh%C3%B4ne", "departement=69"),
]
OLD_ADMIN_FILTERS = ["mode", "kind", "is_active", "lists__kind", "region", "department_name"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_search"
        ),
        help="a PostgreSQL database of its own: its catalogue tables are emptied",
    )
    parser.add_argument("--runs", type=int, default=40, help="timed requests per figure")
    parser.add_argument("--plans", action="store_true", help="print EXPLAIN ANALYZE at 100 k")
    return parser.parse_args()


ARGS = parse_args()
if not ARGS.database_url.startswith(("postgres://", "postgresql://")):
    sys.exit("Ce banc mesure PostgreSQL : --database-url postgres://…")
os.environ.update(
    {
        "PORTAL_DEMO": "1",
        "DJANGO_SETTINGS_MODULE": "cpf_portal.settings",
        "DATABASE_URL": ARGS.database_url,
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_CONN_MAX_AGE": "600",  # one connection for the whole run, as in production
    }
)
os.environ.pop("DJANGO_DEBUG", None)

import django  # noqa: E402

django.setup()

from django.contrib.admin import site  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Exists, OuterRef  # noqa: E402
from django.http import QueryDict  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.models import Titulaire  # noqa: E402
from catalogue import models, views  # noqa: E402
from catalogue.demo_data import generate  # noqa: E402
from catalogue.forms import SearchForm  # noqa: E402
from catalogue.importer import save_rows  # noqa: E402
from catalogue.models import Training  # noqa: E402
from nir.rules import generate_fictitious_nir  # noqa: E402


def percentiles(timings: list[float]) -> tuple[float, float]:
    timings = sorted(timings)
    return statistics.median(timings), timings[max(0, round(len(timings) * 0.95) - 1)]


def timed(func, runs: int) -> tuple[float, float]:
    func()  # warm: plans, caches
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        timings.append((time.perf_counter() - start) * 1000)
    return percentiles(timings)


class Before:
    """The search as it was before the trigram indexes and the capped count (same run)."""

    def __enter__(self):
        self.saved = views.EXACT_COUNT_UP_TO, views.results_order
        views.EXACT_COUNT_UP_TO = None  # exact COUNT(*), as Django's Paginator
        views.results_order = lambda **criteria: models.TITLE_ORDER
        with connection.cursor() as cursor:
            cursor.execute("SET enable_bitmapscan = off")

    def __exit__(self, *exc):
        views.EXACT_COUNT_UP_TO, views.results_order = self.saved
        with connection.cursor() as cursor:
            cursor.execute("RESET enable_bitmapscan")


class ListsThroughLinks:
    """The list filter as it was: an EXISTS over the links instead of the stored bitmask."""

    def __enter__(self):
        self.saved = models.TrainingQuerySet.in_list_kind

        def in_list_kind(queryset, kind):
            links = Training.lists.through.objects.filter(
                training_id=OuterRef("pk"), eligibilitylist__kind=kind
            )
            return queryset.filter(Exists(links))

        models.TrainingQuerySet.in_list_kind = in_list_kind

    def __exit__(self, *exc):
        models.TrainingQuerySet.in_list_kind = self.saved


class FieldFilters:
    """The trainings' admin list with Django's field filters, as it was."""

    def __enter__(self):
        self.model_admin = site._registry[Training]
        self.saved = self.model_admin.list_filter
        self.model_admin.list_filter = OLD_ADMIN_FILTERS

    def __exit__(self, *exc):
        self.model_admin.list_filter = self.saved


def fill(size: int) -> None:
    """The demo generator's first `size` trainings (it is deterministic: 1 k is 100 k's start)."""
    have = Training.objects.count()
    rows = generate(size)[have:]
    for start in range(0, len(rows), 10_000):
        save_rows(rows[start : start + 10_000])
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE catalogue_training")
        cursor.execute("VACUUM ANALYZE catalogue_training_lists")


def show(label: str, found: str, figures: list[tuple[str, tuple, tuple]]) -> None:
    text = f"  {label:<44} {found:>6}"
    for name, before, after in figures:
        text += f" │ {name} {before[0]:6.1f} /{before[1]:6.1f} → {after[0]:6.1f} /{after[1]:6.1f}"
        text += f" ×{after[1] / before[1]:4.2f}"
    print(text)


def database_work(query: str):
    """What the search view asks of the database: the count, the page and its lists."""
    data = QueryDict(query)
    return lambda: list(views.results_page(SearchForm(data), data.get("page")).object_list)


def measure(size: int, client: Client) -> None:
    print(f"\n== {size:,} formations".replace(",", " "))
    first = Training.objects.order_by("pk").first()
    fetch = timed(lambda: Training.objects.get(pk=first.pk), ARGS.runs)
    detail = timed(lambda: client.get(f"/formations/{first.cpf_code}/"), ARGS.runs)
    print(f"  plancher : lecture par clé primaire {fetch[0]:6.1f} /{fetch[1]:6.1f} ms (p50 / p95)")
    print(f"  plancher : page d'une formation     {detail[0]:6.1f} /{detail[1]:6.1f} ms")
    print(
        f"  {'recherche':<44} {'trouvé':>6} │ {'SQL : avant p50 / p95 → après p50 / p95':<42}"
        f" │ page (vue complète), idem"
    )
    for label, query in QUERIES:
        url = f"/formations/?{query}"
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        heading = COUNT_HEADING.search(response.content.decode())[1]
        found = "".join(ch for ch in heading if ch.isdigit()) or "0"
        found += "+" if heading.startswith("Plus de") else ""
        work = database_work(query)
        with Before():
            sql_before = timed(work, ARGS.runs)
            page_before = timed(lambda url=url: client.get(url), ARGS.runs)
        sql_after = timed(work, ARGS.runs)
        page_after = timed(lambda url=url: client.get(url), ARGS.runs)
        show(label, found, [("SQL", sql_before, sql_after), ("page", page_before, page_after)])


def measure_lists(client: Client) -> None:
    print(f"  {'filtre de liste : liens (EXISTS) → colonne list_kinds':<51} │ SQL │ page")
    for label, query in LIST_QUERIES:
        with ListsThroughLinks():
            rows_before = [t.cpf_code for t in database_work(query)()]
        rows_after = [t.cpf_code for t in database_work(query)()]
        assert rows_before == rows_after, label  # the same first page both ways
        with ListsThroughLinks():
            sql_before = timed(database_work(query), ARGS.runs)
            page_before = timed(lambda q=query: client.get(f"/formations/?{q}"), ARGS.runs)
        sql_after = timed(database_work(query), ARGS.runs)
        page_after = timed(lambda q=query: client.get(f"/formations/?{q}"), ARGS.runs)
        show(
            label,
            str(len(rows_after)),
            [("SQL", sql_before, sql_after), ("page", page_before, page_after)],
        )


def measure_admin(staff: Client) -> dict[str, tuple[float, float]]:
    """The trainings' change list: {label: (p50 avant, p50 après)}, for the 100 k / 1 k ratio."""
    print(f"  {'admin, liste des formations : filtres de champ → choix fixes':<51} │ page")
    after = {}
    for label, before_query, after_query in ADMIN_QUERIES:
        with FieldFilters():
            response = staff.get(f"{ADMIN_URL}?{before_query}")
            assert response.status_code == 200, (before_query, response.status_code)
            page_before = timed(lambda q=before_query: staff.get(f"{ADMIN_URL}?{q}"), ARGS.runs)
        response = staff.get(f"{ADMIN_URL}?{after_query}")
        assert response.status_code == 200, (after_query, response.status_code)
        page_after = timed(lambda q=after_query: staff.get(f"{ADMIN_URL}?{q}"), ARGS.runs)
        show(label, "", [("page", page_before, page_after)])
        after[label] = (page_before[0], page_after[0])
    return after


def operator_client() -> Client:
    """A client logged in as the bench's operator (a fictitious NIR, an unusable password)."""
    nir = generate_fictitious_nir(random.Random(8), today=date(2016, 6, 1), min_age=18, max_age=25)
    operator = Titulaire.objects.filter(nir=nir).first() or Titulaire.objects.create(
        nir=nir,
        civility="MME" if nir[0] == "2" else "M",
        first_name="Opératrice",
        birth_name="Banc",
        email="operatrice-catalogue@exemple.test",
        is_staff=True,
        is_superuser=True,
    )
    client = Client()
    client.force_login(operator)
    return client


def plans(client: Client) -> None:
    print("\n== Plans à 100 000 formations (après)")
    for label, query in QUERIES:
        connection.queries_log.clear()
        with connection.execute_wrapper(_capture := _Capture()):
            client.get(f"/formations/?{query}")
        print(f"-- {label}")
        for sql, params in _capture.statements:
            if (
                "catalogue_training" not in sql
                or 'catalogue_training_lists"."training_id" IN' in sql
            ):
                continue
            with connection.cursor() as cursor:
                cursor.execute(
                    "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) " + sql, params
                )
                for (line,) in cursor.fetchall():
                    if "Scan" in line or "Sort" in line or "Execution" in line or "Limit" in line:
                        print("   ", line)


class _Capture:
    def __init__(self):
        self.statements = []

    def __call__(self, execute, sql, params, many, context):
        self.statements.append((sql, params))
        return execute(sql, params, many, context)


def main() -> None:
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        print(
            cursor.fetchone()[0].split(" on ")[0],
            f"— {os.cpu_count()} cœurs —",
            time.strftime("%Y-%m-%d"),
        )
        cursor.execute("TRUNCATE catalogue_training, catalogue_training_lists CASCADE")
    client, staff = Client(), operator_client()
    admin = {}
    for size in SIZES:
        fill(size)
        measure(size, client)
        measure_lists(client)
        admin[size] = measure_admin(staff)
    small, large = (admin[size] for size in SIZES)
    print(
        f"\n== admin, liste des formations : p50 à {SIZES[1]:,} / à {SIZES[0]:,}".replace(",", " ")
    )
    for label in large:
        before = large[label][0] / small[label][0]
        after = large[label][1] / small[label][1]
        print(f"  {label:<44} avant ×{before:4.2f} → après ×{after:4.2f} (objectif ≤ 1,5×)")
    if ARGS.plans:
        plans(client)


if __name__ == "__main__":
    main()
