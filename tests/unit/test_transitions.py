"""Dossier state machine (dossiers.transitions): every status x action x actor."""

import itertools

import pytest

from dossiers import transitions as t
from dossiers.transitions import Transition, TransitionError

T, S = t.ACTOR_TITULAIRE, t.ACTOR_STAFF

# The complete list of allowed moves; everything else must be refused.
ALLOWED = {
    ("elaboration", "soumettre", T): Transition("attente"),
    ("elaboration", "annuler", T): Transition("annule"),
    ("attente", "annuler", T): Transition("annule"),
    ("attente", "valider", S): Transition("valide", debit=True),
    ("attente", "refuser", S): Transition("refuse"),
    ("valide", "clore", S): Transition("clos"),
    ("elaboration", "annuler", S): Transition("annule"),
    ("attente", "annuler", S): Transition("annule"),
    ("valide", "annuler", S): Transition("annule", recredit=True),
}

ALL = list(itertools.product(t.STATUSES, t.ACTIONS, t.ACTORS))


def test_constants():
    assert (t.DRAFT, t.PENDING, t.VALIDATED, t.CLOSED, t.REFUSED, t.CANCELLED) == (
        "elaboration",
        "attente",
        "valide",
        "clos",
        "refuse",
        "annule",
    )
    assert t.STATUS_LABELS == {
        "elaboration": "En cours d'élaboration",
        "attente": "En attente de validation",
        "valide": "Validé",
        "clos": "Clos",
        "refuse": "Refusé",
        "annule": "Annulé",
    }
    assert set(t.OPEN_STATUSES) == {"elaboration", "attente", "valide"}
    assert set(t.CLOSED_STATUSES) == {"clos", "refuse", "annule"}
    assert set(t.STATUSES) == t.OPEN_STATUSES | t.CLOSED_STATUSES
    assert not t.OPEN_STATUSES & t.CLOSED_STATUSES
    assert t.INITIAL_STATUS == t.DRAFT
    assert len(ALL) == 6 * 5 * 2


@pytest.mark.parametrize(("status", "action", "actor"), list(ALLOWED))
def test_allowed(status, action, actor):
    assert t.transition(status, action, actor) == ALLOWED[(status, action, actor)]


@pytest.mark.parametrize(
    ("status", "action", "actor"), [combo for combo in ALL if combo not in ALLOWED]
)
def test_refused(status, action, actor):
    with pytest.raises(TransitionError) as caught:
        t.transition(status, action, actor)
    error = caught.value
    assert error.message == str(error) and error.message
    assert (error.status, error.action, error.actor) == (status, action, actor)


def test_only_validation_debits_and_only_cancelling_a_validated_dossier_recredits():
    results = {combo: t.transition(*combo) for combo in ALLOWED}
    assert [c for c, r in results.items() if r.debit] == [("attente", "valider", S)]
    assert [c for c, r in results.items() if r.recredit] == [("valide", "annuler", S)]


def test_closed_statuses_are_final():
    for status in t.CLOSED_STATUSES:
        for actor in t.ACTORS:
            assert t.allowed_actions(status, actor) == ()


@pytest.mark.parametrize(("status", "actor"), list(itertools.product(t.STATUSES, t.ACTORS)))
def test_allowed_actions_match_the_table(status, actor):
    expected = tuple(a for a in t.ACTIONS if (status, a, actor) in ALLOWED)
    assert t.allowed_actions(status, actor) == expected


def test_allowed_actions_examples():
    assert t.allowed_actions("elaboration", T) == ("soumettre", "annuler")
    assert t.allowed_actions("attente", S) == ("valider", "refuser", "annuler")
    assert t.allowed_actions("valide", T) == ()


@pytest.mark.parametrize(("status", "actor"), list(itertools.product(t.STATUSES, t.ACTORS)))
def test_can_delete(status, actor):
    assert t.can_delete(status, actor) is (status == "elaboration" and actor == T)


def test_can_delete_defaults_to_the_titulaire():
    assert t.can_delete("elaboration") is True
    assert t.can_delete("attente") is False


# The refusal's reason (REASON_REQUIRED, removed: nothing read it) is required by
# dossiers.services.refuse: tests/dossiers/test_services.py::test_refuse_requires_reason.


@pytest.mark.parametrize(
    ("status", "action", "actor", "message"),
    [
        (
            "valide",
            "annuler",
            T,
            "Un dossier « Validé » ne peut être annulé que par un gestionnaire.",
        ),
        ("attente", "valider", T, "ne peut être validé que par un gestionnaire"),
        ("elaboration", "soumettre", S, "Seul le titulaire du compte peut soumettre ce dossier."),
        (
            "elaboration",
            "valider",
            S,
            "Un dossier « En cours d'élaboration » ne peut pas être validé.",
        ),
        ("annule", "annuler", S, "Ce dossier a déjà été annulé."),
        ("clos", "clore", S, "Ce dossier a déjà été clos."),
        ("refuse", "valider", S, "Un dossier « Refusé » ne peut pas être validé."),
    ],
)
def test_messages(status, action, actor, message):
    with pytest.raises(TransitionError) as caught:
        t.transition(status, action, actor)
    assert message in caught.value.message


@pytest.mark.parametrize(
    ("status", "action", "actor", "message"),
    [
        ("inconnu", "soumettre", T, "Statut de dossier inconnu."),
        ("elaboration", "supprimer", T, "Action inconnue sur un dossier de formation."),
        ("elaboration", "soumettre", "pirate", "Vous n'êtes pas autorisé à modifier ce dossier."),
        ("", "", "", "Statut de dossier inconnu."),
        ("valide", "", S, "Action inconnue sur un dossier de formation."),
        ("clos", "clore", "", "Vous n'êtes pas autorisé à modifier ce dossier."),
    ],
)
def test_unknown_values_are_refused(status, action, actor, message):
    with pytest.raises(TransitionError) as caught:
        t.transition(status, action, actor)
    # The whole French message, and the error names what was asked (the services log it).
    assert caught.value.message == message == str(caught.value)
    assert (caught.value.status, caught.value.action, caught.value.actor) == (
        status,
        action,
        actor,
    )


@pytest.mark.parametrize(
    ("status", "action", "actor"),
    [("valide", "annuler", T), ("annule", "annuler", S), ("refuse", "valider", S)],
)
def test_refusals_name_what_was_asked(status, action, actor):
    with pytest.raises(TransitionError) as caught:
        t.transition(status, action, actor)
    assert (caught.value.status, caught.value.action, caught.value.actor) == (
        status,
        action,
        actor,
    )


def test_a_transition_error_without_context():
    error = TransitionError("Refusé.")
    assert (error.message, error.status, error.action, error.actor) == ("Refusé.", None, None, None)


@pytest.mark.parametrize(
    ("status", "is_open"),
    [
        ("elaboration", True),
        ("attente", True),
        ("valide", True),
        ("clos", False),
        ("refuse", False),
        ("annule", False),
    ],
)
def test_open_statuses(status, is_open):
    """What Dossier.objects.open() and closed() filter on (is_open(), removed: unused)."""
    assert (status in t.OPEN_STATUSES) is is_open
    assert (status in t.CLOSED_STATUSES) is not is_open


@pytest.mark.parametrize(
    ("status", "editable"),
    [
        ("elaboration", True),
        ("attente", False),
        ("valide", False),
        ("clos", False),
        ("refuse", False),
        ("annule", False),
    ],
)
def test_can_edit_only_a_dossier_being_prepared(status, editable):
    assert t.can_edit(status) is editable
