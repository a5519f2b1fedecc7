"""Make third-party detectors run without a network.

Presidio's email recognizer asks tldextract for the public suffix list, which fetches it from
the internet unless told not to; on a closed network that stalls every worker. Import this
module before presidio.
"""

from __future__ import annotations

import os

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
