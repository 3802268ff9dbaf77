"""Issue 4, points 7 and 8: no inline script or style in any page template; the audit trail is
append-only (model, queryset and admin) and holds keyed hashes, never a NIR."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.admin.sites import site
from django.test import RequestFactory

from audit.models import AuditEntry, Event
from audit.services import record

ROOT = Path(settings.BASE_DIR)
# Emails are not pages: no CSP applies and mail clients need inline styles.
EXEMPT = {ROOT / "templates" / "emails"}


def page_templates():
    folders = [ROOT / "templates", *sorted(ROOT.glob("*/templates"))]
    for folder in folders:
        if ".venv" in folder.parts:
            continue
        for path in folder.rglob("*.html"):
            if not any(path.is_relative_to(exempt) for exempt in EXEMPT):
                yield path


def test_there_are_templates_to_check():
    assert len(list(page_templates())) > 20


@pytest.mark.parametrize("path", list(page_templates()), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_inline_style_or_script(path):
    html = path.read_text()
    assert not re.search(r"\sstyle\s*=", html, re.I), "attribut style= (CSP)"
    for tag in re.findall(r"<script\b[^>]*>", html, re.I):
        assert re.search(r"\ssrc\s*=", tag), f"<script> sans src (CSP) : {tag}"
        assert "defer" in tag or "async" in tag or 'type="module"' in tag, tag
    assert not re.search(r"\son[a-z]+\s*=", html, re.I), "gestionnaire on…= en ligne (CSP)"
    assert 'href="#"' not in html and "javascript:" not in html.lower()


def portal_python_sources():
    apps = ["accounts", "audit", "catalogue", "cpf_portal", "delegations", "demo", "dossiers"]
    for app in [*apps, "hours", "pages"]:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_no_inline_style_or_script_built_in_python():
    """HTML made in code (format_html, widget attrs, admin displays) obeys the CSP too."""
    offenders = []
    for path in portal_python_sources():
        code = path.read_text()
        # An HTML attribute (style="…") or a widget attrs entry ("style": "color: …").
        attribute = re.search(r"""\sstyle\s*=\s*\\?["']""", code)
        attrs_entry = re.search(r"""["']style["']\s*:\s*["'][a-z-]+\s*:""", code)
        if attribute or attrs_entry or re.search(r"<script\b", code, re.I):
            offenders.append(str(path.relative_to(ROOT)))
        if re.search(r"""["'\s]on(click|load|change|submit|input|error)\s*=""", code):
            offenders.append(str(path.relative_to(ROOT)))
    assert len(list(portal_python_sources())) > 50
    assert offenders == []


def test_the_grep_catches_offenders(tmp_path):
    """The checks above fail on the patterns they look for."""
    bad = ['<p style="color:red">', "<script>alert(1)</script>", '<a onclick="x()">']
    for snippet in bad:
        assert (
            re.search(r"\sstyle\s*=", snippet)
            or re.search(r"<script\b(?![^>]*\ssrc\s*=)[^>]*>", snippet)
            or re.search(r"\son[a-z]+\s*=", snippet)
        )


@pytest.mark.django_db
def test_audit_entries_cannot_be_changed_or_deleted(nir_factory):
    nir = nir_factory()
    entry = record(Event.LOGIN_FAILURE, nir=nir, detail="essai")
    entry.detail = "modifié"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(detail="x")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    fresh = AuditEntry.objects.get(pk=entry.pk)
    assert fresh.detail == "essai"


@pytest.mark.django_db
def test_audit_holds_a_keyed_hash_never_the_nir(nir_factory, settings):
    nir = nir_factory()
    entry = record(Event.LOGIN_FAILURE, nir=nir)
    values = [str(getattr(entry, f.attname)) for f in AuditEntry._meta.concrete_fields]
    assert not any(nir in value for value in values)
    assert len(entry.subject_hash) == 64
    settings.NIR_HASH_KEY = "another-key"
    other = record(Event.LOGIN_FAILURE, nir=nir)
    assert other.subject_hash != entry.subject_hash  # keyed: no rainbow table of NIRs


@pytest.mark.django_db
def test_admin_cannot_add_change_or_delete_audit_entries(superuser):
    model_admin = site._registry[AuditEntry]
    request = RequestFactory().get("/")
    request.user = superuser
    entry = record(Event.LOGOUT)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, entry)
    assert not model_admin.has_delete_permission(request, entry)
    assert "delete_selected" not in model_admin.get_actions(request)
