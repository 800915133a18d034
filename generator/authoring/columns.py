"""Which column is which: headers in the words accountants use, found in the first rows of a sheet.

A column is known by a record field's own name (日期, 金额 …) or by one of the words below; `--map`
adds the rest. Columns that hold personal data (身份证号, 手机 …) are refused unless `--map` drops
them explicitly (`--map 身份证号=`), so such a sheet is never imported by accident.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from generator.authoring.spreadsheet import Sheet, cell_ref, sheet_problem
from generator.errors import Problem

SYNONYMS: dict[str, tuple[str, ...]] = {
    "日期": ("时间", "记账日期", "入账日期", "支出日期", "收入日期", "发生日期", "业务日期", "凭证日期", "发放日期"),
    "凭证号": ("凭证号数", "凭证编号", "凭证字号", "记账凭证号", "凭证", "凭证字", "凭单号"),
    "摘要": ("事由", "说明", "内容", "摘要说明"),
    "来源": ("收入来源", "资金来源", "拨款单位", "来源单位", "拨付单位", "付款单位"),
    "类别": ("科目", "支出类别", "会计科目", "费用类别", "支出科目", "费用科目", "科目名称", "支出类型"),
    "收款方": ("收款单位", "收款人", "对方单位", "往来单位", "对方户名", "供应商", "领款人"),
    "审批人": ("审批", "批准人", "审核人", "签批人", "审批领导"),
    "收入": ("收入金额", "借方", "借方金额", "收入额", "本期收入"),
    "支出": ("支出金额", "贷方", "贷方金额", "支出额", "本期支出"),
    "金额": ("发放金额", "补助金额", "救助金额", "补贴金额", "保障金额", "支出金额", "数额", "金额元"),
    "姓名": ("户主", "户主姓名", "名字", "申请人", "救助对象", "保障对象", "人员姓名"),
    "家庭人口": ("人口", "家庭人数", "人数", "保障人数", "家庭成员数", "户人口", "家庭人口数"),
    "理由": ("原因", "致贫原因", "救助原因", "享受原因", "申请理由", "救助类别", "保障类别"),
    "网格": ("所在网格", "小区", "所在小区", "居民小组", "村民小组"),
    "岗位": ("职务",),
    "职责": ("分工", "工作职责", "职责分工"),
    "科目": ("预算科目", "项目", "支出项目", "科目名称"),
    "预算": ("预算数", "年初预算", "预算金额", "预算额", "全年预算"),
    "实际": ("实际支出", "实际数", "执行数", "已支出", "实际金额"),
    "用途": ("支出用途", "资金用途", "摘要", "事由", "说明", "内容"),
}

PERSONAL = re.compile(r"身份证|身份号码|证件号|手机|电话|联系方式|银行|卡号|账号|存折|住址|家庭地址|出生")


def normalise(header: object) -> str:
    """金额（元）, 凭 证 号*, 日期： → 金额, 凭证号, 日期."""
    text = unicodedata.normalize("NFKC", str(header or ""))
    text = re.sub(r"\s+", "", text).rstrip("*:")
    return re.sub(r"\([^()]*\)$", "", text) or text


@dataclass(frozen=True)
class Layout:
    """Where the table is: the last header row and the column (1-based) of each field."""

    header_row: int
    columns: dict[str, int]
    unused: tuple[str, ...]  # "H3 余额" for each header that was not imported
    headers: dict[int, str]

    def missing(self, sheet: Sheet, names: Iterable[str]) -> list[Problem]:
        """A problem for each of `names` that has no column."""
        return [
            sheet_problem(
                sheet.label,
                self.header_row,
                1,
                name,
                f"找不到“{name}”列。表头是：{_found(self.headers, self.header_row)}",
                f"no column for {name}; the headers are: {', '.join(self.headers.values())}",
                f"加一列“{name}”，或用 --map 表头={name} 指定哪一列是{name}",
                f"add a {name} column or map one with --map HEADER={name}",
            )
            for name in names
            if name not in self.columns
        ]


def _words(fields: Iterable[str], overrides: dict[str, str]) -> dict[str, str]:
    """header word → field: overrides first, then each field's own name, then the synonyms."""
    fields = tuple(fields)
    words = {header: target for header, target in overrides.items() if target}
    for name in fields:
        words.setdefault(name, name)
    for name in fields:
        for word in SYNONYMS.get(name, ()):
            words.setdefault(word, name)
    return words


def _across(sheet: Sheet, row: int, col: int) -> bool:
    """The cell is part of a range merged across several columns."""
    span = sheet.merged.get((row, col))
    return span is not None and span in (sheet.merged.get((row, col - 1)), sheet.merged.get((row, col + 1)))


def _headers(sheet: Sheet, row: int) -> dict[int, str]:
    """Column → header of a two-row header: a cell merged across columns (or a blank one) stands
    over the sub-headers in the row below, which name the columns."""
    out = {}
    for c in range(1, len(sheet.rows[row - 1]) + 1):
        value, below = sheet.value(row, c), sheet.value(row + 1, c)
        text = below if below is not None and (value is None or _across(sheet, row, c)) else value
        if text is not None and normalise(text):
            out[c] = normalise(text)
    return out


def _score(headers: dict[int, str], words: dict[str, str]) -> int:
    return len({words[h] for h in headers.values() if words.get(h)})


def _header_row(sheet: Sheet, words: dict[str, str]) -> tuple[int, int, dict[int, str]]:
    """(header row, data starts after row, headers) of the best-matching row among the first 15."""
    best = (0, 0, 0, {})
    for row in range(1, min(len(sheet.rows), 15) + 1):
        plain = {c: normalise(v) for c, v in enumerate(sheet.rows[row - 1], start=1) if v is not None and normalise(v)}
        two = _headers(sheet, row)
        for last, headers in ((row, plain), (row + 1, two)):
            score = _score(headers, words)
            if score > best[0]:
                best = (score, row, last, headers)
    return best[1], best[2], best[3]


def _found(headers: dict[int, str], row: int) -> str:
    return "、".join(f"{cell_ref(row, c)} {h}" for c, h in sorted(headers.items())) or "（没有文字）"


def find_layout(
    sheet: Sheet, fields: tuple[str, ...], overrides: dict[str, str]
) -> tuple[Layout | None, list[Problem]]:
    """Map the sheet's columns to `fields`; every problem at once (missing, doubled, personal)."""
    words = _words(fields, overrides)
    row, last, headers = _header_row(sheet, words)
    label = sheet.label
    if not row or _score(headers, words) < min(2, len(fields)):
        return None, [_no_header(sheet, fields)]
    problems: list[Problem] = []
    columns: dict[str, int] = {}
    unused = []
    for c, header in sorted(headers.items()):
        target = words.get(header)
        if header in overrides and not overrides[header]:
            continue  # dropped on purpose with --map 表头=
        if target is None and PERSONAL.search(header):
            problems.append(_personal(label, last, c, header))
        elif target is None:
            unused.append(f"{cell_ref(last, c)} {header}")
        elif target in columns:
            problems.append(_twice(sheet, last, columns[target], c, target))
        else:
            columns[target] = c
    return Layout(last, columns, tuple(unused), headers), problems


def _no_header(sheet: Sheet, fields: tuple[str, ...]) -> Problem:
    first = next((i for i, r in enumerate(sheet.rows, start=1) if any(v is not None for v in r)), 1)
    seen = {c: normalise(v) for c, v in enumerate(sheet.rows[first - 1] if sheet.rows else [], start=1) if v}
    return sheet_problem(
        sheet.label,
        first,
        1,
        "",
        f"找不到表头：前 15 行里没有认得的列名。找到的是：{_found(seen, first)}",
        f"no header row found among the first 15 rows; found: {', '.join(seen.values()) or 'nothing'}",
        f"表头要写 {'、'.join(fields)} 等；别的叫法用 --map 指定，例如 --map 事由=摘要",
        "name the columns as above, or map your own with --map, e.g. --map 事由=摘要",
    )


def _personal(label: str, row: int, col: int, header: str) -> Problem:
    return sheet_problem(
        label,
        row,
        col,
        header,
        f"“{header}”列是个人信息，不能导入公开记录",
        f"the '{header}' column holds personal data and cannot be imported",
        f"从表格中删去这一列再导入，或用 --map {header}= 明确跳过它",
        f"delete the column, or skip it explicitly with --map {header}=",
    )


def _twice(sheet: Sheet, row: int, first: int, second: int, target: str) -> Problem:
    span = sheet.merged.get((row, second))
    if span and span == sheet.merged.get((row, first)):
        return sheet_problem(
            sheet.label,
            row,
            first,
            target,
            f"表头“{target}”是合并单元格（{span}），分不出每一列是什么",
            f"the header '{target}' is a merged cell ({span}); each column needs its own header",
            "取消合并，每一列写一个表头（例如 收入、支出）",
            "unmerge it and give each column a header",
        )
    return sheet_problem(
        sheet.label,
        row,
        second,
        target,
        f"有两列都是“{target}”：{cell_ref(row, first)} 和 {cell_ref(row, second)}",
        f"two columns are {target}: {cell_ref(row, first)} and {cell_ref(row, second)}",
        "删去或改名其中一列，或用 --map 指定",
        "delete or rename one of them, or use --map",
    )


def parse_map(pairs: list[str], fields: tuple[str, ...]) -> tuple[dict[str, str], list[Problem]]:
    """`--map 事由=摘要,往来单位=收款方` → {header: field}; an empty field drops the column."""
    out: dict[str, str] = {}
    problems = []
    for item in (p for arg in pairs for p in re.split(r"[,，]", arg) if p.strip()):
        header, _, target = item.partition("=")
        target = target.strip()
        if "=" not in item or (target and target not in fields):
            problems.append(
                Problem(
                    "--map",
                    1,
                    1,
                    "",
                    f"“{item}”不对：要写成 表头=字段，字段可选：{'、'.join(fields)}",
                    f"'{item}': write HEADER=FIELD, FIELD one of {', '.join(fields)}",
                    "例如 --map 事由=摘要",
                    "e.g. --map 事由=摘要",
                )
            )
            continue
        out[normalise(header)] = target
    return out, problems
