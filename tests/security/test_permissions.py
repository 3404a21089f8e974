# ruff: noqa: E501 - the expectation tables read best one row per line
"""The admin permission matrix: every admin view, inline and action, for every role.

Roles, as README.md describes them:
- Editor: add articles and change drafts, submit them for review, view the knowledge base,
  confirm, reject or add an article's tagged entities (mentions).
- Chief editor: everything editorial (publish, send back, archive, edit any article, the
  knowledge base, merges, candidates, relationships), but not users and groups.
- Superuser: everything the admin offers.

Expectations per view: "login" (redirect to the login page), 403, 200, "edit" (a form with a
save button) or "view" (the same page, read-only).
"""

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from articles.models import Article, Mention, RelationshipEvidence
from entities.models import Candidate, Relationship, Topic
from tests.factories import ArticleFactory, EntityFactory, OutletFactory, UserFactory

ROLES = ["anonymous", "editor", "chief", "superuser"]


@pytest.fixture
def objects(db):
    """One object of every admin model, in each state that matters to permissions."""
    outlet = OutletFactory(name="Wire")
    published_at = timezone.now() - timezone.timedelta(hours=1)
    draft = ArticleFactory(title="A draft", outlet=outlet)
    in_review = ArticleFactory(title="In review", outlet=outlet, status=Article.Status.IN_REVIEW)
    published = ArticleFactory(
        title="Published", outlet=outlet, status=Article.Status.PUBLISHED, published_at=published_at
    )
    for article in [draft, in_review, published]:
        # A second version, so that each has a history to revert to.
        article.standfirst = "Edited."
        article.save()
    nvidia = EntityFactory(name="Nvidia", slug="nvidia")
    meta = EntityFactory(name="Meta", slug="meta")
    for article in [draft, published]:
        Mention.objects.create(article=article, entity=nvidia, count=1, salience=0.6)
    relationship = Relationship.objects.create(
        company_a=meta, company_b=nvidia, kind=Relationship.Kind.SUPPLIER_CUSTOMER
    )
    RelationshipEvidence.objects.create(
        relationship=relationship,
        article=published,
        sentence="Meta buys chips from Nvidia.",
        start=0,
        end=28,
    )
    topic, _ = Topic.objects.get_or_create(slug="chips", defaults={"name": "Chips"})
    return {
        "outlet": outlet,
        "spare_outlet": OutletFactory(name="Unused outlet"),
        "draft": draft,
        "in_review": in_review,
        "published": published,
        "entity": nvidia,
        "candidate": Candidate.objects.create(text="Scale AI"),
        "relationship": relationship,
        "topic": topic,
        "user": UserFactory(username="someone", is_staff=False),
        "group": Group.objects.get(name="Editor"),
    }


def admin_url(label, view, obj=None):
    path = f"/admin/{label.replace('.', '/')}/"
    if view == "changelist":
        return path
    if view == "add":
        return f"{path}add/"
    return f"{path}{obj.pk}/{view}/"


def version_url(article):
    version = article.history.earliest("history_date")
    return f"/admin/articles/article/{article.pk}/history/{version.history_id}/"


# (name, url(objects), anonymous, editor, chief, superuser)
VIEWS = [
    ("admin index", lambda o: "/admin/", "login", 200, 200, 200),
    # Articles: editors change drafts only; history and its versions are visible to all staff.
    ("article changelist", lambda o: admin_url("articles.article", "changelist"), "login", 200, 200, 200),
    ("article add", lambda o: admin_url("articles.article", "add"), "login", "edit", "edit", "edit"),
    ("article change: draft", lambda o: admin_url("articles.article", "change", o["draft"]), "login", "edit", "edit", "edit"),
    ("article change: in review", lambda o: admin_url("articles.article", "change", o["in_review"]), "login", "view", "edit", "edit"),
    ("article change: published", lambda o: admin_url("articles.article", "change", o["published"]), "login", "view", "edit", "edit"),
    ("article delete", lambda o: admin_url("articles.article", "delete", o["draft"]), "login", 403, 200, 200),
    ("article history", lambda o: admin_url("articles.article", "history", o["published"]), "login", 200, 200, 200),
    ("historical article: draft version", lambda o: version_url(o["draft"]), "login", "edit", "edit", "edit"),
    ("historical article: published version", lambda o: version_url(o["published"]), "login", "view", "edit", "edit"),
    # Outlets: chosen by editors, curated by chief editors; only a superuser deletes one.
    ("outlet changelist", lambda o: admin_url("articles.outlet", "changelist"), "login", 200, 200, 200),
    ("outlet add", lambda o: admin_url("articles.outlet", "add"), "login", 403, "edit", "edit"),
    ("outlet change", lambda o: admin_url("articles.outlet", "change", o["outlet"]), "login", "view", "edit", "edit"),
    ("outlet delete", lambda o: admin_url("articles.outlet", "delete", o["spare_outlet"]), "login", 403, 403, 200),
    ("outlet history", lambda o: admin_url("articles.outlet", "history", o["outlet"]), "login", 200, 200, 200),
    # The knowledge base: editors look, chief editors curate.
    ("entity changelist", lambda o: admin_url("entities.entity", "changelist"), "login", 200, 200, 200),
    ("entity add", lambda o: admin_url("entities.entity", "add"), "login", 403, "edit", "edit"),
    ("entity change", lambda o: admin_url("entities.entity", "change", o["entity"]), "login", "view", "edit", "edit"),
    ("entity delete", lambda o: admin_url("entities.entity", "delete", o["entity"]), "login", 403, 200, 200),
    ("entity history", lambda o: admin_url("entities.entity", "history", o["entity"]), "login", 200, 200, 200),
    ("candidate changelist", lambda o: admin_url("entities.candidate", "changelist"), "login", 200, 200, 200),
    ("candidate add", lambda o: admin_url("entities.candidate", "add"), "login", 403, 403, 403),
    ("candidate change", lambda o: admin_url("entities.candidate", "change", o["candidate"]), "login", "view", "edit", "edit"),
    ("candidate delete", lambda o: admin_url("entities.candidate", "delete", o["candidate"]), "login", 403, 403, 200),
    ("candidate history", lambda o: admin_url("entities.candidate", "history", o["candidate"]), "login", 200, 200, 200),
    ("relationship changelist", lambda o: admin_url("entities.relationship", "changelist"), "login", 200, 200, 200),
    ("relationship add", lambda o: admin_url("entities.relationship", "add"), "login", 403, 403, 403),
    ("relationship change", lambda o: admin_url("entities.relationship", "change", o["relationship"]), "login", "view", "edit", "edit"),
    ("relationship delete", lambda o: admin_url("entities.relationship", "delete", o["relationship"]), "login", 403, 200, 200),
    ("relationship history", lambda o: admin_url("entities.relationship", "history", o["relationship"]), "login", 200, 200, 200),
    ("topic changelist", lambda o: admin_url("entities.topic", "changelist"), "login", 200, 200, 200),
    ("topic add", lambda o: admin_url("entities.topic", "add"), "login", 403, "edit", "edit"),
    ("topic change", lambda o: admin_url("entities.topic", "change", o["topic"]), "login", "view", "edit", "edit"),
    ("topic delete", lambda o: admin_url("entities.topic", "delete", o["topic"]), "login", 403, 403, 200),
    ("topic history", lambda o: admin_url("entities.topic", "history", o["topic"]), "login", 200, 200, 200),
    # The entity autocomplete behind the mention inline.
    (
        "mention entity autocomplete",
        lambda o: "/admin/autocomplete/?app_label=articles&model_name=mention&field_name=entity&term=nv",
        "login", 200, 200, 200,
    ),
    # Accounts: superusers only.
    ("user changelist", lambda o: admin_url("auth.user", "changelist"), "login", 403, 403, 200),
    ("user add", lambda o: admin_url("auth.user", "add"), "login", 403, 403, "edit"),
    ("user change", lambda o: admin_url("auth.user", "change", o["user"]), "login", 403, 403, "edit"),
    ("user password", lambda o: admin_url("auth.user", "password", o["user"]), "login", 403, 403, 200),
    ("user delete", lambda o: admin_url("auth.user", "delete", o["user"]), "login", 403, 403, 200),
    ("user history", lambda o: admin_url("auth.user", "history", o["user"]), "login", 403, 403, 200),
    ("group changelist", lambda o: admin_url("auth.group", "changelist"), "login", 403, 403, 200),
    ("group add", lambda o: admin_url("auth.group", "add"), "login", 403, 403, "edit"),
    ("group change", lambda o: admin_url("auth.group", "change", o["group"]), "login", 403, 403, "edit"),
    ("group delete", lambda o: admin_url("auth.group", "delete", o["group"]), "login", 403, 403, 200),
    ("group history", lambda o: admin_url("auth.group", "history", o["group"]), "login", 403, 403, 200),
    # django-axes' records of login attempts: superusers only.
    ("access attempts", lambda o: admin_url("axes.accessattempt", "changelist"), "login", 403, 403, 200),
    ("access log", lambda o: admin_url("axes.accesslog", "changelist"), "login", 403, 403, 200),
]  # fmt: skip


def view_cases():
    for name, url, *expected in VIEWS:
        for role, outcome in zip(ROLES, expected, strict=True):
            yield pytest.param(role, url, outcome, id=f"{name} as {role}")


def outcome_of(response) -> object:
    if response.status_code == 302 and response["Location"].startswith("/admin/login/"):
        return "login"
    if response.status_code != 200 or "adminform" not in (response.context or {}):
        return response.status_code
    content = response.content.decode()
    # A candidate is decided with buttons of its own (accept, link, reject) rather than saved.
    return "edit" if 'name="_save"' in content or 'name="decision"' in content else "view"


@pytest.mark.parametrize(("role", "url", "expected"), view_cases())
def test_admin_view(role_client, objects, role, url, expected):
    response = role_client(role).get(url(objects))
    assert outcome_of(response) == expected


# A change or delete posted by someone who may only look is refused, and changes nothing.
# (name, url(objects), model, object key, roles that may post it)
POSTS = [
    ("article change: in review", "change", "in_review", {"chief", "superuser"}),
    ("article change: published", "change", "published", {"chief", "superuser"}),
    ("article delete", "delete", "draft", {"chief", "superuser"}),
    ("outlet change", "change", "outlet", {"chief", "superuser"}),
    ("outlet delete", "delete", "spare_outlet", {"superuser"}),
    ("entity change", "change", "entity", {"chief", "superuser"}),
    ("entity delete", "delete", "entity", {"chief", "superuser"}),
    ("candidate delete", "delete", "candidate", {"superuser"}),
    ("relationship change", "change", "relationship", {"chief", "superuser"}),
    ("relationship delete", "delete", "relationship", {"chief", "superuser"}),
    ("topic change", "change", "topic", {"chief", "superuser"}),
    ("topic delete", "delete", "topic", {"superuser"}),
    ("user change", "change", "user", {"superuser"}),
    ("user delete", "delete", "user", {"superuser"}),
    ("group change", "change", "group", {"superuser"}),
    ("group delete", "delete", "group", {"superuser"}),
]
POST_DATA = {
    "change": {"name": "Hijacked", "title": "Hijacked", "slug": "hijacked", "status": "rejected",
               "username": "hijacked", "mentions-TOTAL_FORMS": "0",
               "mentions-INITIAL_FORMS": "0", "aliases-TOTAL_FORMS": "0",
               "aliases-INITIAL_FORMS": "0", "evidence-TOTAL_FORMS": "0",
               "evidence-INITIAL_FORMS": "0"},
    "delete": {"post": "yes"},
}  # fmt: skip


def post_cases():
    for name, view, key, allowed in POSTS:
        for role in ROLES:
            if role not in allowed:
                yield pytest.param(role, view, key, id=f"{name} as {role}")


def snapshot(obj):
    model = type(obj)
    fresh = model.objects.filter(pk=obj.pk).first()
    if fresh is None:
        return None
    return {field.attname: getattr(fresh, field.attname) for field in model._meta.concrete_fields}


@pytest.mark.parametrize(("role", "view", "key"), post_cases())
def test_a_forbidden_post_changes_nothing(role_client, objects, role, view, key):
    obj = objects[key]
    label = obj._meta.label_lower
    before = snapshot(obj)
    response = role_client(role).post(admin_url(label, view, obj), POST_DATA[view])
    assert outcome_of(response) == ("login" if role == "anonymous" else 403)
    assert snapshot(obj) == before


# Inlines, seen on their parent's change page: (name, url(objects), an editable input's name,
# then for each role: "edit", "view" or what the page answers). The article page's entities and
# relationships are its desk's: tests/desk/test_article_desk_permissions.py.
INLINES = [
    ("alias inline", lambda o: admin_url("entities.entity", "change", o["entity"]), "aliases-0-text", "login", "view", "edit", "edit"),
    ("relationship evidence inline", lambda o: admin_url("entities.relationship", "change", o["relationship"]), "evidence-0-sentence", "login", "view", "view", "view"),
]  # fmt: skip


def inline_cases():
    for name, url, field, *expected in INLINES:
        for role, outcome in zip(ROLES, expected, strict=True):
            yield pytest.param(role, url, field, outcome, id=f"{name} as {role}")


@pytest.mark.parametrize(("role", "url", "field", "expected"), inline_cases())
def test_admin_inline(role_client, objects, role, url, field, expected):
    response = role_client(role).get(url(objects))
    if expected == "login":
        assert outcome_of(response) == "login"
        return
    assert response.status_code == 200
    content = response.content.decode()
    prefix = field.split("-")[0]
    # The inline is shown either way, with its rows.
    assert f'id="{prefix}-group"' in content
    assert (f'name="{field}"' in content) == (expected == "edit")
    if prefix == "aliases":
        assert "Nvidia" in content
    if prefix == "evidence":
        assert "Meta buys chips from Nvidia." in content


# Actions: (changelist label, action, the object it is tried on, extra POST data, a check that
# it happened, the roles that are offered it and may run it).
def merge_pair(o):
    first = EntityFactory(name="Acme", slug="acme")
    second = EntityFactory(name="Acme Inc", slug="acme-inc")
    return [first, second]


def pending_tagging(article):
    Article.objects.filter(pk=article.pk).update(
        tagging_status=Article.TaggingStatus.DONE, tagging_requested_at=None
    )
    return article


def status_is(value):
    return lambda obj: type(obj).objects.get(pk=obj.pk).status == value


def deleted(obj):
    return not type(obj).objects.filter(pk=obj.pk).exists()


CHIEF = {"chief", "superuser"}
STAFF = {"editor", "chief", "superuser"}
ACTIONS = [
    ("articles.article", "submit_for_review", lambda o: o["draft"], {}, status_is("in_review"), STAFF),
    ("articles.article", "publish", lambda o: o["in_review"], {}, status_is("published"), CHIEF),
    ("articles.article", "return_to_draft", lambda o: o["published"], {}, status_is("draft"), CHIEF),
    ("articles.article", "archive", lambda o: o["published"], {}, status_is("archived"), CHIEF),
    ("articles.article", "rerun_tagging", lambda o: pending_tagging(o["draft"]), {},
     lambda a: Article.objects.get(pk=a.pk).tagging_requested_at is not None, STAFF),
    ("articles.article", "delete_selected", lambda o: o["draft"], {"post": "yes"}, deleted, CHIEF),
    ("articles.outlet", "delete_selected", lambda o: o["spare_outlet"], {"post": "yes"}, deleted, {"superuser"}),
    ("entities.entity", "merge", merge_pair, {"target": "first"},
     lambda pair: deleted(pair[1]) and not deleted(pair[0]), CHIEF),
    ("entities.entity", "delete_selected", lambda o: o["entity"], {"post": "yes"}, deleted, CHIEF),
    ("entities.candidate", "accept", lambda o: o["candidate"], {}, status_is("accepted"), CHIEF),
    ("entities.candidate", "reject", lambda o: o["candidate"], {}, status_is("rejected"), CHIEF),
    ("entities.candidate", "delete_selected", lambda o: o["candidate"], {"post": "yes"}, deleted, {"superuser"}),
    ("entities.relationship", "confirm", lambda o: o["relationship"], {}, status_is("confirmed"), CHIEF),
    ("entities.relationship", "reject", lambda o: o["relationship"], {}, status_is("rejected"), CHIEF),
    ("entities.relationship", "delete_selected", lambda o: o["relationship"], {"post": "yes"}, deleted, CHIEF),
    ("entities.topic", "delete_selected", lambda o: o["topic"], {"post": "yes"}, deleted, {"superuser"}),
    ("auth.user", "delete_selected", lambda o: o["user"], {"post": "yes"}, deleted, {"superuser"}),
    ("auth.group", "delete_selected", lambda o: Group.objects.create(name="Temp"), {"post": "yes"}, deleted, {"superuser"}),
]  # fmt: skip


def action_cases():
    for label, action, target, data, done, allowed in ACTIONS:
        for role in ROLES:
            yield pytest.param(
                role, label, action, target, data, done, role in allowed,
                id=f"{label}.{action} as {role}",
            )  # fmt: skip


@pytest.mark.parametrize(
    ("role", "label", "action", "target", "data", "done", "allowed"), action_cases()
)
def test_admin_action(role_client, objects, role, label, action, target, data, done, allowed):
    client = role_client(role)
    changelist = admin_url(label, "changelist")
    page = client.get(changelist)
    action_form = page.context["action_form"] if page.status_code == 200 else None
    offered = action_form is not None and action in {
        name for name, _ in action_form.fields["action"].choices
    }
    assert offered == allowed

    obj = target(objects)
    selected = obj if isinstance(obj, list) else [obj]
    post = {"action": action, "_selected_action": [item.pk for item in selected], **data}
    if post.get("target") == "first":
        post["target"] = selected[0].pk
    response = client.post(changelist, post)
    assert response.status_code in {200, 302, 403}
    assert done(obj) == allowed
    if role == "anonymous":
        assert outcome_of(response) == "login"


def test_editor_may_not_rerun_tagging_of_an_article_they_may_not_change(role_client, objects):
    """Re-tagging rewrites a story's public entity tags: an Editor's own drafts only."""
    client = role_client("editor")
    published = pending_tagging(objects["published"])
    draft = pending_tagging(objects["draft"])
    response = client.post(
        admin_url("articles.article", "changelist"),
        {"action": "rerun_tagging", "_selected_action": [published.pk, draft.pk]},
        follow=True,
    )
    assert Article.objects.get(pk=published.pk).tagging_requested_at is None
    assert Article.objects.get(pk=draft.pk).tagging_requested_at is not None
    assert "may not change" in response.content.decode()


def test_the_groups_have_exactly_the_documented_permissions(db):
    from tests.factories import ensure_editorial_groups

    ensure_editorial_groups()

    def codenames(name):
        return set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))

    assert codenames("Editor") == {
        "add_article", "change_article", "view_article", "view_historicalarticle",
        "view_outlet",
        "view_entity", "view_alias", "add_mention", "change_mention", "view_mention",
        "view_candidate", "view_relationship", "view_relationshipevidence", "view_topic",
        "view_storycluster", "change_storycluster", "view_feed", "view_feedpoll",
    }  # fmt: skip
    chief = codenames("Chief editor")
    assert chief >= codenames("Editor")
    assert chief - codenames("Editor") == {
        "delete_article", "publish_article", "add_outlet", "change_outlet",
        "add_entity", "change_entity", "delete_entity",
        "add_alias", "change_alias", "delete_alias", "delete_mention",
        "change_candidate", "change_relationship", "delete_relationship",
        "add_topic", "change_topic", "add_feed", "change_feed", "delete_feed",
    }  # fmt: skip
    assert not {c for c in chief if c.endswith(("_user", "_group", "_permission"))}
    assert not Group.objects.filter(name="Chief editor", user__is_superuser=True).exists()


def test_chief_editor_deletes_an_entity_that_has_relationships(role_client, objects):
    """Deleting an entity deletes its relationships: entities/0003 grants that (0002 did not)."""
    client = role_client("chief")
    entity = objects["entity"]
    url = admin_url("entities.entity", "delete", entity)
    page = client.get(url)
    assert not page.context["perms_lacking"]
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Relationship.objects.filter(pk=objects["relationship"].pk).exists()
