"""gunicorn's settings for `make serve` (read by `python -m cpf_portal.serve`), from the
environment. Defaults sized for 2 cores behind an https reverse proxy on the same machine:

- GUNICORN_BIND (127.0.0.1:8000): the proxy in front talks to the loopback; a socket path
  works too (unix:/run/cpf-portal.sock).
- GUNICORN_WORKERS (3): cores + 1, so that a process waiting on the database leaves none idle.
- GUNICORN_THREADS (2): threads per worker (gthread), 6 requests at once in all. Each thread
  keeps its own database connection: workers x threads connections (DJANGO_CONN_MAX_AGE).
- GUNICORN_TIMEOUT (30): seconds before a silent worker is killed and replaced.
- GUNICORN_GRACEFUL_TIMEOUT (30): seconds a worker has to finish its requests on a restart.
- GUNICORN_KEEPALIVE (5): seconds an idle keep-alive connection from the proxy stays open.
- GUNICORN_MAX_REQUESTS (2000): a worker is replaced after that many requests (plus up to
  10 % jitter, so that they are not all replaced at once); 0: never.
- GUNICORN_ACCESS_LOG (off): "-" for the standard output, or a file; masked like Django's logs.

Memory: a login holds its Argon2 memory (19 MiB, cpf_portal/hashers.py) for its hash, so at
most workers x threads x 19 MiB at once (114 MiB by default) on top of each worker (~60 MB).
"""

import os


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = [os.environ.get("GUNICORN_BIND", "").strip() or "127.0.0.1:8000"]
workers = env_int("GUNICORN_WORKERS", 3)
threads = env_int("GUNICORN_THREADS", 2)
worker_class = "gthread" if threads > 1 else "sync"
timeout = env_int("GUNICORN_TIMEOUT", 30)
graceful_timeout = env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = env_int("GUNICORN_KEEPALIVE", 5)
max_requests = env_int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10
wsgi_app = "cpf_portal.wsgi:application"
proc_name = "cpf-portal"
# Errors to the standard error; the access log only if asked, and masked like Django's logs
# (a URL typed with a NIR in it must not be written in full).
errorlog = "-"
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "").strip() or None
logger_class = "cpf_portal.serve.MaskedGunicornLogger"
