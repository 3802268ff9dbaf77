"""The cost of one password hash: Django's default Argon2id (the baseline, m=100 MiB, t=2, p=8)
beside the portal's (m=19 MiB, t=2, p=1, cpf_portal/hashers.py), from the same run.

For each: median wall time and CPU time of a hash (CPU counts every lane's thread), and the
peak memory a fresh process gains while hashing. Prints, never asserts.
`.venv/bin/python benchmarks/argon2_cost.py [ROUNDS]`
"""

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "Formation2015!"
COSTS = {
    "Django par défaut (m=100 Mio, t=2, p=8)": (102400, 2, 8),
    "portail (m=19 Mio, t=2, p=1)": (19 * 1024, 2, 1),
}
# Runs in a fresh process, so that its peak resident memory is the hash's.
PROBE = """
import json, resource, sys, time
from argon2 import PasswordHasher
m, t, p, rounds = map(int, sys.argv[1:5])
hasher = PasswordHasher(time_cost=t, memory_cost=m, parallelism=p)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
walls, cpus = [], []
for _ in range(rounds):
    wall, cpu = time.perf_counter(), time.process_time()
    encoded = hasher.hash(sys.argv[5])
    walls.append(time.perf_counter() - wall)
    cpus.append(time.process_time() - cpu)
assert hasher.verify(encoded, sys.argv[5])
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"walls": walls, "cpus": cpus, "peak_kib": after - before}))
"""


def measure(m: int, t: int, p: int, rounds: int) -> dict:
    out = subprocess.run(  # noqa: S603 - this Python, fixed arguments
        [sys.executable, "-c", PROBE, str(m), str(t), str(p), str(rounds), PASSWORD],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    return json.loads(out)


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    print(f"Hachage Argon2id, médiane de {rounds} hachages, {os.cpu_count()} cœurs")
    print(f"{'réglage':<42} {'temps réel':>11} {'temps CPU':>10} {'mémoire':>9}")
    figures = {}
    for label, (m, t, p) in COSTS.items():
        result = measure(m, t, p, rounds)
        wall = statistics.median(result["walls"]) * 1000
        cpu = statistics.median(result["cpus"]) * 1000
        figures[label] = (wall, cpu)
        print(f"{label:<42} {wall:>8.1f} ms {cpu:>7.1f} ms {result['peak_kib'] / 1024:>5.0f} Mio")
    (base_wall, base_cpu), (wall, cpu) = figures.values()
    print(
        f"portail / Django par défaut : {wall / base_wall:.2f} du temps réel, "
        f"{cpu / base_cpu:.2f} du temps CPU"
    )


if __name__ == "__main__":
    main()
