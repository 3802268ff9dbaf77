"""The DIF form and the attestation download (thin views). The hours page itself composes
the dossiers (confidential ones hidden from a delegate): it lives in space/views/hours.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from delegations.access import own_account_only
from hours import services
from hours.forms import DifForm

CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg"}


@never_cache
@login_required
def dif(request):
    access = own_account_only(request)
    nir = access.titulaire.nir
    declaration = services.dif_declaration(nir)
    locked = declaration is not None and declaration.is_locked
    form = None
    if not locked:
        initial = {"hours": declaration.hours} if declaration is not None else {}
        form = DifForm(request.POST or None, request.FILES or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                services.declare_dif(
                    nir,
                    form.cleaned_data["hours"],
                    form.cleaned_data.get("attestation") or None,
                    actor=request.user,
                    attestation_ext=form.cleaned_data.get("attestation_ext"),
                    request=request,
                )
            except services.DifError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Votre solde d'heures DIF a été enregistré."))
                return redirect("hours:compte")
    context = {
        "active_menu": "heures",
        "form": form,
        "declaration": declaration,
        "dif_balance": services.dif_balance(nir),
        "locked": locked,
    }
    return render(request, "hours/dif.html", context)


def attestation_response(declaration):
    """The stored attestation as a download (also used by the admin's own view)."""
    if declaration is None or not declaration.attestation:
        raise Http404
    name = declaration.attestation.name
    ext = name.rsplit(".", 1)[-1].lower()
    try:
        handle = declaration.attestation.storage.open(name, "rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"attestation-dif.{ext}",
        content_type=CONTENT_TYPES.get(ext, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@login_required
def attestation(request):
    """Only the titulaire himself; anybody else (a delegate included) gets a 404."""
    try:
        access = own_account_only(request)
    except PermissionDenied as exc:
        raise Http404 from exc
    return attestation_response(services.dif_declaration(access.titulaire.nir))
