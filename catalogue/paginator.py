"""A paginator that counts no further than it needs to.

Django's Paginator runs an exact COUNT(*) of every search: at 100 k trainings that reads every
matching row on each page view. This one counts at most `exact_up_to` rows (more only when the
page asked for lies further), with COUNT over a LIMIT: the database stops at the limit. Beyond
it the results say « Plus de 1 000 formations trouvées » and the page links stop at the pages
known to exist, with a « Suivante » link as long as there are more.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

# Past this page the count is no longer capped by the window: a typed ?page=10**30 must not
# become a LIMIT that overflows PostgreSQL's bigint.
MAX_PAGE = 100_000


class CappedCountPaginator(Paginator):
    """`count` is exact up to `exact_up_to` rows (or as far as the page asked for needs); past
    it `count_is_exact` is False and `count` is the number of rows known to exist."""

    def __init__(
        self, object_list, per_page, *, exact_up_to=1000, window=2, order_for=None, **kwargs
    ):
        super().__init__(object_list, per_page, **kwargs)
        self.exact_up_to = exact_up_to
        self.window = window  # pages shown after the current one, which must be known to exist
        # order_for(few=count_is_exact) -> the page's ORDER BY, when the plan depends on it.
        self.order_for = order_for
        self._wanted_page = 1

    def page(self, number):
        if self.order_for is not None:
            self.object_list = self.object_list.order_by(*self.order_for(few=self.count_is_exact))
        return super().page(number)

    def get_page(self, number):
        try:
            self._wanted_page = min(max(int(number), 1), MAX_PAGE)
        except (TypeError, ValueError):
            self._wanted_page = 1
        return super().get_page(number)

    @cached_property
    def _counted(self) -> tuple[int, bool]:
        if self.exact_up_to is None:
            return super().count, True
        known = max(self.exact_up_to, (self._wanted_page + self.window) * self.per_page)
        # Unordered: the database may stop at the limit instead of sorting every match first.
        found = self.object_list.order_by()[: known + 1].count()
        return min(found, known), found <= known

    @property
    def count(self) -> int:
        return self._counted[0]

    @property
    def count_is_exact(self) -> bool:
        return self._counted[1]

    def get_elided_page_range(self, number=1, *, on_each_side=3, on_ends=2):
        """Django's range, without the « last » pages when the last page is not known."""
        if self.count_is_exact:
            return super().get_elided_page_range(number, on_each_side=on_each_side, on_ends=on_ends)
        number = self.validate_number(number)
        start = max(1, number - on_each_side)
        head = list(range(1, min(on_ends, start - 1) + 1))
        gap = [self.ELLIPSIS] if head and start > head[-1] + 1 else []
        around = range(start, min(self.num_pages, number + on_each_side) + 1)
        return iter([*head, *gap, *around, self.ELLIPSIS])
