"""What the admin's article form posts, for tests that save articles through it."""


def article_form(outlet, *, mention_rows=(), **fields) -> dict:
    """Return the article form's data: an English article, with the mention rows given."""
    data = {
        "title": "Arm and Qualcomm settle their licensing dispute",
        "slug": "",
        "standfirst": "",
        "body": "The two chip designers ended their court fight over licences.",
        "source_url": "https://news.example/arm-qualcomm",
        "outlet": outlet.pk,
        "byline": "",
        "language": "en",
        "published_at_0": "",
        "published_at_1": "",
        "mentions-TOTAL_FORMS": str(len(mention_rows)),
        "mentions-INITIAL_FORMS": str(sum(1 for row in mention_rows if "id" in row)),
        "mentions-MIN_NUM_FORMS": "0",
        "mentions-MAX_NUM_FORMS": "1000",
        **fields,
    }
    for index, row in enumerate(mention_rows):
        for key, value in row.items():
            data[f"mentions-{index}-{key}"] = value
    return data
