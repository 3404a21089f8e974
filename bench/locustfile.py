"""Readers browsing the public site, for `make loadtest` (see bench/loadtest.py)."""

import json
import os
import random

from locust import HttpUser, between, task

with open(os.environ["NEWSDESK_LOADTEST_URLS"], encoding="utf-8") as urls_file:
    URLS = json.load(urls_file)


class Reader(HttpUser):
    wait_time = between(0.5, 1.5)

    def get(self, url, name):
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{url} answered {response.status_code}")

    @task(4)
    def home(self):
        self.get("/", "home")

    @task(4)
    def company_timeline(self):
        slug = random.choice(URLS["companies"])
        page = random.choice(["", "", "?page=2", "?page=5", "?mentions=all"])
        self.get(f"/companies/{slug}/{page}", "company timeline")

    @task(2)
    def person_timeline(self):
        self.get(f"/people/{random.choice(URLS['people'])}/", "person timeline")

    @task(3)
    def story(self):
        self.get(f"/stories/{random.choice(URLS['stories'])}/", "story")

    @task(2)
    def pair(self):
        slug_a, slug_b = random.choice(URLS["pairs"])
        self.get(f"/partnerships/{slug_a}/{slug_b}/", "pair")

    @task(1)
    def partnerships(self):
        self.get(
            random.choice(["/partnerships/", "/partnerships/?kind=partnership"]), "partnerships"
        )

    @task(2)
    def search(self):
        self.get(f"/search/?q={random.choice(URLS['searches'])}", "search")

    @task(2)
    def feed(self):
        slug = random.choice(URLS["companies"])
        flavour = random.choice(["rss", "atom"])
        self.get(random.choice([f"/companies/{slug}/{flavour}/", f"/feeds/{flavour}/"]), "feed")
