"""Change lists that stay fast at a million rows.

Django's admin counts every page's rows twice with an exact COUNT(*): the paginator's count
(the filtered list) and the « N au total » beside it (the whole table). On PostgreSQL an exact
count reads the whole table or index (a few hundred ms at 1 M rows, longer under load).
Here, on the big lists (LargeTableAdmin):
- no « au total » count (show_full_result_count = False);
- the paginator counts at most COUNT_CAP + 1 rows (COUNT(*) over a LIMIT subquery). Past the
  cap, an unfiltered list on PostgreSQL shows the planner's estimate of the table's rows
  (pg_class.reltuples, kept by autovacuum/ANALYZE): « environ 1 000 000 ». A filtered one, or
  another database, shows « plus de 10 000 » and pages up to the cap. The template
  admin/pagination.html says which.
"""

from functools import cached_property

from django.core.paginator import Paginator
from django.db import connections

COUNT_CAP = 10_000


class EstimatedCountPaginator(Paginator):
    """A paginator whose count is exact up to COUNT_CAP, an estimate or a floor above it.
    `count_kind`: "exact", "estimate" (about that many) or "floor" (more than that)."""

    count_cap = COUNT_CAP
    count_kind = "exact"

    @cached_property
    def count(self):
        queryset = self.object_list
        capped = queryset.order_by().values("pk")[: self.count_cap + 1].count()
        if capped <= self.count_cap:
            return capped
        estimate = self._table_estimate(queryset)
        if estimate is not None and estimate > self.count_cap:
            self.count_kind = "estimate"
            return estimate
        self.count_kind = "floor"
        return self.count_cap

    @staticmethod
    def _table_estimate(queryset) -> int | None:
        """The planner's row count of an unfiltered model table, on PostgreSQL; else None."""
        query = queryset.query
        connection = connections[queryset.db]
        if connection.vendor != "postgresql" or query.where or query.distinct:
            return None
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(%s)",
                [connection.ops.quote_name(queryset.model._meta.db_table)],
            )
            row = cursor.fetchone()
        return row[0] if row and row[0] > 0 else None  # -1: never analysed


class LargeTableAdmin:
    """ModelAdmin part for tables that reach a million rows (see the module docstring)."""

    paginator = EstimatedCountPaginator
    show_full_result_count = False
