"""Every problem of a record in one run: when some fields fail to parse, the record's rules across
fields (balance, votes, step order, 公示期) still run on the fields that did parse.

pydantic runs a model's after-validators only once every field is valid, and stops at the first
one that fails. Here, for a record with problems, the fields that parsed are typed on their own
(through a lenient copy of the model: every field optional, no validators), the record is
constructed from them without validation, and each after-validator is run on its own. A rule that
needs a field that failed to parse cannot run (it meets a missing attribute or a None) and is
skipped: that field's own problem is already reported.
"""

from __future__ import annotations

import copy
import functools
import types
import typing
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError

# A rule meeting a field that failed to parse raises one of these; it is then skipped.
_NEEDS_A_BAD_FIELD = (AttributeError, TypeError, KeyError, IndexError)
_LENIENT_OF: dict[type[BaseModel], type[BaseModel]] = {}
_REAL_OF: dict[type[BaseModel], type[BaseModel]] = {}


def _swap(annotation: Any) -> Any:
    """The annotation with every model class replaced by its lenient copy."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return lenient(annotation)
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return typing.Annotated[(_swap(args[0]), *annotation.__metadata__)]
    if origin is list:
        return list[_swap(args[0])]  # type: ignore[misc]
    if origin in (typing.Union, types.UnionType):
        return typing.Union[tuple(_swap(a) for a in args)]  # noqa: UP007
    return annotation


def _lenient_type(field: FieldInfo) -> Any:
    """The field's type, optional; pydantic keeps a top-level Annotated's validators apart, in
    `metadata`, so they are put back."""
    kind = _swap(field.annotation)
    if field.metadata:
        kind = typing.Annotated[(kind, *field.metadata)]
    return kind | None


@functools.cache
def lenient(model: type[BaseModel]) -> type[BaseModel]:
    """A copy of `model` whose fields are all optional and which checks no rule across fields."""
    fields: dict[str, Any] = {
        name: (_lenient_type(f), Field(None, alias=f.alias)) for name, f in model.model_fields.items()
    }
    config = ConfigDict(**{**model.model_config, "extra": "ignore"})  # type: ignore[typeddict-item]
    made = create_model(f"Lenient{model.__name__}", __config__=config, **fields)  # type: ignore[call-overload]
    _LENIENT_OF[model], _REAL_OF[made] = made, model
    return made


def _without(data: Any, locs: list[tuple[str | int, ...]]) -> Any:
    """A copy of the raw data with the value at each location removed (list items keep their
    places: only the bad field inside an item goes)."""
    data = copy.deepcopy(data)
    for loc in locs:
        parent = data
        for part in loc[:-1]:
            try:
                parent = parent[part]
            except (KeyError, IndexError, TypeError):
                parent = None
                break
        if isinstance(parent, dict) and loc and loc[-1] in parent:
            del parent[loc[-1]]
        elif isinstance(parent, list) and loc and isinstance(loc[-1], int) and loc[-1] < len(parent):
            parent[loc[-1]] = None
    return data


def _real(value: Any) -> Any:
    """Lenient instances → instances of the real classes, built without validation. A list keeps
    its bad items as None (a rule going through the list then meets it and is skipped)."""
    if isinstance(value, list):
        return [_real(v) for v in value]
    if isinstance(value, BaseModel) and type(value) in _REAL_OF:
        real = _REAL_OF[type(value)]
        present = {name: _real(getattr(value, name)) for name in real.model_fields if getattr(value, name) is not None}
        return real.model_construct(**present)
    return value


def partial_record(model: type[BaseModel], data: Any, errors: list[dict[str, Any]]) -> BaseModel | None:
    """The record built from its fields that parsed; fields that did not are left unset."""
    if not isinstance(data, dict):
        return None
    bad = [tuple(p for p in e["loc"] if not (isinstance(p, str) and p.startswith("function-"))) for e in errors]
    try:
        parsed = lenient(model).model_validate(_without(data, [loc for loc in bad if loc]))
    except ValidationError:  # a value the lenient model cannot take either (unexpected): give up
        return None
    record = _real(parsed)
    for loc in bad:
        _unset(record, loc)
    return record


def _unset(record: Any, loc: tuple[str | int, ...]) -> None:
    """Make the field at `loc` (aliases and list indexes) unset, not None: a rule reading it meets
    an AttributeError and is skipped, where None would read as "not written" and mislead it."""
    here = record
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(part, int):
            if not isinstance(here, list) or part >= len(here) or last:
                return
            here = here[part]
            continue
        if not isinstance(here, BaseModel):
            return
        name = next((n for n, f in type(here).model_fields.items() if part in (f.alias, n)), None)
        if name is None:
            return
        if last:
            here.__dict__.pop(name, None)
            return
        here = here.__dict__.get(name)


def rule_errors(model: type[BaseModel], record: BaseModel) -> list[dict[str, Any]]:
    """Run each of the model's rules across fields on its own; the errors of those that fail, in the
    shape pydantic reports them. Rules that need a field that failed to parse are skipped."""
    found = []
    for decorator in model.__pydantic_decorators__.model_validators.values():
        if decorator.info.mode != "after":
            continue
        try:
            decorator.func(record)
        except PydanticCustomError as exc:
            found.append({"type": exc.type, "loc": (), "msg": exc.message(), "input": None, "ctx": exc.context})
        except (ValueError, AssertionError) as exc:
            found.append({"type": "value_error", "loc": (), "msg": str(exc), "input": None, "ctx": {}})
        except _NEEDS_A_BAD_FIELD:
            continue
    return found
