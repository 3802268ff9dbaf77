"""Pages of "Mes dossiers de formation", delegations and the admin actions."""

import pytest
from django.urls import reverse

from delegations.access import ACTING_FOR
from delegations.models import Delegation, Level, Status
from dossiers import services, transitions
from dossiers.models import Dossier
from hours import services as hours_services
from tests.fixtures.accounts import admin_nir_search

pytestmark = pytest.mark.django_db


@pytest.fixture
def funded(titulaire, give_hours):
    give_hours(titulaire.nir, cpf=100, dif=30)
    return titulaire


def make(titulaire, training, accord, hours=50, **kwargs):
    return services.create_dossier(titulaire, training, accord, hours, actor=titulaire, **kwargs)


def test_list_requires_login(client):
    response = client.get(reverse("dossiers:list"))
    assert response.status_code == 302 and "next=" in response["Location"]


def test_list_open_and_closed(logged_client, funded, training, accord):
    open_dossier = make(funded, training, accord)
    closed = make(funded, training, accord, 10)
    services.cancel(closed, actor=funded)
    response = logged_client.get(reverse("dossiers:list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("<h1") == 1
    assert "Dossiers en cours" in body and "Dossiers clos" in body
    assert (
        body.index(open_dossier.reference)
        < body.index("Dossiers clos")
        < body.index(closed.reference)
    )


def test_create_preselected_from_catalogue(logged_client, funded, training):
    response = logged_client.get(reverse("dossiers:create"), {"formation": training.cpf_code})
    body = response.content.decode()
    assert response.status_code == 200
    assert f'value="{training.cpf_code}"' in body
    assert "Heures CPF disponibles : 100 heures" in body
    assert "Heures DIF disponibles : 30 heures" in body


def test_create_dossier_post(logged_client, funded, training):
    response = logged_client.post(
        reverse("dossiers:create"),
        {
            "cpf_code": training.cpf_code,
            "agreement_date": "2016-05-02",
            "hours_total": "50",
            "hours_dif": "",
            "confidential": "on",
        },
    )
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("dossiers:detail", args=[dossier.reference])
    assert (dossier.hours_dif, dossier.hours_cpf, dossier.confidential) == (30, 20, True)
    page = logged_client.get(response["Location"]).content.decode()
    assert dossier.reference in page and "Dossier créé" in page
    assert funded.nir not in page


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"cpf_code": "999999"}, "cpf_code", "Aucune formation"),
        ({"hours_total": "151"}, "hours_total", "150"),
        ({"hours_total": "abc"}, "hours_total", "nombre entier"),
        ({"hours_total": "140", "hours_dif": "0"}, "hours_total", "que de 100 heures CPF"),
        ({"hours_dif": "40", "hours_total": "45"}, "hours_dif", "que de 30 heures DIF"),
        ({"agreement_date": "32/13/2016"}, "agreement_date", "date"),
        ({"start_date": "2016-06-10", "end_date": "2016-06-01"}, "end_date", "précède"),
        ({"agreement_date": "2014-12-31"}, "agreement_date", "existe depuis le 1er janvier 2015"),
        ({"agreement_date": "0001-01-01"}, "agreement_date", "existe depuis"),
        ({"agreement_date": "9999-12-31"}, "agreement_date", "dans le futur"),
        ({"start_date": "1999-01-01"}, "start_date", "entre 2015 et"),
        ({"end_date": "9999-12-31"}, "end_date", "entre 2015 et"),
    ],
)
def test_create_errors_shown_next_to_field(logged_client, funded, training, data, field, message):
    post = {"cpf_code": training.cpf_code, "agreement_date": "2016-05-02", "hours_total": "50"}
    post.update(data)
    response = logged_client.post(reverse("dossiers:create"), post)
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    body = response.content.decode()
    assert 'id="error-summary"' in body and f'id="id_{field}_error"' in body
    assert not Dossier.objects.exists()


def test_submit_with_confirmation_page(logged_client, funded, training, accord):
    dossier = make(funded, training, accord)
    url = reverse("dossiers:submit", args=[dossier.reference])
    confirm = logged_client.get(url)
    assert confirm.status_code == 200 and "Envoyer le dossier" in confirm.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == transitions.INITIAL_STATUS  # GET changes nothing
    response = logged_client.post(url)
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == transitions.PENDING
    # Submitting again: refused with a message, not a crash.
    again = logged_client.post(url, follow=True)
    assert again.status_code == 200
    assert "message--error" in again.content.decode()


def test_edit_then_delete(logged_client, funded, training, accord):
    dossier = make(funded, training, accord)
    edit = reverse("dossiers:edit", args=[dossier.reference])
    assert logged_client.get(edit).status_code == 200
    response = logged_client.post(
        edit, {"cpf_code": training.cpf_code, "agreement_date": "2016-05-03", "hours_total": "20"}
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert (dossier.hours_total, dossier.hours_dif, dossier.hours_cpf) == (20, 20, 0)
    response = logged_client.post(reverse("dossiers:delete", args=[dossier.reference]))
    assert response["Location"] == reverse("dossiers:list")
    assert not Dossier.objects.exists()


def test_cannot_edit_or_delete_submitted(logged_client, funded, training, accord):
    dossier = make(funded, training, accord)
    services.submit(dossier, actor=funded)
    response = logged_client.get(reverse("dossiers:edit", args=[dossier.reference]))
    assert response.status_code == 302
    logged_client.post(reverse("dossiers:delete", args=[dossier.reference]))
    assert Dossier.objects.filter(pk=dossier.pk).exists()


def test_cancel_view(logged_client, funded, training, accord):
    dossier = make(funded, training, accord)
    services.submit(dossier, actor=funded)
    response = logged_client.post(
        reverse("dossiers:cancel", args=[dossier.reference]), {"reason": "Changement de projet"}
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == transitions.CANCELLED
    assert dossier.events.last().reason == "Changement de projet"


def test_other_titulaire_gets_404(client, make_titulaire, funded, training, accord):
    dossier = make(funded, training, accord)
    intruder = make_titulaire(first_name="Intrus")
    client.force_login(intruder)
    for name in ("detail", "edit", "submit", "cancel", "delete"):
        assert client.get(reverse(f"dossiers:{name}", args=[dossier.reference])).status_code == 404
    assert client.post(reverse("dossiers:delete", args=[dossier.reference])).status_code == 404
    assert Dossier.objects.filter(pk=dossier.pk).exists()


def test_unknown_reference_404(logged_client):
    assert logged_client.get(reverse("dossiers:detail", args=["DOS-0000-x"])).status_code == 404


def delegate_client(client, make_titulaire, titulaire, level):
    delegate = make_titulaire(first_name="Delphine")
    delegation = Delegation.objects.create(
        titulaire=titulaire, delegate=delegate, level=level, status=Status.ACCEPTED
    )
    client.force_login(delegate)
    session = client.session
    session[ACTING_FOR] = delegation.pk
    session.save()
    return client


def test_confidential_hidden_from_delegates(client, make_titulaire, funded, training, accord):
    visible = make(funded, training, accord, 10)
    secret = make(funded, training, accord, 10, confidential=True)
    client = delegate_client(client, make_titulaire, funded, Level.MANAGE)
    body = client.get(reverse("dossiers:list")).content.decode()
    assert visible.reference in body and secret.reference not in body
    for name in ("detail", "edit", "submit", "cancel"):
        assert client.get(reverse(f"dossiers:{name}", args=[secret.reference])).status_code == 404
    assert client.get(reverse("dossiers:detail", args=[visible.reference])).status_code == 200


def test_delegate_with_gestion_creates_for_titulaire(client, make_titulaire, funded, training):
    client = delegate_client(client, make_titulaire, funded, Level.MANAGE)
    response = client.post(
        reverse("dossiers:create"),
        {"cpf_code": training.cpf_code, "agreement_date": "2016-05-02", "hours_total": "10"},
    )
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.titulaire == funded
    assert dossier.events.get().actor_role == "délégataire"


def test_delegate_cannot_make_a_dossier_confidential(
    client, make_titulaire, funded, training, accord
):
    """A delegate never sees confidential dossiers: they may not create one, which would vanish
    from their view (a 404 after the success message)."""
    client = delegate_client(client, make_titulaire, funded, Level.MANAGE)
    page = client.get(reverse("dossiers:create")).content.decode()
    assert "Dossier confidentiel" not in page
    response = client.post(
        reverse("dossiers:create"),
        {
            "cpf_code": training.cpf_code,
            "agreement_date": "2016-05-02",
            "hours_total": "10",
            "confidential": "on",  # forged: the field is not on the delegate's form
        },
    )
    dossier = Dossier.objects.get()
    assert not dossier.confidential
    assert client.get(response["Location"]).status_code == 200
    edit = reverse("dossiers:edit", args=[dossier.reference])
    assert "Dossier confidentiel" not in client.get(edit).content.decode()
    client.post(
        edit,
        {
            "cpf_code": training.cpf_code,
            "agreement_date": "2016-05-02",
            "hours_total": "12",
            "confidential": "on",
        },
    )
    dossier.refresh_from_db()
    assert (dossier.hours_total, dossier.confidential) == (12, False)


def test_delegate_consultation_cannot_change(client, make_titulaire, funded, training, accord):
    dossier = make(funded, training, accord)
    client = delegate_client(client, make_titulaire, funded, Level.VIEW)
    assert client.get(reverse("dossiers:detail", args=[dossier.reference])).status_code == 200
    assert client.get(reverse("dossiers:create")).status_code == 403
    assert client.post(reverse("dossiers:submit", args=[dossier.reference])).status_code == 403
    dossier.refresh_from_db()
    assert dossier.status == transitions.INITIAL_STATUS


# --- admin -----------------------------------------------------------------------------------


def admin_action(client, action, dossiers, **extra):
    return client.post(
        reverse("admin:dossiers_dossier_changelist"),
        {"action": action, "_selected_action": [d.pk for d in dossiers], **extra},
        follow=True,
    )


def test_admin_validate_close_cancel(staff_client, funded, training, accord):
    dossier = make(funded, training, accord)
    draft = make(funded, training, accord, 10)
    services.submit(dossier, actor=funded)
    response = admin_action(staff_client, "action_validate", [dossier, draft])
    body = response.content.decode()
    assert f"{dossier.reference} : dossier validé" in body
    assert f"{draft.reference} : " in body  # refused with its own message
    dossier.refresh_from_db()
    draft.refresh_from_db()
    assert dossier.status == transitions.VALIDATED and draft.status == transitions.INITIAL_STATUS
    assert hours_services.cpf_balance(funded.nir) == 80
    admin_action(staff_client, "action_validate", [dossier])
    assert hours_services.cpf_balance(funded.nir) == 80
    admin_action(staff_client, "action_cancel", [dossier])
    dossier.refresh_from_db()
    assert dossier.status == transitions.CANCELLED
    assert hours_services.cpf_balance(funded.nir) == 100
    assert hours_services.dif_balance(funded.nir) == 30
    response = admin_action(staff_client, "action_close", [dossier])
    dossier.refresh_from_db()
    assert dossier.status == transitions.CANCELLED


def test_admin_refuse_with_reason(staff_client, funded, training, accord):
    dossier = make(funded, training, accord)
    services.submit(dossier, actor=funded)
    form = admin_action(staff_client, "action_refuse", [dossier])
    assert "Motif du refus" in form.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == transitions.PENDING
    empty = admin_action(staff_client, "action_refuse", [dossier], apply="1", reason="")
    assert "Motif du refus" in empty.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == transitions.PENDING
    admin_action(staff_client, "action_refuse", [dossier], apply="1", reason="Incomplet")
    dossier.refresh_from_db()
    assert dossier.status == transitions.REFUSED and dossier.refusal_reason == "Incomplet"


def test_admin_list_masks_nir_and_searches_exact_nir(staff_client, funded, training, accord):
    dossier = make(funded, training, accord)
    url = reverse("admin:dossiers_dossier_changelist")
    body = staff_client.get(url).content.decode()
    assert dossier.reference in body and funded.nir not in body
    found = admin_nir_search(staff_client, url, funded.nir).content.decode()
    assert dossier.reference in found
    partial = staff_client.get(url, {"q": funded.nir[:7]}).content.decode()
    assert dossier.reference not in partial
    typed_in_box = staff_client.get(url, {"q": funded.nir}).content.decode()
    assert dossier.reference not in typed_in_box and "champ" in typed_in_box
    found = staff_client.get(url, {"q": dossier.reference}).content.decode()
    assert dossier.reference in found
    detail = staff_client.get(reverse("admin:dossiers_dossier_change", args=[dossier.pk]))
    assert detail.status_code == 200 and funded.nir not in detail.content.decode()


@pytest.mark.parametrize("formation", ["", "inconnu", "<b>", "x" * 300, "300 "])
def test_create_page_never_fails(logged_client, funded, training, formation):
    response = logged_client.get(reverse("dossiers:create"), {"formation": formation})
    assert response.status_code == 200


def test_create_post_garbage_never_fails(logged_client, funded, training):
    for data in ({}, {"hours_total": "-3"}, {"cpf_code": "\x00"}, {"hours_dif": "1e9"}):
        assert logged_client.post(reverse("dossiers:create"), data).status_code == 200
    assert not Dossier.objects.exists()


def test_list_queries_do_not_grow_with_the_number_of_dossiers(
    logged_client, funded, training, accord
):
    """No query per row: the list costs the same with 2 dossiers as with 10."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert logged_client.get(reverse("dossiers:list")).status_code == 200
        return len(queries)

    import time_machine
    from django.utils import timezone

    # The clock stands still: the session's last-seen time is rewritten once a minute, which
    # would be one more query in one of the counts.
    with time_machine.travel(timezone.now(), tick=False):
        count()  # the first request of the session loads it and starts its clock
        for _ in range(2):
            make(funded, training, accord, 5)
        few = count()
        for _ in range(8):
            make(funded, training, accord, 5)
        assert count() == few


def test_demo_operator_of_the_group_sees_and_decides_dossiers_only(client):
    """seed_demo's Sacha Conseiller: the "Opérateurs" group, not a superuser."""
    from io import StringIO

    from django.core.management import call_command

    from accounts.models import Titulaire

    call_command("seed_demo", stdout=StringIO())
    conseiller = Titulaire.objects.get(email="conseiller@demo.test")
    assert conseiller.is_staff and not conseiller.is_superuser
    client.force_login(conseiller)
    assert client.get(reverse("admin:dossiers_dossier_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_titulaire_changelist")).status_code == 403
    assert client.get(reverse("admin:hours_ledgerentry_changelist")).status_code == 403
