"""Benchmarks: measure and print, never assert. `make bench`.

Builds a throw-away SQLite database with the demo data, then measures:
- the pure rules (NIR validation, hours accrual) in calls per second;
- the main pages through Django's test client (median and 95th percentile, in ms);
- the catalogue search with filters.
Numbers depend on the machine: compare runs on the same machine only.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DB = Path(tempfile.mkdtemp()) / "bench.sqlite3"
os.environ.update(
    {
        "PORTAL_DEMO": "1",
        "DJANGO_SETTINGS_MODULE": "cpf_portal.settings",
        "DATABASE_URL": f"sqlite:///{DB}",
        "DJANGO_ALLOWED_HOSTS": "testserver,127.0.0.1",
    }
)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402


def rate(label: str, func, seconds: float = 1.0) -> None:
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        func()
        count += 1
    elapsed = time.perf_counter() - start
    print(f"{label:<48} {count / elapsed:>12,.0f} /s")


def latency(label: str, client: Client, url: str, runs: int = 30) -> None:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            print(f"{label:<48} HTTP {response.status_code}")
            return
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(f"{label:<48} median {statistics.median(timings):7.1f} ms   p95 {p95:7.1f} ms")


def main() -> None:
    import random
    from datetime import date

    from hours import accrual
    from nir import rules as nir

    print("== Règles pures")
    rng = random.Random(1)
    samples = [nir.generate_fictitious_nir(rng) for _ in range(1000)]
    it = iter(samples * 10_000)
    rate("validate_nir", lambda: nir.validate_nir(next(it)))
    years = [accrual.Declaration(2015 + i, 1607 * (i % 3 + 1) // 3) for i in range(5)]
    rate("compute_credits (5 années)", lambda: accrual.compute_credits(years))
    today = date(2016, 6, 1)
    rate("generate_fictitious_nir", lambda: nir.generate_fictitious_nir(rng, today=today))

    print("== Pages (SQLite, données de démonstration)")
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    from accounts.models import Titulaire

    anonymous = Client()
    latency("accueil", anonymous, "/")
    latency("espace titulaire (connexion)", anonymous, "/espace-titulaire/")
    latency("recherche catalogue (sans filtre)", anonymous, "/formations/")
    search = "/formations/?q=anglais&modalite=distance"
    latency("recherche catalogue (mot-clé + modalité)", anonymous, search)
    camille = Titulaire.objects.get(email="camille.martin@demo.test")
    logged = Client()
    logged.force_login(camille)
    latency("synthèse du compte", logged, "/mon-compte/")
    latency("mon compte d'heures", logged, "/mon-compte/heures/")
    latency("mes dossiers de formation", logged, "/mon-compte/dossiers/")
    latency("mes délégations", logged, "/mon-compte/delegations/")


if __name__ == "__main__":
    main()
