"""Requests no form can answer well, answered with the portal's own French error pages.

- A NUL character anywhere in the path, the query string or a posted value: PostgreSQL refuses
  to store or even compare such text (DataError, a 500), and no person types one. 400.
- A 405 (a GET on a POST-only address such as /deconnexion/): Django's is an empty page.
"""

from pages.views import bad_request, method_not_allowed

NUL = "\x00"


def _has_nul(request) -> bool:
    if NUL in request.path or "%00" in request.META.get("QUERY_STRING", ""):
        return True
    if any(NUL in value for values in request.GET.lists() for value in values[1]):
        return True
    if request.method == "POST":
        try:
            posted = request.POST.lists()
        except Exception:  # noqa: BLE001 - a malformed body is the view's to refuse, as usual
            return False
        return any(NUL in value for _name, values in posted for value in values)
    return False


class ErrorPagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            return bad_request(request)
        response = self.get_response(request)
        if response.status_code == 405 and not response.content:
            page = method_not_allowed(request)
            page["Allow"] = response.get("Allow", "")
            return page
        return response
