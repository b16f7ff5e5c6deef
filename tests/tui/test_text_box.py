"""The app's text box: no key, undo and redo above all, ends the app or loses what was typed."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from textual import events
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import TextArea

import callback_tui
from callback_tui.store.services import FrontDesk
from callback_tui.tui.screens.outcome import OutcomeScreen
from callback_tui.tui.widgets.text_area import NOT_UNDONE, TextBox
from tests.conftest import add_visit
from tests.tui.conftest import MakeApp, settle

SIXTY_LINES = "\n".join(
    f"line {n}: the owner read out the whole discharge sheet" for n in range(60)
)
TWENTY_THOUSAND = "\n".join(["x" * 79] * 250)
LONG_LINE = "y" * 20_000


class OneBox(App[None]):
    """A bare text box at the size of a small reception terminal."""

    def __init__(self, text: str = "") -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield TextBox(self.text, soft_wrap=True)


async def paste(pilot: Pilot[None], text: str) -> None:
    """As a terminal delivers a paste: to the app, which hands it to the focused widget."""
    pilot.app.post_message(events.Paste(text))
    await pilot.pause()


@pytest.mark.parametrize(
    "pasted",
    [SIXTY_LINES, TWENTY_THOUSAND, LONG_LINE],
    ids=["60 lines", "20000 chars", "one 20000-char line"],
)
async def test_undoing_a_big_paste_gives_back_the_text_before_it(pasted: str) -> None:
    app = OneBox()
    async with app.run_test(size=(80, 24)) as pilot:
        box = app.query_one(TextBox)
        box.focus()
        await pilot.press(*"Owner called.")
        await paste(pilot, pasted)
        assert box.text == "Owner called." + pasted
        await pilot.press("ctrl+z")
        assert app.is_running
        assert box.text == "Owner called."
        await pilot.press("ctrl+y")
        assert box.text == "Owner called." + pasted
        await pilot.press("ctrl+z", "ctrl+z", "ctrl+z")  # past the start: nothing to undo
        assert app.is_running and box.text == ""
    assert app.return_code in (None, 0)


async def test_redoing_the_deletion_of_a_long_selection_keeps_the_app_running() -> None:
    app = OneBox(SIXTY_LINES)
    async with app.run_test(size=(80, 24)) as pilot:
        box = app.query_one(TextBox)
        box.focus()
        box.select_all()  # the cursor ends on the last line
        await pilot.press("backspace", "ctrl+z")
        assert box.text == SIXTY_LINES
        await pilot.press("ctrl+y")
        assert app.is_running
        assert box.text == ""
        await pilot.press(*"ok")
        assert box.text == "ok"


async def test_an_undo_that_fails_inside_textual_keeps_the_text_and_says_so_calmly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(text_area: TextArea, _edits: object) -> None:
        text_area.document.replace_range((0, 0), text_area.document.end, "half undone")
        raise ValueError("The document line index 9 is out of bounds.")

    app = OneBox()
    async with app.run_test(size=(80, 24)) as pilot:
        box = app.query_one(TextBox)
        box.focus()
        await pilot.press(*"Owner called.")
        await paste(pilot, SIXTY_LINES)
        monkeypatch.setattr(TextArea, "_undo_batch", broken)
        await pilot.press("ctrl+z")
        assert app.is_running
        assert box.text == "Owner called." + SIXTY_LINES
        assert box.history.undo_stack == [] and box.history.redo_stack == []
        assert [n.message for n in app._notifications] == [NOT_UNDONE]
        await pilot.press("ctrl+z", "!")  # nothing left to undo; typing goes on
        assert box.text.endswith("sheet!")


async def test_undoing_a_paste_in_the_log_call_notes_keeps_the_dialog_open(
    desk: FrontDesk, make: MakeApp
) -> None:
    add_visit(desk)
    app = make("AB")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "s", *"Spoke to the owner.")
        assert isinstance(app.screen, OutcomeScreen)
        await paste(pilot, SIXTY_LINES)
        await pilot.press("ctrl+z")
        assert app.is_running and isinstance(app.screen, OutcomeScreen)
        assert app.screen.query_one("#notes", TextBox).text == "Spoke to the owner."


KEYS = st.sampled_from(
    [
        # Undo, redo and paste weigh more: they are where the text area has failed.
        *["ctrl+z", "ctrl+y", "paste"] * 3,
        "a",
        "enter",
        "backspace",
        "delete",
        "up",
        "down",
        "home",
        "end",
        "ctrl+home",
        "ctrl+end",
        "shift+up",
        "shift+down",
        "shift+ctrl+home",
        "shift+ctrl+end",
    ]
)


@settings(max_examples=25, deadline=None)
@given(keys=st.lists(KEYS, min_size=1, max_size=25))
@example(keys=["paste", "ctrl+z"])
@example(keys=["ctrl+end", "shift+ctrl+home", "backspace", "ctrl+z", "ctrl+y"])
async def test_no_sequence_of_keys_ends_the_app(keys: list[str]) -> None:
    app = OneBox("Owner called.")
    async with app.run_test(size=(80, 24)) as pilot:
        app.query_one(TextBox).focus()
        for key in keys:
            if key == "paste":
                await paste(pilot, SIXTY_LINES)
            else:
                await pilot.press(key)
        assert app.is_running


def test_every_text_area_of_the_app_is_a_text_box() -> None:
    """A screen that made a TextArea itself would bring back the crash."""
    made_directly = []
    for path in sorted(Path(callback_tui.__file__).parent.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "TextArea"
            ):
                made_directly.append(f"{path.name}:{node.lineno}")
    assert made_directly == []
