"""Template tags for the editors' desk and article list."""

import copy
import datetime

from django import template
from django.contrib.admin.templatetags.admin_list import date_hierarchy
from django.db.models import Max, Min
from django.utils import timezone

from articles.desk import desk_queues

register = template.Library()


class DatesFromIndex:
    """A changelist's queryset that reads the dates its date hierarchy asks for off an index.

    Django's date hierarchy takes the first and last dates with MIN and MAX over the whole
    list, and its years with a DISTINCT over every row: full scans of a large archive, or
    of every match of a common word. Walking an index on the date from one end, or from one
    year to the next, reads a few entries instead.
    """

    def __init__(self, queryset):
        self.queryset = queryset

    def __getattr__(self, name):
        return getattr(self.queryset, name)

    def aggregate(self, *args, **aggregates):
        if args or not all(type(a) in (Min, Max) for a in aggregates.values()):
            return self.queryset.aggregate(*args, **aggregates)
        return {
            name: self._end(aggregate.source_expressions[0].name, type(aggregate) is Max)
            for name, aggregate in aggregates.items()
        }

    def datetimes(self, field_name, kind, *args, **kwargs):
        if kind != "year":
            return self.queryset.datetimes(field_name, kind, *args, **kwargs)
        zone = timezone.get_current_timezone()
        years, rows = [], self.queryset
        while first := self._end(field_name, last=False, rows=rows):
            year = timezone.localtime(first).year
            years.append(datetime.datetime(year, 1, 1, tzinfo=zone))
            if year == datetime.MAXYEAR:
                break
            rows = rows.filter(
                **{f"{field_name}__gte": datetime.datetime(year + 1, 1, 1, tzinfo=zone)}
            )
        return years

    def _end(self, field_name, last, rows=None):
        rows = (self.queryset if rows is None else rows).filter(**{f"{field_name}__isnull": False})
        order = f"-{field_name}" if last else field_name
        return rows.order_by(order).values_list(field_name, flat=True).first()


@register.inclusion_tag("admin/date_hierarchy.html")
def date_hierarchy_from_index(changelist):
    """Django's date hierarchy, with its dates read off the index (see DatesFromIndex)."""
    indexed = copy.copy(changelist)
    indexed.queryset = DatesFromIndex(changelist.queryset)
    return date_hierarchy(indexed)


@register.simple_tag(takes_context=True)
def desk(context):
    """Return the queues of the admin index's desk, for the user looking at it."""
    return desk_queues(context["request"].user)
