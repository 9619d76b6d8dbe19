"""Follow-up rules through the year: overdue and upcoming actions, yearly workshop due, account health,
and the review of the last workshop's commitments.

Pure functions of record dicts with an explicit ``today``: no I/O, no clock, no textual.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from .i18n import _, format_date, ngettext
from .model import STATUSES, is_open_action, is_overdue

Doc = dict[str, Any]
ACTION_GROUPS = ("", *STATUSES)  # the action plan's groups: "" (no status yet) first
WORKSHOP_EVERY_MONTHS = 11  # a yearly workshop is due when the last one is more than 11 months ago
DEFAULT_DAYS = 14


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months, clamped to the month's last day (Jan 31 + 1 = Feb 28/29)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value or "")[:10])
    except ValueError:
        return None


def overdue_actions(cards: Iterable[Doc], today: dt.date) -> list[Doc]:
    """Open support actions whose due date has passed, oldest due first."""
    found = [c for c in cards if is_open_action(c) and is_overdue(c, today)]
    return sorted(found, key=lambda c: str(c.get("due", "")))


def actions_due_within(cards: Iterable[Doc], today: dt.date, days: int = DEFAULT_DAYS) -> list[Doc]:
    """Open support actions due from today up to and including ``today + days``, soonest first."""
    last = today + dt.timedelta(days=max(0, days))
    found = [
        c for c in cards if is_open_action(c) and (due := _date(c.get("due"))) is not None and today <= due <= last
    ]
    return sorted(found, key=lambda c: str(c.get("due", "")))


def group_actions(cards: Iterable[Doc], owner: str = "", side: str = "") -> list[tuple[str, list[Doc]]]:
    """Support actions matching the filters, grouped by status (in ACTION_GROUPS order), each group by due date.

    ``owner``: words that must all occur in the owner (case-insensitive); ``side``: '' for both.
    """
    words = owner.casefold().split()
    groups: dict[str, list[Doc]] = {status: [] for status in ACTION_GROUPS}
    for card in cards:
        if card.get("lane") != "support":
            continue
        if side and card.get("side", "") != side:
            continue
        if not all(w in str(card.get("owner", "")).casefold() for w in words):
            continue
        status = card.get("status", "")
        groups[status if status in groups else ""].append(card)
    order = lambda c: (not c.get("due"), str(c.get("due", "")), str(c.get("title", "")).casefold())  # noqa: E731
    return [(status, sorted(found, key=order)) for status, found in groups.items() if found]


# the review of the last workshop's commitments (at the next one)
def previous_workshop(workshops: list[Doc], current: Doc) -> Doc | None:
    """The account's latest workshop that started before ``current``."""
    start = str(current.get("start", ""))
    earlier = [
        w
        for w in workshops
        if w.get("account_id") == current.get("account_id")
        and w.get("id") != current.get("id")
        and str(w.get("start", "")) < start
    ]
    return max(earlier, key=lambda w: str(w.get("start", "")), default=None)


def open_commitments(cards: list[Doc], previous_id: str) -> list[Doc]:
    """Support actions captured in workshop ``previous_id`` that are still open."""
    return [c for c in cards if is_open_action(c) and c.get("workshop_id") == previous_id]


REVIEW_OUTCOMES = ("done", "carry", "drop")
# what a review decision changes: done and drop the status, carry the workshop (and where it came from)
REVIEW_FIELDS = ("status", "workshop_id", "carried_from")


def is_carried_over(card: Doc) -> bool:
    """The card is a commitment carried over from an earlier workshop in the commitments review
    (``review_commitment(..., "carry")`` moves it to the new workshop and sets ``carried_from``)."""
    return bool(card.get("carried_from"))


def last_workshop(workshops: Iterable[Doc], today: dt.date) -> dt.date | None:
    """Start date of the latest workshop held on or before ``today``."""
    held = [d for w in workshops if (d := _date(w.get("start"))) is not None and d <= today]
    return max(held, default=None)


def next_workshop(workshops: Iterable[Doc], today: dt.date) -> dt.date | None:
    """Start date of the first workshop planned after ``today``."""
    planned = [d for w in workshops if (d := _date(w.get("start"))) is not None and d > today]
    return min(planned, default=None)


def workshop_is_due(last: dt.date | None, today: dt.date) -> bool:
    """No workshop yet, or the last one more than 11 months ago."""
    return last is None or add_months(last, WORKSHOP_EVERY_MONTHS) < today


@dataclass(frozen=True)
class AccountHealth:
    """Follow-up figures of one account."""

    account_id: str
    name: str
    open_actions: int
    overdue_actions: int
    last_workshop: str  # YYYY-MM-DD or ""
    days_since_workshop: int | None
    next_workshop: str  # the next planned one, YYYY-MM-DD or ""
    workshop_due: bool


def account_health(account: Doc, cards: Iterable[Doc], workshops: Iterable[Doc], today: dt.date) -> AccountHealth:
    """Health of one account; ``cards``/``workshops`` may hold other accounts' records too."""
    aid = account["id"]
    own_cards = [c for c in cards if c.get("account_id") == aid]
    own_ws = [w for w in workshops if w.get("account_id") == aid]
    last = last_workshop(own_ws, today)
    upcoming = next_workshop(own_ws, today)
    return AccountHealth(
        account_id=aid,
        name=str(account.get("name", "")),
        open_actions=sum(is_open_action(c) for c in own_cards),
        overdue_actions=len(overdue_actions(own_cards, today)),
        last_workshop=last.isoformat() if last else "",
        days_since_workshop=(today - last).days if last else None,
        next_workshop=upcoming.isoformat() if upcoming else "",
        workshop_due=workshop_is_due(last, today),
    )


def health_by_account(
    accounts: Sequence[Doc], cards: Sequence[Doc], workshops: Sequence[Doc], today: dt.date
) -> dict[str, AccountHealth]:
    """Health of each account, by account id (one pass to group the records)."""
    cards_of: dict[str, list[Doc]] = {}
    for c in cards:
        cards_of.setdefault(c.get("account_id", ""), []).append(c)
    ws_of: dict[str, list[Doc]] = {}
    for w in workshops:
        ws_of.setdefault(w.get("account_id", ""), []).append(w)
    return {a["id"]: account_health(a, cards_of.get(a["id"], []), ws_of.get(a["id"], []), today) for a in accounts}


@dataclass
class DueReport:
    """What `kamboard due` shows: overdue actions, actions due soon, accounts whose workshop is due."""

    today: dt.date
    days: int
    overdue: list[Doc] = field(default_factory=list)
    upcoming: list[Doc] = field(default_factory=list)
    workshops_due: list[AccountHealth] = field(default_factory=list)

    def to_dict(self, names: dict[str, str]) -> dict[str, Any]:
        """JSON-ready: ``names`` maps account ids to names."""

        def action(c: Doc) -> dict[str, Any]:
            due = _date(c.get("due"))
            return {
                "id": c.get("id", ""),
                "account_id": c.get("account_id", ""),
                "account": names.get(c.get("account_id", ""), ""),
                "title": c.get("title", ""),
                "owner": c.get("owner", ""),
                "side": c.get("side", ""),
                "status": c.get("status", ""),
                "due": c.get("due", ""),
                "days_left": (due - self.today).days if due else None,
            }

        return {
            "today": self.today.isoformat(),
            "days": self.days,
            "overdue": [action(c) for c in self.overdue],
            "due_soon": [action(c) for c in self.upcoming],
            "workshops_due": [asdict(h) for h in self.workshops_due],
        }


def due_report(
    accounts: Sequence[Doc], cards: Sequence[Doc], workshops: Sequence[Doc], today: dt.date, days: int = DEFAULT_DAYS
) -> DueReport:
    """The follow-up of the given accounts (records of other accounts are ignored)."""
    ids = {a["id"] for a in accounts}
    own = [c for c in cards if c.get("account_id") in ids]
    health = health_by_account(accounts, own, workshops, today)
    return DueReport(
        today=today,
        days=days,
        overdue=overdue_actions(own, today),
        upcoming=actions_due_within(own, today, days),
        workshops_due=[h for h in health.values() if h.workshop_due],
    )


def due_text(report: DueReport, names: dict[str, str]) -> str:
    """Readable plain text of a due report (for a terminal or a cron mail), in the language in use."""

    def line(c: Doc) -> str:
        due = _date(c.get("due"))
        delta = (due - report.today).days if due else 0
        if delta < 0:
            when = ngettext("{count} day overdue", "{count} days overdue", -delta).format(count=-delta)
        elif delta == 0:
            when = _("today")
        else:
            when = ngettext("in {count} day", "in {count} days", delta).format(count=delta)
        who = " ".join(part for part in (str(c.get("owner", "")), f"({c['side']})" if c.get("side") else "") if part)
        shown = format_date(str(c.get("due", "")))
        return f"  {shown}  {when:<16}  {names.get(c.get('account_id', ''), '?')}: {c.get('title', '')}" + (
            f"  [{who}]" if who else ""
        )

    none = "  " + _("none")
    out = [_("Follow-up on {date}").format(date=format_date(report.today.isoformat()))]
    out.append("\n" + _("Overdue actions ({count}):").format(count=len(report.overdue)))
    out += [line(c) for c in report.overdue] or [none]
    out.append("\n" + _("Due within {days} days ({count}):").format(days=report.days, count=len(report.upcoming)))
    out += [line(c) for c in report.upcoming] or [none]
    out.append("\n" + _("Yearly workshop due ({count}):").format(count=len(report.workshops_due)))
    for h in report.workshops_due:
        if h.last_workshop:
            last = _("last {date} ({days} days ago)").format(
                date=format_date(h.last_workshop), days=h.days_since_workshop
            )
        else:
            last = _("no workshop yet")
        planned = _("; next planned {date}").format(date=format_date(h.next_workshop)) if h.next_workshop else ""
        out.append(f"  {h.name}: {last}{planned}")
    if not report.workshops_due:
        out.append(none)
    return "\n".join(out) + "\n"
