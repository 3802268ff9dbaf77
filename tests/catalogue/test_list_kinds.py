"""Training.list_kinds, the kinds of a training's eligibility lists as a bitmask the search and
the admin filter on (no join to the 36 700 links of the branch lists): it matches the lists
after every way they change, whoever writes them."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogue.demo_data import generate_catalogue
from catalogue.importer import HEADER, import_catalogue
from catalogue.models import (
    LIST_KIND_BITS,
    EligibilityList,
    ListKind,
    Training,
    list_kinds_mask,
    masks_with,
)
from tests.fixtures.catalogue import make_training

pytestmark = pytest.mark.django_db


def expected_mask(training: Training) -> int:
    return list_kinds_mask(
        EligibilityList.objects.filter(trainings=training).values_list("kind", flat=True)
    )


def assert_column_matches_lists():
    trainings = list(Training.objects.all())
    assert trainings
    for training in trainings:
        assert training.list_kinds == expected_mask(training), training.cpf_code


def test_the_mask_and_the_masks_that_hold_a_kind():
    assert list_kinds_mask([]) == 0
    assert list_kinds_mask([ListKind.COPANEF, ListKind.COPANEF]) == LIST_KIND_BITS["copanef"]
    assert list_kinds_mask(ListKind.values) == 7
    for kind, bit in LIST_KIND_BITS.items():
        assert masks_with(kind) == [mask for mask in range(8) if mask & bit]
        assert len(masks_with(kind)) == 4


def test_the_demo_generator_and_the_import_write_it():
    generate_catalogue(300)
    assert Training.objects.exclude(list_kinds=0).count() > 200
    assert_column_matches_lists()
    head = ";".join(HEADER)
    line = "300;Anglais;TOEIC;Institut Boussole;Rennes;35 Ille-et-Vilaine;presentiel;40;{}"
    assert import_catalogue(f"{head}\n{line.format('COPANEF|CPNE:Banque')}\n").ok
    assert Training.objects.get(cpf_code="300").list_kinds == 5
    assert import_catalogue(f"{head}\n{line.format('COPAREF:Bretagne')}\n").ok  # replaced
    assert Training.objects.get(cpf_code="300").list_kinds == 2
    assert import_catalogue(f"{head}\n{line.format('VAE')}\n").ok  # no list at all
    assert Training.objects.get(cpf_code="300").list_kinds == 0
    assert_column_matches_lists()


def test_the_admin_change_form_writes_it(staff_client):
    training = make_training("300")
    cpne = EligibilityList.objects.create(kind=ListKind.CPNE, branch="Banque")
    coparef = EligibilityList.objects.create(kind=ListKind.COPAREF, region="Bretagne")
    url = reverse("admin:catalogue_training_change", args=[training.pk])
    form = staff_client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if name in form.fields and value is not None
    }
    data["lists"] = [cpne.pk, coparef.pk]
    data["is_active"] = "on"
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    training.refresh_from_db()
    assert training.list_kinds == 6
    assert_column_matches_lists()


def test_an_old_copy_saved_again_does_not_bring_back_old_kinds():
    training = make_training("300")  # COPANEF
    stale = Training.objects.get(pk=training.pk)
    training.lists.set([EligibilityList.objects.create(kind=ListKind.CPNE, branch="Banque")])
    stale.duration_hours = 50
    stale.save()
    assert Training.objects.get(pk=training.pk).list_kinds == 4
    assert_column_matches_lists()


def test_a_list_whose_kind_changes_or_is_deleted_updates_its_trainings():
    lst = EligibilityList.objects.create(kind=ListKind.CPNE, branch="Banque")
    make_training("300", lists=[lst])
    make_training("301", lists=[lst, EligibilityList.objects.create(kind=ListKind.COPANEF)])
    lst.kind, lst.branch, lst.region = ListKind.COPAREF, "", "Bretagne"
    lst.save()
    assert_column_matches_lists()
    assert Training.objects.get(cpf_code="300").list_kinds == 2
    lst.delete()
    assert_column_matches_lists()
    assert Training.objects.get(cpf_code="300").list_kinds == 0
    EligibilityList.objects.all().delete()  # the admin's bulk delete
    assert not Training.objects.exclude(list_kinds=0).exists()


# Every way the ORM changes the links, from either side, in any order.
OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["add", "remove", "set", "clear", "rev_add", "rev_remove", "rev_clear"]),
        st.integers(0, 2),  # a training
        st.lists(st.integers(0, 3), max_size=3),  # lists
    ),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(OPERATIONS)
def test_any_sequence_of_link_changes_keeps_it_in_step(operations):
    with transaction.atomic():  # each example from an empty catalogue
        apply_and_check(operations)
        transaction.set_rollback(True)


def apply_and_check(operations):
    lists = [
        EligibilityList.objects.create(kind=ListKind.COPANEF),
        EligibilityList.objects.create(kind=ListKind.COPAREF, region="Bretagne"),
        EligibilityList.objects.create(kind=ListKind.CPNE, branch="Banque"),
        EligibilityList.objects.create(kind=ListKind.CPNE, branch="Propreté"),
    ]
    trainings = [make_training(f"30{i}", lists=[]) for i in range(3)]
    for operation, which, chosen in operations:
        training, some = trainings[which], [lists[i] for i in chosen]
        if operation == "set":
            training.lists.set(some)
        elif operation in {"add", "remove"}:
            getattr(training.lists, operation)(*some)
        elif operation == "clear":
            training.lists.clear()
        elif operation == "rev_clear":
            for lst in some:
                lst.trainings.clear()
        else:
            for lst in some:
                getattr(lst.trainings, operation.removeprefix("rev_"))(training)
        assert_column_matches_lists()
        training.save()  # a copy in hand, saved again, keeps it right
        assert_column_matches_lists()


def test_seed_demo_leaves_it_in_step(locmem_email):
    call_command("seed_demo", stdout=StringIO())
    assert_column_matches_lists()
