"""Issue 4, point 9: an email is never lost. With the production task backend (database queue),
the email is queued in the transaction of the change it announces; while the SMTP server is
down the task re-enqueues itself later; once the server is back exactly one email arrives."""

import socket
from datetime import timedelta

import pytest
import time_machine
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.flows.signup import register
from accounts.models import PendingSignup
from cpf_portal.tasks import retry_delay
from tests.accounts.test_signup_register import identity

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


def test_signup_email_survives_an_smtp_outage(smtp, nir_factory):
    nir = nir_factory()
    # The server is down: nothing listens on its port yet.
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        with transaction.atomic():
            outcome = register(identity(nir, email="camille@exemple.test"), "Camille2015!x")
            # Queued inside the signup's transaction.
            assert DBTaskResult.objects.filter(task_path__endswith="send_email").count() == 1
        assert outcome.kind == "created"

        run_worker()  # SMTP down: the task schedules its own retry
        waiting = DBTaskResult.objects.ready()
        assert waiting.count() == 0
        retry = DBTaskResult.objects.filter(status="READY").get()
        assert retry.run_after >= start + retry_delay(1) - timedelta(seconds=1)
        assert retry.args_kwargs["kwargs"]["attempt"] == 2
        assert smtp.inbox.messages == []

        traveller.shift(retry_delay(1) + timedelta(seconds=1))
        run_worker()  # still down: a second retry, later again
        retry = DBTaskResult.objects.filter(status="READY").get()
        assert retry.args_kwargs["kwargs"]["attempt"] == 3

        smtp.start()  # the server is back
        traveller.shift(retry_delay(2) + timedelta(seconds=1))
        run_worker()
        run_worker()  # nothing more to send
    assert len(smtp.inbox.messages) == 1
    message = smtp.inbox.messages[0]
    assert message["To"] == "camille@exemple.test"
    assert nir not in message["Subject"]
    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert PendingSignup.objects.filter(nir=nir).count() == 1


def test_rolled_back_signup_queues_no_email(smtp, nir_factory):
    nir = nir_factory()

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        register(identity(nir), "Camille2015!x")
        raise Boom
    assert not DBTaskResult.objects.exists()
    assert not PendingSignup.objects.exists()
