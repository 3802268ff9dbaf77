"""The demo mailbox: the backend stores, the pages list and show, the box can be emptied."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.urls import reverse
from django.utils import timezone

from demo.mail import DemoMailboxBackend
from demo.models import DemoEmail

pytestmark = pytest.mark.django_db


def send_via_demo(message):
    return DemoMailboxBackend(alias="demo").send_messages([message])


def test_backend_stores_text_and_html():
    message = EmailMultiAlternatives(
        subject="Confirmez votre inscription",
        body="Bonjour,\nCliquez : http://testserver/inscription/confirmer/abc/\n",
        from_email="Mon Compte Formation <ne-pas-repondre@example.test>",
        to=["camille@demo.test"],
        cc=["copie@demo.test"],
    )
    message.attach_alternative("<p>Bonjour</p>", "text/html")
    assert send_via_demo(message) == 1
    stored = DemoEmail.objects.get()
    assert stored.subject == "Confirmez votre inscription"
    assert stored.recipient_list == ["camille@demo.test", "copie@demo.test"]
    assert "inscription/confirmer/abc/" in stored.body
    assert stored.html_body == "<p>Bonjour</p>"
    assert stored.from_email.startswith("Mon Compte Formation")
    assert abs(stored.sent_at - timezone.now()) < timedelta(seconds=10)


def test_backend_several_messages_and_empty():
    backend = DemoMailboxBackend()
    messages = [
        EmailMessage("A", "a", to=["a@demo.test"]),
        EmailMessage("B", "b", to=["b@demo.test"]),
    ]
    assert backend.send_messages(messages) == 2
    assert backend.send_messages([]) == 0
    assert backend.send_messages([EmailMessage("Sans destinataire", "x")]) == 0
    assert DemoEmail.objects.count() == 2


def test_settings_use_the_demo_backend_in_demo_mode(settings):
    from django.conf import settings as live

    assert live.PORTAL_DEMO
    settings.MAILERS = {"default": {"BACKEND": "demo.mail.DemoMailboxBackend"}}
    mail.send_mail("Sujet", "Corps", None, ["x@demo.test"])
    assert DemoEmail.objects.filter(subject="Sujet").exists()


def test_portal_email_task_lands_in_the_mailbox(settings):
    settings.MAILERS = {"default": {"BACKEND": "demo.mail.DemoMailboxBackend"}}
    from cpf_portal.tasks import send_email

    send_email.call(to=["karim@demo.test"], subject="Objet", text="Texte", html="<p>Texte</p>")
    stored = DemoEmail.objects.get()
    assert stored.recipient_list == ["karim@demo.test"]
    assert stored.html_body == "<p>Texte</p>"


def make(subject, to="camille@demo.test", minutes_ago=0, body="Bonjour"):
    return DemoEmail.objects.create(
        subject=subject,
        recipients=to,
        body=body,
        sent_at=timezone.now() - timedelta(minutes=minutes_ago),
    )


def test_mailbox_lists_newest_first(client):
    old = make("Ancien message", minutes_ago=30)
    new = make("Nouveau message", to="karim@demo.test", minutes_ago=1)
    middle = make("Message du milieu", minutes_ago=10)
    response = client.get(reverse("demo:mailbox"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    positions = [html.index(e.subject) for e in (new, middle, old)]
    assert positions == sorted(positions)
    for email in (old, new, middle):
        assert reverse("demo:mailbox_detail", args=[email.pk]) in html
    assert "karim@demo.test" in html
    assert 'href="#"' not in html
    assert "Vider la boîte" in html


def test_mailbox_empty(client):
    html = client.get(reverse("demo:mailbox")).content.decode()
    assert "La boîte est vide" in html
    assert "Vider la boîte" not in html


def test_mailbox_filter_by_recipient(client):
    make("Pour Camille", to="camille.martin@demo.test")
    make("Pour Karim", to="karim.benali@demo.test")
    html = client.get(reverse("demo:mailbox"), {"destinataire": "KARIM"}).content.decode()
    assert "Pour Karim" in html
    assert "Pour Camille" not in html
    html = client.get(reverse("demo:mailbox"), {"destinataire": "personne@"}).content.decode()
    assert "Aucun courriel pour ce destinataire" in html


@pytest.mark.parametrize("params", [{"page": "abc"}, {"page": "-1"}, {"destinataire": "x" * 999}])
def test_mailbox_odd_queries_never_fail(client, params):
    make("Un message")
    assert client.get(reverse("demo:mailbox"), params).status_code == 200


def test_mailbox_paginates(client):
    for i in range(30):
        make(f"Message numéro {i:02d}", minutes_ago=i)
    first = client.get(reverse("demo:mailbox")).content.decode()
    assert "Message numéro 00" in first and "Message numéro 29" not in first
    second = client.get(reverse("demo:mailbox"), {"page": 2}).content.decode()
    assert "Message numéro 29" in second


def test_detail_renders_clickable_links_and_escapes_html(client):
    email = make(
        "Confirmez votre inscription",
        body=(
            "Bonjour <script>alert(1)</script>,\n\n"
            "Cliquez sur ce lien : http://testserver/inscription/confirmer/Tok3n/\n"
            "À bientôt"
        ),
    )
    response = client.get(reverse("demo:mailbox_detail", args=[email.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert '<a href="http://testserver/inscription/confirmer/Tok3n/"' in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert "<br>" in html or "<p>" in html


def test_detail_unknown_is_404(client):
    assert client.get(reverse("demo:mailbox_detail", args=[999999])).status_code == 404


def test_clear_needs_post_and_empties(client):
    make("A")
    make("B")
    assert client.get(reverse("demo:mailbox_clear")).status_code == 405
    assert DemoEmail.objects.count() == 2
    response = client.post(reverse("demo:mailbox_clear"))
    assert response.status_code == 302
    assert response.url == reverse("demo:mailbox")
    assert DemoEmail.objects.count() == 0
    html = client.get(response.url).content.decode()
    assert "a été vidée" in html
