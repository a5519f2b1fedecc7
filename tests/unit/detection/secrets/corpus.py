"""Synthetic ~1 KB LLM messages with a few planted secrets, for end-to-end and speed checks.

The filler is chosen to be hard: it talks about tokens, keys and passwords, carries UUIDs,
git SHAs, ``max_tokens`` and ``request_id`` fields, so a recognizer that fires on anything
that looks secret-ish shows up as a false positive.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from tests.unit.detection.secrets import fakes

SENTENCES = (
    "Can you explain why the token budget is exceeded when the prompt is long?",
    "The API key rotation policy says keys expire after ninety days.",
    "Please summarise the quarterly report in three bullet points.",
    "My password manager keeps asking me to confirm the master password.",
    "Refactor this function so that it handles an empty input list.",
    "The auth service returned 401 because the session expired.",
    "We store secrets in the vault and never in the repository.",
    "Translate the following paragraph into German, keep the tone formal.",
    "The tokenizer splits words into sub-word units before the model sees them.",
    "Write a SQL query that joins orders with customers on customer_id.",
)
FIELDS = (
    lambda: f'{{"model": "gpt-4o", "max_tokens": 1024, "request_id": "{fakes.uuid4()}"}}',
    lambda: f"commit {fakes.git_sha()} fixes the login redirect",
    lambda: f'"trace_id": "{fakes.uuid4()}", "token_type": "Bearer"',
    lambda: "tokenizer: bert-base-uncased-whole-word",
    lambda: 'password: "<your-password>"',
)


@dataclass(frozen=True)
class Planted:
    entity: str
    secret: str


Plant = Callable[[], tuple[str, Planted]]


def _plant(entity: str, template: str, secret: str) -> tuple[str, Planted]:
    return template.format(secret), Planted(entity, secret)


PLANTS: tuple[Plant, ...] = (
    lambda: _plant("AWS_ACCESS_KEY", "aws_access_key_id = {}", fakes.aws_access_key()),
    lambda: _plant("AWS_SECRET_KEY", "AWS_SECRET_ACCESS_KEY={}", fakes.aws_secret_key()),
    lambda: _plant("GITHUB_TOKEN", "git push with {} fails", fakes.github_token()),
    lambda: _plant("SLACK_TOKEN", "bot uses {}", fakes.slack_bot_token()),
    lambda: _plant("SLACK_TOKEN", "posting to {}", fakes.slack_webhook()),
    lambda: _plant("STRIPE_KEY", "stripe key {}", fakes.stripe_key()),
    lambda: _plant("GOOGLE_API_KEY", "maps key={}", fakes.google_api_key()),
    lambda: _plant("PRIVATE_KEY", "key:\n{}\n", fakes.pem("RSA ")),
    lambda: _plant("JWT", "Authorization: Bearer {}", fakes.jwt()),
    lambda: _plant(
        "CONNECTION_STRING_PASSWORD", "DATABASE_URL=postgres://app:{}@db:5432/app", fakes.rand(16)
    ),
    lambda: _plant("HIGH_ENTROPY_SECRET", '"client_secret": "{}"', fakes.rand(32)),
)


def message(
    rng: random.Random, n_secrets: int, size: int = 1000, field_share: float = 0.2
) -> tuple[str, list[Planted]]:
    """About ``size`` characters of filler with ``n_secrets`` planted secrets."""
    parts: list[str] = []
    planted: list[Planted] = []
    for _ in range(n_secrets):
        snippet, p = rng.choice(PLANTS)()
        parts.append(snippet)
        planted.append(p)
    while sum(len(p) + 1 for p in parts) < size:
        parts.append(rng.choice(FIELDS)() if rng.random() < field_share else rng.choice(SENTENCES))
    rng.shuffle(parts)
    return "\n".join(parts), planted


def corpus(n: int, seed: int = 7) -> list[tuple[str, list[Planted]]]:
    """``n`` messages; a fifth have no secret, the rest one to three."""
    rng = random.Random(seed)
    return [message(rng, rng.choice((0, 1, 1, 2, 3))) for _ in range(n)]


def plain_corpus(n: int, seed: int = 7) -> list[str]:
    """``n`` messages of prose only: what most LLM traffic looks like."""
    rng = random.Random(seed)
    return [message(rng, 0, field_share=0.0)[0] for _ in range(n)]
