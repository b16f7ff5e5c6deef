"""Writes that take a message in: a voicemail, a web form, a missed call becomes a callback
due at its response target (domain/messages.py reads it, domain/targets.py times it)."""

from __future__ import annotations

from sqlmodel import select

from callback_tui.domain.messages import KIND, MessageForm
from callback_tui.store.errors import Invalid
from callback_tui.store.tables import Callback, Client, Patient
from callback_tui.store.unit import Work
from callback_tui.store.visit_desk import VisitDesk


class MessageDesk(VisitDesk):
    """The writes of the intake form, of `callback-tui intake` and of an import's messages."""

    def take_message(self, actor: str, form: MessageForm) -> Callback:
        """One message as one callback: the caller found (or a new client and patient made),
        the owner by the profile's routing unless one is named, due at the response target.
        One transaction; an event for each record made."""
        with self.write(actor) as work:
            return self._take(work, form)

    def _take(self, work: Work, form: MessageForm) -> Callback:
        client, patient = self._caller(work, form)
        assert client.id is not None and patient.id is not None, "flushed rows have ids"
        profile = self.clinic.profile
        target = self.clinic.response_target(form.received_at, form.priority)
        day = self.clinic.calendar.local(target).date()
        callback = Callback(
            kind=KIND,
            patient_id=patient.id,
            client_id=client.id,
            reason=form.request_type,
            source=form.source.value,
            priority=form.priority.value,
            owner=form.owner or profile.route(form.request_type, form.doctor),
            doctor=form.doctor or "",
            base_at=form.received_at,
            due_at=target,
            due_date=day,
            target_at=target,
            notes=form.message,
            created_at=work.now,
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
