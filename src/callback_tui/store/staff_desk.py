"""Writes of the staff list."""

from __future__ import annotations

from sqlmodel import select

from callback_tui.domain import text
from callback_tui.domain.vocab import Role, check_initials
from callback_tui.store.errors import Invalid
from callback_tui.store.tables import Staff
from callback_tui.store.unit import Desk


class StaffDesk(Desk):
    def add(self, actor: str, initials: str, name: str, role: str) -> Staff:
        problems: dict[str, str] = {}
        try:
            initials = check_initials(initials)
            if initials in self.clinic.pools:
                problems["initials"] = f"{initials} is a shared pool's name"
        except ValueError as exc:
            problems["initials"] = str(exc)
        try:
            name = text.clean(name, limit=text.NAME_LIMIT)
            if not name:
                problems["name"] = "a name is required"
        except ValueError as exc:
            problems["name"] = f"too long: {exc}"
        if role not in {r.value for r in Role}:
            problems["role"] = f"{role!r} is not one of: {', '.join(r.value for r in Role)}"
        if problems:
            raise Invalid(problems)
        with self.write(actor) as work:
            if work.session.exec(select(Staff).where(Staff.initials == initials)).first():
                raise Invalid({"initials": f"{initials} is already taken"})
            staff = Staff(initials=initials, name=name, role=role)
            work.record("staff.added", staff)
        return staff
