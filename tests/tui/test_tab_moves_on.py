"""Tab leaves a text box for the next field, everywhere (it never types a tab)."""

from __future__ import annotations

from callback_tui.store.services import FrontDesk
from callback_tui.tui.screens.incident import IncidentScreen
from callback_tui.tui.widgets.text_area import TextBox
from tests.tui.conftest import SIZE, MakeApp, settle


async def test_tab_in_what_happened_moves_to_the_next_field(desk: FrontDesk, make: MakeApp) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, IncidentScreen)
        box = screen.query_one("#what_happened", TextBox)
        box.focus()
        await pilot.press(*"Waited", "tab", *"FD")
        await settle(pilot)
        assert box.text == "Waited"
        assert app.focused is not box
        assert getattr(app.focused, "value", None) == "FD"
