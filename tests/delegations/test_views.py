"""Mes délégations: the page, the invitation form (no enumeration), answers and revocation."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from delegations.models import Delegation, Level, Status

pytestmark = pytest.mark.django_db

LIST = reverse("delegations:list")
SAME_ANSWER = "Si une personne titulaire d&#x27;un compte utilise cette adresse"


@pytest.fixture
def camille_client(client, camille):
    client.force_login(camille)
    return client


def invite(client, email, level=Level.VIEW, end_date=""):
    return client.post(LIST, {"email": email, "level": level, "end_date": end_date}, follow=True)


def test_page_structure(camille_client):
    response = camille_client.get(LIST)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1 and "Mes délégations" in html
    assert "Comptes qui me sont délégués" in html and "Délégations que j'ai accordées" in html
    for field in ("id_email", "id_end_date"):
        assert f'for="{field}"' in html
    assert "<legend" in html and "Droits accordés" in html
    assert 'style="' not in html and "<script>" not in html


def test_login_required(client):
    response = client.get(LIST)
    assert response.status_code == 302 and "espace-titulaire" in response.url


@pytest.mark.parametrize("email", ["karim@exemple.test", "inconnu@exemple.test"])
def test_same_answer_whether_or_not_the_address_has_an_account(camille_client, karim, email):
    response = invite(camille_client, email)
    html = response.content.decode()
    assert response.status_code == 200
    assert SAME_ANSWER in html
    assert email in html  # listed among invitations sent, in both cases
    assert "Karim" not in html and "Benali" not in html


def test_invitation_email_sent_only_to_the_account(camille_client, karim):
    invite(camille_client, "inconnu@exemple.test")
    assert mail.outbox == []
    invite(camille_client, "karim@exemple.test", Level.MANAGE)
    assert [m.to for m in mail.outbox] == [[karim.email]]


def test_form_errors_are_shown_next_to_fields(camille_client):
    response = camille_client.post(
        LIST, {"email": "pas-une-adresse", "level": "admin", "end_date": "31/02/2015"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "error-summary" in html
    assert 'id="id_email_error"' in html and 'id="id_end_date_error"' in html
    assert not Delegation.objects.exists()


def test_past_end_date_refused(camille_client):
    yesterday = (timezone.localdate() - timedelta(days=1)).strftime("%d/%m/%Y")
    response = camille_client.post(
        LIST, {"email": "a@exemple.test", "level": "consultation", "end_date": yesterday}
    )
    assert response.status_code == 400
    assert "déjà passée" in response.content.decode()


def test_own_address_refused(camille_client, camille):
    response = camille_client.post(LIST, {"email": camille.email, "level": "consultation"})
    assert response.status_code == 400
    assert "propre compte" in response.content.decode()


def test_karim_accepts_then_consults(camille_client, client, camille, karim):
    invite(camille_client, karim.email, Level.MANAGE)
    delegation = Delegation.objects.get()
    client.force_login(karim)
    html = client.get(LIST).content.decode()
    assert "Invitations reçues" in html and "Camille Martin" in html
    response = client.post(reverse("delegations:accept", args=[delegation.token]), follow=True)
    html = response.content.decode()
    assert "Vous avez accepté la délégation" in html
    assert "Consulter ce compte" in html
    delegation.refresh_from_db()
    assert delegation.status == Status.ACCEPTED
    response = client.post(reverse("delegations:act_for", args=[delegation.token]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:synthese")
    assert "Vous consultez le compte de" in response.content.decode()


def test_decline(client, karim, make_delegation):
    delegation = make_delegation(status=Status.INVITED)
    client.force_login(karim)
    response = client.post(reverse("delegations:decline", args=[delegation.token]), follow=True)
    assert "Vous avez refusé" in response.content.decode()
    delegation.refresh_from_db()
    assert delegation.status == Status.DECLINED


def test_cannot_answer_someone_elses_invitation(camille_client, make_delegation):
    delegation = make_delegation(status=Status.INVITED)
    for name in ("delegations:accept", "delegations:decline", "delegations:act_for"):
        assert camille_client.post(reverse(name, args=[delegation.token])).status_code == 404
    delegation.refresh_from_db()
    assert delegation.status == Status.INVITED


def test_titulaire_revokes(camille_client, make_delegation):
    delegation = make_delegation()
    html = camille_client.get(LIST).content.decode()
    assert "Karim Benali" in html and "Révoquer" in html
    response = camille_client.post(
        reverse("delegations:revoke", args=[delegation.token]), follow=True
    )
    assert "La délégation a été révoquée" in response.content.decode()
    delegation.refresh_from_db()
    assert delegation.status == Status.REVOKED


def test_revoke_requires_post_and_ownership(client, make_delegation, make_titulaire):
    delegation = make_delegation()
    stranger = make_titulaire(email="s@exemple.test")
    client.force_login(stranger)
    assert client.get(reverse("delegations:revoke", args=[delegation.token])).status_code == 405
    assert client.post(reverse("delegations:revoke", args=[delegation.token])).status_code == 404
    assert client.post(reverse("delegations:revoke", args=["inconnu"])).status_code == 404
    delegation.refresh_from_db()
    assert delegation.status == Status.ACCEPTED


def test_delegate_can_give_up(client, karim, make_delegation):
    delegation = make_delegation()
    client.force_login(karim)
    client.post(reverse("delegations:revoke", args=[delegation.token]))
    delegation.refresh_from_db()
    assert delegation.status == Status.REVOKED


def test_expired_delegation_not_offered(client, karim, make_delegation):
    make_delegation(end_date=timezone.localdate() - timedelta(days=1))
    client.force_login(karim)
    html = client.get(LIST).content.decode()
    assert "Consulter ce compte" not in html
    assert "Aucun compte ne vous est délégué" in html


def test_rate_limit_message_in_french(camille_client):
    from delegations.services import INVITE_LIMIT

    for n in range(INVITE_LIMIT.max_hits):
        invite(camille_client, f"p{n}@exemple.test")
    response = camille_client.post(LIST, {"email": "z@exemple.test", "level": "consultation"})
    assert response.status_code == 400
    assert "trop d&#x27;invitations" in response.content.decode()


def test_ten_invitations_an_hour(camille_client, camille, database_cache):
    """The eleventh invitation of the hour is refused and mails no one; the hour over, the
    titulaire may invite again."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for n in range(10):
            assert SAME_ANSWER in invite(camille_client, f"p{n}@exemple.test").content.decode()
        traveller.shift(timedelta(minutes=59))
        camille_client.logout()  # the old session timed out: log in again
        camille_client.force_login(camille)
        response = camille_client.post(LIST, {"email": "z@exemple.test", "level": "consultation"})
        assert response.status_code == 400
        assert not Delegation.objects.filter(email="z@exemple.test").exists()
        traveller.shift(timedelta(minutes=2))
        camille_client.logout()
        camille_client.force_login(camille)
        assert SAME_ANSWER in invite(camille_client, "z@exemple.test").content.decode()
        assert Delegation.objects.filter(email="z@exemple.test").exists()


def test_masked_nir_in_admin_list(staff_client, make_delegation, camille, karim):
    make_delegation()
    html = staff_client.get(reverse("admin:delegations_delegation_changelist")).content.decode()
    assert camille.masked_nir in html and karim.masked_nir in html
    assert camille.nir not in html and karim.nir not in html


def test_admin_revoke_action(staff_client, make_delegation):
    delegation = make_delegation()
    staff_client.post(
        reverse("admin:delegations_delegation_changelist"),
        {"action": "revoke_selected", "_selected_action": [delegation.pk]},
    )
    delegation.refresh_from_db()
    assert delegation.status == Status.REVOKED


def test_demo_data_is_idempotent(camille, karim):
    import io

    from delegations import demo_data

    accounts = {"camille": camille, "karim": karim}
    demo_data.seed(io.StringIO(), accounts)
    demo_data.seed(io.StringIO(), accounts)
    delegation = Delegation.objects.get()
    assert delegation.titulaire == camille and delegation.delegate == karim
    assert delegation.level == Level.VIEW and delegation.is_in_force()


def _invite_form(today):
    """Tagged form data: ("valid", data) the form must accept, ("any", data) anything at all."""
    valid = st.builds(
        lambda local, level, end_date: {"email": local, "level": level, "end_date": end_date},
        st.from_regex(r"[a-z][a-z0-9.]{0,30}@exemple\.test", fullmatch=True).filter(
            lambda email: ".." not in email and ".@" not in email and email != CAMILLE
        ),
        st.sampled_from(["consultation", "gestion"]),
        st.one_of(
            st.just(""),
            st.integers(0, 3650)
            .map(lambda days: today + timedelta(days=days))
            .flatmap(lambda day: st.sampled_from([day.strftime("%d/%m/%Y"), day.isoformat()])),
        ),
    ).map(lambda data: ("valid", data))
    anything = st.fixed_dictionaries(
        {
            "email": st.text(max_size=300),
            "level": st.sampled_from(["consultation", "gestion", "", "admin"]),
            "end_date": st.text(max_size=20),
        }
    ).map(lambda data: ("any", data))
    return st.one_of(valid, anything)


CAMILLE = "camille@exemple.test"


def test_any_input_gives_a_page_never_a_500(camille_client, camille):
    """Valid invitations are sent (302), anything else gives the form back (400): both paths
    are reached, and never a 500."""
    paths = {302: 0, 400: 0}

    @given(form=_invite_form(timezone.localdate()))  # the form's clock: the real one
    # One example of each path always runs: the random draw alone reached only one of them on
    # some runs (40 valid invitations, no form error).
    @example(("any", {"email": "pas-un-courriel", "level": "admin", "end_date": "31/02"}))
    @example(("valid", {"email": "karim.b@exemple.test", "level": "gestion", "end_date": ""}))
    @settings(max_examples=40)
    def post(form):
        kind, data = form
        # Each example starts afresh: no earlier invitation pending, no rate limit reached.
        Delegation.objects.all().delete()
        cache.clear()
        # With Redis the session lives in the cache too: log in again after clearing it.
        camille_client.force_login(camille)
        response = camille_client.post(LIST, data)
        assert response.status_code in (302, 400)
        if kind == "valid":
            assert response.status_code == 302, data
        paths[response.status_code] += 1
        event(f"{kind} -> {response.status_code}")

    post()
    assert paths[302] > 0 and paths[400] > 0, paths
