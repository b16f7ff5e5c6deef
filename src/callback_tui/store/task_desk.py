"""Writes of tasks: marking one done, and doing a wrong number's task by correcting it."""

from __future__ import annotations

from dataclasses import dataclass

from callback_tui.domain import phones
from callback_tui.domain.vocab import TaskKind
from callback_tui.store.client_desk import NOT_A_NUMBER, Phone, phones_of, put_phones, with_phones
from callback_tui.store.errors import Invalid, NotFound, ServiceError
from callback_tui.store.tables import Callback, Client, Task
from callback_tui.store.unit import Desk, Work, long_text, required_text, role_of, snapshot


@dataclass(frozen=True)
class NumberCheck:
    """How a wrong number's task was done: the right number, or none found (with a note)."""

    number: str = ""
    """As typed."""
    label: str = phones.UNSAID
    none_found: bool = False
    note: str = ""
    """What was done; required when no number was found (what was tried)."""


class TaskDesk(Desk):
    def complete(self, actor: str, task_id: int, version: int, note: str) -> Task:
        """Mark a task done, saying what was done. Only its person, or its role, may."""
        said = required_text(note, "note", "say what was done")
        with self.write(actor) as work:
            task = self._doable(work, task_id, version)
            if task.kind == TaskKind.VERIFY_NUMBER:
                raise ServiceError(
                    "a wrong number's task is done with the right number, or by saying that"
                    " none could be found"
                )
            self._done(work, task, said)
        return task

    def verify_number(self, actor: str, task_id: int, version: int, check: NumberCheck) -> Task:
        """Do a wrong number's task, as one transaction.

        With the right number: it becomes the client's best phone (the number reported
        wrong, the best until now, is dropped), the callback's wrong-number flag is cleared,
        and the task is done, each with its event. With none found: the task is done with
        the note of what was tried, and the callback keeps its flag.
        """
        region = self.clinic.settings.phone_region
        problems: dict[str, str] = {}
        why = "say what was tried to find the number" if check.none_found else ""
        note = long_text(check.note, "note", problems, required=why)
        number: str | None = None
        if check.none_found:
            if check.number.strip():
                problems["number"] = "no number when none was found: clear it, or untick that"
        elif not check.number.strip():
            problems["number"] = "type the right number, or tick that none could be found"
        else:
            try:
                number = phones.normalise(check.number, region)
            except ValueError:
                problems["number"] = NOT_A_NUMBER
        try:
            label = phones.check_label(check.label)
        except ValueError as exc:
            problems["label"] = str(exc)
        if problems:
            raise Invalid(problems)

        with self.write(actor) as work:
            task = self._doable(work, task_id, version)
            kind, _, ref = task.about.partition(":")
            if task.kind != TaskKind.VERIFY_NUMBER or kind != "callback":
                raise ServiceError("this task is not about a wrong number")
            callback = work.session.get(Callback, int(ref))
            if callback is None:
                raise NotFound(f"callback {ref} no longer exists")
            if number is not None:
                client = work.session.get(Client, callback.client_id)
                assert client is not None
                self._correct(work, client, number, label, task.id)
                if callback.wrong_number:
                    before = snapshot(callback)
                    callback.wrong_number = False
                    callback.version += 1
                    work.record("callback.number_corrected", callback, before)
                note = note or f"Right number: {phones.display(number, region)}"
            self._done(work, task, note, also={"number_found": number is not None})
        return task

    def _correct(
        self, work: Work, client: Client, number: str, label: str, task_id: int | None
    ) -> None:
        """Make `number` the client's best phone; the best until now (the one reported wrong)
        goes, the others stay."""
        assert client.id is not None
        had = phones_of(work.session, client.id)
        digits = phones.national_digits(number, self.clinic.settings.phone_region)
        wanted = [Phone(number, digits, label, True)] + [
            phone for phone in had if not phone.best and phone.number != number
        ]
        before = with_phones(client, had)
        put_phones(work, client, wanted)
        client.version += 1
        after = [phone.record() for phone in wanted]
        work.record(
            "client.number_corrected",
            client,
            before,
            also={"phones": after, "changed": ["phones"], "task_id": task_id},
        )

    def _doable(self, work: Work, task_id: int, version: int) -> Task:
        """The task, if it is still open and the person at the desk may do it."""
        task = self.guarded(work, Task, task_id, version)
        if task.status != "open":
            raise ServiceError(f"this task was already done by {task.done_by or 'someone'}")
        role = role_of(work, work.actor)
        if work.actor != task.assignee and (task.assignee is not None or role != task.role):
            whose = task.assignee or (task.role or "").replace("_", " ")
            raise ServiceError(f"this task is for {whose}, not {work.actor}")
        return task

    def _done(
        self, work: Work, task: Task, note: str, *, also: dict[str, object] | None = None
    ) -> None:
        before = snapshot(task)
        task.status = "done"
        task.done_note = note
        task.done_by = work.actor
        task.done_at = work.now
        task.version += 1
        work.record("task.done", task, before, also=also)
