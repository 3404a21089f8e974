"""Two workers suggesting the same new name at the same moment make one provisional entity."""

import threading

import pytest
from django.db import connection, transaction

from articles.tagging import entity_get_or_create_provisional
from entities.models import Entity
from entities.tagging import EntityKind, NewEntity
from tests.services import require_postgresql


@pytest.mark.django_db(transaction=True)
def test_one_name_suggested_by_two_workers_at_once_makes_one_entity():
    require_postgresql()
    first_created = threading.Event()
    found = [None, None]

    def suggest(index: int, hold: bool) -> None:
        try:
            if not hold:
                first_created.wait(timeout=10)
            with transaction.atomic():
                entity = entity_get_or_create_provisional(
                    new=NewEntity(EntityKind.COMPANY, "Quillfeather Robotics")
                )
                found[index] = entity.pk
                if hold:
                    # The other worker looks now, before this one has committed.
                    first_created.set()
                    threading.Event().wait(0.5)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=suggest, args=(0, True)),
        threading.Thread(target=suggest, args=(1, False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert found[0] is not None
    assert found[0] == found[1]
    assert Entity.objects.filter(name="Quillfeather Robotics").count() == 1
