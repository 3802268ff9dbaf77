"""Requests no form can answer well, answered with the portal's own French error pages.

- A NUL character in the path (/formations/ab%00cd/): PostgreSQL refuses to compare such text
  (DataError, a 500), and no link of the portal holds one. 400. In form fields, Django's
  ProhibitNullCharactersValidator answers next to the field, as for any other mistake.
- A NUL in the query string of an admin page (/admin/…/?civility__exact=%00): the admin's
  lists pass their parameters straight to database lookups, hence the same DataError. 400.
  The portal's own pages read their parameters through forms that refuse or strip it.
- A 405 (a GET on a POST-only address such as /deconnexion/): Django's is an empty page.
"""

from pages.views import bad_request, method_not_allowed

NUL = "\x00"


def _nul_in_query(request) -> bool:
    return any(NUL in key + "".join(values) for key, values in request.GET.lists())


class ErrorPagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path or (request.path.startswith("/admin/") and _nul_in_query(request)):
            return bad_request(request)
        response = self.get_response(request)
        if response.status_code == 405 and not response.content:
            page = method_not_allowed(request)
            page["Allow"] = response.get("Allow", "")
            return page
        return response
