"""Mutation score per module, from the results `mutmut run` leaves in mutants/ (`make mutation`).

For each mutated module: killed, survived, listed as equivalent (tests/mutation/
EQUIVALENT_MUTANTS.md), other outcomes (no tests, timeout, suspicious, not checked), and the
share of the non-equivalent mutants that the tests killed. A timeout counts as killed (the
mutant made the tests hang). Exits with 1 when a module is below the bar, when a survivor is
unexplained, or when the equivalents file names a mutant that no longer exists or was killed
(the list has gone stale: the module changed).

Usage: python tests/mutation/report.py [--min 97] [--list-survivors]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EQUIVALENTS_FILE = Path(__file__).with_name("EQUIVALENT_MUTANTS.md")
# mutmut 3's exit codes (mutmut/stats.py); anything else is "suspicious".
KILLED_CODES = {1, 3}
TIMEOUT_CODES = {36, 24, -24, 152, 255}
STATUS = {0: "survived", 5: "no tests", 33: "no tests", 34: "skipped", 37: "type check"}
# A heading per equivalent mutant: "### `nir.rules.x_age_on__mutmut_7`".
_EQUIVALENT_ID = re.compile(r"^#+\s*`([\w.]+__mutmut_\d+)`", re.MULTILINE)


def status_of(code: int | None) -> str:
    if code is None:
        return "not checked"
    if code in KILLED_CODES:
        return "killed"
    if code in TIMEOUT_CODES:
        return "timeout"
    return STATUS.get(code, "suspicious")


def equivalent_ids(text: str) -> set[str]:
    return set(_EQUIVALENT_ID.findall(text))


def module_of(mutant: str) -> str:
    # "nir.rules.x_age_on__mutmut_7" and "delegations.models.xǁDelegationǁis_expired__mutmut_1"
    return mutant.split(".x", 1)[0] if ".x" in mutant else mutant.rsplit(".", 1)[0]


def score(results: dict[str, dict[str, str]], equivalents: set[str]) -> list[dict]:
    """One row per module: counts and the score (None when nothing non-equivalent ran)."""
    rows = []
    for module, statuses in sorted(results.items()):
        counts = {"killed": 0, "survived": 0, "equivalent": 0, "other": 0}
        survivors = []
        for mutant, status in sorted(statuses.items()):
            if mutant in equivalents and status == "survived":
                counts["equivalent"] += 1
            elif status in ("killed", "timeout"):
                counts["killed"] += 1
            elif status == "survived":
                counts["survived"] += 1
                survivors.append(mutant)
            else:
                counts["other"] += 1
                survivors.append(mutant)
        considered = counts["killed"] + counts["survived"] + counts["other"]
        percent = 100 * counts["killed"] / considered if considered else None
        rows.append({"module": module, **counts, "percent": percent, "survivors": survivors})
    return rows


def load_results(root: Path) -> dict[str, dict[str, str]]:
    results: dict[str, dict[str, str]] = {}
    for meta in sorted((root / "mutants").rglob("*.py.meta")):
        data = json.loads(meta.read_text())
        for mutant, code in data["exit_code_by_key"].items():
            results.setdefault(module_of(mutant), {})[mutant] = status_of(code)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min", type=float, default=97.0, help="the bar, in %% (default 97)")
    parser.add_argument("--list-survivors", action="store_true")
    args = parser.parse_args(argv)

    results = load_results(ROOT)
    if not results:
        print("No results in mutants/: run `make mutation` (mutmut run) first.")
        return 1
    equivalents = equivalent_ids(EQUIVALENTS_FILE.read_text())
    rows = score(results, equivalents)

    header = f"{'module':<24}{'killed':>8}{'survived':>10}{'equiv.':>8}{'other':>7}{'score':>9}"
    print(header)
    print("-" * len(header))
    failed = False
    for row in rows:
        percent = "n/a" if row["percent"] is None else f"{row['percent']:.1f} %"
        print(
            f"{row['module']:<24}{row['killed']:>8}{row['survived']:>10}{row['equivalent']:>8}"
            f"{row['other']:>7}{percent:>9}"
        )
        if row["percent"] is not None and row["percent"] < args.min:
            failed = True
        if args.list_survivors:
            for mutant in row["survivors"]:
                print(f"    {mutant}: {results[row['module']][mutant]}")

    known = {mutant: status for statuses in results.values() for mutant, status in statuses.items()}
    stale = sorted(m for m in equivalents if known.get(m) != "survived")
    for mutant in stale:
        print(f"Listed as equivalent but {known.get(mutant, 'unknown')}: {mutant}")
    print(f"(score = killed / (killed + survived + other), equivalents excluded; bar {args.min} %)")
    return 1 if failed or stale else 0


if __name__ == "__main__":
    sys.exit(main())
