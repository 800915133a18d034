"""A review Diff in words: plain text for the terminal, Markdown for a pull request, JSON for tools.

Chinese first; English with lang="en".
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from dataclasses import asdict
from decimal import Decimal
from typing import Any

from generator.review.changes import Change, Diff, FieldChange, LineCount, PeriodChange, Yuan

# ---------------------------------------------------------------------------------------- words

_WORDS = {
    "zh": {
        "title": "记录改动", "worktree": "工作区", "none": "记录没有改动。", "file": "文件：", "sep": "，",
        "added": "新增", "corrected": "更正", "published": "发布", "withdrawn": "撤回", "changed": "修改",
        "removed": "删除", "unreadable": "无法解析", "count": "{n} 条", "yuan": "{v} 元", "colon": "：",
        "renamed": "文件改名：{a} → {b}", "status": "状态：{s}", "reason": "撤回原因：{r}",
        "gone": "文件已删除，网站上不再有这条通知",
        "gone_published": "；已发布的通知应改为“已撤回”并写明撤回原因，而不是删除",
        "made_public": "由草稿改为已发布，将在网站上公开", "corrects": "更正 {id}（两条通知互相链接）",
        "period_new": "公示期 {s} 至 {e}", "period_gone": "取消公示期（原为 {s} 至 {e}）",
        "start": "公示开始日期 {a} → {b}",
        "longer": "公示期延长至 {d}（结束日期 {a} → {b}）", "shorter": "公示期缩短至 {d}（结束日期 {a} → {b}）",
        "rows": "{s} {n} 笔，合计 {t}", "plus": "+{n} 笔", "minus": "−{n} 笔", "edited": "改 {n} 笔",
        "total": "合计 {d}（{a} → {b}）", "same_total": "合计不变（{t}）", "people_added": "新增 {n} 户：{names}",
        "people_removed": "删除 {n} 户：{names}", "list": "名单 ", "and": "、", "semi": "；",
        "field_added": "{f}：新增 {v}", "field_removed": "{f}：删除（原为 {v}）", "field": "{f}：{a} → {b}",
        "delta": "（{d}）", "text_lines": "{f}：改了 {n} 行",
        "needs_note": "⚠ 已发布的通知改了金额或名单行，但没有写“更正说明”：请写明改了什么、为什么",
    },
    "en": {
        "title": "Changes to the records", "worktree": "working tree", "none": "No changes to the records.",
        "file": "file: ", "sep": ", ", "added": "added", "corrected": "correction", "published": "published",
        "withdrawn": "withdrawn", "changed": "changed", "removed": "removed", "unreadable": "cannot be read",
        "count": "{n}", "yuan": "{v} yuan", "colon": ": ", "renamed": "file renamed: {a} → {b}",
        "status": "status: {s}", "reason": "withdrawn because: {r}", "gone": "file deleted: the notice leaves the site",
        "gone_published": "; a published notice should be marked 已撤回 with a reason instead",
        "made_public": "draft → published: it will appear on the site", "corrects": "corrects {id} (linked both ways)",
        "period_new": "公示期 {s} to {e}", "period_gone": "公示期 removed (was {s} to {e})",
        "start": "公示期 start {a} → {b}",
        "longer": "公示期 extended to {d} (end {a} → {b})", "shorter": "公示期 shortened to {d} (end {a} → {b})",
        "rows": "{s}: {n} line(s), total {t}", "plus": "+{n} line(s)", "minus": "−{n} line(s)", "edited": "{n} changed",
        "total": "total {d} ({a} → {b})", "same_total": "total unchanged ({t})", "people_added": "added {n}: {names}",
        "people_removed": "removed {n}: {names}", "list": "名单 (list): ", "and": ", ", "semi": "; ",
        "field_added": "{f}: added {v}", "field_removed": "{f}: removed (was {v})", "field": "{f}: {a} → {b}",
        "delta": " ({d})", "text_lines": "{f}: {n} line(s) changed",
        "needs_note": "warning: a published notice changed amounts or list rows without a 更正说明 (change note)",
    },
}  # fmt: skip

_ORDER = ("added", "corrected", "published", "withdrawn", "changed", "removed")


def _verb(c: Change) -> str:
    if c.withdrawn:
        return "withdrawn"
    if c.change == "added" and c.corrects:
        return "corrected"
    return "published" if c.published else c.change


def _money(v: Decimal, w: dict[str, str], signed: bool = False) -> str:
    sign = ("+" if v >= 0 else "−") if signed else ("-" if v < 0 else "")
    return w["yuan"].format(v=f"{sign}{abs(v):,.2f}")


def _fmt(v: Any, w: dict[str, str]) -> str:
    if isinstance(v, Yuan):
        return _money(v, w)
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, dict):
        return w["sep"].join(f"{k} {_fmt(x, w)}" for k, x in v.items() if x is not None and x != [])
    if isinstance(v, list):
        return w["and"].join(_fmt(x, w) for x in v)
    return str(v)


def _day(d: dt.date, lang: str, with_year: bool) -> str:
    """9月15日 (2025年1月3日 across a year end); ISO in English. No strftime: it follows the locale."""
    if lang == "en":
        return d.isoformat()
    return (f"{d.year}年" if with_year else "") + f"{d.month}月{d.day}日"


def _period_words(p: PeriodChange, w: dict[str, str], lang: str) -> str:
    if p.old_start is None or p.old_end is None:
        return w["period_new"].format(s=p.new_start, e=p.new_end)
    if p.new_start is None or p.new_end is None:
        return w["period_gone"].format(s=p.old_start, e=p.old_end)
    parts = [w["start"].format(a=p.old_start, b=p.new_start)] if p.old_start != p.new_start else []
    if p.old_end != p.new_end:
        day = _day(p.new_end, lang, with_year=p.new_end.year != p.old_end.year)
        parts.append(w["longer" if p.new_end > p.old_end else "shorter"].format(d=day, a=p.old_end, b=p.new_end))
    return w["semi"].join(parts)


def _line_words(n: LineCount, w: dict[str, str]) -> str:
    if n.total_old is None or n.total_new is None:
        count, total = (n.added, n.total_new) if n.total_old is None else (n.removed, n.total_old)
        return w["rows"].format(s=n.section, n=count, t=_money(total or Decimal(0), w))
    parts = [w[k].format(n=x) for k, x in (("plus", n.added), ("minus", n.removed), ("edited", n.changed)) if x]
    if n.total_old == n.total_new:
        parts.append(w["same_total"].format(t=_money(n.total_new, w)))
    else:
        delta = _money(n.total_new - n.total_old, w, signed=True)
        parts.append(w["total"].format(d=delta, a=_money(n.total_old, w), b=_money(n.total_new, w)))
    return f"{n.section} " + w["sep"].join(parts)


def _field_words(f: FieldChange, w: dict[str, str]) -> tuple[str, list[str]]:
    """A sentence, and for multi-line text the changed lines (- old, + new)."""
    if any(isinstance(x, str) and "\n" in x for x in (f.old, f.new)):
        diff = difflib.unified_diff(str(f.old or "").splitlines(), str(f.new or "").splitlines(), lineterm="", n=0)
        lines = [d for d in diff if d[:1] in "+-" and not d.startswith(("+++", "---"))]
        return w["text_lines"].format(
            f=f.field, n=max(sum(d[0] == "+" for d in lines), sum(d[0] == "-" for d in lines))
        ), lines
    if f.old is None:
        return w["field_added"].format(f=f.field, v=_fmt(f.new, w)), []
    if f.new is None:
        return w["field_removed"].format(f=f.field, v=_fmt(f.old, w)), []
    text = w["field"].format(f=f.field, a=_fmt(f.old, w), b=_fmt(f.new, w))
    if isinstance(f.old, Yuan) and isinstance(f.new, Yuan):
        text += w["delta"].format(d=_money(f.new - f.old, w, signed=True))
    return text, []


def _sentences(c: Change, lang: str) -> list[tuple[str, list[str]]]:
    w = _WORDS[lang]
    out = [w["renamed"].format(a=c.renamed_from, b=c.file)] if c.renamed_from else []
    out += [w["status"].format(s=c.status)] if c.change == "added" and c.status else []
    out += [w["gone"] + (w["gone_published"] if c.was_published else "")] if c.change == "removed" else []
    out += [w["reason"].format(r=c.withdrawn)] if c.withdrawn else []
    out += [w["made_public"]] if c.published else []
    out += [w["corrects"].format(id=c.corrects)] if c.corrects else []
    out += [_period_words(c.period, w, lang)] if c.period else []
    out += [_line_words(n, w) for n in c.lines]
    people = [
        w[k].format(n=len(v), names=w["and"].join(v))
        for k, v in (("people_added", c.names_added), ("people_removed", c.names_removed))
        if v
    ]
    out += [w["list"] + w["semi"].join(people)] if people else []
    return (
        [(s, []) for s in out]
        + [_field_words(f, w) for f in c.fields]
        + ([(w["needs_note"], [])] if c.needs_note else [])
    )


def _summary(diff: Diff, lang: str) -> str:
    w = _WORDS[lang]
    counts = {v: sum(_verb(c) == v for c in diff.changes) for v in _ORDER}
    counts["unreadable"] = len(diff.unreadable)
    parts = [f"{w[k]} {w['count'].format(n=n)}" if lang == "zh" else f"{n} {w[k]}" for k, n in counts.items() if n]
    return w["sep"].join(parts) if parts else w["none"]


def _heading(c: Change, lang: str) -> str:
    w = _WORDS[lang]
    verb = f"【{w[_verb(c)]}】" if lang == "zh" else f"[{w[_verb(c)]}] "
    ident = "" if c.key == c.file else f"{c.key} "  # settings files are known by their path, shown below
    return f"{verb}{ident}{c.kind}{w['colon']}{c.title}"


def _revs(diff: Diff, lang: str, quote: str = "") -> str:
    names = [f"{quote}{r}{quote}" if r else _WORDS[lang]["worktree"] for r in (diff.old_rev, diff.new_rev)]
    return " → ".join(names)


def to_text(diff: Diff, lang: str = "zh") -> str:
    """The diff for a terminal: a heading, a summary line, then one block per record."""
    w = _WORDS[lang]
    out = [f"{w['title']}{w['colon']}{_revs(diff, lang)}", _summary(diff, lang)]
    for c in diff.changes:
        out += ["", _heading(c, lang), f"  {w['file']}{c.file}"]
        for sentence, detail in _sentences(c, lang):
            out += [f"  · {sentence}", *(f"      {d}" for d in detail)]
    if diff.unreadable:
        out += ["", f"{w['unreadable']}{w['colon'].strip()}", *(f"  {p.format(lang)}" for p in diff.unreadable)]
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    """Record text as literal Markdown: nothing in it becomes a link, emphasis, HTML or a new line."""
    return "".join("\\" + ch if ch in "\\`*_[]<>|#~" else ch for ch in text.replace("\n", " "))


def to_markdown(diff: Diff, lang: str = "zh") -> str:
    """The diff for a pull-request comment: heading, summary, one section per record, bullets."""
    w = _WORDS[lang]
    out = [f"## {w['title']}{w['colon']}{_revs(diff, lang, '`')}", "", _summary(diff, lang)]
    for c in diff.changes:
        out += ["", f"### {_md(_heading(c, lang))}", "", f"{w['file']}`{c.file}`", ""]
        for sentence, detail in _sentences(c, lang):
            out.append(f"- {_md(sentence)}")
            fence = "````" if any("```" in d for d in detail) else "```"
            out += ["", f"  {fence}diff", *(f"  {d}" for d in detail), f"  {fence}", ""] if detail else []
    if diff.unreadable:
        out += ["", f"### {w['unreadable']}", "", *(f"- {_md(p.format(lang))}" for p in diff.unreadable)]
    return "\n".join(out).replace("\n\n\n", "\n\n") + "\n"


def _json_value(v: Any) -> Any:
    if isinstance(v, Yuan):
        return f"{v:.2f}"
    if isinstance(v, (Decimal, dt.date)):
        return str(v)
    raise TypeError(type(v))


def _change_json(c: Change) -> dict[str, Any]:
    data = asdict(c)
    data["verb"] = _verb(c)
    data["fields"] = [{"field": f.field, "old": f.old, "new": f.new} for f in c.fields]
    return data


def to_json(diff: Diff) -> str:
    """The diff as JSON: keys sorted, amounts and dates as strings."""
    data = {
        "from": diff.old_rev,
        "to": diff.new_rev,
        "summary": {v: sum(_verb(c) == v for c in diff.changes) for v in _ORDER},
        "changes": [_change_json(c) for c in diff.changes],
        "unreadable": [asdict(p) for p in diff.unreadable],
    }
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=_json_value) + "\n"
