from django import template
from django.template.loader import get_template

from articles.public_cache import cached_fragment
from entities.models import Entity

register = template.Library()


@register.simple_tag
def entity_header(entity: Entity):
    """Draw an entity's header: what it is, and its parent, maker, employer or subsidiaries.

    It shows the knowledge base alone, so it is drawn once per change to the knowledge base,
    not each time a story about the entity comes out.
    """
    return cached_fragment("entity-header", entity.pk, lambda: _draw_header(entity.pk))


def _draw_header(entity_id: int) -> str:
    entity = Entity.objects.select_related("parent", "maker", "affiliation").get(pk=entity_id)
    subsidiaries = (
        entity.subsidiaries.order_by("name") if entity.kind == Entity.Kind.COMPANY else []
    )
    return get_template("entities/entity_header.html").render(
        {"entity": entity, "subsidiaries": subsidiaries}
    )
