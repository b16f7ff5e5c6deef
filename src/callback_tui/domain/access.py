"""Who may do what: the one table of role rules the service layer enforces.

The screens ask the same table to dim what the service would refuse, with the same words.
Each rule names the roles allowed (None: anyone at the desk, audited) and how a refusal
names them ("a doctor", "a regional manager or the owner").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from callback_tui.domain.vocab import POOLS, NoteOrigin, Role


class Act(StrEnum):
    FINALIZE_DRAFT = "finalize_draft"
    """Finalize a draft addressed to a doctor."""
    RECORD_ESCALATION = "record_escalation"
    """Record the regional manager's outcome of an incident (step 3)."""
    CLOSE_INCIDENT = "close_incident"
    MANAGE_STAFF = "manage_staff"
    """Add staff, rename, change a role, deactivate or activate, set or reset another's PIN."""
    CLAIM_POOL = "claim_pool"
    EDIT_DO_NOT_CALL = "edit_do_not_call"
    RELEASE_ITEMS = "release_items"
    """Put someone's unworked callbacks back into their pools (the shift hand-off)."""


@dataclass(frozen=True)
class Rule:
    roles: frozenset[Role] | None
    """Who may; None: anyone at the desk (the change is audited like any other)."""
    who: str
    """The roles in words, as a refusal says them: "a doctor"."""
    doing: str
    """The act in words: "finalize a doctor's draft"."""


ANYONE = "anyone signed in"

RULES: Mapping[Act, Rule] = {
    Act.FINALIZE_DRAFT: Rule(frozenset({Role.DOCTOR}), "a doctor", "finalize a doctor's draft"),
    Act.RECORD_ESCALATION: Rule(
        frozenset({Role.REGIONAL_MANAGER, Role.OWNER}),
        "a regional manager or the owner",
        "record the outcome of an escalated incident",
    ),
    Act.CLOSE_INCIDENT: Rule(
        frozenset({Role.OFFICE_MANAGER, Role.REGIONAL_MANAGER, Role.OWNER}),
        "an office manager, a regional manager or the owner",
        "close an incident",
    ),
    Act.MANAGE_STAFF: Rule(
        frozenset({Role.OFFICE_MANAGER, Role.OWNER}),
        "an office manager or the owner",
        "change staff or their PINs",
    ),
    # The roles of each pool come from the clinic's profile: see `allowed_roles`.
    Act.CLAIM_POOL: Rule(None, "the pool's roles", "claim from a pool"),
    Act.EDIT_DO_NOT_CALL: Rule(None, ANYONE, "change do-not-call"),
    Act.RELEASE_ITEMS: Rule(
        frozenset({Role.OFFICE_MANAGER, Role.OWNER}),
        "an office manager or the owner",
        "put someone else's unworked callbacks back into their pools",
    ),
}
"""Every role rule. Finalizing a note addressed to no one (a communication log written at
the desk) and editing do-not-call are open to anyone signed in; everyone may choose their
own PIN at their first sign-in, and release their own unworked callbacks (`own`)."""

_ARTICLE = {
    Role.ASSISTANT: "an assistant",
    Role.TECHNICIAN: "a technician",
    Role.DOCTOR: "a doctor",
    Role.FRONT_DESK: "the front desk",
    Role.OFFICE_MANAGER: "an office manager",
    Role.REGIONAL_MANAGER: "a regional manager",
    Role.OWNER: "the owner",
}


def who_may(roles: frozenset[Role]) -> str:
    """Roles in words, in the order of `Role`: "a technician or an assistant"."""
    named = [_ARTICLE[role] for role in Role if role in roles]
    if len(named) < 2:
        return "".join(named) or "no one"
    return f"{', '.join(named[:-1])} or {named[-1]}"


def allowed_roles(
    act: Act, *, pool: str | None = None, pools: Mapping[str, frozenset[Role]] = POOLS
) -> frozenset[Role] | None:
    """The roles that may do `act` (None: anyone); a pool's own for CLAIM_POOL."""
    if act is Act.CLAIM_POOL:
        return pools.get(pool or "", frozenset())
    return RULES[act].roles


def waits_for_doctor(
    *, addressed_to: str | None, origin: str, author: str, handed_over: bool, actor: str
) -> bool:
    """Whether finalizing a note is finalizing a doctor's draft (FINALIZE_DRAFT's `addressed`).

    A note addressed to a doctor is theirs to finalize once it is handed over. The one
    exception: a client update its author resolves on the phone is finalized by that person
    at once (the procedure: resolved, finalize it now), as long as they have not saved it
    for the doctor yet (`handed_over`: saved as a draft, rather than new or only autosaved).
    """
    if addressed_to is None:
        return False
    resolving_own_update = origin == NoteOrigin.CLIENT_UPDATE and author == actor
    return handed_over or not resolving_own_update


def refusal(
    act: Act,
    role: Role | None,
    *,
    addressed: bool = True,
    own: bool = False,
    pool: str | None = None,
    pools: Mapping[str, frozenset[Role]] = POOLS,
) -> str | None:
    """None when someone in `role` may do `act`, else the one-line reason.

    `role` None is someone who is no staff member (the `system` actor of unattended
    commands): refused whatever a role rule limits. `addressed` (FINALIZE_DRAFT): the
    draft waits for a doctor; a note addressed to no one may be finalized by anyone.
    `own` (MANAGE_STAFF, RELEASE_ITEMS): a person setting their own PIN, or putting their
    own unworked callbacks back into their pools. `pool` and `pools`
    (CLAIM_POOL): the pool and the clinic's pools with their roles.
    """
    if act is Act.FINALIZE_DRAFT and not addressed:
        return None
    if act in (Act.MANAGE_STAFF, Act.RELEASE_ITEMS) and own:
        return None
    roles = allowed_roles(act, pool=pool, pools=pools)
    if roles is None or (role is not None and role in roles):
        return None
    if act is Act.CLAIM_POOL:
        return f"Only {who_may(roles)} may claim from the {pool} pool."
    rule = RULES[act]
    return f"Only {rule.who} may {rule.doing}."
