"""The IBAN checksum: ISO 13616's mod 97 on the rearranged number, letters read as 10-35."""

from __future__ import annotations

import random
import string

from pipelines.detection.pii.iban import mod97_ok


def _iso_13616(compact: str) -> bool:
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def test_known_ibans_pass_and_a_changed_digit_fails() -> None:
    for iban in ("GB82WEST12345698765432", "DE89370400440532013000", "FR1420041010050500013M02606"):
        assert mod97_ok(iban)
        changed = iban[:-1] + str((int(iban[-1]) + 1) % 10)
        assert not mod97_ok(changed)


def test_the_checksum_is_iso_13616_on_random_strings() -> None:
    rng = random.Random(97)
    alphabet = string.ascii_uppercase + string.digits
    strings = ["".join(rng.choice(alphabet) for _ in range(rng.randint(15, 34)))
               for _ in range(20_000)]
    verdicts = [mod97_ok(s) for s in strings]
    assert verdicts == [_iso_13616(s) for s in strings]
    assert 100 < sum(verdicts) < 400  # about one in 97
