"""Requests no form can answer well, answered with the portal's own French error pages.

- A NUL character in the path (/formations/ab%00cd/): PostgreSQL refuses to compare such text
  (DataError, a 500), and no link of the portal holds one. 400. In form fields, Django's
  ProhibitNullCharactersValidator answers next to the field, as for any other mistake.
- A 405 (a GET on a POST-only address such as /deconnexion/): Django's is an empty page.
"""

from pages.views import bad_request, method_not_allowed

NUL = "\x00"


class ErrorPagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path:
            return bad_request(request)
        response = self.get_response(request)
        if response.status_code == 405 and not response.content:
            page = method_not_allowed(request)
            page["Allow"] = response.get("Allow", "")
            return page
        return response
