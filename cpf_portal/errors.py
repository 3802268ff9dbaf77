"""The portal's one errors module: every refusal the apps' services and models raise (pure, no
Django import, so that any floor may import it).

A `DomainError` is a refusal to show the person: `message` is French, `field` names the form
field it belongs to (or None), and `str(error)` is the message. Views catch it and show it;
they never re-check what the services refuse. The pure rule modules keep their own value
errors beside their rules (`nir.NirError`, `phones.PhoneError`, `names.NameError_`,
`transitions.TransitionError`): they must stand alone, and the services turn them into the
errors below.
"""


class DomainError(Exception):
    """A change refused; `message` is a French sentence for the user."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.field = field


class DossierError(DomainError):
    """dossiers.services: a dossier created, changed or moved against the rules."""


class DelegationError(DomainError):
    """delegations.services: an invitation, acceptance, refusal or revocation refused."""


class HoursError(DomainError):
    """hours.services: a change of CPF or DIF hours refused."""


class InsufficientHours(HoursError):
    """Fewer hours left than asked for (CPF or DIF)."""


class DifError(HoursError):
    """A DIF balance entered against the rules."""


class DifLocked(DifError):
    """The DIF balance is locked (used by a dossier): it can no longer be changed."""


class ImportRejected(Exception):
    """hours.crediting: an import with bad rows; `errors` lists them, nothing is stored."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


class ImmutableRowError(Exception):
    """A row of an append-only table (the hours ledger) was about to be changed or deleted."""
