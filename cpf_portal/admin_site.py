"""The operators' admin site: Django's, with its login door going through the portal's
authentication gate (accounts.flows.gate) instead of authenticate(). Installed as the default
site by cpf_portal.apps.PortalAdminConfig."""

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import LoginView, login_not_required
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache


class OperatorLoginView(LoginView):
    """LoginView whose form only validates its fields; the password is checked by the gate."""

    def form_valid(self, form):
        from accounts.flows import login as flow
        from accounts.views.login import IP_BLOCKED_MESSAGE, locked_message

        identifier = form.cleaned_data["username"]
        result = flow.attempt_operator_login(
            self.request, identifier, form.cleaned_data["password"]
        )
        if result.outcome == flow.OK:
            return HttpResponseRedirect(self.get_success_url())
        status = 429
        if result.outcome == flow.LOCKED:
            form.add_error(None, locked_message(identifier))
        elif result.outcome == flow.IP_BLOCKED:
            form.add_error(None, IP_BLOCKED_MESSAGE)
        else:  # a wrong password and a titulaire without staff rights: the same answer
            form.add_error(None, form.get_invalid_login_error())
            status = 200
        return self.render_to_response(self.get_context_data(form=form), status=status)


class PortalAdminSite(admin.AdminSite):
    @method_decorator(never_cache)
    @login_not_required
    def login(self, request, extra_context=None):
        # As AdminSite.login, with OperatorLoginView.
        from accounts.forms.admin_login import OperatorAuthenticationForm

        redirect_url = LoginView().get_redirect_url(request) or reverse(
            "admin:index", current_app=self.name
        )
        if request.method == "GET" and self.has_permission(request):
            return HttpResponseRedirect(redirect_url)
        context = {
            **self.each_context(request),
            "title": _("Log in"),
            "subtitle": None,
            "app_path": request.get_full_path(),
            "username": request.user.get_username(),
            REDIRECT_FIELD_NAME: redirect_url,
        }
        context.update(extra_context or {})
        request.current_app = self.name
        return OperatorLoginView.as_view(
            extra_context=context,
            authentication_form=OperatorAuthenticationForm,
            template_name=self.login_template or "admin/login.html",
        )(request)
