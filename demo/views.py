"""Demo mode pages (routes exist only when settings.PORTAL_DEMO is on): the demo mailbox and
the fictitious NIR generator."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from demo import services
from demo.forms import MailboxFilterForm, NirGeneratorForm
from demo.models import DemoEmail
from nir import rules as nir_rules

PER_PAGE = 25


@require_http_methods(["GET", "HEAD"])
def mailbox(request):
    form = MailboxFilterForm(request.GET or None)
    emails = DemoEmail.objects.newest_first()
    recipient = ""
    if form.is_bound and form.is_valid():
        recipient = form.cleaned_data["destinataire"].strip()
        emails = emails.for_recipient(recipient)
    page = Paginator(emails, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page_obj": page,
        "emails": page.object_list,
        "recipient": recipient,
        "total": DemoEmail.objects.count(),
    }
    return render(request, "demo/mailbox.html", context)


@require_http_methods(["GET", "HEAD"])
def mailbox_detail(request, pk):
    email = get_object_or_404(DemoEmail, pk=pk)
    return render(request, "demo/mailbox_detail.html", {"email": email})


@require_POST
def mailbox_clear(request):
    deleted = services.empty_mailbox()
    messages.success(
        request,
        _("La boîte mail de démonstration a été vidée (%(n)s courriel(s) supprimé(s)).")
        % {"n": deleted},
    )
    return redirect("demo:mailbox")


@require_http_methods(["GET", "HEAD", "POST"])
def nir_generator(request):
    """GET shows NIRs for the default profile; POST for the profile chosen. The generated
    numbers are only ever in the response body, never in a URL."""
    if request.method == "POST":
        form = NirGeneratorForm(request.POST)
        valid = form.is_valid()
        data = form.cleaned_data if valid else None
    else:
        form = NirGeneratorForm()
        data = {"sexe": form.fields["sexe"].initial, "age": form.fields["age"].initial}
    nirs = []
    if data:
        try:
            values = services.generate_nirs(data["sexe"], data["age"])
        except ValueError:
            form.add_error("age", _("Impossible de générer un numéro pour cet âge."))
            values = []
        nirs = [{"value": value, "grouped": nir_rules.format_nir(value)} for value in values]
    context = {"form": form, "nirs": nirs, "profile": data}
    return render(request, "demo/nir.html", context)
