"""The gaps view: what the board still lacks, grouped (rules in ``kamboard.gaps``).

Challenges no support action answers, support actions with no customer need behind them
(a sales pitch?), and open support actions without value for the customer, value for us, an
owner or a due date. Under the list: how many support actions name value for both sides, and
which ones lack a benefit (titles shown literally).
Enter on a gap dismisses the screen with that card's id (the board then selects it);
escape dismisses with None. ``r`` re-reads the board.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from kamboard import gaps as rules
from kamboard.errors import BoardError
from kamboard.i18n import _
from kamboard.model import LANE_TITLES
from kamboard.tui.commands import ElsewhereCommands, Providers
from kamboard.tui.keys import Key, bindings
from kamboard.tui.widgets.text import literal

SHOWN_LACKING = 8  # actions named under the list; the rest are counted


def benefit_summary(cards: list[dict[str, Any]]) -> Text:
    """'Mutual benefit: 1 of 3 support actions name value for both sides', then which actions
    lack a benefit and which half: 'Lacking a benefit: Training (value for us) · ...'."""
    both, total = rules.mutual_benefit_count(cards)
    out = Text(
        _("Mutual benefit: {both} of {total} support actions name value for both sides").format(both=both, total=total)
    )
    lacking = rules.lacking_benefit(cards)
    if lacking:
        out.append("\n" + _("Lacking a benefit: "))
        for index, (card, missing) in enumerate(lacking[:SHOWN_LACKING]):
            if index:
                out.append(" · ", style="dim")
            out.append(literal(card.get("title", "")), style="bold")
            out.append(f" ({', '.join(missing)})")
        if len(lacking) > SHOWN_LACKING:
            out.append(" · " + _("and {count} more").format(count=len(lacking) - SHOWN_LACKING), style="italic")
    return out


def gap_options(found: list[rules.Gap]) -> list[Option]:
    """Disabled heading options per kind, then one option per gap (id ``kind:card_id``)."""
    options: list[Option] = []
    for kind in rules.KINDS:
        group = [g for g in found if g.kind == kind]
        if not group:
            continue
        options.append(Option(Text(f"{rules.HEADINGS[kind]} ({len(group)})", style="bold"), disabled=True))
        for gap in group:
            line = Text("  ")
            line.append(literal(gap.title))
            line.append(f"  [{LANE_TITLES.get(gap.lane, gap.lane)}] {gap.text}", style="italic")
            options.append(Option(line, id=f"{gap.kind}:{gap.card_id}"))
    return options


class GapsScreen(Screen[str | None]):
    """Lists the gaps on one account's board."""

    DEFAULT_CSS = """
    GapsScreen #gaps-title {
        height: 1;
        padding: 0 1;
        background: $panel;
        text-style: bold;
    }
    GapsScreen #gaps-list {
        height: 1fr;
    }
    GapsScreen #gaps-summary {
        height: auto;
        max-height: 6;
        padding: 0 1;
        color: $text-muted;
    }
    """

    KEYS = (
        Key(
            "escape,q",
            "close",
            _("Back"),
            "gaps.close",
            _("Back to the board"),
            _("Gaps"),
            _("Back to the board"),
            show=True,
        ),
        Key("r", "reload", _("Reload"), "gaps.reload", _("Re-read the board"), _("Gaps"), _("Reload gaps"), show=True),
    )
    BINDINGS = bindings(KEYS)
    COMMANDS: ClassVar[Providers] = {ElsewhereCommands}

    def __init__(self, store: Any, account_id: str) -> None:
        super().__init__()
        self.store = store
        self.account_id = account_id
        self.found: list[rules.Gap] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="gaps-title", markup=False)
        yield OptionList(id="gaps-list", markup=False)
        yield Static("", id="gaps-summary", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.action_reload()
        self.query_one(OptionList).focus()

    def action_reload(self) -> None:
        title = self.query_one("#gaps-title", Static)
        options = self.query_one(OptionList)
        try:
            self.store.refresh()
            account = self.store.account(self.account_id)
            cards = self.store.cards(self.account_id)
        except BoardError as exc:
            title.update(str(exc))
            return
        self.found = rules.find_gaps(cards)
        name = literal(account.get("name", ""))
        title.update(
            _("Gaps on the board of {name}: {count}").format(name=name, count=len(self.found))
            if self.found
            else _("No gaps on the board of {name}").format(name=name)
        )
        options.clear_options()
        options.add_options(gap_options(self.found))
        options.display = bool(self.found)  # no empty box under "No gaps"
        self.query_one("#gaps-summary", Static).update(benefit_summary(cards))

    @on(OptionList.OptionSelected, "#gaps-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id or ""
        self.dismiss(option_id.partition(":")[2] or None)

    def action_close(self) -> None:
        self.dismiss(None)
