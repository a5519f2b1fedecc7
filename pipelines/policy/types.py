"""The finding types a policy may name, and the kind each belongs to.

A policy is checked against this list so that a typo (``US_SNN``) fails ``aitrail policy
check`` instead of silently matching nothing in production. The kind (pii, secret, moderation)
picks the policy's fallback for a finding no rule matches. Adding a detector means adding its
types here; removing a name breaks every policy that uses it, so names are only ever added.
"""

from __future__ import annotations

import difflib
from typing import Literal

Kind = Literal["pii", "secret", "moderation"]
KINDS: tuple[Kind, ...] = ("pii", "secret", "moderation")

# Presidio 2.2.366's predefined recognizers (global and country-specific), plus STREET_ADDRESS
# from our NER engine. Model-specific labels (AGE, ID, EMAIL) are left out: Presidio maps them.
PII_TYPES: frozenset[str] = frozenset(
    {
        "ABA_ROUTING_NUMBER", "AU_ABN", "AU_ACN", "AU_MEDICARE", "AU_TFN", "CA_POSTAL_CODE",
        "CA_SIN", "CREDIT_CARD", "CRYPTO", "DATE_TIME", "DE_BSNR", "DE_FUEHRERSCHEIN",
        "DE_HANDELSREGISTER", "DE_HEALTH_INSURANCE", "DE_ID_CARD", "DE_KFZ", "DE_LANR",
        "DE_PASSPORT", "DE_PLZ", "DE_SOCIAL_SECURITY", "DE_TAX_ID", "DE_TAX_NUMBER",
        "DE_VAT_ID", "EMAIL_ADDRESS", "ES_NIE", "ES_NIF", "ES_PASSPORT",
        "FI_PERSONAL_IDENTITY_CODE", "IBAN_CODE", "IN_AADHAAR", "IN_GSTIN", "IN_PAN",
        "IN_PASSPORT", "IN_VEHICLE_REGISTRATION", "IN_VOTER", "IP_ADDRESS", "IT_DRIVER_LICENSE",
        "IT_FISCAL_CODE", "IT_IDENTITY_CARD", "IT_PASSPORT", "IT_VAT_CODE", "KR_BRN",
        "KR_DRIVER_LICENSE", "KR_FRN", "KR_PASSPORT", "KR_RRN", "LOCATION", "MAC_ADDRESS",
        "MEDICAL_LICENSE", "NG_NIN", "NG_VEHICLE_REGISTRATION", "NRP", "ORGANIZATION",
        "PERSON", "PHONE_NUMBER", "PH_PASSPORT", "PH_TIN", "PH_UMID", "PL_PESEL",
        "SE_ORGANISATIONSNUMMER", "SE_PERSONNUMMER", "SG_NRIC_FIN", "SG_UEN", "STREET_ADDRESS",
        "TH_TNIN", "TR_LICENSE_PLATE", "TR_NATIONAL_ID", "UK_DRIVING_LICENCE", "UK_NHS",
        "UK_NINO", "UK_PASSPORT", "UK_POSTCODE", "UK_VEHICLE_REGISTRATION", "URL",
        "US_BANK_NUMBER", "US_CLAIM_NUMBER", "US_DRIVER_LICENSE",
        "US_HEALTH_INSURANCE_MEMBER_ID", "US_ITIN", "US_MBI", "US_NPI", "US_PASSPORT",
        "US_PRESCRIPTION_NUMBER", "US_PRIOR_AUTHORIZATION_NUMBER", "US_PROVIDER_TAX_ID",
        "US_REFERRAL_NUMBER", "US_SSN", "UUID", "ZA_COMPANY_REGISTRATION", "ZA_DRIVER_LICENSE",
        "ZA_ID_NUMBER", "ZA_INCOME_TAX_NUMBER", "ZA_LICENSE_PLATE", "ZA_MOBILE_NUMBER",
        "ZA_PASSPORT", "ZA_TELEPHONE_NUMBER", "ZA_TRAFFIC_REGISTER_NUMBER", "ZA_VAT_NUMBER",
    }
)  # fmt: skip

SECRET_TYPES: frozenset[str] = frozenset(
    {
        "AWS_ACCESS_KEY",
        "AWS_SECRET_KEY",
        "GITHUB_TOKEN",
        "SLACK_TOKEN",
        "STRIPE_KEY",
        "GOOGLE_API_KEY",
        "PRIVATE_KEY",
        "JWT",
        "CONNECTION_STRING_PASSWORD",
        "HIGH_ENTROPY_SECRET",
    }
)

MODERATION_TYPES: frozenset[str] = frozenset(
    {
        "TOXICITY",
        "HATE",
        "HARASSMENT",
        "SELF_HARM",
        "VIOLENCE",
        "SEXUAL",
        "PROMPT_INJECTION",
        "JAILBREAK",
    }
)

KNOWN_TYPES: frozenset[str] = PII_TYPES | SECRET_TYPES | MODERATION_TYPES
WILDCARD = "*"


def kind_of(entity_type: str) -> Kind:
    """Unknown types (a detector newer than this list) count as PII: the fallback then masks
    them, which fails closed."""
    if entity_type in SECRET_TYPES:
        return "secret"
    if entity_type in MODERATION_TYPES:
        return "moderation"
    return "pii"


def suggest(name: str) -> str | None:
    """The known type closest to a misspelt ``name``, if any is close enough."""
    wanted = name.strip().upper().replace("-", "_").replace(" ", "_")
    if wanted in KNOWN_TYPES:
        return wanted
    close = difflib.get_close_matches(wanted, sorted(KNOWN_TYPES), n=1, cutoff=0.6)
    if close:
        return close[0]
    containing = [t for t in sorted(KNOWN_TYPES) if wanted in t.split("_")]
    return containing[0] if len(containing) == 1 else None
