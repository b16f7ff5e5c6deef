"""Writes of a client's details: phones, preferred call window, consent, do-not-call.

A client's phones are rows of `client_phone`, written only with their client: the client's
event lists them all, before and after. The best one is also the client's `phone`, so every
read that names one number (the queue, search results) names the one to call first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, delete, select

from callback_tui.domain import phones
from callback_tui.store.errors import Invalid
from callback_tui.store.search import reindex
from callback_tui.store.tables import Client, ClientPhone
from callback_tui.store.unit import Desk, Work, short_text, snapshot

NOT_A_NUMBER = "not a phone number that can be called: check the digits and the area code"


@dataclass(frozen=True)
class PhoneEntry:
    """One phone as the person entered it."""

    number: str
    """As typed; left blank, the row is no phone (how one is removed)."""
    label: str = phones.UNSAID
    best: bool = False


@dataclass(frozen=True)
class ClientDetails:
    """Everything the client-details dialog edits."""

    phones: tuple[PhoneEntry, ...]
    preferred_window: str | None = None
    """A call window's name (settings), or None: any time."""
    voicemail_ok: bool = False
    text_ok: bool = False
    do_not_call: bool = False
    do_not_call_reason: str = ""


@dataclass(frozen=True)
class Phone:
    """A client's phone as kept."""

    number: str
    """E.164."""
    digits: str
    label: str
    best: bool

    def record(self) -> dict[str, Any]:
        """As the client's events list it."""
        return {"number": self.number, "label": self.label, "best": self.best}


@dataclass(frozen=True)
class Saved:
    client: Client
    changed: tuple[str, ...]
    """What the save changed, by field (empty: nothing, and nothing was written)."""


DETAILS = ("phones", "preferred_window", "voicemail_ok", "text_ok", "do_not_call")
"""What a details event compares (with the do-not-call reason)."""


def checked_phones(
    entries: Sequence[PhoneEntry], region: str, problems: dict[str, str]
) -> list[Phone]:
    """The entered phones as kept (blank rows dropped, the best first); each problem goes in
    `problems` under `phone-N` / `label-N` (N: the entry's place), or `phones` for the set."""
    kept: list[Phone] = []
    seen: dict[str, int] = {}
    already = len(problems)
    for index, entry in enumerate(entries):
        if not entry.number.strip():
            continue
        try:
            label = phones.check_label(entry.label)
        except ValueError as exc:
            problems[f"label-{index}"] = str(exc)
            label = phones.UNSAID
        try:
            number = phones.normalise(entry.number, region)
        except ValueError:
            problems[f"phone-{index}"] = NOT_A_NUMBER
            continue
        if number in seen:
            problems[f"phone-{index}"] = f"the same number as phone {seen[number] + 1}"
            continue
        seen[number] = index
        kept.append(Phone(number, phones.national_digits(number, region), label, entry.best))
    if not any(entry.number.strip() for entry in entries):
        problems["phones"] = "a client needs a phone number"
    elif len(problems) == already:  # every row is fine: which is the best?
        best = sum(phone.best for phone in kept)
        if best == 0:
            problems["phones"] = "pick the best phone: the one called and shown first"
        elif best > 1:
            problems["phones"] = "only one phone can be the best"
    return sorted(kept, key=lambda phone: not phone.best)  # stable: the others keep their order


def phones_of(session: Session, client_id: int) -> list[Phone]:
    """A client's phones, the best first, then in the order they were given."""
    found = session.exec(
        select(ClientPhone)
        .where(ClientPhone.client_id == client_id)
        .order_by(col(ClientPhone.best).desc(), col(ClientPhone.id))
    )
    return [Phone(row.number, row.digits, row.label, row.best) for row in found]


def put_phones(work: Work, client: Client, wanted: Sequence[Phone]) -> None:
    """Make `wanted` the client's phones (exactly one best), its best the client's `phone`,
    and the search rows of its patients follow. The caller records the client's event."""
    assert client.id is not None
    (best,) = [phone for phone in wanted if phone.best]
    # Out first, in a statement of its own: a number kept would otherwise meet itself.
    work.session.execute(delete(ClientPhone).where(col(ClientPhone.client_id) == client.id))
    for phone in wanted:
        work.session.add(
            ClientPhone(
                client_id=client.id,
                number=phone.number,
                digits=phone.digits,
                label=phone.label,
                best=phone.best,
            )
        )
    client.phone, client.phone_digits = best.number, best.digits
    reindex(work.session, client.id)


def with_phones(client: Client, listed: Sequence[Phone]) -> dict[str, Any]:
    """The client's full row and its phones, as its events keep them."""
    return {**snapshot(client), "phones": [phone.record() for phone in listed]}


class ClientDesk(Desk):
    def save_details(
        self, actor: str, client_id: int, version: int, details: ClientDetails
    ) -> Saved:
        """Save what the dialog holds, as one transaction with one event naming what changed.

        Refused field by field (Invalid): a number that cannot be called, the same number
        twice, no phone or no best one, an unknown window or label, a do-not-call without its
        reason. Nothing changed: nothing is written.
        """
        problems: dict[str, str] = {}
        wanted = checked_phones(details.phones, self.clinic.settings.phone_region, problems)
        window = details.preferred_window or None
        if window is not None and window not in {w.name for w in self.clinic.calendar.windows}:
            problems["window"] = "not one of the clinic's call windows"
        reason = short_text(
            details.do_not_call_reason,
            "reason",
            problems,
            required="say why the client is not to be called" if details.do_not_call else "",
        )
        if problems:
            raise Invalid(problems)

        with self.write(actor) as work:
            client = self.guarded(work, Client, client_id, version)
            had = phones_of(work.session, client_id)
            before = with_phones(client, had)
            client.preferred_window = window
            client.voicemail_ok = details.voicemail_ok
            client.text_ok = details.text_ok
            client.do_not_call = details.do_not_call
            client.do_not_call_reason = reason if details.do_not_call else None
            if [p.record() for p in had] != [p.record() for p in wanted]:
                put_phones(work, client, wanted)
            after = with_phones(client, wanted)
            changed = tuple(
                key for key in (*DETAILS, "do_not_call_reason") if before[key] != after[key]
            )
            if not changed:
                return Saved(client, ())
            client.version += 1
            work.record(
                "client.details_changed",
                client,
                before,
                also={"phones": after["phones"], "changed": list(changed)},
            )
        return Saved(client, changed)
