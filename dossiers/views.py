"""Pages of "Mes dossiers de formation". Thin: forms validate, dossiers.services acts."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from catalogue.models import Training
from delegations.access import resolve_account
from dossiers import services, transitions
from dossiers.forms import CancelForm, DossierForm
from dossiers.models import MAX_HOURS_PER_TRAINING, ActorRole, Dossier

CODE_CPF = re.compile(r"[0-9A-Za-z-]{1,20}")


def _role(access) -> str:
    return ActorRole.DELEGATE if access.is_delegate else ActorRole.TITULAIRE


def _dossiers(access):
    return Dossier.objects.visible_to(access).select_related("training")


def _get_dossier(access, reference) -> Dossier:
    dossier = _dossiers(access).filter(reference=reference).first()
    if dossier is None:
        raise Http404(_("Dossier introuvable."))
    return dossier


def _context(access, **extra):
    return {"active_menu": "dossiers", **access.context(), **extra}


def _dossier_form(access, *args, **kwargs) -> DossierForm:
    return DossierForm(*args, can_mark_confidential=not access.is_delegate, **kwargs)


def _balances(titulaire):
    return services.balances(titulaire.nir)


@login_required
def dossier_list(request):
    access = resolve_account(request)
    dossiers = _dossiers(access)
    return render(
        request,
        "dossiers/list.html",
        _context(
            access,
            open_dossiers=dossiers.open(),
            closed_dossiers=dossiers.closed(),
            can_manage=access.can_manage_dossiers,
        ),
    )


@login_required
def dossier_detail(request, reference):
    access = resolve_account(request)
    dossier = _get_dossier(access, reference)
    actions = transitions.allowed_actions(dossier.status, transitions.ACTOR_TITULAIRE)
    can_manage = access.can_manage_dossiers
    return render(
        request,
        "dossiers/detail.html",
        _context(
            access,
            dossier=dossier,
            events=dossier.events.select_related("actor"),
            can_edit=can_manage and transitions.can_edit(dossier.status),
            can_submit=can_manage and transitions.SUBMIT in actions,
            can_cancel=can_manage and transitions.CANCEL in actions,
            can_delete=can_manage and transitions.can_delete(dossier.status),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def dossier_create(request):
    access = resolve_account(request, manage=True)
    if request.method == "POST":
        form = _dossier_form(access, request.POST)
        if form.is_valid():
            try:
                dossier = services.create_dossier(
                    access.titulaire,
                    actor=request.user,
                    role=_role(access),
                    **form.service_kwargs(),
                )
            except services.DossierError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(
                    request,
                    _("Le dossier %(ref)s a été créé. Vérifiez-le puis envoyez-le pour validation.")
                    % {"ref": dossier.reference},
                )
                return redirect("dossiers:detail", reference=dossier.reference)
    else:
        initial = {"agreement_date": timezone.localdate()}
        code = request.GET.get("formation", "")[:20]
        known = code and CODE_CPF.fullmatch(code)  # a link from the catalogue, or nothing
        training = Training.objects.active().filter(cpf_code=code).first() if known else None
        if training:
            initial["cpf_code"] = training.cpf_code
            initial["hours_total"] = min(training.duration_hours, MAX_HOURS_PER_TRAINING)
        form = _dossier_form(access, initial=initial)
    return render(
        request,
        "dossiers/form.html",
        _context(access, form=form, balances=_balances(access.titulaire), dossier=None),
    )


@login_required
@require_http_methods(["GET", "POST"])
def dossier_edit(request, reference):
    access = resolve_account(request, manage=True)
    dossier = _get_dossier(access, reference)
    if not transitions.can_edit(dossier.status):
        messages.error(request, _("Seul un dossier en cours d'élaboration peut être modifié."))
        return redirect("dossiers:detail", reference=dossier.reference)
    if request.method == "POST":
        form = _dossier_form(access, request.POST)
        if form.is_valid():
            try:
                services.update_dossier(
                    dossier, actor=request.user, role=_role(access), **form.service_kwargs()
                )
            except services.DossierError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Le dossier a été modifié."))
                return redirect("dossiers:detail", reference=dossier.reference)
    else:
        form = _dossier_form(
            access,
            initial={
                "cpf_code": dossier.training.cpf_code,
                "agreement_date": dossier.agreement_date,
                "start_date": dossier.start_date,
                "end_date": dossier.end_date,
                "hours_total": dossier.hours_total,
                "hours_dif": dossier.hours_dif,
                "confidential": dossier.confidential,
            },
        )
    return render(
        request,
        "dossiers/form.html",
        _context(access, form=form, balances=_balances(access.titulaire), dossier=dossier),
    )


CONFIRMATIONS = {
    "submit": {
        "title": _("Envoyer le dossier pour validation"),
        "question": _(
            "Une fois envoyé, le dossier ne peut plus être modifié. Il sera examiné par votre "
            "employeur, votre OPCA ou votre conseiller."
        ),
        "button": _("Envoyer le dossier"),
        "done": _("Le dossier %(ref)s a été envoyé pour validation."),
    },
    "cancel": {
        "title": _("Annuler le dossier"),
        "question": _("Le dossier sera annulé et classé parmi les dossiers clos."),
        "button": _("Annuler le dossier"),
        "done": _("Le dossier %(ref)s a été annulé."),
    },
    "delete": {
        "title": _("Supprimer le dossier"),
        "question": _("Le dossier en cours d'élaboration sera définitivement supprimé."),
        "button": _("Supprimer le dossier"),
        "done": _("Le dossier %(ref)s a été supprimé."),
    },
}


@login_required
@require_http_methods(["GET", "POST"])
def dossier_action(request, reference, action):
    if action not in CONFIRMATIONS:
        raise Http404
    access = resolve_account(request, manage=True)
    dossier = _get_dossier(access, reference)
    texts = CONFIRMATIONS[action]
    form = CancelForm(request.POST or None) if action == "cancel" else None
    if request.method == "POST" and (form is None or form.is_valid()):
        role, actor = _role(access), request.user
        try:
            if action == "submit":
                services.submit(dossier, actor=actor, role=role)
            elif action == "cancel":
                services.cancel(
                    dossier,
                    actor=actor,
                    role=role,
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
            else:
                services.delete_dossier(dossier, actor=actor, role=role)
        except services.DossierError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, str(texts["done"]) % {"ref": dossier.reference})
            if action == "delete":
                return redirect("dossiers:list")
        return redirect("dossiers:detail", reference=dossier.reference)
    return render(
        request,
        "dossiers/confirm.html",
        _context(access, dossier=dossier, texts=texts, form=form, action=action),
    )
