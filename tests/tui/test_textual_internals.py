"""The Textual internals kamboard relies on (kamboard/tui/internals.py), one test each.

Each test asserts that the private name exists and behaves as kamboard assumes, so a Textual
upgrade that changes it fails here, loudly, instead of quietly on the user's screen.
"""

from __future__ import annotations

import inspect
from typing import ClassVar

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hits, Provider
from textual.css.stylesheet import Stylesheet
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Static

from kamboard.tui.internals import (
    TEXTUAL_SCREENSHOT,
    KeptStylesheet,
    KeysFollowFocus,
    SteadyFooter,
    after_other_providers,
    give_result_callback,
    keep_parsed_stylesheet,
    own_bindings,
    replace_notice,
    without_textual_screenshot,
)

CSS = """
Static { color: $primary; }
#x { background: $panel; }
"""


def rules_of(sheet: Stylesheet) -> list[str]:
    return [rule.css for rule in sheet.rules]


# ---------------------------------------------------------------- the stylesheet's reparse
def test_the_apps_stylesheet_is_a_plain_stylesheet_whose_class_can_be_swapped() -> None:
    app = App[None]()
    assert type(app.stylesheet) is Stylesheet  # made in App.__init__, before ours runs
    assert inspect.signature(Stylesheet.reparse).parameters.keys() == {"self"}
    keep_parsed_stylesheet(app)
    assert type(app.stylesheet) is KeptStylesheet


def test_parsing_in_place_gives_the_rules_textuals_reparse_gives() -> None:
    theirs, ours = Stylesheet(), KeptStylesheet()
    for sheet in (theirs, ours):
        sheet.set_variables({"primary": "red", "panel": "blue"})
        sheet.add_source(CSS, read_from=("test", ""))
        sheet.reparse()
    assert rules_of(ours) == rules_of(theirs) and rules_of(ours)
    for sheet in (theirs, ours):  # a theme change: new variables, parsed again
        sheet.set_variables({"primary": "green", "panel": "black"})
        sheet.reparse()
    assert rules_of(ours) == rules_of(theirs)
    assert "#008000" in " ".join(rules_of(ours))  # green: the new variables


async def test_textual_reparses_the_apps_stylesheet_when_the_theme_is_set() -> None:
    calls: list[str] = []

    class Counting(KeptStylesheet):
        def reparse(self) -> None:
            calls.append("reparse")
            super().reparse()

    app = App[None]()
    app.stylesheet.__class__ = Counting
    async with app.run_test() as pilot:
        calls.clear()
        app.theme = "textual-light"
        await pilot.pause()
        assert calls  # the reparse we replace is the one a theme change runs


# ---------------------------------------------------------------- Textual issue #2650
class _Start(Screen[None]):
    pass


class _StartsOnAScreen(App[None]):
    def get_default_screen(self) -> Screen[None]:
        return _Start()


async def test_switching_away_from_the_default_screen_needs_a_result_callback() -> None:
    params = inspect.signature(Screen._push_result_callback).parameters
    assert list(params)[:3] == ["self", "requester", "callback"]
    app = _StartsOnAScreen()
    async with app.run_test() as pilot:
        try:
            app.switch_screen(Screen())
        except IndexError:  # the bug the workaround is for (fixed upstream: drop give_result_callback)
            pass
        else:
            raise AssertionError("switch_screen from the default screen works now: Textual fixed #2650")
    app = _StartsOnAScreen()
    async with app.run_test() as pilot:
        give_result_callback(app.screen)
        replacement = Screen[None]()
        app.switch_screen(replacement)
        await pilot.pause()
        assert app.screen is replacement


# ---------------------------------------------------------------- the screen's own bindings
class _Base(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("e,enter", "edit", "Edit", id="t.edit")]


class _Sub(_Base):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("x", "cut", "Cut", id="t.cut")]


async def test_key_to_bindings_holds_the_screens_bindings_one_per_key_with_its_bases() -> None:
    app = App[None]()
    async with app.run_test():
        screen = _Sub()
        await app.push_screen(screen)
        found = {(b.key, b.id) for b in own_bindings(screen)}
        assert {("e", "t.edit"), ("enter", "t.edit"), ("x", "t.cut")} <= found
        assert all(isinstance(b, Binding) for b in own_bindings(screen))
        assert ("tab", None) in found  # Screen's own (no id): the palette and the key help skip them


# ---------------------------------------------------------------- the palette's Screenshot
async def test_textuals_palette_offers_a_screenshot_by_that_title() -> None:
    app = App[None]()
    async with app.run_test():
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert TEXTUAL_SCREENSHOT in titles
        kept = [c.title for c in without_textual_screenshot(app.get_system_commands(app.screen))]
        assert kept == [t for t in titles if t != TEXTUAL_SCREENSHOT]


# ---------------------------------------------------------------- the palette's order with nothing typed
class _Own(Provider):
    async def discover(self) -> Hits:
        await after_other_providers()
        for title in ("A screen's own", "Another of its own"):
            yield DiscoveryHit(title, lambda: None)

    async def search(self, query: str) -> Hits:
        for title in ():
            yield DiscoveryHit(title, lambda: None)


class _WithOwnEntries(Screen[None]):
    COMMANDS: ClassVar[set[type[Provider]]] = {_Own}


async def test_a_provider_that_waits_lists_its_entries_after_textuals_at_every_opening() -> None:
    app = App[None]()
    async with app.run_test() as pilot:
        await app.push_screen(_WithOwnEntries())
        for _ in range(4):
            await pilot.press("ctrl+p")
            for _ in range(100):
                await pilot.pause(0.02)
                if isinstance(app.screen, CommandPalette) and app.screen.has_class("-ready"):
                    break  # Textual's mark: every provider has answered
            listed = app.screen.query_one(CommandList)
            titles = [str(listed.get_option_at_index(i).prompt).split("\n")[0] for i in range(listed.option_count)]
            assert "Quit" in titles and titles[-2:] == ["A screen's own", "Another of its own"], titles
            await pilot.press("escape")
            await pilot.pause()


# ---------------------------------------------------------------- the footer's bindings_changed
class _TwoButtons(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("a", "noop", "Add", id="t.add")]

    def compose(self) -> ComposeResult:
        yield Button("one", id="one")
        yield Button("two", id="two")
        yield Static("no keys")
        yield _CountingFooter()

    def action_noop(self) -> None:
        pass


class _CountingFooter(SteadyFooter):
    rebuilt = 0

    async def recompose(self) -> None:
        _CountingFooter.rebuilt += 1
        await super().recompose()


async def _settled(pilot: Pilot[None], footer: _CountingFooter) -> None:
    """Wait until Textual has given the footer its keys (on a busy machine that takes a few refreshes)."""
    for _ in range(200):
        if footer._shown is not None and footer.children:
            break
        await pilot.pause(0.01)
    await pilot.pause()


async def test_the_footer_is_told_of_changed_bindings_as_assumed() -> None:
    assert "bindings_changed" in Footer.__dict__
    assert list(inspect.signature(Footer.bindings_changed).parameters) == ["self", "screen"]
    app = App[None]()
    async with app.run_test() as pilot:
        screen = _TwoButtons()
        await app.push_screen(screen)
        await pilot.pause()
        active = next(iter(screen.active_bindings.values()))
        assert {"node", "binding", "enabled", "tooltip"} <= set(type(active)._fields)
        assert any(key == "a" and a.binding.description == "Add" for key, a in screen.active_bindings.items())
        footer = screen.query_one(_CountingFooter)
        await _settled(pilot, footer)
        assert footer.children  # Textual built the keys through bindings_changed
        before = _CountingFooter.rebuilt
        screen.query_one("#two").focus()  # the same keys: the footer is not rebuilt
        await pilot.pause()
        await pilot.pause()
        assert _CountingFooter.rebuilt == before
        screen.bindings_updated_signal.publish(screen)  # how Textual tells the footer
        await pilot.pause()
        assert _CountingFooter.rebuilt == before
        screen.refresh_bindings()
        await pilot.pause()
        assert footer.children


async def test_the_footer_rebuilds_when_the_keys_change() -> None:
    app = App[None]()
    async with app.run_test() as pilot:
        screen = _TwoButtons()
        await app.push_screen(screen)
        await pilot.pause()
        before = _CountingFooter.rebuilt
        footer = screen.query_one(_CountingFooter)
        footer._shown = ("something else",)  # as if other keys had been shown
        screen.bindings_updated_signal.publish(screen)
        await pilot.pause()
        await pilot.pause()
        assert _CountingFooter.rebuilt > before  # Textual's own bindings_changed recomposed it


async def test_the_footer_shows_its_keys_before_the_app_has_the_focus() -> None:
    """A browser tab (textual-serve) not clicked yet: the app is blurred, Textual's footer stays empty."""
    app = App[None]()
    async with app.run_test() as pilot:
        app.app_focus = False
        await pilot.pause()
        screen = _TwoButtons()
        await app.push_screen(screen)
        footer = screen.query_one(_CountingFooter)
        for _ in range(200):
            if footer.children:
                break
            await pilot.pause(0.01)
        assert footer.children
        assert not app.app_focus


async def test_replace_notice_takes_the_previous_toast_off_and_leaves_others() -> None:
    app = App[None]()
    async with app.run_test() as pilot:
        app.notify("an error to keep", severity="error")
        first = replace_notice(app, None, "one", "News", 5)
        await pilot.pause()
        second = replace_notice(app, first, "two", "News", 5)
        await pilot.pause()
        shown = [(n.title, n.message) for n in app._notifications]
        assert shown == [("", "an error to keep"), ("News", "two")]
        assert second in app._notifications and first not in app._notifications
        replace_notice(app, first, "three", "News", 5)  # the previous one has gone already: no error
        await pilot.pause()
        assert len(list(app._notifications)) == 3


# ---------------------------------------------------------------- on_screen_resume before Screen's
class _Resumed(Screen[None]):
    def __init__(self, keep_styles: bool) -> None:
        super().__init__()
        self.keep_styles = keep_styles
        self.calls: list[str] = []

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        self.calls.append("on_screen_resume")
        if self.keep_styles:
            event.refresh_styles = False

    def update_node_styles(self, animate: bool = True) -> None:
        self.calls.append("restyled")
        super().update_node_styles(animate)


async def test_a_screens_public_resume_handler_runs_first_and_can_skip_the_restyle() -> None:
    assert "_on_screen_resume" in Screen.__dict__
    assert "refresh_styles" in inspect.getsource(Screen._on_screen_resume)
    app = App[None]()
    async with app.run_test() as pilot:
        skipping, restyling = _Resumed(keep_styles=True), _Resumed(keep_styles=False)
        await app.push_screen(skipping)
        await pilot.pause()
        assert skipping.calls[:1] == ["on_screen_resume"] and "restyled" not in skipping.calls
        await app.push_screen(restyling)
        await pilot.pause()
        assert restyling.calls[:2] == ["on_screen_resume", "restyled"]


class _Field(Screen[None]):
    """A screen with two fields; the first takes the focus when composed."""

    def compose(self) -> ComposeResult:
        yield Input(id="one", select_on_focus=False)
        yield Input(id="two", select_on_focus=False)


class _KeyedField(KeysFollowFocus[None]):
    def compose(self) -> ComposeResult:
        yield Input(id="one", select_on_focus=False)
        yield Input(id="two", select_on_focus=False)

    def on_mount(self) -> None:
        self.query_one("#one", Input).focus()


def _burst(app: App[None], typed: str) -> None:
    for character in typed:
        app.post_message(events.Key("tab", None) if character == "\t" else events.Key(character, character))


async def test_a_key_goes_to_the_screen_itself_while_no_widget_has_the_focus() -> None:
    assert "_forward_event" in Screen.__dict__  # what KeysFollowFocus overrides
    source = inspect.getsource(App.on_event)
    assert "forward_target = self.focused or self.screen" in source
    assert "forward_target._forward_event(event)" in source
    app = App[None]()
    async with app.run_test():
        plain = _Field()
        app.push_screen(plain)  # not awaited: keys may come before it is composed, as a fast typist's do
        assert app.screen is plain and app.focused is None  # the next key goes to plain._forward_event


async def test_keys_follow_focus_holds_early_keys_and_moves_on_tab_before_the_next_key() -> None:
    app = App[None]()
    async with app.run_test() as pilot:
        keyed = _KeyedField()
        app.push_screen(keyed)  # not awaited: the keys come before it is composed
        _burst(app, "ab")
        await pilot.pause()
        one, two = keyed.query_one("#one", Input), keyed.query_one("#two", Input)
        assert one.value == "ab" and app.focused is one
        _burst(app, "\tcd\tef")  # Tab at full speed: the keys behind it go to the field focused
        await pilot.pause()
        assert (one.value, two.value) == ("abef", "cd") and app.focused is one


async def test_without_it_keys_typed_right_after_tab_land_in_the_field_left() -> None:
    app = App[None]()
    async with app.run_test() as pilot:
        plain = _Field()
        await app.push_screen(plain)
        await pilot.pause()
        _burst(app, "ab\tcd")
        await pilot.pause()
        assert plain.query_one("#one", Input).value == "abcd"  # Textual's tab binding ran after them
