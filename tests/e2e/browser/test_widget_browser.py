"""The embeddable chat widget in headless Chromium, against the real stack (issue 6).

A shop page (served by :class:`widget_page.PageServer` on the port the e2e stack lets through
``WIDGET_ORIGINS``, with the catalog's images under ``/static/products/`` like the shop) embeds
the widget the documented way: ``window.ShopAssistantConfig`` + the console's
``/widget/widget.js``. The widget talks to the real rasa (verified socket.io channel), action
server, profile service and console. Elements are found through the widget's ``data-sa`` hooks
(docs/widget.md; Playwright's CSS locators pierce its open shadow root). What the widget shows
is checked against rasa's tracker (HTTP API, token in ``stack.token``). Screenshots of every
step: var/test-artifacts/browser/widget-*.png.
"""

from __future__ import annotations

import asyncio
import json
import re
import tarfile
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Page, async_playwright
from socket_shopper import customer_token
from stack import ROOT, Stack, latest_model
from test_handoff import AgentSession
from widget_page import SHADOW_JS, PageServer, TcpProxy, host_page

from assistant.channels.identity import derive_sender_id

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = ROOT / "var" / "test-artifacts" / "browser"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
IMAGES = ROOT / "catalog" / "images"
#: Ceilings for a loaded 2-core machine, not performance targets (bench/widget measures those).
WAIT_MS = 60_000
UI_MS = 10_000
SEARCH = "show me running shoes under 150 dollars"
STORAGE_PREFIX = "shop-assistant:v1:"
HOSTILE = '<img src=x onerror="window.__pwned=1"> <script>window.__pwned=2</script> **hi**'


def model_knows(name: str) -> bool:
    """Whether the model the stack serves has ``name`` in its domain (intent or action)."""
    with tarfile.open(latest_model(ROOT / "var" / "models"), "r:gz") as archive:
        for member in archive:
            if member.name.lstrip("/").endswith("domain_provider/domain.yml"):
                handle = archive.extractfile(member)
                return handle is not None and name.encode() in handle.read()
    return False


# -- fixtures --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def artifacts() -> Path:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium", pytrace=False)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("widget-*.png"):
        old.unlink()
    return ARTIFACTS


@pytest.fixture(scope="module")
def shop(stack: Stack, widget_page_port: int) -> Iterator[PageServer]:
    """The shop's page server; fails clearly when the console does not serve the widget."""
    served = httpx.get(f"{stack.config.console_url}/widget/widget.js", timeout=30)
    if served.status_code != 200:
        pytest.fail(
            f"the console does not serve /widget/widget.js ({served.status_code}):"
            " build the widget (widget/dist/widget.js)",
            pytrace=False,
        )
    server = PageServer(widget_page_port, static={"/static/products/": IMAGES}).start()
    yield server
    server.stop()


# -- helpers ---------------------------------------------------------------------------------
class Widget:
    """One page with the widget, and what the test needs around it."""

    def __init__(self, page: Page, stack: Stack, customer: str | None, name: str) -> None:
        self.page = page
        self.stack = stack
        self.customer = customer
        self.name = name
        self.step = 0
        self.errors: list[str] = []
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        page.on("console", self._console)
        page.on(
            "response",
            lambda r: self.errors.append(f"{r.status} {r.url}") if r.status >= 400 else None,
        )

    def _console(self, message: Any) -> None:
        # Failed loads are logged with their URL by the response handler.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.errors.append(f"console.error: {message.text}")

    def hook(self, name: str) -> Any:
        """A locator of a ``data-sa`` hook."""
        return self.page.locator(f'[data-sa="{name}"]')

    async def shot(self, what: str) -> None:
        self.step += 1
        path = ARTIFACTS / f"widget-{self.name}-{self.step:02d}-{what}.png"
        await self.page.screenshot(path=str(path))

    async def wait_ready(self) -> None:
        await self.hook("launcher").wait_for(state="visible", timeout=UI_MS)

    async def wait_connected(self) -> None:
        await self.page.locator('[data-sa="root"][data-state="connected"]').wait_for(
            state="attached", timeout=WAIT_MS
        )

    async def open(self) -> None:
        await self.hook("launcher").click()
        await self.hook("panel").wait_for(state="visible", timeout=UI_MS)

    async def send(self, text: str) -> None:
        await self.hook("input").fill(text)
        await self.hook("input").press("Enter")

    async def focused_hook(self) -> str | None:
        """The ``data-sa`` of the focused element inside the widget (None outside it)."""
        return await self.page.evaluate(
            f"""() => {{
              const root = {SHADOW_JS};
              if (!root || document.activeElement !== root.host) return null;
              const el = root.activeElement;
              return el ? el.getAttribute("data-sa") || el.tagName : null;
            }}"""
        )

    async def messages(self, sender: str) -> list[str]:
        """Texts of the log's messages from ``user``, ``bot`` or ``agent``."""
        items = self.page.locator(f'[data-sa="message"][data-from="{sender}"]')
        return [
            "\n".join(t.strip() for t in await item.locator('[data-sa="text"]').all_inner_texts())
            for item in await items.all()
        ]

    async def wait_message(self, sender: str, count: int) -> None:
        """Until the log holds at least ``count`` messages from ``sender``."""
        item = self.page.locator(f'[data-sa="message"][data-from="{sender}"]').nth(count - 1)
        await item.wait_for(state="attached", timeout=WAIT_MS)

    async def session_id(self) -> str:
        """The client session id the widget keeps in localStorage."""
        found = await self.page.evaluate(
            f"""() => Object.keys(localStorage)
                  .filter((k) => k.startsWith({json.dumps(STORAGE_PREFIX)}))
                  .map((k) => localStorage.getItem(k))"""
        )
        assert len(found) == 1, found
        return str(found[0])

    async def conversation_id(self) -> str:
        """Rasa's sender id of this conversation (derived like the channel does)."""
        return derive_sender_id(self.stack.identity_secret, self.customer, await self.session_id())

    async def tracker(self) -> dict[str, Any]:
        sender = await self.conversation_id()
        response = httpx.get(
            f"{self.stack.config.rasa_url}/conversations/{sender}/tracker",
            params={"token": self.stack.token},
            timeout=30,
        )
        response.raise_for_status()
        return dict(response.json())

    async def user_texts(self) -> list[str]:
        """What rasa received from this conversation's shopper, in order."""
        events = (await self.tracker())["events"]
        return [str(e.get("text")) for e in events if e.get("event") == "user"]

    async def last_carousel(self) -> list[dict[str, Any]]:
        """The products of the last carousel rasa sent (from the tracker)."""
        for event in reversed((await self.tracker())["events"]):
            custom = (event.get("data") or {}).get("custom") if event["event"] == "bot" else None
            if isinstance(custom, dict) and custom.get("type") == "product_carousel":
                return list(custom["products"])
        raise AssertionError("no carousel in the tracker")

    def assert_no_errors(self) -> None:
        # The browser's own favicon request aside, nothing failed in the page.
        failures = [e for e in self.errors if not e.endswith("/favicon.ico")]
        assert failures == [], failures


@asynccontextmanager
async def widget_page(
    stack: Stack,
    shop: PageServer,
    name: str,
    *,
    customer: str | None = None,
    server: str | None = None,
    language: str = "en",
    context_options: dict[str, Any] | None = None,
) -> AsyncIterator[Widget]:
    """A fresh browser with the shop page open and the widget loaded."""
    config: dict[str, Any] = {
        "server": server or stack.config.rasa_url,
        "language": language,
        "title": "Shop assistant",
        "position": "right",
    }
    if customer:
        config["token"] = customer_token(stack.identity_secret, customer, ttl=3600)
    url = shop.add(
        f"/{name}",
        host_page(f"{stack.config.console_url}/widget/widget.js", config, lang=language),
    )
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        widget: Widget | None = None
        try:
            context = await browser.new_context(**(context_options or {}))
            page = await context.new_page()
            widget = Widget(page, stack, customer, name)
            await page.goto(url)
            await widget.wait_ready()
            yield widget
        except BaseException:
            if widget is not None:
                await widget.shot("failure")
            raise
        finally:
            await browser.close()


async def search(widget: Widget, carousels_before: int = 0) -> Any:
    """Ask for products; the new carousel's locator once it shows."""
    await widget.send(SEARCH)
    carousel = widget.hook("carousel").nth(carousels_before)
    await carousel.wait_for(state="visible", timeout=WAIT_MS)
    return carousel


async def hand_over_to_an_agent(widget: Widget, agent: AgentSession) -> str:
    """The shopper asks for a person in the widget; the agent claims the case. Its id."""
    bots = len(await widget.messages("bot"))
    await widget.send("I want to talk to a human")
    await widget.wait_message("bot", bots + 1)
    case = agent.case_of(await widget.conversation_id(), timeout=60)
    claimed = agent.post(f"/cases/{case['case_id']}/claim")
    assert claimed.status_code == 200, claimed.text
    return str(case["case_id"])


def resolve(agent: AgentSession, case_id: str) -> None:
    """Hand the conversation back and close the case (later tests see a clean queue)."""
    agent.post(f"/cases/{case_id}/handback", {"idempotency_key": key()})
    done = agent.post(
        f"/cases/{case_id}/resolve", {"note": "widget browser test", "idempotency_key": key()}
    )
    assert done.status_code == 200, done.text


def run(coro: Any) -> Any:
    return asyncio.run(coro)


# -- tests -----------------------------------------------------------------------------------
def test_open_search_and_product_carousel(stack: Stack, shop: PageServer, artifacts: Path) -> None:
    async def scenario() -> None:
        async with widget_page(stack, shop, "search", customer="CUS-1001") as w:
            launcher = w.hook("launcher")
            assert await launcher.get_attribute("aria-expanded") == "false"
            assert await w.hook("panel").is_hidden()
            await w.shot("closed")

            await w.open()
            assert await launcher.get_attribute("aria-expanded") == "true"
            panel_id = await w.hook("panel").get_attribute("id")
            assert panel_id and await launcher.get_attribute("aria-controls") == panel_id
            assert await w.hook("panel").get_attribute("role") == "dialog"
            assert await w.focused_hook() == "input"  # focus moved into the widget
            await w.wait_connected()
            await w.shot("open")

            carousel = await search(w)
            assert await w.messages("user") == [SEARCH]
            sent = await w.last_carousel()
            cards = carousel.locator('[data-sa="card"]')
            assert await cards.count() == len(sent) > 0
            titles = await cards.locator('[data-sa="card-title"]').all_inner_texts()
            assert titles == [p["title"] for p in sent]
            for index, product in enumerate(sent):
                card = cards.nth(index)
                assert await card.get_attribute("data-product-id") == product["id"]
                image = card.locator('[data-sa="card-image"]')
                assert (await image.get_attribute("src") or "").endswith(product["image_url"])
                assert (
                    await card.locator('[data-sa="card-price"]').inner_text()
                    == (product["price_text"])
                )
                rating = await card.locator('[data-sa="card-rating"]').get_attribute("aria-label")
                assert rating and re.search(r"out of 5", rating), rating
                assert str(product["review_count"]) in rating
                stock = card.locator('[data-sa="card-stock"]')
                assert (
                    await stock.get_attribute("data-in-stock") == str(product["in_stock"]).lower()
                )
                assert (await stock.inner_text()).strip().lower() in ("in stock", "out of stock")
                buttons = card.locator('[data-sa="card-button"]')
                kinds = [await b.get_attribute("data-kind") for b in await buttons.all()]
                assert kinds == ["details", "similar", "compare"], kinds
                assert await buttons.all_inner_texts() == [
                    "Details",
                    "More like this",
                    "Compare",
                ]
                payload = await buttons.first.get_attribute("data-payload")
                assert payload == f'/product_details{{"product_id":"{product["id"]}"}}'
            # The first card's image really loaded from the shop's /static/products/.
            first_image = cards.first.locator('[data-sa="card-image"]')
            await w.page.wait_for_function(
                f"() => {{ const img = {SHADOW_JS}.querySelector('[data-sa=\"card-image\"]');"
                " return img && img.complete && img.naturalWidth > 0; }",
                timeout=UI_MS,
            )
            assert await first_image.get_attribute("data-broken") is None
            assert await w.hook("typing").is_hidden()
            await w.shot("carousel")
            w.assert_no_errors()

    run(scenario())


def test_quick_reply_sends_its_payload_and_shows_its_title(
    stack: Stack, shop: PageServer, artifacts: Path
) -> None:
    async def scenario() -> None:
        async with widget_page(stack, shop, "quick-reply") as w:  # anonymous visitor
            await w.open()
            await w.wait_connected()
            await w.send("delete my data")
            replies = w.hook("quick-reply")
            await replies.first.wait_for(state="visible", timeout=WAIT_MS)
            assert await replies.all_inner_texts() == ["Yes, erase it", "No, keep it"]
            await w.shot("offered")

            keep = replies.filter(has_text="No, keep it")
            assert await keep.get_attribute("data-payload") == "/deny"
            bots = len(await w.messages("bot"))
            await keep.click()
            await w.wait_message("bot", bots + 1)
            assert (await w.messages("user"))[-1] == "No, keep it"  # the title is shown
            assert "haven't erased anything" in (await w.messages("bot"))[-1]
            assert (await w.user_texts())[-1] == "/deny"  # the payload is sent
            await w.shot("answered")
            w.assert_no_errors()

    run(scenario())


def test_details_button_shows_the_product_details(
    stack: Stack, shop: PageServer, artifacts: Path
) -> None:
    async def scenario() -> None:
        async with widget_page(stack, shop, "details", customer="CUS-1006") as w:
            await w.open()
            await w.wait_connected()
            carousel = await search(w)
            product = (await w.last_carousel())[0]
            bots = len(await w.messages("bot"))
            details = carousel.locator('[data-sa="card"]').first.locator(
                '[data-sa="card-button"][data-kind="details"]'
            )
            await details.click()
            await w.wait_message("bot", bots + 1)
            assert (await w.messages("user"))[-1] == "Details"
            sent = await w.user_texts()
            assert sent[-1] == f'/product_details{{"product_id":"{product["id"]}"}}'
            answer = "\n".join((await w.messages("bot"))[bots:])
            assert product["title"] in answer, answer
            await w.shot("details")
            w.assert_no_errors()

    run(scenario())


@pytest.mark.xfail(
    not model_knows("similar_products"),
    reason="the model does not know the similar_products intent yet (retrain after issue 6's"
    " actions: `make train`)",
    strict=False,
)
def test_more_like_this_shows_a_new_carousel(
    stack: Stack, shop: PageServer, artifacts: Path
) -> None:
    async def scenario() -> None:
        async with widget_page(stack, shop, "similar", customer="CUS-1006") as w:
            await w.open()
            await w.wait_connected()
            carousel = await search(w)
            first = (await w.last_carousel())[0]
            similar = carousel.locator('[data-sa="card"]').first.locator(
                '[data-sa="card-button"][data-kind="similar"]'
            )
            await similar.click()
            second = w.hook("carousel").nth(1)
            await second.wait_for(state="visible", timeout=WAIT_MS)
            assert (await w.messages("user"))[-1] == "More like this"
            shown = await second.locator('[data-sa="card"]').evaluate_all(
                "cards => cards.map(c => c.getAttribute('data-product-id'))"
            )
            assert shown and first["id"] not in shown
            assert shown == [p["id"] for p in await w.last_carousel()]
            await w.shot("similar")
            w.assert_no_errors()

    run(scenario())


def test_reload_shows_the_history_without_sending_again(
    stack: Stack, shop: PageServer, artifacts: Path
) -> None:
    async def scenario() -> None:
        async with widget_page(stack, shop, "history", customer="CUS-1001") as w:
            await w.open()
            await w.wait_connected()
            await search(w)
            shown_before = await w.page.locator('[data-sa="message"]').count()
            titles = await w.hook("card-title").all_inner_texts()
            sent_before = await w.user_texts()
            assert sent_before[-1] == SEARCH
            session = await w.session_id()

            await w.page.reload()
            await w.wait_ready()
            if await w.hook("panel").is_hidden():
                await w.open()
            history = w.page.locator('[data-sa="message"][data-history="true"]')
            await history.nth(shown_before - 1).wait_for(state="attached", timeout=WAIT_MS)
            await w.wait_connected()
            assert await w.session_id() == session  # the same conversation
            assert await history.count() == shown_before
            assert await w.page.locator('[data-sa="message"]').count() == shown_before
            assert await w.messages("user") == [SEARCH]
            assert await w.hook("card-title").all_inner_texts() == titles
            await w.shot("history")

            # A next message goes out once; nothing was re-sent on reconnecting (socket.io
            # keeps the order, so a re-sent message would be in the tracker before this one).
            bots = len(await w.messages("bot"))
            await w.send("thanks")
            await w.wait_message("bot", bots + 1)
            assert await w.user_texts() == [*sent_before, "thanks"]
            w.assert_no_errors()

    run(scenario())


def test_mobile_viewport_panel_covers_the_screen(
    stack: Stack, shop: PageServer, artifacts: Path
) -> None:
    phone = {
        "viewport": {"width": 375, "height": 740},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    }

    async def scenario() -> None:
        async with widget_page(
            stack, shop, "mobile", customer="CUS-1001", context_options=phone
        ) as w:
            await w.shot("closed")
            await w.hook("launcher").tap()
            await w.hook("panel").wait_for(state="visible", timeout=UI_MS)
            box = await w.hook("panel").bounding_box()
            assert box is not None
            assert box["x"] <= 1 and box["y"] <= 1, box
            assert box["width"] >= 374 and box["height"] >= 739, box
            for name in ("send", "close"):
                target = await w.hook(name).bounding_box()
                assert target and target["width"] >= 44 and target["height"] >= 44, (name, target)
            await w.wait_connected()
            await w.hook("input").tap()
            await w.hook("input").fill(SEARCH)
            await w.hook("send").tap()
            carousel = w.hook("carousel").first
            await carousel.wait_for(state="visible", timeout=WAIT_MS)
            card = await w.hook("card").first.bounding_box()
            assert card and card["x"] >= 0 and card["x"] + card["width"] <= 375, card
            await w.shot("carousel")
            await w.hook("close").tap()
            await w.hook("panel").wait_for(state="hidden", timeout=UI_MS)
            await w.shot("closed-again")
            w.assert_no_errors()

    run(scenario())


def test_agent_reply_shows_as_from_a_person_with_the_name(
    stack: Stack, shop: PageServer, artifacts: Path
) -> None:
    agent = AgentSession(stack.config.console_url, *stack.console_admin)
    name = agent.http.get("/session").json()["display_name"]

    async def scenario() -> None:
        async with widget_page(stack, shop, "agent", customer="CUS-1006") as w:
            await w.open()
            await w.wait_connected()
            case_id = await hand_over_to_an_agent(w, agent)
            await w.shot("handed-over")

            sent = agent.post(
                f"/cases/{case_id}/reply",
                {"text": "Hi, I'm from the shop. How can I help?", "idempotency_key": key()},
            )
            assert sent.status_code == 201, sent.text
            await w.wait_message("agent", 1)
            line = w.page.locator('[data-sa="message"][data-from="agent"]').first
            assert await line.locator('[data-sa="agent"]').inner_text() == name
            assert "Hi, I'm from the shop" in await line.locator('[data-sa="text"]').inner_text()
            # Screen readers hear who speaks: "Support agent <name>:".
            spoken = await line.evaluate("el => el.textContent")
            assert "Support agent" in spoken and name in spoken, spoken
            await w.shot("agent-reply")

            # After a reload the history still marks the agent's message, with the name.
            await w.page.reload()
            await w.wait_ready()
            if await w.hook("panel").is_hidden():
                await w.open()
            again = w.page.locator('[data-sa="message"][data-from="agent"][data-history="true"]')
            await again.first.wait_for(state="attached", timeout=WAIT_MS)
            assert await again.first.locator('[data-sa="agent"]').inner_text() == name
            await w.shot("agent-history")
            resolve(agent, case_id)
            w.assert_no_errors()

    try:
        run(scenario())
    finally:
        agent.close()


def test_unread_badge_counts_messages_while_closed(
    stack: Stack, shop: PageServer, artifacts: Path
) -> None:
    agent = AgentSession(stack.config.console_url, *stack.console_admin)

    async def scenario() -> None:
        async with widget_page(stack, shop, "badge", customer="CUS-1005") as w:
            await w.open()
            await w.wait_connected()
            case_id = await hand_over_to_an_agent(w, agent)
            assert await w.hook("badge").is_hidden()
            await w.page.keyboard.press("Escape")
            await w.hook("panel").wait_for(state="hidden", timeout=UI_MS)

            for text in ("One moment, I'm checking.", "Found it!"):
                sent = agent.post(
                    f"/cases/{case_id}/reply", {"text": text, "idempotency_key": key()}
                )
                assert sent.status_code == 201, sent.text
            badge = w.page.locator('[data-sa="badge"]:not([hidden])')
            await badge.wait_for(state="visible", timeout=WAIT_MS)
            await w.page.wait_for_function(
                f"() => {SHADOW_JS}.querySelector('[data-sa=\"badge\"]').textContent === '2'",
                timeout=WAIT_MS,
            )
            # The launcher tells screen readers too, not only the red dot.
            launcher_name = await w.hook("launcher").get_attribute("aria-label")
            assert launcher_name and "2" in launcher_name, launcher_name
            await w.shot("badge")

            await w.open()
            assert await w.hook("badge").is_hidden()
            assert await w.messages("agent") == ["One moment, I'm checking.", "Found it!"]
            resolve(agent, case_id)
            w.assert_no_errors()

    try:
        run(scenario())
    finally:
        agent.close()


def test_hostile_agent_reply_shows_as_text(stack: Stack, shop: PageServer, artifacts: Path) -> None:
    agent = AgentSession(stack.config.console_url, *stack.console_admin)

    async def scenario() -> None:
        async with widget_page(stack, shop, "hostile", customer="CUS-1001") as w:
            await w.open()
            await w.wait_connected()
            case_id = await hand_over_to_an_agent(w, agent)
            sent = agent.post(
                f"/cases/{case_id}/reply", {"text": HOSTILE, "idempotency_key": key()}
            )
            assert sent.status_code == 201, sent.text
            await w.wait_message("agent", 1)
            line = w.page.locator('[data-sa="message"][data-from="agent"]').first
            text = line.locator('[data-sa="text"]')
            shown = await text.inner_text()
            assert '<img src=x onerror="window.__pwned=1">' in shown, shown
            assert "<script>window.__pwned=2</script>" in shown, shown
            assert await text.locator("img, script").count() == 0
            assert await text.locator("strong").inner_text() == "hi"  # markdown-lite still works
            await asyncio.sleep(0.5)  # give an injected handler every chance to run
            assert await w.page.evaluate("typeof window.__pwned") == "undefined"
            await w.shot("hostile-text")
            resolve(agent, case_id)
            w.assert_no_errors()

    try:
        run(scenario())
    finally:
        agent.close()


def test_broken_image_shows_a_placeholder(stack: Stack, shop: PageServer, artifacts: Path) -> None:
    async def scenario() -> None:
        async with widget_page(stack, shop, "broken-image", customer="CUS-1006") as w:
            missing: list[str] = []

            async def not_found(route: Any) -> None:
                missing.append(route.request.url)
                await route.fulfill(status=404, body="not found")

            await w.page.route("**/static/products/**", not_found)
            await w.open()
            await w.wait_connected()
            await search(w)
            first = w.hook("card").first
            broken = first.locator('[data-sa="card-image"][data-broken="true"]')
            await broken.wait_for(state="attached", timeout=UI_MS)
            assert missing, "the image was requested"
            assert await broken.is_hidden()
            placeholder = first.locator(".sa-card-placeholder")
            assert await placeholder.is_visible()
            assert (await placeholder.inner_text()).strip()
            await w.shot("placeholder")
            w.errors.clear()  # the 404s themselves are logged by the browser

    run(scenario())


def test_too_long_message_is_refused_with_a_note(
    stack: Stack, shop: PageServer, artifacts: Path
) -> None:
    async def scenario() -> None:
        async with widget_page(stack, shop, "too-long", customer="CUS-1006") as w:
            await w.open()
            await w.wait_connected()
            await w.send("hi")
            await w.wait_message("bot", 1)
            sent_before = await w.user_texts()

            await w.hook("input").fill("x" * 10_000)
            note = w.hook("note")
            await note.wait_for(state="visible", timeout=UI_MS)
            assert "too long" in (await note.inner_text()).lower()
            assert await w.hook("counter").get_attribute("data-over") == "true"
            assert await w.hook("send").is_disabled()
            await w.hook("input").press("Enter")
            await w.hook("send").click(force=True)  # a click on the disabled button does nothing
            await w.shot("refused")
            assert await w.messages("user") == ["hi"]
            # The next message goes out; had the long one been sent, rasa would have it first.
            await w.send("ok thanks")
            await w.wait_message("bot", 2)
            assert await w.messages("user") == ["hi", "ok thanks"]
            assert await w.user_texts() == [*sent_before, "ok thanks"]
            w.assert_no_errors()

    run(scenario())


def test_lost_connection_reconnects_and_sends_the_queued_message_once(
    stack: Stack, shop: PageServer, artifacts: Path
) -> None:
    async def scenario() -> None:
        proxy = await TcpProxy("127.0.0.1", stack.config.rasa_port).start()
        try:
            async with widget_page(
                stack, shop, "reconnect", customer="CUS-1001", server=proxy.url
            ) as w:
                await w.open()
                await w.wait_connected()
                await w.send("hi")
                await w.wait_message("bot", 1)
                bots = len(await w.messages("bot"))

                await proxy.cut()
                status = w.hook("status")
                await status.wait_for(state="visible", timeout=UI_MS)
                assert await status.get_attribute("data-state") == "reconnecting"
                assert "reconnecting" in (await status.inner_text()).lower()
                await w.shot("reconnecting")

                await w.send("show me tents")
                await w.wait_message("user", 2)  # shown at once, queued
                await w.shot("queued")
                await asyncio.sleep(1.0)  # the widget retries against the cut proxy meanwhile
                await proxy.restore()

                await status.wait_for(state="hidden", timeout=WAIT_MS)
                await w.wait_message("bot", bots + 1)
                await w.shot("reconnected")
                assert await w.messages("user") == ["hi", "show me tents"]
                # One more message: socket.io keeps the order, so a queued message sent twice
                # would be in the tracker before this one. Rasa got each exactly once.
                bots = len(await w.messages("bot"))
                await w.send("thanks")
                await w.wait_message("bot", bots + 1)
                assert await w.user_texts() == ["hi", "show me tents", "thanks"]
                assert proxy.connections >= 2  # it really connected again
                w.errors = [e for e in w.errors if "ERR_CONNECTION" not in e]
                w.assert_no_errors()
        finally:
            await proxy.close()

    run(scenario())


def test_keyboard_only(stack: Stack, shop: PageServer, artifacts: Path) -> None:
    async def scenario() -> None:
        async with widget_page(stack, shop, "keyboard", customer="CUS-1006") as w:
            page = w.page
            for _ in range(10):
                await page.keyboard.press("Tab")
                if await w.focused_hook() == "launcher":
                    break
            assert await w.focused_hook() == "launcher"
            await w.shot("launcher-focused")

            await page.keyboard.press("Enter")
            await w.hook("panel").wait_for(state="visible", timeout=UI_MS)
            assert await w.focused_hook() == "input"
            await w.wait_connected()
            await page.keyboard.type("hello there")
            await page.keyboard.press("Enter")
            await w.wait_message("bot", 1)
            assert await w.messages("user") == ["hello there"]
            assert (await w.user_texts())[-1] == "hello there"
            await w.shot("sent")

            await page.keyboard.press("Escape")
            await w.hook("panel").wait_for(state="hidden", timeout=UI_MS)
            assert await w.focused_hook() == "launcher"
            assert await w.hook("launcher").get_attribute("aria-expanded") == "false"
            await w.shot("closed")
            w.assert_no_errors()

    run(scenario())


def test_axe_finds_no_serious_violations_with_a_carousel(
    stack: Stack, shop: PageServer, artifacts: Path
) -> None:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: npm ci", pytrace=False)

    async def scenario() -> None:
        async with widget_page(stack, shop, "axe", customer="CUS-1001") as w:
            await w.open()
            await w.wait_connected()
            await search(w)
            await w.shot("audited")
            await w.page.add_script_tag(path=str(AXE))
            result = await w.page.evaluate("async () => await axe.run(document)")
            violations = result["violations"]
            print(f"axe-core {result['testEngine']['version']}: {len(violations)} violation(s)")
            for v in violations:
                nodes = [n.get("target") for n in v["nodes"]][:5]
                print(f"axe {v['impact']}: {v['id']} - {v['help']} ({len(v['nodes'])}) {nodes}")
            bad = [v["id"] for v in violations if v["impact"] in ("serious", "critical")]
            assert bad == [], bad
            assert result["passes"], "axe ran its checks"

    run(scenario())


def key() -> str:
    return uuid.uuid4().hex
