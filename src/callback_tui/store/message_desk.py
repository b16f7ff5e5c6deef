"""Writes that take a message in: a voicemail, a web form, a missed call becomes a callback
due at its response target (domain/messages.py reads it, domain/targets.py times it)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlmodel import col, select

from callback_tui.domain.intake import VisitForm
from callback_tui.domain.messages import KIND, MessageForm
from callback_tui.store.errors import Invalid
from callback_tui.store.tables import Callback, Client, ClientPhone, Patient
from callback_tui.store.unit import Work
from callback_tui.store.visit_desk import Imported, VisitDesk


class MessageDesk(VisitDesk):
    """The writes of the intake form, of `callback-tui intake` and of an import's messages."""

    def take_message(self, actor: str, form: MessageForm) -> Callback:
        """One message as one callback: the caller found (or a new client and patient made),
        the owner by the profile's routing unless one is named, due at the response target.
        One transaction; an event for each record made."""
        with self.write(actor) as work:
            return self._take(work, form)

    def import_rows(
        self,
        actor: str,
        visits: Sequence[VisitForm],
        messages: Sequence[MessageForm],
        progress: Callable[[int], None] | None = None,
    ) -> Imported:
        """An import file's visits and messages in one transaction: all of them or none.

        A message on file already (the same caller's number, time, type and words: the
        file imported before) is skipped and counted as already imported.
        """
        with self.write(actor) as work:
            imported = self._import_visits(work, visits, progress)
            created = list(imported.created)
            skipped = imported.already_imported
            for index, form in enumerate(messages, start=len(visits) + 1):
                if self._on_file(work, form):
                    skipped += 1
                else:
                    callback = self._take(work, form)
                    assert callback.id is not None
                    created.append(callback.id)
                if progress is not None:
                    progress(index)
        return Imported(created=tuple(created), already_imported=skipped)

    def _on_file(self, work: Work, form: MessageForm) -> bool:
        query = (
            select(Callback.id)
            .join(ClientPhone, col(ClientPhone.client_id) == col(Callback.client_id))
            .where(
                Callback.kind == KIND,
                Callback.base_at == form.received_at,
                Callback.reason == form.request_type,
                Callback.notes == form.message,
                ClientPhone.number == form.phone,
            )
            .limit(1)
        )
        return work.session.exec(query).first() is not None

    def _take(self, work: Work, form: MessageForm) -> Callback:
        client, patient = self._caller(work, form)
        assert client.id is not None and patient.id is not None, "flushed rows have ids"
        profile = self.clinic.profile
        target = self.clinic.response_target(form.received_at, form.priority)
        day = self.clinic.calendar.local(target).date()
        owner = form.owner or profile.route(form.request_type, form.doctor)
        callback = Callback(
            kind=KIND,
            patient_id=patient.id,
            client_id=client.id,
            reason=form.request_type,
            source=form.source.value,
            priority=form.priority.value,
            owner=owner,
            doctor=form.doctor or "",
            base_at=form.received_at,
            due_at=target,
            due_date=day,
            target_at=target,
            notes=form.message,
            created_at=work.now,
            pool=owner if owner in self.clinic.pools else None,
            deadline_at=target,
        )
        work.record("callback.created", callback, also={"priority_reason": form.priority_reason})
        return callback

    def _caller(self, work: Work, form: MessageForm) -> tuple[Client, Patient]:
        if form.client_id is None or form.patient_id is None:
            client = self._client(work, form)
            return client, self._patient(work, client, form)
        found = work.session.exec(
            select(Client, Patient)
            .join(Patient, Patient.client_id == Client.id)  # type: ignore[arg-type]
            .where(Client.id == form.client_id, Patient.id == form.patient_id)
        ).first()
        if found is None:
            raise Invalid({"name": "that patient is no longer on file: find them again"})
        return found
