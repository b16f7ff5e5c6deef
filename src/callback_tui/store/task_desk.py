"""Writes of tasks: marking one done."""

from __future__ import annotations

from callback_tui.store.errors import ServiceError
from callback_tui.store.tables import Task
from callback_tui.store.unit import Desk, required_text, role_of, snapshot


class TaskDesk(Desk):
    def complete(self, actor: str, task_id: int, version: int, note: str) -> Task:
        """Mark a task done, saying what was done. Only its person, or its role, may."""
        said = required_text(note, "note", "say what was done")
        with self.write(actor) as work:
            task = self.guarded(work, Task, task_id, version)
            if task.status != "open":
                raise ServiceError(f"this task was already done by {task.done_by or 'someone'}")
            role = role_of(work, actor)
            if actor != task.assignee and (task.assignee is not None or role != task.role):
                whose = task.assignee or (task.role or "").replace("_", " ")
                raise ServiceError(f"this task is for {whose}, not {actor}")
            before = snapshot(task)
            task.status = "done"
            task.done_note = said
            task.done_by = actor
            task.done_at = work.now
            task.version += 1
            work.record("task.done", task, before)
        return task
