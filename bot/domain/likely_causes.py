# ruff: noqa: E501 - a table of sentences reads better one per line
"""Per root cause: what usually went wrong, and the workflow change that usually prevents it.

Our own summary of common revenue-cycle practice (not payer policy); shown on grouped cards
and in the monthly pattern review so a manager can act on a repeat pattern.
"""

from __future__ import annotations

from bot.domain.findings import RootCause

LIKELY_CAUSE: dict[RootCause, str] = {
    RootCause.AUTHORIZATION: (
        "The authorization is missing, expired, or names a different provider, service or dates."
    ),
    RootCause.ELIGIBILITY: (
        "Coverage was not active on the date of service, or the member id or name does not match."
    ),
    RootCause.DOCUMENTATION: "The payer asked for records or an attachment that did not arrive.",
    RootCause.CLAIM_DATA: "A required claim field is missing or invalid (ids, dates, NPI, units).",
    RootCause.CODING: "A modifier, place of service or code combination the payer rejects.",
    RootCause.TIMELY_FILING: "The claim reached the payer after its filing limit.",
    RootCause.DUPLICATE: "The same service was billed twice, or a resubmission was not marked.",
    RootCause.COORDINATION_OF_BENEFITS: "Another payer is primary, or the prior payer's EOB is missing.",
    RootCause.MEDICAL_NECESSITY: "The diagnosis does not support the service under the payer's policy.",
    RootCause.NON_COVERED: "The plan does not cover this service, or its benefit limit is reached.",
    RootCause.PROVIDER_ENROLLMENT: (
        "The rendering or referring provider is not enrolled or credentialed with this payer."
    ),
    RootCause.OTHER: "The payer's reason does not map to a known root cause; read the remittance.",
}

PREVENTION: dict[RootCause, str] = {
    RootCause.AUTHORIZATION: (
        "Check the authorization at scheduling: service, dates and rendering provider must match."
    ),
    RootCause.ELIGIBILITY: "Run an eligibility check (270/271) before every visit, not only new patients.",
    RootCause.DOCUMENTATION: "Send records with the first request and track payer record requests.",
    RootCause.CLAIM_DATA: "Add a claim scrubber edit for the missing field before submission.",
    RootCause.CODING: "Review modifier and NCCI edits for this CPT with the coder; add a scrubber rule.",
    RootCause.TIMELY_FILING: "Submit within 7 days of the visit and work clearinghouse rejections daily.",
    RootCause.DUPLICATE: "Use frequency code 7 for corrected claims and check status before rebilling.",
    RootCause.COORDINATION_OF_BENEFITS: "Ask for all coverage at check-in and update the payer order.",
    RootCause.MEDICAL_NECESSITY: "Check the payer's coverage policy (LCD/NCD) for the diagnosis codes.",
    RootCause.NON_COVERED: "Verify benefits for this service and have the patient sign a waiver first.",
    RootCause.PROVIDER_ENROLLMENT: "Confirm enrollment of new providers with each payer before they bill.",
    RootCause.OTHER: "Review a few of these claims together and record what fixed them.",
}


def likely_cause(category: RootCause) -> str:
    return LIKELY_CAUSE[category]


def prevention(category: RootCause) -> str:
    return PREVENTION[category]


# -- the card's "Next step" line (issue 14): what a clerk does now, per root cause and state ----

# Root causes whose usual fix is a corrected claim rather than an appeal: the card's main button
# is "Corrected claim sent" for them, and "Log appeal" moves to the ⋯ menu.
CORRECT_FIRST: frozenset[RootCause] = frozenset(
    {
        RootCause.ELIGIBILITY,
        RootCause.CLAIM_DATA,
        RootCause.CODING,
        RootCause.DUPLICATE,
        RootCause.COORDINATION_OF_BENEFITS,
    }
)

NEXT_STEP: dict[RootCause, str] = {
    RootCause.AUTHORIZATION: "Find the authorization (or ask for a retro-authorization) and appeal with it attached.",
    RootCause.ELIGIBILITY: "Check coverage on the date of service; fix the member id or bill the right payer with a corrected claim.",
    RootCause.DOCUMENTATION: "Send the records the payer asked for, with an appeal.",
    RootCause.CLAIM_DATA: "Fix the missing or invalid field and send a corrected claim.",
    RootCause.CODING: "Have the coder check the codes and modifiers; send a corrected claim, or appeal with the notes if the codes were right.",
    RootCause.TIMELY_FILING: "Appeal with proof the claim was filed in time (the clearinghouse acceptance report).",
    RootCause.DUPLICATE: "Check whether the first claim was paid; a correction goes again as a corrected claim (frequency code 7).",
    RootCause.COORDINATION_OF_BENEFITS: "Bill the primary payer first, or send the primary's EOB with a corrected claim.",
    RootCause.MEDICAL_NECESSITY: "Appeal with the visit notes and the payer's coverage policy for the diagnosis.",
    RootCause.NON_COVERED: "Check the patient's benefits; bill the patient if they signed a waiver, else appeal or ask a manager to write it off.",
    RootCause.PROVIDER_ENROLLMENT: "Confirm the provider's enrollment with this payer, then appeal or resubmit once it is active.",
    RootCause.OTHER: "Read the payer's remittance advice, or call the payer, to learn what to fix.",
}
NEXT_STEP_NO_APPEAL = (
    "Correct the claim, send it again as a corrected claim, then click Corrected claim sent."
)
NEXT_STEP_APPEALED = "Log the outcome when the payer answers."
NEXT_STEP_RESUBMITTED = "Nothing until the payment arrives; the card closes itself when it does."
NEXT_STEP_LAPSED = "The window has closed: appeal only with proof of timely filing, else ask a manager to write it off."


def next_step(category: RootCause) -> str:
    """What to do now with an open denial of this root cause, before anything is sent."""
    return NEXT_STEP[category]


def corrects_first(category: RootCause) -> bool:
    return category in CORRECT_FIRST
