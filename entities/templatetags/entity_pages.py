from django import template
from django.template.loader import get_template

from articles.public_cache import cached_fragments
from entities.models import Entity

register = template.Library()


@register.simple_tag
def entity_header(entity: Entity):
    """Draw an entity's header: what it is, and its parent, maker, employer or subsidiaries.

    It shows the knowledge base alone, so it is drawn once per change to the knowledge base,
    not each time a story about the entity comes out.
    """
    return cached_fragments("entity-header", {entity: entity.pk}, _draw_headers)[entity]


def _draw_headers(entities: list[Entity]) -> dict[Entity, str]:
    header = get_template("entities/entity_header.html")
    drawn = {}
    for entity in Entity.objects.select_related("parent", "maker", "affiliation").filter(
        pk__in=[entity.pk for entity in entities]
    ):
        subsidiaries = (
            entity.subsidiaries.order_by("name") if entity.kind == Entity.Kind.COMPANY else []
        )
        drawn[entity] = header.render({"entity": entity, "subsidiaries": subsidiaries})
    return drawn
