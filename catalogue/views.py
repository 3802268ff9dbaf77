"""The public catalogue: search and training page (same pages logged in or not)."""

import re
from urllib.parse import urlencode

from django.core.paginator import Page
from django.http import QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from catalogue.forms import SearchForm
from catalogue.models import TITLE_ORDER, Training, results_order
from catalogue.paginator import CappedCountPaginator

PER_PAGE = 20
# Past this many results the page says « Plus de 1 000 formations trouvées » (no full count).
EXACT_COUNT_UP_TO = 1000
MAX_RETOUR_LENGTH = 1000
PAGE_RE = re.compile(r"[1-9][0-9]{0,4}")


def search_criteria(cleaned_data: dict) -> dict[str, str]:
    """The search form's data as TrainingQuerySet.search() names it. The form's field names are
    the GET parameters users see, bookmark and share (?q=&lieu=&modalite=&liste=): they stay
    French, as the public interface; the code's names are English."""
    return {
        "q": cleaned_data["q"],
        "place": cleaned_data["lieu"],
        "mode": cleaned_data["modalite"],
        "eligibility": cleaned_data["liste"],
    }


def results_page(form: SearchForm, number) -> Page:
    """The page of results for a search form (bound or not); its paginator counts as little as
    it can (catalogue/paginator.py)."""
    trainings = Training.objects.active()
    text = {}
    if form.is_bound and form.is_valid():
        criteria = search_criteria(form.cleaned_data)
        trainings = trainings.search(**criteria)
        text = {"q": criteria["q"], "place": criteria["place"]}
    elif form.is_bound:
        trainings = trainings.none()
    trainings = trainings.prefetch_related("lists").order_by(*TITLE_ORDER)
    paginator = CappedCountPaginator(
        trainings,
        PER_PAGE,
        exact_up_to=EXACT_COUNT_UP_TO,
        # Title then code either way; written for the plan that suits the matches' count.
        order_for=lambda few: results_order(**text, few=few),
    )
    return paginator.get_page(number)


def search(request):
    form = SearchForm(request.GET or None)
    searched = bool(request.GET)
    page = results_page(form, request.GET.get("page"))
    criteria = form.criteria() if form.is_bound else {}
    # What a training page needs to lead back to this very page of results.
    back = {**criteria, **({"page": page.number} if page.number > 1 else {})}
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
            "count_floor": EXACT_COUNT_UP_TO,
            "query_string": urlencode(criteria),
            "retour_param": urlencode({"retour": urlencode(back)}) if back else "",
        },
    )


def search_url(retour: str) -> str:
    """The search page with the criteria carried in `retour` (a query string, never a URL).

    The path is always ours and only known, valid criteria are re-encoded: whatever `retour`
    holds, the link cannot lead off the search page (no open redirect, no injected markup)."""
    url = reverse("catalogue:search")
    if not retour or len(retour) > MAX_RETOUR_LENGTH:
        return url
    data = QueryDict(retour.removeprefix("?"))
    form = SearchForm(data)
    if not form.is_valid():
        return url
    params = {name: value for name, value in form.cleaned_data.items() if value}
    if PAGE_RE.fullmatch(data.get("page", "")):
        params["page"] = data["page"]
    return f"{url}?{urlencode(params)}" if params else url


def training_detail(request, code):
    training = get_object_or_404(Training.objects.active().prefetch_related("lists"), cpf_code=code)
    return render(
        request,
        "catalogue/training.html",
        {"training": training, "back_url": search_url(request.GET.get("retour", ""))},
    )
