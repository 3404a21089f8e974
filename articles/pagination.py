from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    """A paginator that counts at most `cap` items.

    Counting every row of a long archive costs more than showing a page of it, and nobody
    pages past a few hundred: beyond the cap the last page is simply the cap's.
    """

    cap = 10_000

    @cached_property
    def count(self):
        # Without its order, the capped count can stop at any `cap` rows an index gives.
        return self.object_list.order_by()[: self.cap].count()


class StoryIdPaginator(CappedPaginator):
    """Pages through a list's story ids, then loads only the stories of the page asked for.

    The ids come in the list's order straight from an index, so page 200 skips 4,000 index
    entries rather than 4,000 joined stories; `load` turns a page of ids into its stories.
    Showing a page counts nothing: story lists link to the newer and the older page only, and
    one id more than a page holds tells whether there is an older one. (The capped count is
    still there for whoever asks: `?page=last`, search's number of results.)
    """

    def __init__(self, object_list, per_page, *args, load, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.load = load

    def validate_number(self, number):
        # Whether a page has stories shows when its ids are read, not from a count.
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        if (number - 1) * self.per_page >= self.cap:
            # As far as a count would have gone.
            raise EmptyPage(self.error_messages["no_results"])
        return number

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        story_ids = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not story_ids and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        stories = self.load(story_ids[: self.per_page])
        return StoryPage(stories, number, self, has_older=len(story_ids) > self.per_page)


class StoryPage(Page):
    def __init__(self, object_list, number, paginator, *, has_older):
        super().__init__(object_list, number, paginator)
        self.has_older = has_older

    def has_next(self):
        return self.has_older
