"""Every use of Textual's private API in kamboard, fenced in one module.

Each use below is worth its price (a faster first paint, a Textual bug worked around, a footer
that does not rebuild for nothing) and has a test in ``tests/tui/test_textual_internals.py``
that asserts the internal it relies on exists and behaves as assumed: a Textual upgrade that
changes one fails CI there, not on the user's screen.

Relied on, without a private name (tested there too): Textual dispatches a screen subclass's
public ``on_screen_resume`` before ``Screen._on_screen_resume``, which honours
``event.refresh_styles = False`` set there (the board skips its first restyle so).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar, TypeVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.css.stylesheet import Stylesheet
from textual.notifications import Notification, Notify
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Footer

ResultType = TypeVar("ResultType")

TEXTUAL_SCREENSHOT = "Screenshot"  # the title of Textual's own palette command (saves to ~/Downloads)


class KeptStylesheet(Stylesheet):
    """Textual's stylesheet whose ``reparse`` parses in place, keeping what it parsed.

    Textual's ``reparse`` (run when the theme is set: at every start and at each theme change)
    parses every source in a scratch sheet and keeps only its rules, after ``set_variables``
    emptied this sheet's cache of parsed sources: the next widget type to mount then parsed
    every source once more (~3 ms of the first paint). Parsing in place gives the same rules.
    """

    def reparse(self) -> None:
        self.parse()


def replace_notice(
    app: App[Any], previous: Notification | None, message: str, title: str, timeout: float
) -> Notification:
    """Show a notice in place of ``previous`` (when it still shows): a stream of news stays one
    toast instead of a stack over the board. Private: ``App._unnotify`` and the ``Notify`` message."""
    notice = Notification(message, title, "information", timeout, markup=False)
    if previous is not None and previous in app._notifications:
        app._unnotify(previous, refresh=False)
    app.post_message(Notify(notice))
    return notice


def keep_parsed_stylesheet(app: App[Any]) -> None:
    """Give ``app``'s stylesheet the in-place reparse above (call in ``__init__``, after Textual's).

    Private: swaps the class of the ``Stylesheet`` Textual made; relies on its ``reparse``."""
    app.stylesheet.__class__ = KeptStylesheet


def give_result_callback(screen: Screen[Any]) -> None:
    """Give the app's default screen the result callback Textual gives every screen it pushes.

    Textual gives the default screen none, yet ``switch_screen`` pops one from the screen it
    replaces (Textual issue #2650: IndexError). Private: ``Screen._push_result_callback``."""
    screen._push_result_callback(screen, None)


def own_bindings(screen: Screen[Any]) -> Iterator[Binding]:
    """The screen's own bindings (its BINDINGS and its base classes', Screen's tab and copy too),
    one per key: a Binding with keys "e,enter" comes once for "e" and once for "enter".

    Private: ``screen._bindings.key_to_bindings``. The public ``active_bindings`` gives one
    binding per key for the focus chain, where a focused widget's key hides the screen's."""
    for bindings in screen._bindings.key_to_bindings.values():
        yield from bindings


def without_textual_screenshot(commands: Iterable[SystemCommand]) -> Iterator[SystemCommand]:
    """Textual's system commands less its Screenshot (ours asks where to save); found by its title."""
    for command in commands:
        if command.title != TEXTUAL_SCREENSHOT:
            yield command


async def after_other_providers() -> None:
    """Let the palette's other providers list their hits first (call first in a provider's
    ``discover``): the palette runs each provider as a task, in the order of a set, and lists
    the hits with nothing typed in the order they came; Textual's own provider yields all its
    hits without waiting. So the screen's entries follow the keys, at every opening alike.

    Private: the palette's scheduling (``CommandPalette._search_for``)."""
    await asyncio.sleep(0)


class SteadyFooter(Footer):
    """Textual's footer, rebuilt only when the keys it would show changed.

    Textual rebuilds every key of the footer whenever the focus moves. Moving a card to the
    next lane (the focus moves to that lane, whose keys are the same) rebuilt and restyled ~20
    keys twice: ~12 ms of each L/H before the board repainted.

    Private: overrides ``Footer.bindings_changed``, the callback Textual's footer subscribes to
    the screen's ``bindings_updated_signal`` and that recomposes it when the app has the focus.
    """

    _shown: tuple[Any, ...] | None = None

    def bindings_changed(self, screen: Screen[Any]) -> None:
        shown = tuple(
            (
                key,
                active.binding.action,
                active.binding.description,
                active.binding.show,
                active.binding.group,
                active.enabled,
                active.tooltip,
            )
            for key, active in screen.active_bindings.items()
        )
        if shown == self._shown and self.children:
            return  # the same keys: nothing to rebuild
        super().bindings_changed(screen)
        if screen.app.app_focus and screen is self.screen:  # when Textual rebuilds the keys
            self._shown = shown
        elif not self.children and self.is_attached and screen is self.screen:
            # Textual waits for the app's focus; a browser tab not clicked yet showed no keys
            self.call_after_refresh(self.recompose)


class KeysFollowFocus(ModalScreen[ResultType]):
    """A modal screen (the editors) where keys typed at full speed reach the field meant:

    - keys typed before any of its widgets has the focus (right after the ``e`` that opened it)
      are held and given, in order, to the first widget focused. Textual forwards each key to the
      focused widget, else to the screen itself, where no field sees it: lost. Held here, they are
      posted to the widget in the same step as it takes the focus, before every later key;
    - Tab and shift+Tab move the focus before the next key is delivered (priority bindings): as
      Textual's bindings of the screen they ran once the Tab had bubbled up from the field, after
      the keys typed behind it had gone into the field left.

    Private: overrides ``Screen._forward_event`` (how the app hands the screen a key while no
    widget has the focus; the key is marked forwarded as Textual does, ``Message._set_forwarded``).
    For a screen that focuses its first field itself (in ``on_mount``; else held keys would wait
    for one): Textual's auto focus is off, it gave the form's scrolling container the focus first,
    and the keys typed early went there.
    """

    AUTO_FOCUS = ""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "move_focus(1)", "Next field", show=False, priority=True),
        Binding("shift+tab", "move_focus(-1)", "Previous field", show=False, priority=True),
    ]

    _held_keys: tuple[events.Key, ...] = ()
    _had_focus = False  # once a widget had the focus, keys go on as Textual sends them

    def _forward_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and self.focused is None and not self._had_focus:
            event._set_forwarded()
            self._held_keys += (event,)
            return
        super()._forward_event(event)

    def action_move_focus(self, step: int) -> None:
        """Tab / shift+Tab; before any widget had the focus (the first field is still being shown)
        the key is held with the others, so it moves the focus after the keys typed before it."""
        if self.focused is None and not self._had_focus:
            self._held_keys += (events.Key("tab" if step > 0 else "shift+tab", "\t" if step > 0 else None),)
        elif step > 0:
            self.focus_next()
        else:
            self.focus_previous()

    def set_focus(self, widget: Widget | None, scroll_visible: bool = True, from_app_focus: bool = False) -> None:
        super().set_focus(widget, scroll_visible, from_app_focus)
        focused = self.focused
        if focused is None or self._had_focus:
            return
        self._had_focus = True
        held, self._held_keys = self._held_keys, ()
        for key in held:  # a Tab among them moves the focus as it would have (see the class)
            if key.key in ("tab", "shift+tab"):
                self.focus_next() if key.key == "tab" else self.focus_previous()
                focused = self.focused or focused
            else:
                focused.post_message(key)
