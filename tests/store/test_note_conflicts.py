"""A note never keeps the marker lines of a change made at two desks: no write path stores them."""

from __future__ import annotations

import pytest

from callback_tui.domain import conflict
from callback_tui.store import notes
from callback_tui.store.services import FrontDesk, Invalid, NewNote
from tests.store.test_notes import actions, concern_draft, ref

MERGED = conflict.merged("First words. AB adds this.", "First words. DRW adds that.")


def test_the_merge_shows_both_texts_theirs_first_mine_between_markers() -> None:
    lines = MERGED.split("\n")
    assert lines == [
        "First words. AB adds this.",
        "",
        conflict.YOURS_BEGIN,
        "First words. DRW adds that.",
        conflict.YOURS_END,
    ]
    assert conflict.merged("Same.", "Same.\n") == "Same.\n"  # nothing to settle
    assert conflict.has_markers(MERGED)


@pytest.mark.parametrize(
    "text",
    [
        MERGED,
        f"Kept this.\n{conflict.YOURS_END}",
        f"Kept this.\n  {conflict.YOURS_BEGIN}  ",
        "Kept this.\n--- your text, not sav",  # a marker partly deleted is still one
        "Kept this.\n--- END OF YOUR TEXT",
    ],
)
def test_any_marker_line_left_counts(text: str) -> None:
    assert conflict.has_markers(text)


@pytest.mark.parametrize(
    "text",
    ["Settled.", "Plan:\n--- recheck in 2 weeks ---", "Owner says: your text came through"],
)
def test_ordinary_text_has_no_markers(text: str) -> None:
    assert not conflict.has_markers(text)


def test_saving_autosaving_or_finalizing_a_marked_draft_is_refused_and_writes_nothing(
    desk: FrontDesk,
) -> None:
    draft = concern_draft(desk, "First words.")
    before = actions(desk)
    for write in (
        lambda: desk.notes.save("DRW", ref(draft), MERGED),
        lambda: desk.notes.save("DRW", ref(draft), MERGED, autosave=True),
        lambda: desk.notes.finalize("DRW", ref(draft), MERGED),
    ):
        with pytest.raises(Invalid) as refused:
            write()
        assert refused.value.problems == {"body": conflict.MARKED}
    stored = notes.note(desk.database, draft.id)  # type: ignore[arg-type]
    assert stored is not None
    assert (stored.status, stored.body, stored.version) == ("draft", "First words.", draft.version)
    assert actions(desk) == before


def test_a_new_note_with_markers_is_not_created(desk: FrontDesk) -> None:
    draft = concern_draft(desk)
    target = NewNote(patient_id=draft.patient_id, addressed_to="DRW")  # type: ignore[arg-type]
    with pytest.raises(Invalid):
        desk.notes.save("CD", target, MERGED)
    with pytest.raises(Invalid):
        desk.notes.finalize("CD", target, MERGED)
    assert [n.id for n in notes.notes(desk.database)] == [draft.id]


def test_an_amendment_with_markers_is_refused(desk: FrontDesk) -> None:
    draft = concern_draft(desk)
    final = desk.notes.finalize("DRW", ref(draft), "Settled.")
    with pytest.raises(Invalid) as refused:
        desk.notes.amend("DRW", final.id, f"Also this.\n{conflict.YOURS_END}")  # type: ignore[arg-type]
    assert refused.value.problems == {"amendment": conflict.MARKED}
    stored = notes.note(desk.database, draft.id)  # type: ignore[arg-type]
    assert stored is not None and stored.amendments == ()


def test_once_the_markers_are_deleted_the_chosen_text_is_saved_and_finalized(
    desk: FrontDesk,
) -> None:
    draft = concern_draft(desk, "First words.")
    settled = "First words. AB adds this.\n\nFirst words. DRW adds that."
    saved = desk.notes.save("DRW", ref(draft), settled)
    final = desk.notes.finalize("DRW", ref(saved), settled)
    assert (final.status, final.body) == ("final", settled)
