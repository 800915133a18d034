"""Finance beyond single records: a page per account (政经分离: 行政账 and 经济账 apart) and the
open-data page; the open-data files themselves come from opendata.py."""

from __future__ import annotations

from collections import defaultdict

from generator.reading.site import CommunityData, Entry
from generator.records.budget import Budget
from generator.records.finance import Account, Statement
from generator.web.opendata import BUDGET_COLUMNS, FUND_COLUMNS, LINE_COLUMNS
from generator.web.renderer import Page, Renderer

SLUG = {Account.ADMIN: "admin", Account.ECONOMIC: "economic"}


def accounts(data: CommunityData) -> dict[tuple[str, Account], list[Entry]]:
    """(organisation id, account) → its published statements, oldest period first."""
    found: dict[tuple[str, Account], list[Entry]] = defaultdict(list)
    for e in data.public:
        if isinstance(e.notice, Statement) and e.notice.status.value == "已发布":
            found[(e.notice.org, e.notice.account)].append(e)
    return {key: sorted(items, key=lambda e: (e.notice.from_, e.notice.id)) for key, items in sorted(found.items())}


def account_url(community: str, org: str, account: Account) -> str:
    return f"{community}/accounts/{SLUG[account]}-{org}/"


def finance_pages(r: Renderer, data: CommunityData) -> list[Page]:
    c = data.community
    pages = []
    for (org, account), statements in accounts(data).items():
        org_name = c.org(org).name if c.org(org) else org
        budgets = [
            e
            for e in data.public
            if isinstance(e.notice, Budget) and e.notice.org == org and e.notice.account == account
        ]
        balances = [(f"截至{e.notice.to.isoformat()}", e.notice.closing) for e in statements]
        pages.append(
            r.page(
                account_url(c.id, org, account).rstrip("/") + ".md",
                f"{org_name}·{account.value}",
                "account.md.j2",
                data=data,
                org_name=org_name,
                account=account.value,
                statements=statements,
                balances=balances,
                budgets=budgets,
            )
        )
    tables = [
        ("收入明细、支出明细（revenue.csv、expenditure.csv；每条记录的 lines.csv 另有 direction 列）", LINE_COLUMNS),
        ("预算执行（budget.csv）", BUDGET_COLUMNS),
        ("专项资金（special-funds.csv）", FUND_COLUMNS),
    ]
    pages.append(
        r.page(f"{c.id}/opendata/index.md", f"{c.name}·财务开放数据", "opendata.md.j2", data=data, tables=tables)
    )
    return pages
