"""Issue 4, point 9: an email is never lost. With the production task backend (database queue),
the email is queued in the transaction of the change it announces; while the SMTP server is
down the task re-enqueues itself later; once the server is back exactly one email arrives."""

import re
import socket
from datetime import timedelta

import pytest
import time_machine
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from django.core.management import call_command
from django.db import OperationalError, connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.models import PendingSignup, Titulaire
from accounts.services.signup import register
from cpf_portal.tasks import retry_delay
from tests.fixtures.signup import complete_signup, identity

pytestmark = pytest.mark.django_db(transaction=True)


class Inbox(Message):
    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A local SMTP server that can be down (nothing listens on its port) or up."""

    def __init__(self, port):
        self.port = port
        self.inbox = Inbox()
        self.controller = None

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp(settings):
    port = free_port()
    server = Server(port)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 2},
        }
    }
    yield server
    server.stop()


def run_worker():
    call_command("db_worker", batch=True, startup_delay=False, interval=0, verbosity=0)


def test_signup_email_survives_an_smtp_outage(smtp, client, nir_factory):
    """As the issue tells it: the SMTP server runs, then stops; someone signs up through the
    site; the worker fails and retries later and later; the server restarts; the worker sends
    exactly one email, and its link activates the account."""
    smtp.start()
    smtp.stop()  # the server goes down: nothing listens on its port any more
    nir = nir_factory()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        complete_signup(
            client, nir, email="camille@exemple.test", email_confirmation="camille@exemple.test"
        )
        # Queued inside the signup's transaction, waiting for the worker.
        assert PendingSignup.objects.filter(nir=nir).count() == 1
        assert DBTaskResult.objects.filter(task_path__endswith="send_email").count() == 1

        run_worker()  # SMTP down: the task schedules its own retry
        assert DBTaskResult.objects.ready().count() == 0
        retry = DBTaskResult.objects.filter(status="READY").get()
        assert retry.run_after >= start + retry_delay(1) - timedelta(seconds=1)
        assert retry.args_kwargs["kwargs"]["attempt"] == 2
        assert smtp.inbox.messages == []
        first_delay = retry.run_after - timezone.now()

        traveller.shift(retry_delay(1) + timedelta(seconds=1))
        run_worker()  # still down: a second retry, later again
        retry = DBTaskResult.objects.filter(status="READY").get()
        assert retry.args_kwargs["kwargs"]["attempt"] == 3
        assert retry.run_after - timezone.now() > first_delay  # the delay grows

        smtp.start()  # the server is back
        traveller.shift(retry_delay(2) + timedelta(seconds=1))
        run_worker()
        run_worker()  # nothing more to send
    assert len(smtp.inbox.messages) == 1
    message = smtp.inbox.messages[0]
    assert message["To"] == "camille@exemple.test"
    assert nir not in message["Subject"]
    assert not DBTaskResult.objects.filter(status="READY").exists()
    body = message.get_payload(decode=True) if not message.is_multipart() else None
    text = (body or message.get_payload(0).get_payload(decode=True)).decode()
    link = re.search(r"https?://[^/\s]+(/\S+)", text).group(1)
    client.get(link, follow=True)
    assert Titulaire.objects.filter(nir=nir, is_active=True).exists()


def test_rolled_back_signup_queues_no_email(smtp, nir_factory):
    smtp.start()  # even with the server up, nothing leaves before the change is committed
    nir = nir_factory()

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        register(identity(nir), "Camille2015!x")
        raise Boom
    assert not DBTaskResult.objects.exists()
    assert not PendingSignup.objects.exists()
    run_worker()
    assert smtp.inbox.messages == []


def test_a_signup_whose_email_cannot_be_queued_is_not_kept(smtp, nir_factory):
    """The email is queued in the signup's own transaction: if the queue refuses it, the signup
    is undone too, so no pending signup waits for a link that was never sent."""
    table = DBTaskResult._meta.db_table

    def queue_refuses(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("INSERT") and table in sql:
            raise OperationalError("could not extend file: No space left on device")
        return execute(sql, params, many, context)

    nir = nir_factory()
    with connection.execute_wrapper(queue_refuses), pytest.raises(OperationalError):
        register(identity(nir), "Camille2015!x")
    assert not PendingSignup.objects.filter(nir=nir).exists()
    assert not DBTaskResult.objects.exists()
