"""The big change lists at scale: no exact COUNT(*) over a table, a number of queries that does
not grow with the rows, fixed year choices (no SELECT DISTINCT), the balance sorted from the
stored column (cpf_portal.admin_scale, hours.admin)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cpf_portal.admin_scale import EstimatedCountPaginator
from hours import services
from hours.models import LedgerKind
from tests.fixtures.catalogue import make_training

BIG_LISTS = [
    "admin:accounts_titulaire_changelist",
    "admin:hours_ledgerentry_changelist",
    "admin:hours_hoursaccount_changelist",
    "admin:hours_employerdeclaration_changelist",
    "admin:hours_difmovement_changelist",
    "admin:catalogue_training_changelist",
    "admin:dossiers_dossier_changelist",
    "admin:audit_auditentry_changelist",
]


def add_rows(n, nir_factory, row, make_titulaire, start):
    for i in range(n):
        nir = nir_factory()
        make_titulaire(nir=nir, birth_name=f"Nom{start + i}")
        services.credit_declarations([row(nir, 2015), row(nir, 2016)])
        services.add_movement(nir, LedgerKind.ABONDEMENT, 5 + i, "Abondement", None)
        make_training(code=f"{start + i:05d}")


def queries(client, url, **params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, url
    return [q["sql"] for q in captured.captured_queries]


@pytest.mark.django_db
def test_queries_per_big_list_do_not_grow_with_rows(staff_client, nir_factory, row, make_titulaire):
    add_rows(2, nir_factory, row, make_titulaire, 0)
    for name in BIG_LISTS:  # warm up: the first request reads what later ones find cached
        staff_client.get(reverse(name))
    few = {name: len(queries(staff_client, reverse(name))) for name in BIG_LISTS}
    add_rows(12, nir_factory, row, make_titulaire, 100)
    many = {name: len(queries(staff_client, reverse(name))) for name in BIG_LISTS}
    assert many == few


@pytest.mark.django_db
@pytest.mark.parametrize("name", BIG_LISTS)
def test_no_count_without_a_limit_on_the_unfiltered_lists(
    staff_client, nir_factory, row, make_titulaire, name
):
    add_rows(2, nir_factory, row, make_titulaire, 0)
    counts = [sql for sql in queries(staff_client, reverse(name)) if "COUNT(" in sql.upper()]
    assert counts, "the paginator counts"
    assert all("LIMIT" in sql.upper() for sql in counts), counts


@pytest.mark.django_db
def test_past_the_cap_the_count_is_an_estimate_or_a_floor(
    staff_client, nir_factory, row, make_titulaire, monkeypatch
):
    monkeypatch.setattr(EstimatedCountPaginator, "count_cap", 3)
    add_rows(5, nir_factory, row, make_titulaire, 0)
    url = reverse("admin:hours_ledgerentry_changelist")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE hours_ledgerentry")
    page = staff_client.get(url).content.decode()
    if connection.vendor == "postgresql":  # the planner's row count of the whole table
        assert "environ 15 mouvements" in page
    else:
        assert "plus de 3 mouvements" in page
    filtered = staff_client.get(url, {"kind__exact": "credit_annuel"}).content.decode()
    assert "plus de 3 mouvements" in filtered
    small = staff_client.get(url, {"kind__exact": "abondement", "year": "2015"})
    assert "0 mouvements" in small.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["admin:hours_ledgerentry_changelist", "admin:hours_employerdeclaration_changelist"]
)
def test_the_year_filter_offers_the_cpf_years_without_reading_the_table(
    staff_client, nir_factory, row, make_titulaire, name
):
    add_rows(2, nir_factory, row, make_titulaire, 0)
    sqls = queries(staff_client, reverse(name))
    assert not [sql for sql in sqls if "DISTINCT" in sql.upper()]
    page = staff_client.get(reverse(name)).content.decode()
    for year in (2015, 2016, 2017, 2018):
        assert f"?year={year}" in page
    cl = staff_client.get(reverse(name), {"year": "2016"}).context["cl"]
    assert {entry.year for entry in cl.result_list} == {2016}
    assert staff_client.get(reverse(name), {"year": "2014"}).url.endswith("?e=1")


@pytest.mark.django_db
def test_accounts_sorted_by_the_stored_balance_without_a_sum(
    staff_client, nir_factory, row, make_titulaire
):
    add_rows(4, nir_factory, row, make_titulaire, 0)
    url = reverse("admin:hours_hoursaccount_changelist")
    for order, reverse_ in (("1", False), ("-1", True)):  # the CPF balance's column
        sqls = queries(staff_client, url, o=order)
        # The order walks an index of the stored column, not a sum per account.
        assert [sql for sql in sqls if 'ORDER BY "hours_hoursaccount"."cpf_balance"' in sql]
        cl = staff_client.get(url, {"o": order}).context["cl"]
        balances = [account.cpf_balance for account in cl.result_list]
        assert balances == sorted(balances, reverse=reverse_)
        assert balances == [services.cpf_balance(a.nir) for a in cl.result_list]
