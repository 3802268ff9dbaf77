"""The portal's password hasher: Argon2id with a cost chosen for the server it runs on.

OWASP's Password Storage Cheat Sheet lists equivalent Argon2id settings; we take the first,
m=19 MiB, t=2, p=1, rather than Django's default (m=100 MiB, t=2, p=8):

- memory: every login, signup, reset and password change holds m for the time of a hash. Under
  gunicorn (3 workers x 2 threads by default, gunicorn.conf.py) that is at most 6 x 19 MiB =
  114 MiB at once, where Django's default would need 600 MiB; a worker peaked at 178 MB with it.
- CPU: p=8 asks for 8 lanes of work on a 2-core machine; p=1 keeps a login on one core, so a
  burst of logins leaves the other core to the pages. Measured on the 2-core machine
  (benchmarks/argon2_cost.py, both from the same run): 20 ms of CPU and 19 MiB per hash,
  against 200 ms and 100 MiB with Django's default.
- strength: OWASP counts all five settings of its table as equal; the login lockout (at most 25
  guesses a day per NIR, docs/SECURITY.md) is what stands in front of online guessing, and
  Argon2id at 19 MiB stays costly for an offline attacker on GPUs.

Same algorithm name as Django's hasher ("argon2"): old hashes verify with their own stored
parameters, and `must_update()` sees that theirs differ, so Django rehashes them at the next
successful login (ModelBackend's check_password setter).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class PortalArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB: 19 MiB
    parallelism = 1
