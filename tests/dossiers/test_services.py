"""dossiers.services: creation rules, every transition, hours debited and re-credited once."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from audit.models import AuditEntry, Event
from dossiers import services, transitions
from dossiers.models import ActorRole, Dossier, DossierEvent
from hours import services as hours_services

pytestmark = pytest.mark.django_db


def create(titulaire, training, accord, hours, dif=None, **kwargs):
    return services.create_dossier(
        titulaire, training, accord, hours, hours_dif=dif, actor=titulaire, **kwargs
    )


def test_create_uses_dif_first_and_readable_reference(titulaire, training, accord, give_hours):
    give_hours(titulaire.nir, cpf=100, dif=30)
    dossier = create(titulaire, training, accord, 50)
    assert (dossier.hours_dif, dossier.hours_cpf, dossier.hours_total) == (30, 20, 50)
    assert dossier.status == transitions.INITIAL_STATUS
    assert dossier.reference == f"DOS-{dossier.agreement_date:%Y}-{dossier.pk:06d}"
    assert dossier.nir == titulaire.nir
    assert list(dossier.events.values_list("action", flat=True)) == ["create"]
    # Fewer hours than the DIF balance: all DIF.
    small = create(titulaire, training, accord, 10)
    assert (small.hours_dif, small.hours_cpf) == (10, 0)
    assert small.reference != dossier.reference


def test_create_without_dif_entered(titulaire, training, accord, give_hours):
    give_hours(titulaire.nir, cpf=40)
    dossier = create(titulaire, training, accord, 40)
    assert (dossier.hours_dif, dossier.hours_cpf) == (0, 40)


@pytest.mark.parametrize(
    "cpf, dif, total, hours_dif, field, message",
    [
        (150, 120, 151, None, "hours_total", "au plus 150 heures"),
        (150, 120, 0, None, "hours_total", "supérieur à 0"),
        (100, 10, 50, 20, "hours_dif", "que de 10 heures DIF"),
        (20, 10, 50, None, "hours_total", "que de 20 heures CPF"),
        (20, 0, 30, 0, "hours_total", "que de 20 heures CPF"),
        (100, 50, 40, 41, "hours_dif", "comprises entre 0"),
    ],
)
def test_create_refused(
    titulaire, training, accord, give_hours, cpf, dif, total, hours_dif, field, message
):
    give_hours(titulaire.nir, cpf=cpf, dif=dif)
    with pytest.raises(services.DossierError) as error:
        create(titulaire, training, accord, total, hours_dif)
    assert error.value.field == field
    assert message in error.value.message
    assert not Dossier.objects.exists()


def test_cap_150_is_a_database_constraint(titulaire, training, accord, give_hours):
    give_hours(titulaire.nir, cpf=150, dif=120)
    dossier = create(titulaire, training, accord, 150, 120)
    assert (dossier.hours_dif, dossier.hours_cpf) == (120, 30)
    with pytest.raises(IntegrityError), transaction.atomic():
        Dossier.objects.filter(pk=dossier.pk).update(hours_total=151, hours_cpf=31)
    with pytest.raises(IntegrityError), transaction.atomic():
        Dossier.objects.filter(pk=dossier.pk).update(hours_cpf=40)  # dif + cpf != total
    with pytest.raises(IntegrityError), transaction.atomic():
        Dossier.objects.filter(pk=dossier.pk).update(status="inconnu")
    with pytest.raises(IntegrityError), transaction.atomic():
        Dossier.objects.filter(pk=dossier.pk).update(agreement_date=datetime.date(2014, 12, 31))


def test_only_the_titulaire_makes_a_dossier_confidential(titulaire, training, accord, give_hours):
    give_hours(titulaire.nir, cpf=100, dif=30)
    with pytest.raises(services.DossierError) as error:
        create(titulaire, training, accord, 10, confidential=True, role=ActorRole.DELEGATE)
    assert error.value.field == "confidential"
    assert not Dossier.objects.exists()
    dossier = create(titulaire, training, accord, 10, role=ActorRole.DELEGATE)
    with pytest.raises(services.DossierError):
        services.update_dossier(
            dossier, actor=titulaire, role=ActorRole.DELEGATE, confidential=True
        )
    services.update_dossier(dossier, actor=titulaire, confidential=True)
    assert Dossier.objects.get(pk=dossier.pk).confidential


def lifecycle(titulaire, training, accord, give_hours, cpf=100, dif=30, hours=50):
    give_hours(titulaire.nir, cpf=cpf, dif=dif)
    return create(titulaire, training, accord, hours)


def test_validate_debits_exactly_once(titulaire, superuser, training, accord, give_hours):
    dossier = lifecycle(titulaire, training, accord, give_hours)
    services.submit(dossier, actor=titulaire)
    services.validate(dossier, actor=superuser)
    assert hours_services.cpf_balance(titulaire.nir) == 80
    assert hours_services.dif_balance(titulaire.nir) == 0
    with pytest.raises(services.DossierError):
        services.validate(dossier, actor=superuser)
    assert hours_services.cpf_balance(titulaire.nir) == 80
    dossier.refresh_from_db()
    assert dossier.status == transitions.VALIDATED and dossier.hours_debited
    entry = AuditEntry.objects.get(event=Event.DOSSIER_DECISION)
    assert entry.object_repr == dossier.reference and titulaire.nir not in entry.detail


def test_cancel_validated_recredits_once(titulaire, superuser, training, accord, give_hours):
    dossier = lifecycle(titulaire, training, accord, give_hours)
    services.submit(dossier, actor=titulaire)
    services.validate(dossier, actor=superuser)
    services.cancel(dossier, actor=superuser, role=ActorRole.STAFF)
    assert hours_services.cpf_balance(titulaire.nir) == 100
    assert hours_services.dif_balance(titulaire.nir) == 30
    with pytest.raises(services.DossierError):
        services.cancel(dossier, actor=superuser, role=ActorRole.STAFF)
    assert hours_services.cpf_balance(titulaire.nir) == 100
    dossier.refresh_from_db()
    assert dossier.status == transitions.CANCELLED and not dossier.hours_debited


def test_validate_refused_when_balance_fell(titulaire, superuser, training, accord, give_hours):
    give_hours(titulaire.nir, cpf=60)
    first = create(titulaire, training, accord, 50)
    second = create(titulaire, training, accord, 50)
    for dossier in (first, second):
        services.submit(dossier, actor=titulaire)
    services.validate(first, actor=superuser)
    with pytest.raises(services.DossierError, match="solde d'heures du titulaire est insuffisant"):
        services.validate(second, actor=superuser)
    second.refresh_from_db()
    assert second.status == transitions.PENDING
    assert hours_services.cpf_balance(titulaire.nir) == 10


def test_full_history(titulaire, superuser, training, accord, give_hours):
    dossier = lifecycle(titulaire, training, accord, give_hours)
    services.submit(dossier, actor=titulaire)
    services.validate(dossier, actor=superuser)
    services.close(dossier, actor=superuser)
    events = list(DossierEvent.objects.filter(dossier=dossier))
    assert [e.action for e in events] == [
        "create",
        transitions.SUBMIT,
        transitions.VALIDATE,
        transitions.CLOSE,
    ]
    assert [e.actor_role for e in events] == ["titulaire", "titulaire", "staff", "staff"]
    assert events[-1].to_status == transitions.CLOSED
    # A closed dossier keeps its hours debited.
    assert hours_services.cpf_balance(titulaire.nir) == 80


def test_refuse_requires_reason(titulaire, superuser, training, accord, give_hours):
    dossier = lifecycle(titulaire, training, accord, give_hours)
    services.submit(dossier, actor=titulaire)
    with pytest.raises(services.DossierError, match="motif"):
        services.refuse(dossier, actor=superuser, reason="  ")
    services.refuse(dossier, actor=superuser, reason="Formation hors temps de travail")
    dossier.refresh_from_db()
    assert dossier.status == transitions.REFUSED
    assert dossier.refusal_reason == "Formation hors temps de travail"
    assert hours_services.cpf_balance(titulaire.nir) == 100


def test_titulaire_cancels_before_validation(titulaire, training, accord, give_hours):
    dossier = lifecycle(titulaire, training, accord, give_hours)
    services.submit(dossier, actor=titulaire)
    services.cancel(dossier, actor=titulaire)
    dossier.refresh_from_db()
    assert dossier.status == transitions.CANCELLED


STEPS = {
    "elaboration": [],
    "attente": ["submit"],
    "valide": ["submit", "validate"],
    "clos": ["submit", "validate", "close"],
    "refuse": ["submit", "refuse"],
    "annule": ["cancel"],
}


def run(step, dossier, titulaire, staff):
    if step == "submit":
        return services.submit(dossier, actor=titulaire)
    if step == "validate":
        return services.validate(dossier, actor=staff)
    if step == "close":
        return services.close(dossier, actor=staff)
    if step == "refuse":
        return services.refuse(dossier, actor=staff, reason="Motif")
    if step == "cancel":
        return services.cancel(dossier, actor=titulaire)
    if step == "cancel_staff":
        return services.cancel(dossier, actor=staff, role=ActorRole.STAFF)
    if step == "delete":
        return services.delete_dossier(dossier, actor=titulaire)
    if step == "update":
        return services.update_dossier(dossier, actor=titulaire, hours_total=20, hours_dif=None)
    raise AssertionError(step)


# What each step does from each status, written out by hand from the rules (the dossier's
# life: elaboration -> attente -> valide -> clos; refused by staff while pending; cancelled by
# the titulaire before validation, by staff until it is closed; deleted or edited only while
# being prepared). The new status, "deleted", or absent: refused.
OUTCOMES = {
    ("elaboration", "submit"): "attente",
    ("elaboration", "cancel"): "annule",
    ("elaboration", "cancel_staff"): "annule",
    ("elaboration", "delete"): "deleted",
    ("elaboration", "update"): "elaboration",
    ("attente", "validate"): "valide",
    ("attente", "refuse"): "refuse",
    ("attente", "cancel"): "annule",
    ("attente", "cancel_staff"): "annule",
    ("valide", "close"): "clos",
    ("valide", "cancel_staff"): "annule",
}


def expected(state, step):
    """The status after `step`, "deleted", or None when the step is refused."""
    return OUTCOMES.get((state, step))


@pytest.mark.parametrize("state_name", list(STEPS))
@pytest.mark.parametrize(
    "step", ["submit", "validate", "close", "refuse", "cancel", "cancel_staff", "delete", "update"]
)
def test_every_transition_from_every_status(
    titulaire, superuser, training, accord, give_hours, state_name, step
):
    dossier = lifecycle(titulaire, training, accord, give_hours)
    for previous in STEPS[state_name]:
        run(previous, dossier, titulaire, superuser)
    dossier.refresh_from_db()
    state = dossier.status
    events_before = dossier.events.count()
    assert state == state_name
    outcome = expected(state, step)
    if outcome:
        run(step, dossier, titulaire, superuser)
        if step != "delete":
            assert dossier.events.count() == events_before + 1
            dossier.refresh_from_db()
            assert dossier.status == outcome
        else:
            assert outcome == "deleted"
            assert not Dossier.objects.filter(pk=dossier.pk).exists()
    else:
        with pytest.raises(services.DossierError) as error:
            run(step, dossier, titulaire, superuser)
        assert error.value.message  # a French message, never a crash
        dossier.refresh_from_db()
        assert dossier.status == state
        assert dossier.events.count() == events_before
    # Whatever happened, the ledger matches the dossier.
    if Dossier.objects.filter(pk=dossier.pk, hours_debited=True).exists():
        assert hours_services.cpf_balance(titulaire.nir) == 80
    else:
        assert hours_services.cpf_balance(titulaire.nir) == 100


def test_querysets(titulaire, make_titulaire, superuser, training, accord, give_hours):
    other = make_titulaire(first_name="Karim")
    give_hours(other.nir, cpf=100)
    dossier = lifecycle(titulaire, training, accord, give_hours)
    secret = create(titulaire, training, accord, 10, confidential=True)
    services.cancel(secret, actor=titulaire)
    create(other, training, accord, 10)
    mine = Dossier.objects.for_titulaire(titulaire)
    assert list(mine.open()) == [dossier]
    assert list(mine.closed()) == [secret]
    assert list(mine.visible_to_delegate()) == [dossier]


def test_validation_using_dif_locks_the_dif_balance(
    titulaire, superuser, training, accord, give_hours
):
    dossier = lifecycle(titulaire, training, accord, give_hours)
    services.submit(dossier, actor=titulaire)
    hours_services.declare_dif(titulaire.nir, 40)  # still changeable before validation
    services.validate(dossier, actor=superuser)
    with pytest.raises(hours_services.DifLocked):
        hours_services.declare_dif(titulaire.nir, 100)


def test_a_titulaire_above_a_million_creates_a_dossier(
    make_titulaire, training, accord, give_hours
):
    """The first design's placeholder, TMP-<time>-<titulaire id>, passed the column's 20
    characters from titulaire id 1,000: a DataError on PostgreSQL, a 500 for every titulaire
    after the thousandth. On PostgreSQL the ids of the tests start above a million."""
    titulaire = make_titulaire(pk=1_234_567)
    give_hours(titulaire.nir, cpf=100)
    dossier = create(titulaire, training, accord, 20)
    dossier.refresh_from_db()
    assert dossier.reference == f"DOS-2016-{dossier.pk:06d}"
    assert Dossier.objects.get(reference=dossier.reference).titulaire == titulaire


def test_ids_of_the_postgresql_tests_are_above_a_million(titulaire, training, accord, give_hours):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite checks no length: its ids stay small")
    give_hours(titulaire.nir, cpf=100)
    dossier = create(titulaire, training, accord, 20)
    # Each table counts in its own million: an id of one table is no id of another.
    assert titulaire.pk > 1_000_000 and dossier.pk > 1_000_000 and training.pk > 1_000_000
    assert len({titulaire.pk // 1_000_000, dossier.pk // 1_000_000, training.pk // 1_000_000}) == 3


@pytest.mark.parametrize("pk", [1, 999_999, 1_000_001, 2**31, 10**11, 2**63 - 1])
def test_the_reference_fits_its_column_for_every_id(pk):
    from dossiers.models import dossier_reference

    reference = dossier_reference(datetime.date(2018, 12, 31), pk)
    assert len(reference) <= Dossier._meta.get_field("reference").max_length
    assert reference.endswith(f"-{pk:06d}")


def test_a_dossier_past_the_32_bit_ids_is_validated_and_cancelled(
    titulaire, training, accord, give_hours, superuser
):
    """Dossier ids are 64-bit; the ledger's copy of the id was a 32-bit column that refused
    ids above 2,147,483,647 on PostgreSQL when the hours were debited."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite integers are all 64-bit")
    give_hours(titulaire.nir, cpf=100, dif=10)
    table = Dossier._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        (sequence,) = cursor.fetchone()
        cursor.execute(f"SELECT last_value FROM {sequence}")
        (previous,) = cursor.fetchone()
        # setval is not undone by the test's rollback: put the sequence back afterwards.
        cursor.execute("SELECT setval(%s, %s)", [sequence, 2**31 + 5])
    try:
        dossier = create(titulaire, training, accord, 30)
        assert dossier.pk > 2**31
        services.submit(dossier, actor=titulaire)
        services.validate(dossier, actor=superuser)
        services.cancel(dossier, actor=superuser, role=ActorRole.STAFF)
        assert hours_services.cpf_balance(titulaire.nir) == 100
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT setval(%s, %s)", [sequence, previous])
