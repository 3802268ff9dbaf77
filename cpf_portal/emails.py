"""Render a French email (text + HTML) from templates and queue it.

Templates: emails/<name>_subject.txt, emails/<name>.txt, emails/<name>.html. The context gets
`base_url` for absolute links: settings.PORTAL_BASE_URL in production, never the request's Host
(which the client chooses); the request's address only in the demo and in development
(settings.PORTAL_LINKS_FOLLOW_REQUEST). Call inside the transaction of the change the email
announces: with the database task backend the email is queued atomically with that change.
"""

from django.conf import settings
from django.template.loader import render_to_string

from cpf_portal.tasks import send_email


def base_url(request=None) -> str:
    if request is not None and settings.PORTAL_LINKS_FOLLOW_REQUEST:
        return f"{request.scheme}://{request.get_host()}"
    return settings.PORTAL_BASE_URL.rstrip("/")


def send_templated_email(name: str, to: str | list[str], context: dict, request=None) -> None:
    recipients = [to] if isinstance(to, str) else list(to)
    context = {"base_url": base_url(request), **context}
    subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())
    text = render_to_string(f"emails/{name}.txt", context)
    html = render_to_string(f"emails/{name}.html", context)
    send_email.enqueue(to=recipients, subject=subject, text=text, html=html)
