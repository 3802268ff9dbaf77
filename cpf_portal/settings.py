"""Settings for the CPF titulaire portal, read from the environment.

Three modes:
- production: DJANGO_DEBUG off and PORTAL_DEMO unset; every security header on.
- demo (PORTAL_DEMO=1): plain http on a laptop, demo mailbox, fictitious NIR generator.
- development: DJANGO_DEBUG=1.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")
PORTAL_DEMO = env_bool("PORTAL_DEMO")
# Production is debug off without the demo: the only mode that forces https.
PRODUCTION = not DEBUG and not PORTAL_DEMO

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY est obligatoire quand DJANGO_DEBUG est désactivé."
        )
    # Demo and development only: a fixed key is harmless on a laptop with fictitious data.
    SECRET_KEY = "insecure-demo-key-do-not-use-in-production-" + "x" * 20

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "accounts",
    "pages",
    "hours",
    "catalogue",
    "dossiers",
    "delegations",
    "audit",
    "demo",
    "space",
    # Django's admin with the portal's site: list filters only from the sidebar, its login
    # through the authentication gate (admin_site.py).
    "cpf_portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # captcha, axes and django-tasks-db under French names in the admin (cpf_portal/apps.py).
    "cpf_portal.apps.CaptchaConfig",
    "cpf_portal.apps.AxesConfig",
    "cpf_portal.apps.TasksDatabaseConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    # no-store on every page of the titulaire's space and for every logged-in person.
    "accounts.middleware.NoStoreMiddleware",
    # Admin search boxes are POST forms: this answers them, after the CSRF check.
    "nir.admin_search.AdminSearchMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "pages.middleware.ErrorPagesMiddleware",
    # AxesMiddleware last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cpf_portal.urls"
WSGI_APPLICATION = "cpf_portal.wsgi.application"
ASGI_APPLICATION = "cpf_portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cpf_portal.context_processors.portal",
            ],
            "libraries": {"numbers": "cpf_portal.templatetags.numbers"},
        },
    }
]

# --- Database connections (issue 8: production server) ---
# Persistent connections: a new PostgreSQL connection per request cost 14 % of a worker's time.
# DJANGO_CONN_MAX_AGE seconds (600 in production, 0 in the demo and development, where
# runserver's thread per request would leave them open); "None" keeps them forever. Health
# checks test a reused connection before a request uses it, so a database restart costs no 500.
_conn_max_age = os.environ.get("DJANGO_CONN_MAX_AGE") or ("600" if PRODUCTION else "0")
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=None if _conn_max_age.lower() == "none" else int(_conn_max_age),
        conn_health_checks=True,
    )
}
# --- end of database connections ---
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout keep the demo responsive when the worker and the server share the file.
    # IMMEDIATE: a transaction takes the write lock when it begins, so two requests racing on one
    # row (a double click on the confirmation link) queue up behind the busy timeout, as
    # select_for_update() makes them do on PostgreSQL, instead of the later one failing with
    # "database is locked" when it tries to write from a stale snapshot.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared cache for rate limits and lockouts: Redis when configured, else the database,
# so that limits hold across several server processes.
REDIS_URL = os.environ.get("REDIS_URL", "")
PORTAL_DATABASE_CACHE = {
    # Django's, with an atomic incr() that keeps a counter's window (cpf_portal/cache.py).
    "BACKEND": "cpf_portal.cache.DatabaseCache",
    "LOCATION": "portal_cache",
    # Django culls a third of the entries past MAX_ENTRIES (300 by default): a flood of keys
    # would wipe lockout counters. Expired entries are culled first.
    "OPTIONS": {"MAX_ENTRIES": 1_000_000},
}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "cpf"),
        }
    }
else:
    CACHES = {"default": PORTAL_DATABASE_CACHE}

AUTH_USER_MODEL = "accounts.Titulaire"
AUTHENTICATION_BACKENDS = [
    # The portal's doors check passwords through accounts.services.gate, never authenticate();
    # axes' backend stays for anything that would (it only records: see AXES_LOCK_OUT_AT_FAILURE).
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.NirBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:synthese"
LOGOUT_REDIRECT_URL = "accounts:login"

# --- Password hashing (issue 8: Argon2 parameters) ---
# Argon2id first (OWASP ASVS: memory-hard KDF) with OWASP's m=19 MiB, t=2, p=1 (see
# cpf_portal/hashers.py for why); hashes made with other parameters (Django's default m=100 MiB,
# t=2, p=8) are rehashed at the next login. The others only verify old hashes.
PASSWORD_HASHERS = [
    "cpf_portal.hashers.PortalArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# --- end of password hashing ---
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.validators.PortalPasswordValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("nir", "first_name", "birth_name", "email")},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60  # one hour: a reset link is short-lived

# Sessions: 30 minutes idle, 12 hours absolute (accounts.middleware.SessionTimeoutMiddleware).
# The session row outlives the idle timeout so that the middleware can say why it ended; the
# cookie itself dies with the browser.
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# --- Session storage (issue 8: production server) ---
# Not saved on every request (a write per page view: 5 of the synthesis page's 12 queries): the
# idle timeout's last-seen time is rewritten at most once a minute (accounts.middleware).
SESSION_SAVE_EVERY_REQUEST = False
# In Redis when it is configured (no database query per request); otherwise in the database,
# read through the cache (cached_db).
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cache"
    if REDIS_URL
    else "django.contrib.sessions.backends.cached_db"
)
# --- end of session storage ---
SESSION_IDLE_TIMEOUT = 30 * 60
SESSION_ABSOLUTE_TIMEOUT = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "pages.views.csrf_failure"

LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
# The portal's translations first: the French of the libraries' labels that their own locales
# lack (django-axes, django-tasks-db). The compiled .mo is committed: no gettext needed to run.
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
    # Attestations and other private uploads: outside any public URL, served by a view
    # that checks who asks.
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": os.environ.get("PORTAL_PRIVATE_MEDIA", str(BASE_DIR / "private_media")),
            "base_url": None,
        },
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
# Outside production static files come straight from the app folders (no collectstatic).
WHITENOISE_AUTOREFRESH = not PRODUCTION
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200

# Email (Django's MAILERS): SMTP in production, configured from the EMAIL_* variables; the demo
# mailbox in demo mode.
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Mon Compte Formation <ne-pas-repondre@moncompteformation.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Who gets the error reports (a 500's traceback and request, NIR masked): comma-separated.
ADMINS = [
    address.strip() for address in os.environ.get("DJANGO_ADMINS", "").split(",") if address.strip()
]
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
if PORTAL_DEMO:
    MAILERS = {"default": {"BACKEND": "demo.mail.DemoMailboxBackend"}}
else:
    _email_backend = os.environ.get("DJANGO_EMAIL_BACKEND", SMTP_BACKEND)
    MAILERS = {"default": {"BACKEND": _email_backend}}
    if _email_backend == SMTP_BACKEND:
        MAILERS["default"]["OPTIONS"] = {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("EMAIL_PORT", "25")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS"),
            "timeout": 10,
        }
# Absolute links in emails (reset, confirmation, invitation, address change) start with
# PORTAL_BASE_URL. In production always: the request's Host header is the client's to choose
# (`Host: localhost:31337` would otherwise put port 31337 in a reset link), and ALLOWED_HOSTS
# only narrows it. In the demo and in development the links follow the address the portal was
# opened with (a laptop reached as 127.0.0.1, localhost or its LAN address), which
# ALLOWED_HOSTS bounds (docs/SECURITY.md § 12).
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000")
PORTAL_LINKS_FOLLOW_REQUEST = not PRODUCTION
# Who a person writes to when something went wrong with their account (emails, pages).
PORTAL_HELP_EMAIL = os.environ.get("PORTAL_HELP_EMAIL", "assistance@moncompteformation.example")

# Emails go through django.tasks: the database queue (make worker) in production, sent at
# once in the demo so that a laptop needs a single process.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "PORTAL_TASKS_BACKEND",
            "django.tasks.backends.immediate.ImmediateBackend"
            if PORTAL_DEMO or DEBUG
            else "django_tasks_db.DatabaseBackend",
        ),
    }
}

# Completed signups per IP address and hour (accounts.services.signup). A training room shares one
# address: the demo lets a whole class sign up; production keeps the tight limit.
SIGNUP_IP_LIMIT_PER_HOUR = int(
    os.environ.get("PORTAL_SIGNUP_IP_LIMIT") or (100 if PORTAL_DEMO else 10)
)

# Captcha (django-simple-captcha): 6 characters, case-insensitive, single-use, as on the 2015
# portal (docs/RULES.md). Drawn from an alphabet without look-alikes (accounts/captcha_text.py);
# the image is the portal's own (accounts/captcha_image.py: letters never overlap), so the
# library's drawing settings (font, size, rotation, noise) are not used; the audio version
# joins recorded French clips (accounts/captcha_audio.py). No test mode: every captcha is
# read, by people and by the tests (from CaptchaStore, as a person reads the image).
CAPTCHA_CHALLENGE_FUNCT = "accounts.captcha_text.challenge"
CAPTCHA_LENGTH = 6
CAPTCHA_TIMEOUT = 20  # minutes
CAPTCHA_TEST_MODE = False
CAPTCHA_2X_IMAGE = False

# Lockout: 5 failures lock one identifier for 15 minutes. accounts.services.gate reads these two
# and decides, from counts taken before each password check; django-axes counted after the
# hash (parallel requests raced it) and only saw the doors that called authenticate(), so it
# just records the failures (its admin lists them) and locks nothing itself.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCK_OUT_AT_FAILURE = False
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
# A try during the lock is refused without counting: the lock ends 15 minutes after the 5th
# failure, as the notice says, instead of restarting at each try.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
# axes' access log would store the NIR in clear (user.get_username()) at every successful
# login; the audit trail (audit/) records logins with a keyed hash instead.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "accounts.views.login.lockout_response"
AXES_USERNAME_CALLABLE = "accounts.backends.axes_username"
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_SENSITIVE_PARAMETERS = ["username", "password"]
# The per-IP limit is separate and looser (accounts.services.gate): many people share one
# address (a company, a training room), so the IP is not part of axes' lockout key.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# Reverse proxies in front of the portal (each adds itself to X-Forwarded-For): the client's
# address for limits, axes and the audit trail is read through them (cpf_portal.ratelimit).
PORTAL_PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT") or 0)
AXES_CLIENT_IP_CALLABLE = "cpf_portal.ratelimit.client_ip"

# Content-Security-Policy (Django's built-in middleware): no inline script or style.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "media-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # __Host- cookies: secure, no Domain, path / — the browser refuses them from another host.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# Logging: never the NIR. Requests are logged without their bodies; the NIR is never in a URL.
# Every handler masks NIRs, including the one Django gives the development server's access
# log (a URL typed with a NIR in it would otherwise be printed in full).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "mask_nir": {"()": "nir.logging.MaskNirFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_nir"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["mask_nir"],
        },
        "mail_admins": {
            "class": "nir.logging.MaskedAdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false", "mask_nir"],
        },
    },
    "loggers": {
        # Replaces Django's own pair (an unmasked console in debug, mail to ADMINS): its
        # records reach the masked console through the root logger.
        "django": {"handlers": ["mail_admins"], "level": "INFO"},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# Key of the NIR's keyed hash (nir.digest.nir_digest): the audit trail, the login gate's and
# axes' lockout keys and the rate-limit counters. Its own secret, never derived from SECRET_KEY:
# rotating the secret key must not silently change every lockout key and audit hash (how to
# rotate each one: docs/SECURITY.md, "Rotation des clés").
NIR_HASH_KEY = os.environ.get("PORTAL_NIR_HASH_KEY", "")
if not NIR_HASH_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "PORTAL_NIR_HASH_KEY est obligatoire quand DJANGO_DEBUG est désactivé (clé des "
            "empreintes du NIR : journal d'audit, verrouillages, limites)."
        )
    # Demo and development only, like SECRET_KEY above: fixed, so a laptop's hashes are stable.
    NIR_HASH_KEY = "insecure-demo-nir-hash-key-do-not-use-in-production-" + "x" * 20
