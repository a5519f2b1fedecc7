"""Write the JSON Schema of every event contract into ``schemas/json/``.

Producers in other languages validate against these files. Run ``make schemas`` after changing
a contract; ``tests/unit/test_schemas.py`` fails while the files are stale.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from schemas.events import SCHEMA_VERSION, AccessEvent, LLMRequestEvent, LLMResponseEvent

OUT = Path(__file__).parent / "json"

CONTRACTS: dict[str, type[BaseModel]] = {
    f"llm.request.v{SCHEMA_VERSION}.json": LLMRequestEvent,
    f"llm.response.v{SCHEMA_VERSION}.json": LLMResponseEvent,
    f"access.v{SCHEMA_VERSION}.json": AccessEvent,
}


def render(model: type[BaseModel], filename: str) -> str:
    schema = model.model_json_schema(mode="validation")
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://aitrail.dev/schemas/{filename}",
        **schema,
    }
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for filename, model in CONTRACTS.items():
        (OUT / filename).write_text(render(model, filename))
        print(f"wrote {OUT / filename}")


if __name__ == "__main__":
    main()
