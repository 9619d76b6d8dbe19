"""The browser view in a real browser: `kamboard serve`, Debian's Chromium driven by Playwright.

A participant opens their link, sees the board, votes with `v` and with a click on a card, and
the votes land in the file under their name; a link with a wrong token shows the 403 page.

xterm.js keeps its terminal inside a closure of textual-serve's static script, so the test
serves a copy of that script that also puts the terminal on ``window.__kamTerm`` (the one
replacement is asserted: a textual-serve upgrade that changes the line fails here, loudly).
Skipped only when no Chromium is installed (.ci/run installs it when it can).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import textual_serve
from harness import start_serve, voting_board

from kamboard import voting
from kamboard.store import BoardStore

CHROMIUM = "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else shutil.which("chromium")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium installed (/usr/bin/chromium, or chromium on PATH)"),
]

SCRIPT = Path(textual_serve.__file__).parent / "static" / "js" / "textual.js"
NEEDLE = "this.terminal=new v.Terminal("
ACCOUNT = "Hansa Logistik AG"
FACILITATOR = "Fran Keller"
PEOPLE = ["Ana Silva", "Ben Okoro"]
TITLES = ["Fleet electrification", "Port congestion in Hamburg", "Driver shortage"]

READ_SCREEN = """() => {
    const t = window.__kamTerm, b = t.buffer.active, out = [];
    for (let i = 0; i < t.rows; i++) { const l = b.getLine(b.viewportY + i); out.push(l ? l.translateToString(true) : ""); }
    return out.join("\\n");
}"""
CELL = """() => {
    const t = window.__kamTerm, r = t.element.querySelector(".xterm-screen").getBoundingClientRect();
    return {x: r.left, y: r.top, w: r.width / t.cols, h: r.height / t.rows};
}"""


def patched_script() -> str:
    """textual-serve's script with the terminal also stored on ``window.__kamTerm``."""
    text = SCRIPT.read_text(encoding="utf-8")
    assert text.count(NEEDLE) == 1, f"textual-serve's {SCRIPT.name} no longer creates its terminal as {NEEDLE!r}"
    return text.replace(NEEDLE, "this.terminal=window.__kamTerm=new v.Terminal(")


def build_board(path: Path, people: list[str] = PEOPLE, budget: int = 5) -> tuple[str, str]:
    """A small demo-like board (``harness.voting_board``). Returns (workshop id, account id)."""
    return voting_board(
        path, people, TITLES, budget=budget, per_card=min(budget, 3), account=ACCOUNT, facilitator=FACILITATOR
    )


def votes_of(path: Path, workshop_id: str, person: str) -> dict[str, int]:
    """{card title: votes} that ``person`` has in the workshop, read from the file."""
    store = BoardStore(path, user="reader", readonly=True)
    out = {}
    for card in store.cards():
        mine = voting.voters_in(card, workshop_id).get(person, 0)
        if mine:
            out[str(card["title"])] = mine
    return out


async def poll(check: Callable[[], Any], what: str, timeout: float = 20.0) -> Any:
    """Wait until ``check()`` (sync or async) gives something truthy; fail naming ``what``."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = check()
        if asyncio.iscoroutine(last):
            last = await last
        if last:
            return last
        await asyncio.sleep(0.2)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what} (last: {last!r})")


async def open_terminal(browser: Any, url: str) -> Any:
    """A page on ``url`` served the patched script; returns it once the terminal exists."""
    page = await browser.new_page(viewport={"width": 1280, "height": 800})
    script = patched_script()

    async def serve_script(route: Any) -> None:
        await route.fulfill(body=script, content_type="application/javascript")

    await page.route("**/static/js/textual.js", serve_script)
    await page.route("https://fonts.googleapis.com/**", lambda route: route.abort())  # offline here
    await page.goto(url)
    await page.wait_for_function("() => window.__kamTerm !== undefined", timeout=20_000)
    return page


async def screen(page: Any) -> str:
    return str(await page.evaluate(READ_SCREEN))


async def click_text(page: Any, text: str) -> None:
    """Click the middle of ``text`` where the terminal shows it (first occurrence)."""
    lines = (await screen(page)).splitlines()
    row, col = next((i, line.index(text)) for i, line in enumerate(lines) if text in line)
    cell = await page.evaluate(CELL)
    await page.mouse.click(cell["x"] + (col + len(text) / 2) * cell["w"], cell["y"] + (row + 0.5) * cell["h"])


async def test_participant_votes_from_chromium(tmp_path: Path) -> None:
    from playwright.async_api import async_playwright

    board = tmp_path / "board.json"
    workshop_id, _ = build_board(board)
    ana = PEOPLE[0]
    server = start_serve(board, ACCOUNT, "--workshop", workshop_id, "--facilitator", FACILITATOR, "--no-qr")
    try:
        async with async_playwright() as playwright:
            args = ["--no-sandbox"] if os.geteuid() == 0 else []
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=args)
            try:
                page = await open_terminal(browser, server.links[ana])
                await poll(lambda: _has_all(page, TITLES), "the participant's board with its topics")

                # v votes for the card the participant app has selected
                await page.evaluate("() => window.__kamTerm.focus()")
                await page.keyboard.press("v")
                first = await poll(lambda: votes_of(board, workshop_id, ana), f"{ana}'s vote from 'v' in the file")
                assert sum(first.values()) == 1, first

                # a click on a card the participant has not voted on yet votes for it
                other = next(title for title in TITLES if title not in first)
                await click_text(page, other)
                votes = await poll(
                    lambda: (v := votes_of(board, workshop_id, ana)).get(other) and v,
                    f"{ana}'s click vote on {other!r}",
                )
                assert votes == {**first, other: 1}
                await poll(lambda: _has_all(page, ["3 of 5 votes left"]), "the two votes counted on her screen")
                assert votes_of(board, workshop_id, PEOPLE[1]) == {}, "a vote went to another participant"
                events = BoardStore(board, user="reader", readonly=True).events()
                voted = [event for _, event in events if event["kind"] == "card.vote"]
                assert [event["by"] for event in voted] == [ana, ana]

                # a token not handed out: the 403 page, no terminal
                wrong = await browser.new_page()
                response = await wrong.goto(f"http://127.0.0.1:{server.port}/?token=not-a-token")
                assert response is not None and response.status == 403
                assert "xterm" not in (await wrong.content()).lower()
            finally:
                await browser.close()
    finally:
        server.stop()


async def _has_all(page: Any, texts: list[str]) -> bool:
    text = await screen(page)
    return all(t in text for t in texts)
