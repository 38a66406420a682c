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
