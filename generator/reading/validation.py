"""Raw files → typed records, with every schema mistake turned into a located Problem."""

from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.errors import Problem, field_path
from generator.reading.loading import RawFile
from generator.reading.partial import partial_record, rule_errors

_TYPE_WORDS = {
    "dict_type": ("这里应是若干“字段: 值”", "expected a mapping of fields", "每个字段一行，写成 字段: 值"),
    "model_type": ("这里应是若干“字段: 值”", "expected a mapping of fields", "每个字段一行，写成 字段: 值"),
    "model_attributes_type": ("这里应是若干“字段: 值”", "expected a mapping of fields", "每个字段一行，写成 字段: 值"),
    "list_type": ("这里应是列表", "expected a list", "每一项另起一行，以“- ”开头"),
}


_PERSONAL_KEY = re.compile(r"身份证|证件号|银行|卡号|账号|手机")


def _unwrap(annotation: Any) -> list[Any]:
    """The classes an annotation may hold: through Optional, list, Annotated."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (list, typing.Union, types.UnionType):
        return [c for arg in typing.get_args(annotation) for c in _unwrap(arg)]
    return [annotation]


def model_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The model class that holds the mapping at `loc` (a path of aliases and list indexes)."""
    current: type[BaseModel] | None = model
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        field = next((f for f in current.model_fields.values() if f.alias == part), None)
        if field is None:
            return None
        inner = [c for c in _unwrap(field.annotation) if isinstance(c, type) and issubclass(c, BaseModel)]
        current = inner[0] if inner else None
    return current


def _field_doc(model: type[BaseModel] | None, key: str) -> str:
    if model is None:
        return ""
    field = next((f for f in model.model_fields.values() if f.alias == key), None)
    return (field.description or "") if field else ""


def _one(raw: RawFile, model: type[BaseModel], err: dict[str, Any]) -> Problem:
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
    kind, ctx = err["type"], err.get("ctx") or {}
    key = False
    hint_zh = hint_en = ""
    if kind == "gongkai":
        loc = loc + tuple(ctx.get("at", ()))
        zh, en, hint_zh, hint_en = ctx["zh"], ctx["en"], ctx["hint_zh"], ctx["hint_en"]
    elif kind == "missing":
        name = loc[-1]
        parent = model_at(model, loc[:-1])
        zh, en = f"缺少必填字段“{name}”", f"required field '{name}' is missing"
        doc = _field_doc(parent, str(name))
        hint_zh, hint_en = f"加上一行 {name}: …" + (f"（{doc}）" if doc else ""), f"add a line '{name}: …'"
    elif kind == "extra_forbidden" and _PERSONAL_KEY.search(str(loc[-1])):
        name, key = str(loc[-1]), True
        zh, en = (
            f"不能有“{name}”这一项：身份证号、银行卡号、手机号等个人信息不公开",
            (f"'{name}' is not allowed: ID, bank and phone numbers are never published"),
        )
        hint_zh, hint_en = f"删去“{name}”这一行", f"remove the '{name}' line"
    elif kind == "extra_forbidden":
        name, key = str(loc[-1]), True
        parent = model_at(model, loc[:-1])
        allowed = [f.alias for f in parent.model_fields.values() if f.alias] if parent else []
        close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.3)
        zh, en = f"不认识的字段“{name}”", f"unknown field '{name}'"
        if close:
            hint_zh, hint_en = f"是不是想写“{close[0]}”？", f"did you mean '{close[0]}'?"
        else:
            hint_zh, hint_en = f"可用字段：{'、'.join(allowed)}", f"known fields: {', '.join(allowed)}"
    elif kind in ("literal_error", "enum"):
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        zh, en = f"“{err['input']}”不是可选的值", f"'{err['input']}' is not an allowed value"
        if err["input"] is None:
            zh, en = "不能为空", "must not be empty"
        hint_zh, hint_en = f"可选：{'、'.join(expected.split(', '))}", f"allowed: {expected}"
    elif kind == "too_short":
        n = ctx.get("min_length", 1)
        zh, en = f"至少要写 {n} 项", f"needs at least {n} item(s)"
        hint_zh, hint_en = "每一项另起一行，以“- ”开头", "one item per line starting with '- '"
    elif kind in _TYPE_WORDS:
        zh, en, hint_zh = _TYPE_WORDS[kind]
        hint_en = "see the field reference"
    else:
        zh, en = f"内容不对：{err['msg']}", err["msg"]
    line, column = raw.where(loc, key=key)
    return Problem(raw.path, line, column, field_path(loc), zh, en, hint_zh, hint_en)


def validate(raw: RawFile, model: type[BaseModel]) -> tuple[Any, list[Problem]]:
    """Type a raw file with `model`; return the record, or None and every problem found."""
    record, problems, _ = validate_all(raw, model)
    return record, problems


def validate_all(raw: RawFile, model: type[BaseModel]) -> tuple[Any, list[Problem], Any]:
    """`validate`, and for a record with problems also the partial record built from the fields
    that parsed (for the checks across records); its rules across fields are all run too."""
    try:
        return model.model_validate(raw.data), [], None
    except ValidationError as exc:
        errors = _without_doubles(model, exc.errors(include_url=False))
    partial = partial_record(model, raw.data, errors)
    if partial is not None:
        errors += rule_errors(model, partial)
    return None, list(dict.fromkeys(_one(raw, model, e) for e in errors)), partial


def _without_doubles(model: type[BaseModel], errors: list[Any]) -> list[Any]:
    """A misspelt field is one mistake: keep the "did you mean", drop the "missing" it causes."""
    meant = set()
    for e in errors:
        if e["type"] == "extra_forbidden":
            parent = model_at(model, tuple(e["loc"][:-1]))
            allowed = [f.alias for f in parent.model_fields.values() if f.alias] if parent else []
            for close in difflib.get_close_matches(str(e["loc"][-1]), allowed, n=1, cutoff=0.3):
                meant.add((*e["loc"][:-1], close))
    return [e for e in errors if not (e["type"] == "missing" and tuple(e["loc"]) in meant)]
