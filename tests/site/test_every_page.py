"""Every page of every demo role's menu, in a real browser, as the person of that role meets it.

For each account the demo creates (one per role), sign in, open the home page and every page its
menu offers, and find on each: status 200 (a menu never offers a page its role may not open), no
English a Chinese reader would meet (:mod:`tests.language`), no request leaving the server (all
scripts, styles, fonts and map tiles are ours), and the data's as-of line on the pages that show
current data. Every problem of every role is gathered and reported together.

With ``--screenshots DIR`` it also saves the pictures of the user guide and the README.
"""

from __future__ import annotations

import pytest

from tests.browser import sign_in
from tests.language import untranslated

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "every-page-walk-9137"

#: Pages that show current data (by URL path), which must say how old their data are when they show
#: any (a table or a chart; an enterprise sees no stations and is told so instead).
NOW_PAGES = ("/", "/air/now/", "/emergency/")


def _menu_links(page, base: str) -> list[str]:
    hrefs = page.eval_on_selector_all("nav.menu a[href]", "links => links.map(a => a.getAttribute('href'))")
    return sorted({h for h in hrefs if h.startswith("/")})


def _walk(page, base: str, username: str) -> tuple[list[str], list[str]]:
    """(problems, paths visited) for one signed-in person."""
    problems, outside = [], []
    page.on("request", lambda request: outside.append(request.url) if not request.url.startswith(base)
            and not request.url.startswith(("data:", "blob:")) else None)
    sign_in(page, type("Server", (), {"url": base}), username, PASSWORD)
    paths = ["/", *_menu_links(page, base)]
    for path in paths:
        response = page.goto(base + path, wait_until="load")  # its scripts, styles and fonts fetched
        if response is None or response.status != 200:
            problems.append(f"{username} {path}: status {response.status if response else 'none'}")
            continue
        problems += [f"{username} {path}: {w}" for w in sorted(set(untranslated(page.content())))]
        shows_data = page.locator("main table.grid, main [data-chart]").count() > 0
        if path in NOW_PAGES and shows_data and not page.locator("[data-freshness]").count():
            problems.append(f"{username} {path}: no as-of line for its current data")
    problems += [f"{username}: a request left the server: {url}" for url in sorted(set(outside))]
    return problems, paths


#: The pictures of the user guide and the README: (file, account, path, viewport width).
SCREENSHOTS = [
    ("home", "zz_office", "/", 1360),
    ("map", "zz_office", "/air/now/", 1360),
    ("rankings-county", "zm_office", "/air/rankings/", 1360),
    ("bulletin", "zz_office", "/tasks/bulletin/", 1360),
    ("phone", "zm_office", "/sources/notices/", 390),
]


def _screenshots(browser, base: str, folder: str) -> None:
    from pathlib import Path

    Path(folder).mkdir(parents=True, exist_ok=True)
    for name, username, path, width in SCREENSHOTS:
        context = browser.new_context(viewport={"width": width, "height": 860 if width > 600 else 844},
                                      locale="zh-CN", device_scale_factor=1 if width > 600 else 2)
        page = context.new_page()
        sign_in(page, type("Server", (), {"url": base}), username, PASSWORD)
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=False)
        context.close()


def test_every_role_every_menu_page(live_server, browser, request, settings):
    from django.utils import translation

    from gongjian.demo import AS_OF, build
    from gongjian.demo.people import ACCOUNTS
    from gongjian.regions.models import Person

    with translation.override("zh-hans"):  # as `gongjian demo` builds it: the notices' texts are Chinese
        build(progress=lambda line: None)
    settings.GONGJIAN_AS_OF = AS_OF.isoformat()  # the demo as `make run` serves it: at its own moment
    for person in Person.objects.filter(username__in=[a[0] for a in ACCOUNTS]):
        person.set_password(PASSWORD)
        person.save()
    problems, visited = [], {}
    for username, *_ in ACCOUNTS:
        context = browser.new_context(viewport={"width": 1360, "height": 860}, locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(20_000)
        found, visited[username] = _walk(page, live_server.url, username)
        problems += found
        context.close()
    if folder := request.config.getoption("--screenshots"):
        _screenshots(browser, live_server.url, folder)
    assert all(len(paths) > 1 for paths in visited.values()), visited  # every role has a menu
    assert not problems, "\n".join(problems)
