"""YAML → a validated ``Policy``, or a ``PolicyError`` that points at the lines to fix.

The text is composed once into PyYAML's node tree, which keeps the line and column of every
key and value; the Python data is constructed from that same tree and validated by pydantic.
Each pydantic error's ``loc`` (``defaults → 2 → action``) is then walked down the node tree to
the node it names, so the message reads ``policy.yaml:7:13: defaults[2].action: ...``. PyYAML
silently keeps the last of two equal keys; we report duplicates instead, since a tenant listed
twice would otherwise lose half its rules without a word.
"""

from __future__ import annotations

import difflib
import functools
from importlib import resources
from pathlib import Path
from typing import Any, get_args, get_origin

import yaml  # type: ignore[import-untyped, unused-ignore]  # no stubs pinned
from pydantic import BaseModel, ValidationError

from pipelines.policy.errors import PolicyError, Problem
from pipelines.policy.model import Policy, dotted

DEFAULT_POLICY = "default.yaml"
Loc = tuple[str | int, ...]


def load_path(path: str | Path) -> Policy:
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise PolicyError(
            source, [Problem(source, None, None, "", f"cannot read the file: {reason}")]
        ) from exc
    return load_string(text, source=source)


def load_string(text: str, *, source: str = "<string>") -> Policy:
    root, data, problems = _parse(text, source)
    if root is not None:
        try:
            policy = Policy.model_validate(data)
        except ValidationError as exc:
            problems += [_problem(err, root, source) for err in exc.errors(include_url=False)]
        else:
            if not problems:
                return policy
    problems.sort(key=lambda p: (p.line or 0, p.column or 0))
    raise PolicyError(source, problems)


@functools.cache
def load_default() -> Policy:
    """The policy shipped with aitrail (``pipelines/policy/default.yaml``)."""
    resource = resources.files(__package__).joinpath(DEFAULT_POLICY)
    return load_string(
        resource.read_text(encoding="utf-8"), source=f"pipelines/policy/{DEFAULT_POLICY}"
    )


def policy_version(policy: Policy) -> str:
    """``sha256:`` + 16 hex of the canonical JSON: formatting and comments do not change it."""
    return policy.content_version


def locate(root: yaml.Node, loc: Loc) -> tuple[int, int]:
    """1-based (line, column) of the node ``loc`` names, or of its deepest existing parent."""
    key, node, complete = _walk(root, loc)
    target = node if complete and isinstance(node, yaml.ScalarNode) else (key or node)
    return target.start_mark.line + 1, target.start_mark.column + 1


def _parse(text: str, source: str) -> tuple[yaml.Node | None, Any, list[Problem]]:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        if root is None:
            message = "the file is empty; a policy needs at least 'version: 1' and 'name'"
            return None, None, [Problem(source, 1, 1, "", message)]
        loader = yaml.SafeLoader("")
        try:
            data = loader.construct_document(root)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = ": ".join(filter(None, [exc.context, exc.problem]))
        message = f"not valid YAML: {what}; check indentation, quotes and colons around here"
        if mark is None:
            return None, None, [Problem(source, None, None, "", message)]
        return None, None, [Problem(source, mark.line + 1, mark.column + 1, "", message)]
    except yaml.YAMLError as exc:
        return None, None, [Problem(source, None, None, "", f"not valid YAML: {exc}")]
    return root, data, _duplicate_keys(root, (), source)


def _duplicate_keys(node: yaml.Node, loc: Loc, source: str) -> list[Problem]:
    problems: list[Problem] = []
    if isinstance(node, yaml.MappingNode):
        first_line: dict[str, int] = {}
        for key, value in node.value:
            name = str(key.value)
            if isinstance(key, yaml.ScalarNode) and name != "<<":
                if name in first_line:
                    message = (
                        f"duplicate key '{name}' (first on line {first_line[name]}); YAML keeps "
                        "only the last one, so merge the two entries"
                    )
                    line, col = key.start_mark.line + 1, key.start_mark.column + 1
                    problems.append(Problem(source, line, col, dotted((*loc, name)), message))
                first_line.setdefault(name, key.start_mark.line + 1)
            problems += _duplicate_keys(value, (*loc, name), source)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            problems += _duplicate_keys(item, (*loc, i), source)
    return problems


def _walk(root: yaml.Node, loc: Loc) -> tuple[yaml.Node | None, yaml.Node, bool]:
    """Follow ``loc`` down the tree: (key node of the last mapping step, node, reached all)."""
    key: yaml.Node | None = None
    node = root
    for part in loc:
        child: tuple[yaml.Node | None, yaml.Node] | None = None
        if isinstance(node, yaml.MappingNode):
            matches = [(k, v) for k, v in node.value if str(k.value) == str(part)]
            child = matches[-1] if matches else None  # the last one is what PyYAML kept
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            child = (None, node.value[part]) if 0 <= part < len(node.value) else None
        if child is None:
            return key, node, False
        key, node = child
    return key, node, True


def _problem(err: Any, root: yaml.Node, source: str) -> Problem:
    loc: Loc = tuple(err["loc"])
    ctx = err.get("ctx") or {}
    kind = err["type"]
    if "loc" in ctx:  # model-level checks name the offending node themselves
        loc = tuple(ctx["loc"])
    if loc and loc[-1] == "[key]":  # pydantic's marker for a mapping key, not a real key
        loc = loc[:-1]
    message = _message(kind, loc, err)
    if kind == "missing":
        loc = loc[:-1]
    if kind == "extra_forbidden":
        key, node, _ = _walk(root, loc)
        target = key or node
        line, col = target.start_mark.line + 1, target.start_mark.column + 1
    else:
        line, col = locate(root, loc)
    return Problem(source, line, col, dotted(loc), message)


def _message(kind: str, loc: Loc, err: Any) -> str:
    ctx = err.get("ctx") or {}
    value = err.get("input")
    name = next((str(p) for p in reversed(loc) if isinstance(p, str)), "document")
    if kind == "missing":
        return f"missing required key '{name}'; add it"
    if kind == "extra_forbidden":
        allowed = _allowed_keys(loc[:-1])
        close = difflib.get_close_matches(name, allowed, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        return f"unknown key '{name}'{hint}; allowed here: {', '.join(allowed)}"
    if kind == "literal_error":
        extra = " (the policy format this aitrail reads)" if loc == ("version",) else ""
        return f"{value!r} is not a valid {name}; use {ctx.get('expected', '?')}{extra}"
    if kind == "string_type" and isinstance(value, int | float | bool):
        return f"expected text, got {value!r}; put the value in quotes"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return "expected a mapping ('key: value' lines) here"
    if kind in ("tuple_type", "list_type"):
        return "expected a list ('- item' lines or [a, b]) here"
    message = str(err["msg"]).removeprefix("Value error, ")
    if kind != "value_error" and isinstance(value, str | int | float | bool):
        message = f"{message} (got {value!r})"
    return message


def _allowed_keys(loc: Loc) -> list[str]:
    current: Any = Policy
    for part in loc:
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            current = field.annotation if field else None
        elif get_origin(current) is tuple:
            current = get_args(current)[0]
        elif get_origin(current) is dict:
            current = get_args(current)[1]
        else:
            return []
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []
