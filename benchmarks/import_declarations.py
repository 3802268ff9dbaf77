"""Benchmark of `manage.py import_declarations` on PostgreSQL: measures and prints, never asserts.

    createdb -h 127.0.0.1 -U postgres bench_import
    .venv/bin/python benchmarks/import_declarations.py --rows 1000000 \
        --database postgres://postgres@127.0.0.1:5432/bench_import

Generates a file of N rows (one annual campaign, year 2017: fictitious NIRs with correct keys
from nir.rules.generate_fictitious_nir, one in ten with a second employer further down the
file, most full time, some part time or with another reference duration, a few low qualified),
migrates the database and empties its hours tables (the database's name must start with
"bench": this script deletes data). Then, from the same run:
- the baseline: PostgreSQL's COPY of the same file into a bare table (text columns);
- the import, run as the command in a child process (its time and peak memory);
- the same import at a tenth of the rows (memory flat: the peak must not grow with the file);
- the re-import of the same file (idempotent: nothing credited).
"""

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
HEADER = "nir;annee;heures_travaillees;duree_reference;faiblement_qualifie\n"
TODAY = date(2018, 6, 1)  # the NIRs' ages are computed on this date


def fictitious_nirs(rng: random.Random):
    """Distinct fictitious NIRs, as nir.rules.generate_fictitious_nir makes them (order
    number 000, never allocated by INSEE, and a correct key), drawn faster: a million of its
    calls would take half an hour (it recomputes the birth dates that fit an age each time)."""
    from stdnum.fr import nir as stdnum_nir

    from nir.rules import FICTITIOUS_ORDER, validate_nir

    seen = set()
    while True:
        year = rng.randint(TODAY.year - 64, TODAY.year - 18) % 100
        department = rng.choice([d for d in range(1, 96) if d != 20])
        body = (
            f"{rng.choice('12')}{year:02d}{rng.randint(1, 12):02d}{department:02d}"
            f"{rng.randint(1, 500):03d}{FICTITIOUS_ORDER}"
        )
        if body in seen:
            continue
        seen.add(body)
        nir = body + stdnum_nir.calc_check_digits(body + "00")
        if len(seen) <= 1000:
            validate_nir(nir)  # the same numbers as the portal's generator accepts
        yield nir


def generate(path: Path, rows: int, seed: int) -> None:
    """Write `rows` declaration rows for distinct fictitious NIRs (a tenth with two rows)."""
    rng = random.Random(seed)
    nirs = fictitious_nirs(rng)
    lines = []
    while len(lines) < rows:
        nir = next(nirs)
        employers = 2 if rng.random() < 0.1 and len(lines) + 2 <= rows else 1
        for _ in range(employers):
            roll = rng.random()
            if employers == 1 and roll < 0.6:
                worked, reference = "1607", ""
            elif employers == 1 and roll < 0.7:
                worked, reference = "1820", "1820"
            else:
                worked, reference = f"{rng.randint(100, 1500)},{rng.randint(0, 99):02d}", ""
            low = "oui" if rng.random() < 0.05 else ""
            lines.append(f"{nir};2017;{worked};{reference};{low}\n")
    rng.shuffle(lines)  # a second employer's row lies anywhere in the file
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        out.writelines(lines)


def django_env(database: str) -> dict:
    return {
        **os.environ,
        "PORTAL_DEMO": "1",
        "DJANGO_SETTINGS_MODULE": "cpf_portal.settings",
        "DATABASE_URL": database,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }


def run_import(path: Path, env: dict) -> tuple[float, int, str]:
    """(seconds, peak RSS in MiB, summary) of the command in a child process; the summary
    ends with the child's own CPU time (the machine may be shared: wall time then lies)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        child = subprocess.Popen(  # noqa: S603 - our own command, our own file
            [sys.executable, "manage.py", "import_declarations", str(path)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=err,
        )
        _pid, status, usage = os.wait4(child.pid, 0)  # the child's own peak memory
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if child.returncode:
            raise SystemExit(f"import failed:\n{err.read()[-2000:]}")
        lines = out.read().strip().splitlines() or [""]
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, usage.ru_maxrss // 1024, f"{lines[-1]} [CPU du processus : {cpu:.1f} s]"


def copy_baseline(path: Path, database: str) -> float:
    import psycopg

    with psycopg.connect(database) as conn, conn.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_bare (nir text, annee text, heures text, "
            "reference text, faible text)"
        )
        start = time.perf_counter()
        with (
            path.open("rb") as source,
            cursor.copy(
                "COPY bench_bare FROM STDIN (FORMAT csv, HEADER true, DELIMITER ';')"
            ) as copy,
        ):
            while block := source.read(1 << 20):
                copy.write(block)
        return time.perf_counter() - start


def reset(database: str) -> None:
    import psycopg

    with psycopg.connect(database, autocommit=True) as conn:
        conn.execute("TRUNCATE hours_ledgerentry, hours_employerdeclaration, hours_hoursaccount")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/bench_import")
    parser.add_argument("--seed", type=int, default=2017)
    args = parser.parse_args()
    name = urlparse(args.database).path.lstrip("/")
    if not name.startswith("bench"):
        raise SystemExit("La base doit s'appeler bench… : ce script en vide les tables d'heures.")
    env = django_env(args.database)
    os.environ.update(env)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    small = max(1, args.rows // 10)
    with tempfile.TemporaryDirectory() as folder:
        big_file, small_file = Path(folder) / "dads.csv", Path(folder) / "dads-small.csv"
        start = time.perf_counter()
        generate(big_file, args.rows, args.seed)
        generate(small_file, small, args.seed + 1)
        size = big_file.stat().st_size / 1024 / 1024
        print(
            f"Fichiers générés en {time.perf_counter() - start:.0f} s : "
            f"{args.rows:,} lignes ({size:.0f} Mo) et {small:,} lignes"
        )
        reset(args.database)
        baseline = copy_baseline(big_file, args.database)
        small_seconds, small_peak, _ = run_import(small_file, env)
        reset(args.database)
        seconds, peak, summary = run_import(big_file, env)
        again, again_peak, again_summary = run_import(big_file, env)

    def line(label, secs, rows, peak=None):
        rate = rows / secs
        ratio = f"{baseline / secs:6.1%} du COPY" if secs else ""
        memory = f"{peak:5d} Mio max" if peak is not None else ""
        print(f"{label:<38} {secs:7.1f} s {rate:>10,.0f} lignes/s  {ratio:<16} {memory}")

    load = os.getloadavg()[0]
    print(
        f"== Import de déclarations, PostgreSQL ({name}), {date.today():%d/%m/%Y}, "
        f"{os.cpu_count()} cœurs, charge {load:.1f}"
    )
    line("COPY du même fichier (référence)", baseline, args.rows)
    line(f"import_declarations, {small:,} lignes", small_seconds, small, small_peak)
    line(f"import_declarations, {args.rows:,} lignes", seconds, args.rows, peak)
    line("ré-import du même fichier", again, args.rows, again_peak)
    print(f"  import : {summary}")
    print(f"  ré-import : {again_summary}")


if __name__ == "__main__":
    main()
