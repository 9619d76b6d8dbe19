"""A realistic demo board: three key accounts (German and English), scalable for benchmarks.

`build_demo` builds every record in memory and writes them in one transaction.
No textual here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .model import LANES, new_id

Doc = dict[str, Any]

# Each account: (name, owner, notes, cards, workshop). A card is
# (key, lane, title, fields); support fields: owner, side, due offset in days, status,
# customer_benefit, our_benefit, links (keys of the cards it answers).
_ACCOUNTS: list[dict[str, Any]] = [
    {
        "name": "Müller Maschinenbau GmbH",
        "owner": "Katrin Vogel",
        "notes": "Familiengeführter Sondermaschinenbau, 850 Mitarbeitende, Werke in Ulm und Brno.",
        "cards": [
            ("t1", "topic", "Nachfolge in der Geschäftsführung 2027", {"tags": ["Strategie"]}),
            ("t2", "topic", "Energiekosten im Werk Ulm", {"tags": ["Energie", "Kosten"]}),
            ("t3", "topic", "Digitaler Service für Bestandsmaschinen", {"tags": ["Service"]}),
            ("t4", "topic", "Export nach Nordamerika", {}),
            ("c1", "challenge", "Fachkräftemangel in der Montage", {"tags": ["Personal"]}),
            ("c2", "challenge", "Lieferzeiten für Steuerungskomponenten > 30 Wochen", {"tags": ["Supply Chain"]}),
            ("c3", "challenge", "CE-Dokumentation bindet zu viel Engineering-Zeit", {}),
            ("c4", "challenge", "Margendruck durch asiatische Wettbewerber", {}),
            (
                "s1",
                "support",
                "Schulungsprogramm für Quereinsteiger in der Montage",
                {
                    "owner": "Katrin Vogel",
                    "side": "us",
                    "due": -20,
                    "status": "in_progress",
                    "customer_benefit": "Neue Monteure sind in 6 statt 12 Wochen produktiv.",
                    "our_benefit": "Referenzprojekt für unser Trainingsangebot im Maschinenbau.",
                    "links": ["c1"],
                },
            ),
            (
                "s2",
                "support",
                "Rahmenvertrag mit Sicherheitsbestand für Steuerungen",
                {
                    "owner": "Jonas Becker",
                    "side": "us",
                    "due": 25,
                    "status": "agreed",
                    "customer_benefit": "Planbare Lieferzeiten unter 8 Wochen.",
                    "our_benefit": "Dreijähriges Volumen, bessere Planung im eigenen Einkauf.",
                    "links": ["c2"],
                },
            ),
            (
                "s3",
                "support",
                "Pilot: Remote-Service-Portal für 20 Bestandsmaschinen",
                {
                    "owner": "Dr. Petra Müller",
                    "side": "customer",
                    "due": -5,
                    "status": "agreed",
                    "customer_benefit": "Wiederkehrende Serviceumsätze, weniger Technikereinsätze.",
                    "our_benefit": "Einstieg in das Plattformgeschäft mit einem Leitkunden.",
                    "links": ["t3", "c4"],
                },
            ),
            (
                "s4",
                "support",
                "Vorlagen für CE-Dokumentation gemeinsam erstellen",
                {
                    "owner": "Katrin Vogel",
                    "side": "us",
                    "due": 60,
                    "status": "proposed",
                    "customer_benefit": "30 % weniger Engineering-Zeit je Maschine.",
                    "our_benefit": "Wiederverwendbares Paket für weitere Maschinenbauer.",
                    "links": ["c3"],
                },
            ),
        ],
        "workshop": {
            "title": "Jahresworkshop 2026",
            "days_ago": 75,
            "location": "Ulm, Werk 1, Besprechungsraum Donau",
            "participants": [
                ("Dr. Petra Müller", "customer", "Geschäftsführerin"),
                ("Stefan Kraus", "customer", "Leiter Montage"),
                ("Aylin Demir", "customer", "Einkauf"),
                ("Katrin Vogel", "us", "Key Account Managerin"),
                ("Jonas Becker", "us", "Supply Chain"),
            ],
            "agenda": [
                ("Begrüßung und Rückblick auf das Jahr", "", 15),
                ("Was beschäftigt Sie?", "topic", 45),
                ("Welche Herausforderungen sehen Sie?", "challenge", 60),
                ("Wie können wir unterstützen?", "support", 60),
                ("Vereinbarungen und nächste Schritte", "support", 20),
            ],
        },
    },
    {
        "name": "Northbridge Hospital Group",
        "owner": "Sarah Whitfield",
        "notes": "Seven hospitals, 4,200 beds; procurement centralised since last year.",
        "cards": [
            ("t1", "topic", "Merging the procurement of seven hospitals", {"tags": ["procurement"]}),
            ("t2", "topic", "Patient safety audit in spring", {"tags": ["compliance"]}),
            ("t3", "topic", "Net zero by 2035", {"tags": ["sustainability"]}),
            ("c1", "challenge", "Nurse shortage: 11 % of posts vacant", {"tags": ["staffing"]}),
            ("c2", "challenge", "Sterile supply runs out on weekends", {}),
            ("c3", "challenge", "Legacy ward IT does not talk to the new EHR", {"tags": ["IT"]}),
            (
                "s1",
                "support",
                "Weekend buffer stock for sterile supplies in two pilot hospitals",
                {
                    "owner": "Sarah Whitfield",
                    "side": "us",
                    "due": -12,
                    "status": "in_progress",
                    "customer_benefit": "No cancelled operations for lack of sterile kits.",
                    "our_benefit": "Volume commitment for the whole group after the pilot.",
                    "links": ["c2"],
                },
            ),
            (
                "s2",
                "support",
                "Interface study: ward devices to the new EHR",
                {
                    "owner": "Tom Okafor",
                    "side": "customer",
                    "due": 40,
                    "status": "proposed",
                    "customer_benefit": "Nurses stop typing readings twice.",
                    "our_benefit": "Our devices become the group's standard.",
                    "links": ["c3", "c1"],
                },
            ),
            (
                "s3",
                "support",
                "Carbon report for all deliveries",
                {
                    "owner": "Sarah Whitfield",
                    "side": "us",
                    "due": -40,
                    "status": "done",
                    "customer_benefit": "Scope 3 figures for the net zero plan.",
                    "our_benefit": "Preferred supplier status in the green tender.",
                    "links": ["t3"],
                },
            ),
        ],
        "workshop": {
            "title": "Annual partnership workshop",
            "days_ago": 200,
            "location": "Northbridge General, Board Room",
            "participants": [
                ("Helen Marsh", "customer", "Chief Procurement Officer"),
                ("Tom Okafor", "customer", "Director of Nursing IT"),
                ("Sarah Whitfield", "us", "Key Account Manager"),
                ("Raj Patel", "us", "Clinical Specialist"),
            ],
            "agenda": [
                ("Welcome and review of last year's actions", "", 20),
                ("What is on your mind?", "topic", 40),
                ("What does your business face?", "challenge", 50),
                ("How can we help, to mutual benefit?", "support", 50),
            ],
        },
    },
    {
        "name": "Hansa Logistik AG",
        "owner": "Jonas Becker",
        "notes": "Contract logistics, 14 warehouses; working language English since the merger.",
        "cards": [
            ("t1", "topic", "Lagerautomatisierung in Hamburg-Billbrook", {"tags": ["Automation"]}),
            ("t2", "topic", "E-Commerce peak season planning", {"tags": ["peak"]}),
            ("c1", "challenge", "Driver shortage on long-haul routes", {"tags": ["staffing"]}),
            ("c2", "challenge", "Forklift fleet downtime 9 % in Q3", {}),
            ("c3", "challenge", "CO₂-Berichtspflicht ab 2026 (CSRD)", {"tags": ["CSRD"]}),
            (
                "s1",
                "support",
                "Predictive maintenance trial for 40 forklifts",
                {
                    "owner": "Jonas Becker",
                    "side": "us",
                    "due": -3,
                    "status": "agreed",
                    "customer_benefit": "Downtime below 4 %.",
                    "our_benefit": "Service contract for the whole fleet.",
                    "links": ["c2"],
                },
            ),
            (
                "s2",
                "support",
                "CSRD-Datenpaket für alle Transporte bereitstellen",
                {
                    "owner": "Miriam Hansen",
                    "side": "customer",
                    "due": 90,
                    "status": "proposed",
                    "customer_benefit": "Berichtspflicht ohne eigenes Projekt erfüllt.",
                    "our_benefit": "Daten fließen in unser eigenes Nachhaltigkeitsreporting.",
                    "links": ["c3"],
                },
            ),
            (
                "s3",
                "support",
                "Joint peak season staffing plan",
                {
                    "owner": "Jonas Becker",
                    "side": "us",
                    "due": 14,
                    "status": "in_progress",
                    "customer_benefit": "No missed delivery slots in November.",
                    "our_benefit": "Planned instead of rush orders.",
                    "links": ["t2", "c1"],
                },
            ),
        ],
        "workshop": {
            "title": "Key account workshop 2026",
            "days_ago": 30,
            "location": "Hamburg, Hansa HQ",
            "participants": [
                ("Miriam Hansen", "customer", "COO"),
                ("Lars Petersen", "customer", "Fleet Manager"),
                ("Jonas Becker", "us", "Key Account Manager"),
            ],
            "agenda": [
                ("Check-in", "", 10),
                ("Topics", "topic", 30),
                ("Challenges", "challenge", 40),
                ("Support", "support", 40),
            ],
        },
    },
]

# For generated accounts and cards (benchmark boards).
_INDUSTRIES = ("Maschinenbau", "Kliniken", "Logistik", "Chemie", "Automotive", "Retail", "Energie", "Pharma")
_PEOPLE = ("Katrin Vogel", "Jonas Becker", "Sarah Whitfield", "Raj Patel", "Miriam Hansen", "Tom Okafor")
_STATUSES = ("proposed", "agreed", "in_progress", "done", "dropped")
_TITLES = {
    "topic": ("Growth plan {n}", "Neue Produktlinie {n}", "Site expansion {n}", "Digitalisierung Bereich {n}"),
    "challenge": (
        "Cost pressure in unit {n}",
        "Lieferengpass Teil {n}",
        "Staff turnover in team {n}",
        "Audit finding {n}",
    ),
    "support": ("Joint pilot {n}", "Schulung Team {n}", "Framework contract {n}", "Service package {n}"),
}


def _date(today: dt.date, offset: int) -> str:
    return (today + dt.timedelta(days=offset)).isoformat()


def _handmade(spec: dict[str, Any], today: dt.date) -> tuple[Doc, list[Doc], Doc]:
    account: Doc = {"id": new_id(), "name": spec["name"], "owner": spec["owner"], "notes": spec["notes"]}
    ids = {key: new_id() for key, *_ in spec["cards"]}
    workshop_id = new_id()
    cards = []
    for key, lane, title, fields in spec["cards"]:
        card = {"id": ids[key], "account_id": account["id"], "lane": lane, "title": title, **fields}
        card["workshop_id"] = workshop_id  # captured in the account's workshop
        if "due" in fields:
            card["due"] = _date(today, fields["due"])
        if "links" in fields:
            card["links"] = [ids[k] for k in fields["links"]]
        cards.append(card)
    ws = spec["workshop"]
    start = today - dt.timedelta(days=ws["days_ago"])
    workshop = {
        "id": workshop_id,
        "account_id": account["id"],
        "title": ws["title"],
        "start": f"{start.isoformat()}T09:00",
        "end": f"{start.isoformat()}T16:00",
        "location": ws["location"],
        "participants": [{"name": n, "side": s, "role": r} for n, s, r in ws["participants"]],
        "agenda": [{"title": t, "lane": lane, "minutes": m, "day": 1} for t, lane, m in ws["agenda"]],  # one day
        "notes": "",
    }
    return account, cards, workshop


def _generated_account(index: int) -> Doc:
    industry = _INDUSTRIES[index % len(_INDUSTRIES)]
    return {
        "id": new_id(),
        "name": f"Account {index + 1:04d} {industry}",
        "owner": _PEOPLE[index % len(_PEOPLE)],
        "notes": "",
    }


def _generated_cards(account_id: str, count: int, today: dt.date, seed: int) -> list[Doc]:
    """``count`` cards spread over the three lanes; support actions link to a challenge."""
    cards: list[Doc] = []
    challenges: list[str] = []
    for n in range(count):
        lane = LANES[n % 3]
        templates = _TITLES[lane]
        card: Doc = {
            "id": new_id(),
            "account_id": account_id,
            "lane": lane,
            "title": templates[(n // 3 + seed) % len(templates)].format(n=n + 1),
        }
        if lane == "challenge":
            challenges.append(card["id"])
        if lane == "support":
            k = n + seed
            card.update(
                owner=_PEOPLE[k % len(_PEOPLE)],
                side="us" if k % 3 else "customer",
                due=_date(today, (k * 7) % 120 - 30),
                status=_STATUSES[k % len(_STATUSES)],
                customer_benefit=f"Saves the customer time in area {n + 1}.",
                our_benefit=f"Grows our share in area {n + 1}.",
                links=challenges[-1:],
            )
        cards.append(card)
    return cards


def demo_records(
    accounts: int = 3, cards: int | None = None, today: dt.date | None = None
) -> tuple[list[Doc], list[Doc], list[Doc]]:
    """Accounts, cards and workshops of a demo board, all in memory.

    The first three accounts are hand-written; more are generated. ``cards`` (per account)
    replaces the hand-written cards by exactly that many generated ones, spread over lanes.
    """
    today = today or dt.date.today()
    out_accounts: list[Doc] = []
    out_cards: list[Doc] = []
    out_workshops: list[Doc] = []
    for i in range(max(0, accounts)):
        if i < len(_ACCOUNTS):
            account, handmade, workshop = _handmade(_ACCOUNTS[i], today)
            out_workshops.append(workshop)
        else:
            account, handmade = _generated_account(i), []
        out_accounts.append(account)
        if cards is None:
            out_cards.extend(handmade or _generated_cards(account["id"], 9, today, i))
        else:
            out_cards.extend(_generated_cards(account["id"], cards, today, i))
    return out_accounts, out_cards, out_workshops


def build_demo(store: Any, accounts: int = 3, cards: int | None = None, today: dt.date | None = None) -> dict[str, int]:
    """Replace the board in ``store`` by a demo board, in one transaction; returns counts."""
    docs = demo_records(accounts, cards, today)
    return store.bulk_insert(*docs, replace=True, meta={"demo": True, "title": "kamboard demo"})
