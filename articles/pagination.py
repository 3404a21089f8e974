from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    """A paginator that counts at most `cap` items.

    Counting every row of a long archive costs more than showing a page of it, and nobody
    pages past a few hundred: beyond the cap the last page is simply the cap's.
    `count_source` can name a cheaper queryset with the same number of rows.
    """

    cap = 10_000

    def __init__(self, object_list, per_page, *args, count_source=None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.count_source = object_list if count_source is None else count_source

    @cached_property
    def count(self):
        return self.count_source[: self.cap].count()
