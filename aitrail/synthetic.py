"""Deterministic synthetic LLM traffic for the demo and the tests.

Everything comes from one ``random.Random(seed)``, so a seed names a data set: a failing test
or a demo run can be replayed exactly. Planted PII values are valid for their checksums (Luhn,
mod-97, SSN ranges) because the detectors validate them, unique (a test can search storage for
each one), and recorded in :attr:`SyntheticTraffic.planted`; the clean templates carry no PII of
their own (see :mod:`aitrail.synthetic_text`).
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from typing import Any, TypeVar

from aitrail import synthetic_text as txt

__all__ = ["PlantedValue", "SyntheticTraffic", "generate", "to_jsonl"]

DEFAULT_START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
WINDOW = timedelta(hours=4)
MAX_TEXT = 1500

_T = TypeVar("_T")
_SLOT = re.compile(r"\{([a-z_]+)\}")
_EXCHANGES = [str(n) for n in range(201, 990) if n % 100 != 11 and n != 555]
_FIRST_OCTETS = [n for n in range(100, 224) if n not in (127, 169, 172, 192)]


@dataclass(frozen=True)
class PlantedValue:
    """A PII value planted in a text, so tests can prove it never reaches storage."""

    entity_type: str  # Presidio names: US_SSN, CREDIT_CARD, EMAIL_ADDRESS, PHONE_NUMBER, ...
    value: str
    request_id: str
    field: str  # "prompt" (the prompt string or a message's content) or "response"


@dataclass(frozen=True)
class SyntheticTraffic:
    """Events in time order (each request before its response), what was planted, bad bytes.

    ``malformed`` are raw messages for the llm.requests topic; the one missing ``tenant_id``
    carries an SSN (not listed in ``planted``, which only covers valid events) so a test can
    check the dead-letter queue never echoes a payload.
    """

    events: list[dict[str, object]]
    planted: list[PlantedValue]
    malformed: list[bytes]


def to_jsonl(events: Iterable[dict[str, object]]) -> str:
    """One compact JSON object per line: the format ``aitrail demo --events`` reads."""
    return "".join(json.dumps(e, separators=(",", ":")) + "\n" for e in events)


def generate(n_requests: int, *, seed: int = 7, pii_ratio: float = 0.3,
             start: datetime | None = None, tenants: int = 3,
             users_per_tenant: int = 8) -> SyntheticTraffic:
    """Generate ``n_requests`` LLM calls (request + response each), access events, bad bytes.

    Same arguments, same output: nothing reads the clock or the global random state.
    """
    if n_requests < 0 or tenants < 1 or users_per_tenant < 1 or not 0 <= pii_ratio <= 1:
        raise ValueError("need n_requests >= 0, tenants >= 1, users_per_tenant >= 1 and "
                         "0 <= pii_ratio <= 1")
    if start is not None and start.tzinfo is None:
        raise ValueError("start must be timezone-aware (audit timestamps are never guessed)")
    return _Generator(random.Random(seed), (start or DEFAULT_START).astimezone(UTC),
                      pii_ratio).run(n_requests, tenants, users_per_tenant)


def _pick(rng: random.Random, weights: dict[_T, int]) -> _T:
    return rng.choices(list(weights), list(weights.values()))[0]


def _omit(rng: random.Random, **chance: float) -> set[str]:
    """The optional fields to leave out this time: real producers fill them unevenly."""
    return {name for name, p in chance.items() if rng.random() < p}


def _iso(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def luhn_ok(digits: str) -> bool:
    """True when a digit string passes the Luhn check (used by the tests too)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def iban_ok(iban: str) -> bool:
    """True when an IBAN (spaces allowed) passes the ISO 13616 mod-97 check."""
    s = iban.replace(" ", "")
    return int("".join(str(int(c, 36)) for c in s[4:] + s[:4])) % 97 == 1


class _Generator:
    """One run's state: the RNG, every value handed out (for uniqueness), what was planted."""

    def __init__(self, rng: random.Random, start: datetime, pii_ratio: float) -> None:
        self.rng, self.start, self.pii_ratio = rng, start, pii_ratio
        self.used: set[str] = set()  # digit/lower-case keys of every value handed out
        self.planted: list[PlantedValue] = []
        self.makers: dict[str, Callable[[], str]] = {
            "US_SSN": self._ssn, "CREDIT_CARD": self._card, "EMAIL_ADDRESS": self._email,
            "PHONE_NUMBER": self._phone, "IBAN_CODE": self._iban, "IP_ADDRESS": self._ip}

    # --- unique values -------------------------------------------------------------------
    def _unique(self, make: Callable[[], str]) -> str:
        while True:  # the value spaces are far larger than any run, so this ends quickly
            value = make()
            key = re.sub(r"[^0-9a-z@.]", "", value.lower())
            if key not in self.used:
                self.used.add(key)
                return value

    def _id(self, prefix: str) -> str:
        return self._unique(lambda: f"{prefix}-{self.rng.getrandbits(64):016x}")

    def _ssn(self) -> str:
        r = self.rng
        area = r.randint(1, 898)
        area += area >= 666  # skip 666; 900-999 are never issued
        value = f"{area:03d}-{r.randint(1, 99):02d}-{r.randint(1, 9999):04d}"
        if value in ("078-05-1120", "123-45-6789") or len(set(value.replace("-", ""))) == 1:
            return self._ssn()
        return value

    def _card(self) -> str:
        r = self.rng
        prefix, length, groups = r.choice(
            (("4", 16, (4, 4, 4, 4)), (str(r.randint(51, 55)), 16, (4, 4, 4, 4)),
             (r.choice(("34", "37")), 15, (4, 6, 5))))
        body = prefix + "".join(str(r.randint(0, 9)) for _ in range(length - len(prefix) - 1))
        digits = iter(next(body + c for c in "0123456789" if luhn_ok(body + c)))
        return r.choice((" ", "-")).join("".join(next(digits) for _ in range(g)) for g in groups)

    def _email(self) -> str:
        r = self.rng
        suffix = str(r.randint(2, 99)) if r.random() < 0.4 else ""
        return (f"{r.choice(txt.FIRST_NAMES)}.{r.choice(txt.LAST_NAMES)}{suffix}"
                f"@{r.choice(txt.EMAIL_DOMAINS)}")

    def _phone(self) -> str:
        r = self.rng
        area = r.choice(txt.AREA_CODES)
        if r.random() < 0.8:  # 555-0100..0199 is reserved for fiction
            exchange, line = "555", f"01{r.randint(0, 99):02d}"
        else:
            exchange, line = r.choice(_EXCHANGES), f"{r.randint(0, 9999):04d}"
        return f"({area}) {exchange}-{line}" if r.random() < 0.5 else f"{area}-{exchange}-{line}"

    def _iban(self) -> str:
        r = self.rng
        if r.random() < 0.5:
            country, bban = "DE", "".join(str(r.randint(0, 9)) for _ in range(18))
        else:
            bank = r.choice(("NWBK", "BARC", "LOYD", "HBUK", "MIDL"))
            country, bban = "GB", bank + "".join(str(r.randint(0, 9)) for _ in range(14))
        check = 98 - int("".join(str(int(c, 36)) for c in bban + country + "00")) % 97
        s = f"{country}{check:02d}{bban}"
        return " ".join(s[i:i + 4] for i in range(0, len(s), 4))

    def _ip(self) -> str:
        # First and last octets always have three digits, so no address is a substring of
        # another: a test's substring search finds exactly the planted value.
        r = self.rng
        if r.random() < 0.5:
            net = r.choice(("192.0.2", "198.51.100", "203.0.113"))  # documentation ranges
            return f"{net}.{r.randint(100, 254)}"
        middle = f"{r.randint(0, 255)}.{r.randint(0, 255)}"
        return f"{r.choice(_FIRST_OCTETS)}.{middle}.{r.randint(100, 254)}"

    # --- text --------------------------------------------------------------------------------
    def _fill(self, template: str, slots: dict[str, str]) -> str:
        def pick(m: re.Match[str]) -> str:
            key = m.group(1)
            if key not in slots and key in txt.SLOTS:
                slots[key] = self.rng.choice(txt.SLOTS[key])
            return slots.get(key, m.group(0))

        return _SLOT.sub(pick, template)

    def _compose(self, head: str, body: tuple[str, ...], tail: str, inserts: list[str],
                 slots: dict[str, str], low: int) -> str:
        """Head, shuffled body sentences up to a random length, the PII sentences at random
        places, then the tail; never more than MAX_TEXT characters."""
        r = self.rng
        target = r.randint(low, MAX_TEXT)
        todo = r.sample(body, len(body))
        chosen = r.sample(inserts, len(inserts))
        listed = any(t.startswith(("- ", "```")) for t in body)
        sep = "\n" if listed else ("\n\n" if r.random() < 0.4 else " ")
        size = len(head) + 2 + (len(tail) + 2 if tail else 0)  # head, "\n\n", body, tail
        size += sum(map(len, chosen)) + len(sep) * max(0, len(chosen) - 1)
        while todo and size < target:
            part = self._fill(todo.pop(), slots)
            grown = size + len(part) + (len(sep) if chosen else 0)
            if grown > MAX_TEXT:
                break
            chosen.insert(r.randint(0, len(chosen)), part)
            size = grown
        return "\n\n".join(x for x in (head, sep.join(chosen), tail) if x)

    def _pii(self, service: str, request_id: str, field: str, how_many: int) -> list[str]:
        affinity = txt.PII_AFFINITY[service]
        table = txt.PII_PROMPT if field == "prompt" else txt.PII_RESPONSE
        out = []
        for entity in self.rng.choices(list(affinity), list(affinity.values()), k=how_many):
            value = self._unique(self.makers[entity])
            self.planted.append(PlantedValue(entity, value, request_id, field))
            out.append(self.rng.choice(table[entity]).replace("{v}", value))
        return out

    # --- events ------------------------------------------------------------------------------
    def run(self, n: int, tenants: int, per_tenant: int) -> SyntheticTraffic:
        r = self.rng
        names = list(txt.TENANT_NAMES)
        tenant_ids = [names[i] if i < len(names) else f"tenant-{i + 1}" for i in range(tenants)]
        numbers = r.sample(range(1000, 1000 + max(9000, 2 * tenants * per_tenant)),
                           tenants * per_tenant)
        users = [(tenant_ids[i // per_tenant], f"u-{num}",
                  _pick(r, txt.SERVICE_WEIGHTS),
                  "staging" if r.random() < 0.15 else "production")
                 for i, num in enumerate(numbers)]
        activity = list(accumulate(r.paretovariate(1.5) for _ in users))  # a few heavy users
        timed: list[tuple[datetime, int, dict[str, object]]] = []
        for at in sorted(r.uniform(0, WINDOW.total_seconds()) for _ in range(n)):
            user = r.choices(users, cum_weights=activity)[0]
            for when, event in self._call(self.start + timedelta(seconds=at), *user):
                timed.append((when, len(timed), event))
        for _ in range(max(1, round(n / 20)) if n else 0):
            when = self.start + timedelta(seconds=r.uniform(0, WINDOW.total_seconds()))
            timed.append((when, len(timed), self._access(when, users)))
        timed.sort(key=lambda t: (t[0], t[1]))
        malformed = [self._malformed(i, users) for i in range(max(1, round(n / 500)) if n else 0)]
        return SyntheticTraffic([e for _, _, e in timed], self.planted, malformed)

    def _call(self, at: datetime, tenant: str, user: str, home: str,
              env: str) -> list[tuple[datetime, dict[str, object]]]:
        r = self.rng
        service = home if r.random() < 0.85 else r.choice(list(txt.SERVICE_WEIGHTS))
        provider = _pick(r, txt.PROVIDER_WEIGHTS)
        model, version, ms_per_token, _ = r.choices(
            txt.MODELS[provider], [m[3] for m in txt.MODELS[provider]])[0]
        request_id = self._id("req")
        slots = {"tenant": txt.TENANT_NAMES.get(tenant, tenant)}
        common: dict[str, Any] = {
            "request_id": request_id, "tenant_id": tenant, "user_id": user, "service": service,
            "provider": provider, "model": model, "model_version": version, "environment": env,
            "trace_id": f"{r.getrandbits(128):032x}"}
        skip = _omit(r, model_version=0.6, trace_id=0.5)
        common = {k: v for k, v in common.items() if k not in skip}
        how_many = _pick(r, {1: 70, 2: 24, 3: 6}) if r.random() < self.pii_ratio else 0
        inserts = self._pii(service, request_id, "prompt", how_many)
        text = self._compose(self._fill(r.choice(txt.OPENERS[service]), slots),
                             txt.BODY[service], r.choice(txt.CLOSERS), inserts, slots, 300)
        request: dict[str, Any] = {"event_type": "llm.request", **common,
                                   "occurred_at": _iso(at)}
        if r.random() < 0.5:
            request["prompt"] = text
        else:
            messages = [{"role": "user", "content": text}]
            if r.random() < 0.6:
                system = self._fill(r.choice(txt.SYSTEM[service]), slots)
                messages.insert(0, {"role": "system", "content": system})
            request["messages"] = messages
        options = {"temperature": r.choice((0.0, 0.2, 0.3, 0.5, 0.7, 1.0)),
                   "max_tokens": r.choice((256, 512, 1024, 2048, 4096)),
                   "seed": r.randint(1, 2**31 - 1)}
        skip = _omit(r, temperature=0.4, max_tokens=0.5, seed=0.9)
        request.update((k, v) for k, v in options.items() if k not in skip)
        max_tokens = request.get("max_tokens")

        status = _pick(r, {"ok": 94, "error": 3, "filtered": 2, "timeout": 1})
        done, cut, blocked = txt.FINISH[provider]
        reason = {"ok": done, "filtered": blocked}.get(status)
        if status == "ok":
            extra = self._pii(service, request_id, "response", int(how_many > 0 and
                                                                   r.random() < 0.25))
            reply = self._compose(self._fill(r.choice(txt.RESPONSE_OPENERS[service]), slots),
                                  txt.RESPONSE_BODY[service], "", extra, slots, 200)
        else:
            reply = {"filtered": r.choice(txt.FILTERED_TEXTS), "error": r.choice(txt.ERROR_TEXTS),
                     "timeout": txt.TIMEOUT_TEXT}[status]
        completion = 0 if reason is None else round(len(reply) / r.uniform(3.6, 4.4))
        if status == "ok" and max_tokens is not None and completion >= max_tokens:
            completion, reason = max_tokens, cut  # the model ran out of room
        latency = 30_000.0 if status == "timeout" else (
            r.uniform(250, 900) + completion * ms_per_token * r.uniform(0.7, 1.4))
        response: dict[str, Any] = {
            "event_type": "llm.response", **common,
            "occurred_at": _iso(at + timedelta(milliseconds=latency)), "response": reply,
            "status": status, "prompt_tokens": round(len(text) / r.uniform(3.6, 4.4)),
            "completion_tokens": completion, "latency_ms": round(latency, 1)}
        if reason is not None:
            response["finish_reason"] = reason
        return [(at, request), (at + timedelta(milliseconds=latency), response)]

    def _access(self, at: datetime, users: list[tuple[str, str, str, str]]) -> dict[str, object]:
        r = self.rng
        tenant, user, _, _ = r.choice(users)
        action = _pick(r, txt.ACCESS_ACTIONS)
        event: dict[str, object] = {"event_type": "access", "event_id": self._id("evt"),
                                    "tenant_id": tenant, "user_id": user, "action": action,
                                    "occurred_at": _iso(at)}
        if action.startswith(("role_", "user_")):
            admins = [u for t, u, _, _ in users if t == tenant and u != user]
            event["actor_id"] = r.choice(admins) if admins and r.random() < 0.7 else "okta-scim"
        if action.startswith("role_"):
            event["role"] = r.choice(txt.ROLES)
        if r.random() < 0.8:
            event["system"] = "okta"
        if action in ("sso_login", "login_failed") and r.random() < 0.9:
            event["source_ip"] = self._unique(self._ip)
        if action == "login_failed":
            event["reason"] = r.choice(("invalid_credentials", "mfa_denied", "account_locked"))
        return event

    def _malformed(self, i: int, users: list[tuple[str, str, str, str]]) -> bytes:
        kind, n = i % 3, i // 3 + 1
        if kind == 1:
            return f'{{"event_type": "llm.request", "request_id": "bad-{i + 1}"'.encode()
        if kind == 2:
            return b"not json at all" + (f" #{n}".encode() if n > 1 else b"")
        _, user, service, env = self.rng.choice(users)
        ssn = self._unique(self._ssn)
        return json.dumps({
            "event_type": "llm.request", "request_id": f"bad-{i + 1}", "user_id": user,
            "service": service, "provider": "openai", "model": "gpt-4o-mini",
            "environment": env, "occurred_at": _iso(self.start),
            "prompt": f"Please fill in the tax form for me, my SSN is {ssn}. Thanks!"}).encode()
