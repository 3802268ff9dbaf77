"""The password box's checklist: every rule that can refuse a new password, in French.

It is built from AUTH_PASSWORD_VALIDATORS, so that a validator added there shows up in the box
(a validator this module does not know is listed with its own help text, checked on submit).
Each item says how the page checks it as the person types (`live`, read by
static/js/password-checklist.js) and, once a password was submitted, whether that password met
it (`state`), computed by the same validators the form ran: a refused password keeps its
checklist, and the password itself is never written back into the page.

The similarity rule compares the password with the account's attributes, like Django's
UserAttributeSimilarityValidator. The name and email are given to the page (the person typed
them, or owns the account) so that it can check them live; the NIR never is (docs/SECURITY.md):
its similarity is checked on submit only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts import password_rules
from accounts.validators import PortalPasswordValidator

OK, KO = "ok", "ko"

# Attributes whose value may be given to the page for the live similarity check.
PAGE_SAFE_ATTRIBUTES = {"first_name", "birth_name", "email"}
ATTRIBUTE_WORDS = {
    "first_name": "votre prénom",
    "birth_name": "votre nom de naissance",
    "email": "votre adresse de courriel",
    "nir": "votre numéro de sécurité sociale",
}


@dataclass(frozen=True)
class Item:
    code: str
    label: str
    state: str | None  # OK, KO, or None: no password submitted yet
    live: str = ""  # "count", "categories", "max", "min", "similarity"; "": on submit only
    pattern: str = ""
    min: int = 0
    compare: tuple[str, ...] = ()  # similarity: the values the page compares with
    max_similarity: float = 0.0

    @property
    def compare_json(self) -> str:
        return json.dumps(list(self.compare), ensure_ascii=False)

    @property
    def on_submit_only(self) -> bool:
        return not self.live


def _state(validator, password, user) -> str | None:
    if password is None:
        return None
    try:
        validator.validate(password, user)
    except ValidationError:
        return KO
    return OK


def _portal_items(password):
    results = {r.code: r.passed for r in password_rules.check_password_rules(password or "")}
    return [
        Item(
            code=rule["code"],
            label=_(rule["label"]),
            state=None if password is None else (OK if results[rule["code"]] else KO),
            live=rule["live"],
            pattern=rule["pattern"],
            min=rule["min"],
        )
        for rule in password_rules.rule_items()
    ]


def _joined(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + _(" ni ") + words[-1]


def _attribute_words(user, attributes) -> list[str]:
    words = []
    for name in attributes:
        if name in ATTRIBUTE_WORDS:
            words.append(_(ATTRIBUTE_WORDS[name]))
        else:
            try:
                words.append(str(user._meta.get_field(name).verbose_name))
            except Exception:  # an attribute that is not a field: its name
                words.append(name)
    return words


def _similarity_items(validator, user, password):
    safe = [name for name in validator.user_attributes if name in PAGE_SAFE_ATTRIBUTES]
    hidden = [name for name in validator.user_attributes if name not in PAGE_SAFE_ATTRIBUTES]
    items = []
    for code, attributes, live in (("similar", safe, True), ("similar_hidden", hidden, False)):
        if not attributes:
            continue
        part = password_validation.UserAttributeSimilarityValidator(
            attributes, validator.max_similarity
        )
        values = tuple(
            value
            for value in (getattr(user, name, None) for name in attributes)
            if value and isinstance(value, str)
        )
        items.append(
            Item(
                code=code,
                label=_("Ne ressemble pas à %(what)s")
                % {"what": _joined(_attribute_words(user, attributes))},
                state=_state(part, password, user),
                live="similarity" if live else "",
                compare=values if live else (),
                max_similarity=validator.max_similarity,
            )
        )
    return items


def _items_for(validator, user, password, validators):
    if isinstance(validator, PortalPasswordValidator):
        return _portal_items(password)
    if isinstance(validator, password_validation.UserAttributeSimilarityValidator):
        return _similarity_items(validator, user, password)
    if isinstance(validator, password_validation.CommonPasswordValidator):
        label = _("N'est pas l'un des mots de passe les plus courants")
        return [Item("common", label, _state(validator, password, user))]
    if isinstance(validator, password_validation.NumericPasswordValidator):
        if any(isinstance(v, PortalPasswordValidator) for v in validators):
            return []  # covered: a password with 5 letters is never entirely numeric
        label = _("N'est pas composé uniquement de chiffres")
        return [Item("numeric", label, _state(validator, password, user))]
    if isinstance(validator, password_validation.MinimumLengthValidator):
        label = _("Au moins %(min)d caractères") % {"min": validator.min_length}
        state = _state(validator, password, user)
        return [Item("min_length", label, state, live="min", min=validator.min_length)]
    code = type(validator).__name__
    return [Item(code, str(validator.get_help_text()), _state(validator, password, user))]


def checklist(user, password: str | None = None) -> list[Item]:
    """Every rule of AUTH_PASSWORD_VALIDATORS for `user` (possibly unsaved), with its state for
    `password` (None: nothing submitted yet, no state)."""
    validators = password_validation.get_default_password_validators()
    items = []
    for validator in validators:
        items.extend(_items_for(validator, user, password, validators))
    return items
