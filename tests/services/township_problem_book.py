"""A township office's own 问题 spreadsheet as they keep it, made in code: a title
row, a two-level header, 序号 and 备注 columns, blank lines, names merged down
over an organization's rows, dates typed every way Excel users type them, stray
spaces; about 300 problems in every state. `expected_counts` counts the same
rows by hand, as the office would, with no code from the app.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from factories import build_workbook, uscc

# (name, township, USCC or None); created in the database before the import.
KNOWN_ORGS = tuple((f"城关{n}号商贸有限公司", "城关镇", uscc(100 + n) if n % 2 else None)
                   for n in range(8)) + tuple(
                  (f"经开区{n}号科技有限公司", "经开区", uscc(200 + n) if n % 3 else None)
                  for n in range(5))
# Organizations the workbook's own 组织 sheet brings.
NEW_ORGS = (("新设快递服务部", "城关镇"), ("新设物业服务中心", "经开区"))
CATEGORIES = ("招聘用工", "政策兑现", "融资", "用地与审批", "权益保障", "党建工作", "其他")
UNITS = ("县人社局", "县财政局", "县金融办", "县自然资源局", "县市场监管局", "县委组织部")
EPOCH = date(1899, 12, 30)  # Excel's day 0
TITLE = "城关镇、经开区两新组织问题、责任、时限清单（2025年）"
TOP = ["序号", "组织名称", "统一社会信用代码", "发现日期＊", "问题类别 *", "问题 描述*",
       "责任落实", None, None, "办结情况", None, None, None, "备注"]
SUB = [None, None, None, None, None, None, "责任单位\u200b*", "责任人", "办结时限*",
       "状态", "日期", "办理情况", "评价", None]
MERGES = ("A1:N1", "A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:E3", "F2:F3", "G2:I2", "J2:M2",
          "N2:N3")
FIRST_DATA_ROW = 4


@dataclass(frozen=True)
class Row:
    """One problem as the office wrote it (what it counts by hand)."""

    organization: str
    township: str
    found_on: date
    category: str
    deadline: date
    status: str  # 已受理 / 督办中 / 已办结 / 未能解决
    closed_on: date | None
    evaluation: str | None  # 满意 / 基本满意 / 不满意 (不满意: reopened, 督办中)


def _date_cell(day: date, rng: random.Random):
    """The date as one of the ways offices type it."""
    way = rng.randrange(8)
    return [day, f"{day.year}/{day.month}/{day.day}", f"{day.year}年{day.month}月{day.day}日",
            day.isoformat(), f"{day.year}.{day.month}.{day.day}", (day - EPOCH).days,
            f"{day.year}年{day.month}月{day.day}日".translate(_FULL_WIDTH),
            f" {day.isoformat()} "][way]


_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _rows(rng: random.Random, count: int) -> list[Row]:
    orgs = [(name, town) for name, town, _ in KNOWN_ORGS] + list(NEW_ORGS)
    rows = []
    while len(rows) < count:
        name, town = rng.choice(orgs)
        for _ in range(rng.choice((1, 1, 2, 3))):  # an organization's problems side by side
            found = date(2025, 1, 1) + timedelta(days=rng.randrange(300))
            deadline = found + timedelta(days=rng.choice((0, 7, 15, 30, 45, 60, 90)))
            status = rng.choices(("已受理", "督办中", "已办结", "未能解决", "不满意"),
                                 (14, 16, 50, 12, 8))[0]
            closed = found + timedelta(days=rng.randrange(75)) if status != "已受理" else None
            evaluation = None
            if status in ("已办结", "未能解决"):
                evaluation = rng.choice((None, "满意", "满意", "基本满意"))
            elif status == "不满意":
                status, evaluation = "督办中", "不满意"
            elif status == "督办中":
                closed = None
            rows.append(Row(name, town, found, rng.choice(CATEGORIES), deadline, status,
                            closed, evaluation))
    return rows[:count]


def build_township_book(path: Path, count: int = 300, seed: int = 17) -> tuple[Path, list[Row]]:
    """The messy workbook at `path` and the rows it holds (deterministic for `seed`)."""
    rng = random.Random(seed)
    rows = _rows(rng, count)
    codes = {name: code for name, _, code in KNOWN_ORGS}
    sheet: list[list] = [[TITLE], TOP, SUB]
    merges = list(MERGES)
    previous = None
    for n, row in enumerate(rows, start=1):
        if n % 37 == 0:
            sheet.append([])  # the blank line left between pages
            previous = None
        same = previous == row.organization and rng.random() < 0.7
        if same:
            merges.append(f"B{len(sheet)}:B{len(sheet) + 1}")  # the name merged down
        previous = None if same else row.organization
        status = row.status if rng.random() < 0.85 else (
            "" if row.status == "已受理" else f" {row.status} ")
        sheet.append([
            n, None if same else row.organization + rng.choice(("", " ", "  ")),
            codes.get(row.organization) if not same and rng.random() < 0.5 else None,
            _date_cell(row.found_on, rng), row.category + rng.choice(("", " ")),
            f"问题{n}：{row.category}方面的困难 ", rng.choice(UNITS), rng.choice(("张科长", None)),
            _date_cell(row.deadline, rng), status or None,
            _date_cell(row.closed_on, rng) if row.closed_on else None,
            "已协调解决" if row.closed_on else rng.choice((None, "正在协调")),
            row.evaluation, rng.choice((None, "", "重点"))])
    org_sheet = [["名称*", "类型*", "所属乡镇*"], *[[name, "非公企业", town] for name, town in NEW_ORGS]]
    build_workbook(path, {"组织": org_sheet, "问题": sheet}, merges={"问题": tuple(merges)})
    return path, rows


def _rate(numerator: int, denominator: int) -> str:
    if denominator == 0:
        return "—"
    tenths = (2000 * numerator + denominator) // (2 * denominator)  # half up
    return f"{tenths // 10}.{tenths % 10}%"


def expected_counts(rows: list[Row], as_of: date) -> dict:
    """found / open / overdue / resolved / unresolved / evaluated and the two rates of
    `rows` as of `as_of`, counted as a clerk counts the sheet."""
    found = [r for r in rows if r.found_on <= as_of]
    closed = [r for r in found if r.closed_on is not None and r.closed_on <= as_of]
    done = [r for r in closed if r.status in ("已办结", "未能解决")]
    open_ = [r for r in found if r not in done]
    rated = [r for r in closed if r.evaluation]
    resolved = sum(r.status == "已办结" for r in done)
    unresolved = sum(r.status == "未能解决" for r in done)
    pleased = sum(r.evaluation in ("满意", "基本满意") for r in rated)
    return {"found": len(found), "open": len(open_),
            "overdue": sum(r.deadline < as_of for r in open_),
            "resolved": resolved, "unresolved": unresolved, "evaluated": len(rated),
            "solve_rate": _rate(resolved, resolved + unresolved),
            "satisfaction_rate": _rate(pleased, len(rated))}
