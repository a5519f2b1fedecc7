"""GITHUB_TOKEN: gh[pousr]_ + 36 base62 characters, and github_pat_ fine-grained tokens."""

from __future__ import annotations

import pytest
from presidio_analyzer import AnalyzerEngine

from pipelines.detection.secrets.github_token import GithubTokenRecognizer
from tests.unit.detection.secrets import fakes
from tests.unit.detection.secrets.helpers import (
    Negative,
    Positive,
    assert_prefilter_covers,
    matches,
    negative_params,
    positive_params,
    presidio_matches,
    secret_params,
)

ENTITY = GithubTokenRecognizer.ENTITY
GHP = fakes.github_token("p")
PAT = fakes.github_fine_grained()

POSITIVES: list[Positive] = [
    ("pat-env", f"export GITHUB_TOKEN={GHP}", GHP, 0.9),
    ("oauth", f"Authorization: token {(t := fakes.github_token('o'))}", t, 0.9),
    ("user-to-server", f'{{"token": "{(t := fakes.github_token("u"))}"}}', t, 0.9),
    (
        "server-to-server-url",
        f"git clone https://x-access-token:{(t := fakes.github_token('s'))}@github.com/o/r.git",
        t,
        0.9,
    ),
    ("refresh", f"refresh_token={(t := fakes.github_token('r'))}&grant_type=refresh", t, 0.9),
    ("fine-grained", f"use {PAT} for the API", PAT, 0.95),
    ("fine-grained-yaml", f"github:\n  token: {PAT}\n", PAT, 0.95),
    ("longer-future-format", f"token {(t := fakes.github_token('p', 40))} end", t, 0.5),
]

NEGATIVES: list[Negative] = [
    ("35-chars", f"token {fakes.github_token('p', 35)} end"),
    ("wrong-type-letter", f"token {fakes.github_token('x')} end"),
    ("dash-not-underscore", f"token {'gh' + 'p-' + fakes.rand(36)} end"),
    ("upper-case-prefix", f"token {('gh' + 'p_').upper() + fakes.rand(36)} end"),
    ("inside-word", f"token x{GHP} end"),
    ("filler", f"GITHUB_TOKEN={'gh' + 'p_' + 'x' * 36}"),
    ("sequence", f"GITHUB_TOKEN={'gh' + 'p_' + 'abcdefghijklmnopqrstuvwxyz0123456789'}"),
    ("fine-grained-short", f"{'github' + '_pat_' + fakes.rand(22) + '_' + fakes.rand(58)} x"),
    ("prose", "Create a classic token (it starts with ghp_) under Settings > Developer."),
    ("git-sha", f"commit {fakes.git_sha()} fixes the token refresh"),
    ("uuid", f"token id {fakes.uuid4()}"),
]


@pytest.fixture(scope="module")
def recognizer() -> GithubTokenRecognizer:
    return GithubTokenRecognizer()


@pytest.mark.parametrize(("text", "secret", "score"), positive_params(POSITIVES))
def test_finds_exact_span(
    recognizer: GithubTokenRecognizer, text: str, secret: str, score: float
) -> None:
    assert matches(recognizer, text) == {secret: pytest.approx(score)}


@pytest.mark.parametrize("text", negative_params(NEGATIVES))
def test_ignores_near_misses(recognizer: GithubTokenRecognizer, text: str) -> None:
    assert matches(recognizer, text) == {}


@pytest.mark.parametrize(("text", "secret"), secret_params(POSITIVES))
def test_prefilter_covers(text: str, secret: str) -> None:
    assert_prefilter_covers(GithubTokenRecognizer, text, secret)


@pytest.mark.parametrize(("text", "secret"), secret_params(POSITIVES))
def test_found_inside_presidio(analyzer: AnalyzerEngine, text: str, secret: str) -> None:
    assert secret in presidio_matches(analyzer, text, ENTITY)


@pytest.mark.parametrize("text", negative_params(NEGATIVES))
def test_presidio_ignores_near_misses(analyzer: AnalyzerEngine, text: str) -> None:
    assert presidio_matches(analyzer, text, ENTITY) == {}
