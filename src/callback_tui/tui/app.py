"""The Textual app and the one factory that builds it (for the CLI, the tests and the bench)."""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from contextlib import suppress
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from textual import events
from textual.app import App, SystemCommand
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.driver import Driver
from textual.screen import Screen

from callback_tui.clock import Clock
from callback_tui.config import Clinic
from callback_tui.store.engine import ChangeWatcher, Database
from callback_tui.store.errors import DamagedFile, DeskError
from callback_tui.tui.keys import KeyGate, escape_then
from callback_tui.tui.messages import DataChanged
from callback_tui.tui.watches import drop_detached_watches, drop_style_caches
from callback_tui.tui.workers import desk_work, show_desk_error

if TYPE_CHECKING:
    from callback_tui.store.queries import Queue
    from callback_tui.store.services import FrontDesk
    from callback_tui.store.staff_desk import SignedIn

WATCHES_PRUNED_EVERY = 5.0
"""Seconds between two looks for watches left by removed widgets."""

FIRST_QUEUE_WAIT = 0.5
"""Seconds the first screen waits for the queue read at start before reading it itself."""

IDLE_CHECK_SECONDS = 1.0
"""Seconds between two looks at how long the desk has been left (idle lock, privacy)."""

FULL_PASS_DUE = 10
"""Young passes of the collector after which a full one is due: Python's own threshold."""
FULL_PASS_HELD = 100
"""Young passes after which the collector makes a full pass itself (see settle_heap)."""
FULL_PASS_IDLE_SECONDS = 2.0
"""Seconds the desk is left before a full pass that is due runs."""

DOOR = "door"
"""The mode of the sign-in, lock and privacy screens: it covers everyone's screens."""

TOUCHES = (
    events.Key,
    events.Paste,
    events.MouseDown,
    events.MouseMove,
    events.MouseScrollDown,
    events.MouseScrollUp,
)
"""What counts as someone at the desk: a key, a paste, the mouse."""
WAKES = (events.Key, events.Paste, events.MouseDown)
"""What brings the privacy key's blank back (a passing bump of the mouse does not)."""


def person_mode(initials: str) -> str:
    """The mode holding one person's screens: their Today and whatever they had open."""
    return f"desk-{initials}"


class Since:
    """How long ago something happened: by the clinic's clock (a pinned one in tests, moved
    by hand) or by the machine's, whichever says longer, so that a clock pinned for
    training (which stands still) never keeps the desk from locking."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._at: datetime = clock.now()
        self._machine = time.monotonic()

    def reset(self) -> None:
        self._at, self._machine = self._clock.now(), time.monotonic()

    def seconds(self) -> float:
        clinic = (self._clock.now() - self._at).total_seconds()
        return max(clinic, time.monotonic() - self._machine)


class WriteSide:
    """The service layer, loaded off the start path: importing it (SQLAlchemy, SQLModel and
    the tables) costs more than painting the queue. `start` loads it in a daemon thread once
    the queue is on screen; `get` returns it, waiting for a load under way (a save pressed
    within the first moments waits a little; it is never lost) or loading it itself."""

    def __init__(self, database: Database, clinic: Clinic) -> None:
        self._database, self._clinic = database, clinic
        self._desk: FrontDesk | None = None
        self._lock = threading.Lock()
        self._started = False

    def start(self, then: Callable[[], object] | None = None) -> None:
        """Load it in the background; `then` runs in that thread once it is loaded."""
        if self._started and then is None:
            return  # under way, or loaded already
        self._started = True
        threading.Thread(
            target=self._load_quietly, args=(then,), name="write-side", daemon=True
        ).start()

    def get(self) -> FrontDesk:
        with self._lock:
            if self._desk is None:
                from callback_tui.store.services import FrontDesk

                desk = FrontDesk(self._database, self._clinic)
                self._database.engine  # noqa: B018  (SQLAlchemy's engine is made now too)
                self._desk = desk
            return self._desk

    def _load_quietly(self, then: Callable[[], object] | None) -> None:
        # Whatever goes wrong here happens again, in words, at the write that needs it.
        with suppress(Exception):
            self.get()
        if then is not None:
            then()


def settle_heap() -> None:
    """What is loaded by now (Textual, SQLAlchemy, the tables) lives as long as the app:
    frozen, it is left out of the collector's full passes, which then walk only what the
    day makes (they had grown to 120 ms, run during nearly every save). Raising the
    collector's young thresholds instead was measured too, and made saves slower.

    Even so, a full pass walks what the day keeps (caches of painted lines, dialogs built
    since): 30 to 40 ms, every third save or so, in the middle of a key's work. So the full
    passes wait for the desk to be left a moment (`CallbackApp.collect_when_idle`: between
    two calls, the phone is in someone's hand). The collector runs one of its own only
    after FULL_PASS_HELD young passes without one (about thirty saves in a row with no
    pause of two seconds), so that memory stays bounded on a desk that is never left.
    """
    gc.freeze()
    young, middle, _full = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_PASS_HELD)


def settle_kept() -> None:
    """A screen built to be kept (app.push_kept) lives as long as the app too: once it is
    shown, what lives then is collected once and frozen with the rest (settle_heap).

    Left in the collector's way, the kept screens (some forty widgets each, their styles and
    caches) made every young pass and every full one walk them: measured over every screen
    opened in turn, a quarter of each key's time. Freezing costs one full pass, on each
    screen's first opening only (which builds it: a few hundred ms already). What was alive
    then and later becomes garbage in a cycle of references is not collected (a message
    on screen at that moment, say): a few objects, at most once per kept screen.
    """
    gc.collect()
    gc.freeze()


S = TypeVar("S", bound=Screen[Any])


class CallbackApp(App[None]):
    """callback-tui: today's callbacks for the person at the desk.

    The one way to build the app: the CLI, the tests and the benchmarks all construct it here.
    """

    # Absolute, so subclasses defined elsewhere (the benchmarks) find it too.
    CSS_PATH = Path(__file__).with_name("app.tcss")
    # Classes the screens' styles follow: the desk must work on an 80x24 terminal.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]
    TITLE = "callback-tui"
    BINDINGS = [
        Binding("f1", "toggle_keys", "Keys", id="keys", tooltip="Show or hide every key"),
        Binding("i", "incident", "Incident", id="incident", tooltip="Log an upset patient"),
        # Not in the footer (full on the narrowest screens): in the keys panel (f1) and palette.
        Binding("m", "message", "Message", id="message", tooltip="Take a message in", show=False),
        Binding(
            "f12",
            "privacy",
            "Privacy",
            id="privacy",
            priority=True,
            tooltip="Blank the screen at once (any key brings it back, for a while)",
        ),
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
    ]

    def __init__(
        self,
        database: Database,
        clinic: Clinic,
        *,
        initials: str | None = None,
        demo: bool = False,
        watch: bool = True,
        blink: bool = True,
        backups: bool = False,
        freeze_heap: bool = False,
    ) -> None:
        """`backups`: make the day's backup of the file once the queue is painted (the real
        app does; tests and the demo's throw-away file do not). `freeze_heap`: once the write
        side is loaded, keep what is loaded so far out of the collector's full passes (the
        real app: a process with one app in it; never in a test process, where every app's
        objects would stay for good)."""
        super().__init__()
        self.database = database
        self.clinic = clinic
        self._write_side = WriteSide(database, clinic)
        self.start_initials = initials
        self.demo = demo
        self.blink = blink
        self._watcher = ChangeWatcher(database) if watch else None
        self._backups = backups and database.path is not None
        self._painted = False
        self._freeze_heap = freeze_heap
        self._heap_settled = False
        """Whether settle_heap has run (once the write side is loaded)."""
        self._first_queue: tuple[str, date, Future[Queue]] | None = None
        self._when_started: list[Callable[[], object]] | None = []
        """What waits for Textual to have started (on_ready); None once it has."""
        self.keys = KeyGate(self)
        """Typed keys, one at a time (tui/keys.py); screens hold it while they fill in."""
        self._changes_seen = 0
        self.require_pin = clinic.settings.require_pin
        """Sign in with a PIN (the door's screens), or pick initials (WhoScreen)."""
        self.at_desk: SignedIn | None = None
        """Who signed in with their PIN (still so while the desk is locked)."""
        self._people: set[str] = set()
        """The modes made so far, one per person signed in (see `enter`)."""
        self._left_at: dict[str, int] = {}
        """Each person's mode, with the data generation when it was left."""
        self._quiet = Since(clinic.clock)
        """Since the last key or touch of the mouse."""
        self._covered: Since | None = None
        """Since the privacy key blanked the screen (None: it is not blank)."""
        self._door_made = False
        if initials and not self.require_pin:  # with a PIN, nothing is read before it
            self._read_first_queue(initials)

    def _let_go_of_removed_widgets(self) -> None:
        drop_detached_watches(self)
        drop_style_caches()

    def push_kept(
        self, kind: type[S], *args: Any, callback: Callable[[Any], None], **kwargs: Any
    ) -> S:
        """Open a `kind` screen made with these arguments, reusing the one kept from before.

        Building a dialog (its forty widgets, their styles) costs a third of a second; showing
        a kept one again, a tenth of that. So the screens a desk opens all day are built once,
        and their `reuse(...)` makes the kept one as `kind(...)` would be, mounted.
        """
        # One per person (their mode): a screen is never in two people's stacks at once.
        name = f"kept-{kind.__name__}-{self.current_mode}"
        if not self.is_screen_installed(name):
            screen = kind(*args, **kwargs)
            self.install_screen(screen, name)
        else:
            screen = cast(S, self.get_screen(name))
            # Open already, under another, or still busy with its last opening (a note's
            # last save under way): a new one.
            if screen in self.screen_stack or getattr(screen, "busy", False):
                screen = kind(*args, **kwargs)
                self.push_screen(screen, callback)
                return screen
            screen.reuse(*args, **kwargs)  # type: ignore[attr-defined]  # each kept kind has it
        self.push_screen(name, callback)
        return screen

    @property
    def _background_screens(self) -> list[Screen[Any]]:
        """The screens beneath the top one that show through it: none when the top one is
        opaque, as every screen and dialog here is.

        Textual lists the screen beneath a dialog whatever the dialog's backdrop. Listed,
        that screen counts as shown: it lays itself out again as its rows change beneath
        the dialog, and any paint of it makes the dialog above paint again, whole (opening
        a kept dialog painted it three times). Nothing of it can be seen, so none of that
        is needed; it lays out and paints once, when it is on top again.
        """
        try:
            opaque = self.screen.styles.background.a == 1
        except Exception:  # no screen yet, or the app is closing: as Textual has it
            opaque = False
        return [] if opaque else super()._background_screens

    def get_driver_class(self) -> type[Driver]:
        found = super().get_driver_class()
        if (found.__module__, found.__name__) == ("textual.drivers.linux_driver", "LinuxDriver"):
            from callback_tui.tui.driver import Driver as QuickEscape

            return QuickEscape  # escape answered at once (tui/driver.py)
        return found

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            apart = escape_then(event)
            if apart is not None:  # escape typed fast before a key (tui/keys.py)
                for key in apart:
                    await self.on_event(key)
                return
        typed = event if isinstance(event, events.Key | events.Paste) else None
        if typed is not None and not (typed.is_forwarded or self.keys.admit(typed)):
            return  # a key (or a paste) from the terminal that waits its turn (tui/keys.py)
        if typed is not None:
            self._hold_collector()
        if isinstance(event, TOUCHES):
            self._quiet.reset()
            if self._covered is not None and isinstance(event, WAKES):
                self._wake()
                return  # the key that brings the screen back does nothing else
        await super().on_event(event)

    def pop_screen(self) -> AwaitComplete:
        """Close the screen on top; once the one beneath is painted, let go of its widgets
        (a call dialog's leave a few thousand objects for every full collection to walk)."""
        closed = super().pop_screen()
        self.call_after_refresh(self._let_go_of_removed_widgets)
        return closed

    # -- the first queue ------------------------------------------------------------------

    def _read_first_queue(self, initials: str) -> None:
        """Read the queue while Textual starts, so the first paint shows it filled.

        The read is one indexed query, done long before the screen is composed; the screen
        takes it with `take_first_queue`.
        """
        from callback_tui.store import queries

        day = self.clinic.clock.today()
        future: Future[Queue] = Future()

        def read() -> None:
            try:
                clinic = self.clinic
                future.set_result(
                    queries.today(
                        self.database,
                        initials,
                        day,
                        clinic.calendar,
                        clinic.pools,
                        clinic.clock.now(),
                    )
                )
            except BaseException as error:  # told again by the screen's own read
                future.set_exception(error)

        self._first_queue = (initials, day, future)
        threading.Thread(target=read, name="first-queue", daemon=True).start()

    def take_first_queue(self, initials: str, day: date) -> Queue | None:
        """The queue read at start, once, if it is for these initials and day and came in
        good time; otherwise None, and the screen reads it in a worker as on any reload."""
        if self._first_queue is None:
            return None
        wanted, read_for, future = self._first_queue
        self._first_queue = None
        if (wanted, read_for) != (initials, day):
            return None
        try:
            return future.result(timeout=FIRST_QUEUE_WAIT)
        except BaseException:  # slow, or failed: the worker's read says why, in words
            return None

    @property
    def desk(self) -> FrontDesk:
        """Every write, through the service layer (see WriteSide)."""
        return self._write_side.get()

    def prepare_desk(self) -> None:
        """Start loading the write side now, if it is not loaded or loading (someone has
        begun typing their PIN: the check will need it)."""
        self._write_side.start()

    def on_mount(self) -> None:
        from callback_tui.tui.screens.today import TodayScreen

        if self._watcher is not None:
            self.set_interval(self.clinic.settings.refresh_seconds, self._check_watcher)
        # Closed dialogs' widgets leave watches and caches behind (see tui/watches.py).
        self.set_interval(WATCHES_PRUNED_EVERY, self._let_go_of_removed_widgets)
        self.set_interval(IDLE_CHECK_SECONDS, self.check_lock)
        if self._freeze_heap:
            self.set_interval(IDLE_CHECK_SECONDS, self.collect_when_idle)
        if self.require_pin:
            from callback_tui.tui.screens.sign_in import SignInScreen

            self._to_door(SignInScreen(initials=self.start_initials))
            return
        if self.start_initials:
            self.push_screen(TodayScreen(self.start_initials))
            return
        from callback_tui.tui.screens.who import WhoScreen

        def start(initials: str | None) -> None:
            if initials is None:
                self.exit()
            else:
                self.push_screen(TodayScreen(initials))

        self.push_kept(WhoScreen, callback=start)

    def on_ready(self) -> None:
        """Textual has started: from now on what it draws reaches the terminal."""
        waiting, self._when_started = self._when_started or [], None
        for then in waiting:
            then()

    def when_started(self, then: Callable[[], object]) -> None:
        """Run `then` once Textual has started (now, if it has).

        Textual mounts the app inside a batch of updates: what it lays out and draws
        before the batch ends is never shown, and is drawn again after. The queue read at
        start goes into its table only then, so the 50 rows are drawn once, not twice (in
        a terminal, 22 to 27 ms sooner to the painted queue, as bench/terminal.py times it).
        """
        if self._when_started is None:
            then()
        else:
            self._when_started.append(then)

    def on_unmount(self) -> None:
        if self._watcher is not None:
            self._watcher.close()
        self._release_collector()

    # -- the day's backup ----------------------------------------------------------------

    def on_queue_loaded(self, _message: object) -> None:
        """Once the queue is painted, the write side loads; and the first start of the day
        copies the file to backups/, after checking it.

        The check reads every page (seconds on years of data), so it waits until the queue
        is on screen and runs off the UI thread: a daemon thread, so quitting never waits
        for it (a copy cut short leaves a temporary file, never a half backup).
        """
        if not self._painted:
            self._painted = True  # once per start; the queue loads again on every change
            self.call_after_refresh(self._after_first_paint)

    def _after_first_paint(self) -> None:
        self._write_side.start(then=self._settle_heap if self._freeze_heap else None)
        if self._backups:
            self._start_daily_backup()

    def _start_daily_backup(self) -> None:
        threading.Thread(target=self._daily_backup, name="daily-backup", daemon=True).start()

    def _daily_backup(self) -> None:
        from callback_tui.store.backup import daily_backup

        assert self.database.path is not None
        try:
            daily_backup(self.database.path, self.clinic.clock.today())
        except DamagedFile as error:
            self.database.damaged = True  # from now on no write proceeds on this file
            self._tell(error)
        except DeskError as error:
            self._tell(error)

    def _tell(self, error: DeskError) -> None:
        with suppress(RuntimeError):  # the app closed meanwhile: nobody to tell
            self.call_from_thread(show_desk_error, self, error)

    # -- another desk's changes -----------------------------------------------------------

    @desk_work(group="watch", exclusive=True)
    def _check_watcher(self) -> None:
        if self._watcher is not None and self._watcher.changed():
            self.call_from_thread(self.tell_screens_data_changed)

    def tell_screens_data_changed(self) -> None:
        self._changes_seen += 1
        self._tell_screens()

    def _tell_screens(self) -> None:
        for screen in self.screen_stack:
            screen.post_message(DataChanged())

    @property
    def data_generation(self) -> int:
        """Goes up with every write made here and every change seen from another desk: a
        kept list read at the same generation still shows what is in the file."""
        return self.database.writes + self._changes_seen

    # -- an upset patient, from any screen -----------------------------------------------

    def desk_initials(self) -> str | None:
        """Whose queue is open (the person at the desk), if anyone's."""
        from callback_tui.tui.screens.today import TodayScreen

        for screen in self.screen_stack:
            if isinstance(screen, TodayScreen):
                return screen.initials
        return None

    def action_incident(self) -> None:
        from textual.widgets import Input, TextArea

        from callback_tui.tui.screens.incident import IncidentScreen

        if isinstance(self.focused, Input | TextArea):
            return  # a letter in a text box (a read-only one lets it through): not the key
        initials = self.desk_initials()
        if initials is not None and not isinstance(self.screen, IncidentScreen):
            self.push_kept(IncidentScreen, None, initials, callback=lambda _: None)

    def action_message(self) -> None:
        from textual.widgets import Input, TextArea

        from callback_tui.tui.screens.message import MessageScreen

        if isinstance(self.focused, Input | TextArea):
            return  # a letter in a text box (a read-only one lets it through): not the key
        initials = self.desk_initials()
        if initials is not None and not isinstance(self.screen, MessageScreen):
            self.push_kept(MessageScreen, initials, callback=self._message_taken)

    def _message_taken(self, taken: Any) -> None:
        if taken is None:
            return
        due = self.clinic.calendar.local(taken.target_at)
        self.notify(
            f"Message taken: callback {taken.callback_id} ({taken.priority}) for {taken.owner},"
            f" answer by {due:%a %H:%M}.",
            markup=False,
        )
        self.tell_screens_data_changed()  # the queue beneath shows it

    # -- leaving --------------------------------------------------------------------------

    async def action_quit(self) -> None:
        """Keep what is being typed in any open note (anyone's) before closing; the person
        signed in is signed out."""
        self._keep_typing(everyone=True)
        person = self.at_desk
        if person is not None:
            with suppress(DeskError):  # the file is busy or gone: closing goes on
                self.desk.staff.sign_out(person.initials)
        self.exit()

    def _keep_typing(self, *, everyone: bool = False) -> None:
        """Keep what is being typed in the open notes: on the screens shown, or everyone's."""
        modes = [self.current_mode]
        if everyone:
            modes += [mode for mode in sorted(self._people) if mode != self.current_mode]
        for mode in modes:
            for screen in self.get_screen_stack(mode):
                flush = getattr(screen, "flush", None)
                if callable(flush):
                    flush()

    # -- who is at the desk: sign-in, the lock, the privacy key ---------------------------

    def _to_door(self, screen: Screen[Any]) -> None:
        """Cover everyone's screens with `screen` (sign-in, lock or privacy blank)."""
        from callback_tui.tui.screens.sign_in import Curtain

        if self.current_mode != DOOR:
            if self.current_mode in self._people:
                self._left_at[self.current_mode] = self.data_generation
            if not self._door_made:
                self._door_made = True
                self.add_mode(DOOR, Curtain)
            self.switch_mode(DOOR)
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def at_door(self) -> bool:
        """Whether the sign-in, lock or privacy screen covers everything."""
        return self.current_mode == DOOR or self._covered is not None

    def enter(self, person: SignedIn) -> None:
        """`person` has signed in (or unlocked): on to their screens, as they left them."""
        from callback_tui.tui.screens.today import TodayScreen

        before = self.at_desk
        self.at_desk = person
        self._covered = None
        self._quiet.reset()
        if before is not None and before.initials != person.initials:
            self._record(_sign_out, before.initials)  # the one locked out of the desk
        mode = person_mode(person.initials)
        if mode not in self._people:
            self._people.add(mode)
            self.add_mode(mode, partial(TodayScreen, person.initials))
        self.switch_mode(mode)
        left = self._left_at.pop(mode, None)
        if left is not None and left != self.data_generation:
            self._tell_screens()  # written since they left: their lists read again

    def next_person(self) -> None:
        """`w`: the person at the desk signs out; the sign-in screen asks who is next."""
        from callback_tui.tui.screens.sign_in import SignInScreen

        person = self.at_desk
        self._leave()
        self.at_desk = None
        if person is not None:
            self._record(_sign_out, person.initials)
        self._to_door(SignInScreen())

    def check_lock(self) -> None:
        """On an interval: lock the desk once it has been left `idle_lock_minutes`, and turn
        the privacy blank into the lock once `privacy_seconds` are over."""
        settings = self.clinic.settings
        if self._covered is not None:
            if self.require_pin and self._covered.seconds() >= settings.privacy_seconds:
                self._lock_covered()
            return
        if self._quiet.seconds() < settings.idle_lock_minutes * 60:
            return
        if self.at_door():
            screen = self.screen
            if hasattr(screen, "idle"):
                screen.idle()  # a PIN typed and left there goes
            return
        if self.showing_data():
            self.lock("idle")

    def _settle_heap(self) -> None:
        settle_heap()
        self._heap_settled = True
        self.keys.on_quiet = self._release_collector

    def _hold_collector(self) -> None:
        """A key's work (a saved call, a screen opened, and its paint) runs with the
        collector's automatic passes held; they run once it is over (`KeyGate.on_quiet`),
        between two keys, on what the work left.

        Only once the heap is settled (settle_heap): the real app, never a test's. On the
        saved call (bench/ui_save.py) the young passes were a tenth of its time, some
        fifteen of under a millisecond and one or two of 3 to 5 ms, in the middle of the
        save's paint; held, its p95 went from 70-75 ms to 56-66 ms (interleaved runs). The
        passes' work is not saved, only moved to where nobody waits on it. A higher young
        threshold instead made the save's p95 worse (72-94 ms). A key whose work never says
        it is over leaves the collector held until the desk is left (collect_when_idle).
        """
        if self._heap_settled and gc.isenabled():
            gc.disable()

    def _release_collector(self) -> None:
        if not gc.isenabled():
            gc.enable()

    def settle_kept(self) -> None:
        """A kept screen is built and shown: frozen with what lives then (see settle_kept),
        when the app freezes its heap. One shown before the heap is settled (the queue, at
        the start) is frozen with it then."""
        if self._freeze_heap and self._heap_settled:
            settle_kept()

    def collect_when_idle(self) -> None:
        """On an interval: the collector's full pass, once one is due and the desk has been
        left FULL_PASS_IDLE_SECONDS with no key waiting (see settle_heap)."""
        left = self.keys.idle and self._quiet.seconds() >= FULL_PASS_IDLE_SECONDS
        if left:
            self._release_collector()  # held by a key whose work never said it was over
        if left and gc.get_count()[2] >= FULL_PASS_DUE:
            gc.collect()

    def showing_data(self) -> bool:
        """Whether someone's screens (with patients on them) are showing."""
        if self.at_door():
            return False
        if self.require_pin:
            return self.at_desk is not None
        return self.desk_initials() is not None

    def lock(self, reason: Literal["idle", "privacy"]) -> None:
        """Cover the screens: the lock screen (idle), or the privacy blank."""
        from callback_tui.tui.screens.sign_in import LockScreen, PrivacyScreen

        initials = self.at_desk.initials if self.at_desk else self.desk_initials()
        if initials is None:
            return
        self._leave()
        self._record(_lock, initials, reason)
        if not self.require_pin:  # no PIN to ask: a blank any key takes away
            self._covered = Since(self.clinic.clock)
            self.push_screen(PrivacyScreen())
        elif reason == "privacy" and self.clinic.settings.privacy_seconds > 0:
            self._covered = Since(self.clinic.clock)
            self._to_door(PrivacyScreen())
        else:
            self._to_door(LockScreen(initials))

    def _leave(self) -> None:
        """The person steps away from their screens: what they typed is kept, and the
        messages on screen (a patient's name, maybe) go."""
        self._keep_typing()
        self.clear_notifications()

    def _wake(self) -> None:
        """A key on the privacy blank: back to the screens within `privacy_seconds`, else
        the lock screen asks the PIN."""
        covered = self._covered
        if covered is None:
            return
        if self.require_pin and covered.seconds() >= self.clinic.settings.privacy_seconds:
            self._lock_covered()
            return
        self._covered = None
        self._quiet.reset()
        if not self.require_pin:
            from callback_tui.tui.screens.sign_in import PrivacyScreen

            if isinstance(self.screen, PrivacyScreen):
                self.pop_screen()
        elif self.at_desk is not None:
            self.enter(self.at_desk)

    def _lock_covered(self) -> None:
        from callback_tui.tui.screens.sign_in import LockScreen, SignInScreen

        self._covered = None
        person = self.at_desk
        self._to_door(LockScreen(person.initials) if person else SignInScreen())

    def action_privacy(self) -> None:
        if self.showing_data():
            self.lock("privacy")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "privacy":
            return self.showing_data()
        if action == "command_palette":
            return not self.at_door()  # nothing to offer at the door
        return True

    @desk_work(group="audit")
    def _record(self, write: Callable[..., None], *args: str) -> None:
        """Put an event of who is at the desk on the audit trail (a worker: writes wait for
        nobody on the UI thread)."""
        write(self.desk, *args)

    # -- keys -----------------------------------------------------------------------------

    def action_toggle_keys(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The palette offers every key of the current screen, then the app's own commands."""
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not active.enabled or not binding.description or binding.action in seen:
                continue
            seen.add(binding.action)
            yield SystemCommand(
                f"{binding.description} ({active.binding.key_display or binding.key})",
                binding.tooltip or binding.description,
                partial(self.run_action, binding.action, active.node),
            )
        for command in super().get_system_commands(screen):
            if command.title not in ("Keys", "Quit"):
                yield command


def _sign_out(desk: FrontDesk, initials: str) -> None:
    desk.staff.sign_out(initials)


def _lock(desk: FrontDesk, initials: str, reason: str) -> None:
    desk.staff.lock(initials, reason)
