"""`make serve`: the portal in production under gunicorn (gunicorn.conf.py).

It checks before it starts, and says what to do instead of starting a portal that would fail:
- the environment: the settings production cannot guess (DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS,
  DATABASE_URL), and no demo or debug mode;
- the database: every migration applied. It does not migrate: run `manage.py migrate` once per
  release, from one place, before the new code serves (several servers starting at once would
  race to migrate);
- the static files: collected (`manage.py collectstatic --noinput`), as production serves them
  from their manifest;
- Django's system checks (errors stop it; `make check-deploy` lists the warnings).
Then it replaces itself with gunicorn.
"""

import os
import shutil
import sys
from pathlib import Path

from gunicorn.glogging import Logger

from nir.logging import MaskNirFilter

ROOT = Path(__file__).resolve().parent.parent

REQUIRED = {
    "DJANGO_SECRET_KEY": "la clé secrète (50 caractères aléatoires ou plus)",
    "DJANGO_ALLOWED_HOSTS": "les noms d'hôte servis, séparés par des virgules (cpf.example.fr)",
    "DATABASE_URL": "la base de données (postgres://utilisateur:mot-de-passe@hôte:5432/base)",
}
FORBIDDEN = {
    "PORTAL_DEMO": "le mode démonstration (http simple, boîte mail, numéros fictifs)",
    "DJANGO_DEBUG": "le mode développement",
}
TRUE = {"1", "true", "yes", "on"}


def environment_problems(environ) -> list[str]:
    """What keeps this environment from serving production, in French (empty: ready)."""
    problems = [
        f"{name} manque : {why}."
        for name, why in REQUIRED.items()
        if not environ.get(name, "").strip()
    ]
    problems += [
        f"{name} est activé : {what} ne sert pas en production ; retirez la variable."
        for name, what in FORBIDDEN.items()
        if environ.get(name, "").strip().lower() in TRUE
    ]
    return problems


def database_problems() -> list[str]:
    """Unapplied migrations and uncollected static files (Django set up)."""
    from django.conf import settings
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor

    problems = []
    executor = MigrationExecutor(connections["default"])
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        first = pending[0][0]
        problems.append(
            f"{len(pending)} migration(s) de la base ne sont pas appliquées (la première : "
            f"{first.app_label}.{first.name}) : lancez `.venv/bin/python manage.py migrate`."
        )
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        problems.append(
            f"Les fichiers statiques ne sont pas rassemblés dans {settings.STATIC_ROOT} : "
            "lancez `.venv/bin/python manage.py collectstatic --noinput`."
        )
    return problems


def refuse(problems: list[str]) -> None:
    print("Le portail ne démarre pas en production :", file=sys.stderr)
    for problem in problems:
        print(f"  - {problem}", file=sys.stderr)
    sys.exit(2)


def main() -> None:
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cpf_portal.settings")
    problems = environment_problems(os.environ)
    if problems:
        refuse(problems)

    import django
    from django.core.management import call_command

    django.setup()
    problems = database_problems()
    if problems:
        refuse(problems)
    call_command("check", deploy=True, fail_level="ERROR")
    from django.db import connections

    connections.close_all()  # gunicorn's workers open their own
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    # The path is the virtualenv's gunicorn, next to this Python; no shell.
    os.execv(gunicorn, [gunicorn, "--config", str(ROOT / "gunicorn.conf.py")])  # noqa: S606


class MaskedGunicornLogger(Logger):
    """gunicorn's logs (an access line carries the URL) through the NIR mask, as Django's."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            log.addFilter(MaskNirFilter())


if __name__ == "__main__":
    main()
