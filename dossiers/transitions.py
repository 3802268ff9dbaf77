"""Training dossier state machine: pure, no Django.

    elaboration --soumettre (titulaire)--> attente --valider (staff)--> valide
    attente --refuser (staff, with a reason)--> refuse
    valide --clore (staff)--> clos
    annuler: titulaire from elaboration or attente (before validation);
             staff from elaboration, attente or valide (a validated dossier gets its hours back).

Deleting a dossier is not a transition: only the titulaire may delete one still being prepared
(can_delete). Hours are debited on validation (Transition.debit) and re-credited when a
validated dossier is cancelled (Transition.recredit); the caller does the ledger work.
"""

from __future__ import annotations

from dataclasses import dataclass

# Statuses (stored values).
DRAFT = "elaboration"
PENDING = "attente"
VALIDATED = "valide"
CLOSED = "clos"
REFUSED = "refuse"
CANCELLED = "annule"
INITIAL_STATUS = DRAFT

STATUS_LABELS = {
    DRAFT: "En cours d'élaboration",
    PENDING: "En attente de validation",
    VALIDATED: "Validé",
    CLOSED: "Clos",
    REFUSED: "Refusé",
    CANCELLED: "Annulé",
}
STATUSES = tuple(STATUS_LABELS)
OPEN_STATUSES = frozenset({DRAFT, PENDING, VALIDATED})
CLOSED_STATUSES = frozenset({CLOSED, REFUSED, CANCELLED})

# Actors.
ACTOR_TITULAIRE = "titulaire"
ACTOR_STAFF = "staff"
ACTORS = (ACTOR_TITULAIRE, ACTOR_STAFF)

# Actions (stored in the dossier's history).
SUBMIT = "soumettre"
VALIDATE = "valider"
REFUSE = "refuser"
CLOSE = "clore"
CANCEL = "annuler"
ACTIONS = (SUBMIT, VALIDATE, REFUSE, CLOSE, CANCEL)

ACTION_LABELS = {
    SUBMIT: "Soumettre",
    VALIDATE: "Valider",
    REFUSE: "Refuser",
    CLOSE: "Clore",
    CANCEL: "Annuler",
}
# Past participles for error messages ("ne peut pas être soumis").
_PARTICIPLES = {
    SUBMIT: "soumis",
    VALIDATE: "validé",
    REFUSE: "refusé",
    CLOSE: "clos",
    CANCEL: "annulé",
}


@dataclass(frozen=True)
class Transition:
    new_status: str
    debit: bool = False  # debit the dossier's hours (validation)
    recredit: bool = False  # give the debited hours back (cancelling a validated dossier)


# (status, action, actor) -> Transition. Everything not listed is refused.
_TABLE: dict[tuple[str, str, str], Transition] = {
    (DRAFT, SUBMIT, ACTOR_TITULAIRE): Transition(PENDING),
    (DRAFT, CANCEL, ACTOR_TITULAIRE): Transition(CANCELLED),
    (PENDING, CANCEL, ACTOR_TITULAIRE): Transition(CANCELLED),
    (PENDING, VALIDATE, ACTOR_STAFF): Transition(VALIDATED, debit=True),
    (PENDING, REFUSE, ACTOR_STAFF): Transition(REFUSED),
    (VALIDATED, CLOSE, ACTOR_STAFF): Transition(CLOSED),
    (DRAFT, CANCEL, ACTOR_STAFF): Transition(CANCELLED),
    (PENDING, CANCEL, ACTOR_STAFF): Transition(CANCELLED),
    (VALIDATED, CANCEL, ACTOR_STAFF): Transition(CANCELLED, recredit=True),
}


class TransitionError(ValueError):
    """A refused status change; `message` is French, for the user."""

    def __init__(self, message: str, *, status=None, action=None, actor=None):
        self.message = message
        self.status, self.action, self.actor = status, action, actor
        super().__init__(message)


def transition(status: str, action: str, actor: str) -> Transition:
    """The result of `actor` doing `action` on a dossier in `status`, or TransitionError."""
    context = {"status": status, "action": action, "actor": actor}
    if status not in STATUS_LABELS:
        raise TransitionError("Statut de dossier inconnu.", **context)
    if action not in ACTION_LABELS:
        raise TransitionError("Action inconnue sur un dossier de formation.", **context)
    if actor not in ACTORS:
        raise TransitionError("Vous n'êtes pas autorisé à modifier ce dossier.", **context)
    result = _TABLE.get((status, action, actor))
    if result is not None:
        return result
    label = STATUS_LABELS[status]
    others = [other for other in ACTORS if other != actor and (status, action, other) in _TABLE]
    already = {result.new_status for (_, act, _), result in _TABLE.items() if act == action}
    if status in already:  # e.g. cancelling a cancelled dossier
        message = f"Ce dossier a déjà été {_PARTICIPLES[action]}."
    elif others == [ACTOR_STAFF]:
        message = (
            f"Un dossier « {label} » ne peut être {_PARTICIPLES[action]} que par un gestionnaire."
        )
    elif others == [ACTOR_TITULAIRE]:
        message = f"Seul le titulaire du compte peut {ACTION_LABELS[action].lower()} ce dossier."
    else:
        message = f"Un dossier « {label} » ne peut pas être {_PARTICIPLES[action]}."
    raise TransitionError(message, **context)


def allowed_actions(status: str, actor: str) -> tuple[str, ...]:
    """The actions `actor` may take on a dossier in `status`, in ACTIONS order."""
    return tuple(action for action in ACTIONS if (status, action, actor) in _TABLE)


def can_delete(status: str, actor: str = ACTOR_TITULAIRE) -> bool:
    """Only the titulaire deletes, and only a dossier still being prepared."""
    return actor == ACTOR_TITULAIRE and status == DRAFT


def can_edit(status: str) -> bool:
    """Only a dossier still being prepared may be changed (by the titulaire or a delegate)."""
    return status == INITIAL_STATUS
