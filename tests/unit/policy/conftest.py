"""The shared test policy, loaded once."""

from __future__ import annotations

import pytest

from pipelines.policy.load import load_string
from pipelines.policy.model import Policy
from tests.unit.policy.samples import POLICY_YAML


@pytest.fixture(scope="session")
def policy() -> Policy:
    return load_string(POLICY_YAML, source="test-policy.yaml")
