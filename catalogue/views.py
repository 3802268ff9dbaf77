"""The public catalogue: search and training page (same pages logged in or not)."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from catalogue.forms import SearchForm
from catalogue.models import Training

PER_PAGE = 20


def search(request):
    form = SearchForm(request.GET or None)
    searched = bool(request.GET)
    trainings = Training.objects.active()
    if form.is_bound and form.is_valid():
        trainings = trainings.search(**form.cleaned_data)
    elif form.is_bound:
        trainings = trainings.none()
    trainings = trainings.prefetch_related("listes").order_by("title", "code_cpf")
    page = Paginator(trainings, PER_PAGE).get_page(request.GET.get("page"))
    params = {k: v for k, v in request.GET.items() if k != "page" and k in form.fields and v}
    return render(
        request,
        "catalogue/search.html",
        {
            "form": form,
            "page_obj": page,
            "page_numbers": list(
                page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
            ),
            "searched": searched,
            "query_string": urlencode(params),
        },
    )


def training_detail(request, code):
    training = get_object_or_404(
        Training.objects.active().prefetch_related("listes"), code_cpf=code
    )
    return render(request, "catalogue/training.html", {"training": training})
