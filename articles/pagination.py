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
        # Without its order, the capped count can stop at any `cap` rows an index gives.
        return self.count_source.order_by()[: self.cap].count()


class StoryIdPaginator(CappedPaginator):
    """Pages through a list's story ids, then loads only the stories of the page asked for.

    The ids come in the list's order straight from an index, so page 200 skips 4,000 index
    entries rather than 4,000 joined stories; `load` turns a page of ids into its stories.
    """

    def __init__(self, object_list, per_page, *args, load, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.load = load

    def _get_page(self, story_ids, number, paginator):
        return super()._get_page(self.load(list(story_ids)), number, paginator)
