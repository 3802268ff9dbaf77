"""Issue 12, L5: delegation addresses carried the row's id, and ids jumped by the number of
accounts invited in between (whether two accounts shared an address showed). They now carry a
random token (128 bits) that says nothing; anything else is a 404."""

import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from delegations.models import Delegation, Status

pytestmark = pytest.mark.django_db

ACTION = re.compile(r'action="(/mon-compte/delegations/[^"]+)"')


def test_delegation_addresses_carry_a_token_never_the_id(
    client, camille, karim, make_titulaire, make_delegation
):
    other = make_titulaire(first_name="Lou", email="lou@exemple.test")
    given = [
        make_delegation(status=Status.INVITED, delegate=other),
        make_delegation(),  # accepted by Karim
    ]
    received = make_delegation(titulaire=other, delegate=camille, status=Status.INVITED)
    client.force_login(camille)
    html = client.get(reverse("delegations:list")).content.decode()
    actions = [a for a in ACTION.findall(html) if a != reverse("delegations:list")]
    assert len(actions) >= 4  # revoke ×2, accept, decline
    for delegation in (*given, received):
        assert any(delegation.token in action for action in actions)
    for action in actions:
        segment = action.removeprefix("/mon-compte/delegations/").split("/")[0]
        assert not segment.isdigit()
        assert segment in {d.token for d in (*given, received)}
        assert len(segment) >= 22  # 128 bits, URL-safe


def test_an_id_or_a_neighbouring_token_is_a_404(client, camille, make_delegation):
    delegation = make_delegation(status=Status.INVITED)
    client.force_login(camille)
    near = delegation.token[:-1] + ("A" if delegation.token[-1] != "A" else "B")
    for value in (str(delegation.pk), str(delegation.pk + 1), near, "x" * 22):
        assert client.post(reverse("delegations:revoke", args=[value])).status_code == 404
    delegation.refresh_from_db()
    assert delegation.status == Status.INVITED


def test_tokens_follow_no_order(camille, make_titulaire, make_delegation):
    """Created one after another, the tokens are all different and their order is not the
    order of creation: nothing to count between two of them."""
    rows = [
        make_delegation(status=Status.INVITED, delegate=make_titulaire(email=f"p{i}@ex.test"))
        for i in range(40)
    ]
    tokens = [row.token for row in rows]
    assert len(set(tokens)) == len(tokens)
    assert tokens != sorted(tokens)
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{22}", token) for token in tokens)


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_delegations_a_token(make_titulaire):
    executor = MigrationExecutor(connection)
    executor.migrate([("delegations", "0003_renewal_and_end_statuses")])
    old_apps = executor.loader.project_state(
        [("delegations", "0003_renewal_and_end_statuses")]
    ).apps
    OldDelegation = old_apps.get_model("delegations", "Delegation")
    a = make_titulaire(email="a@ex.test")
    b = make_titulaire(email="b@ex.test")
    c = make_titulaire(email="c@ex.test")
    for delegate in (b, c):
        OldDelegation.objects.create(
            titulaire_id=a.pk, delegataire_id=delegate.pk, niveau="consultation"
        )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    tokens = list(Delegation.objects.values_list("token", flat=True))
    assert len(tokens) == 2 and all(tokens) and len(set(tokens)) == 2
