"""The demo county's visits and problems (PROBLEMS.md): about 230 problems over
its enterprises in every state, most found on visits, most solved (the source
bulletin: 231 problems, 202 solved), some overdue, some rated 不满意 and reopened.
Written through the services, so every step is audited as a clerk's would be."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta

from desktop.db import problems as store
from desktop.db.connection import Database
from desktop.domain import problems as rules
from desktop.domain.problems import Problem, Visit
from desktop.services import problems

PROBLEMS = 230
# (category, responsible units, descriptions)
KINDS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("recruitment", ("县人社局", "县就业服务中心"),
     ("一线技术工人招聘难，缺口约{n}人", "新招员工流失率高，希望对接职业技能培训",
      "春节后返岗用工缺口{n}人左右")),
    ("policy_payment", ("县财政局", "县经信局", "县商务局"),
     ("技改补贴{n}万元尚未拨付到位", "稳岗返还资金申请后迟迟未到账", "高新技术企业奖励未兑现")),
    ("financing", ("县金融办", "县农商行"),
     ("流动资金贷款难，需求约{n}万元", "设备抵押贷款审批周期长", "希望对接政府性融资担保")),
    ("land_approval", ("县自然资源局", "县住建局", "县数据资源局"),
     ("厂房扩建用地手续办理慢", "二期项目施工许可审批卡在消防验收", "标准化厂房产权证办理未完成")),
    ("rights", ("县总工会", "县人社局", "县市场监管局"),
     ("外卖骑手工伤保障缺位，希望纳入职业伤害保障", "与上游企业合同纠纷，货款{n}万元被拖欠",
      "快递员休息场所不足")),
    ("party_building", ("县委组织部", "县两新工委"),
     ("党员人数达到{n}人，申请单独组建党支部", "缺少党建活动场地", "流动党员组织关系转接不畅")),
    ("other", ("县交通运输局", "县商务局"),
     ("厂区门前道路破损，货车进出不便", "希望帮助对接本地商超销售渠道", "员工子女就近入学需协调")),
)
WEIGHTS = (5, 4, 4, 3, 3, 2, 2)
NOTES = {"supervise": ("已发督办单，请限期办理", "县委组织部已转交督办", "召开协调会后督办"),
         "resolve": ("已协调解决，企业确认", "资金已拨付到位", "手续已办结", "已对接落实"),
         "unresolve": ("受政策限制暂无法解决，已向企业说明", "涉及上级审批，已报送市级部门"),
         "dissatisfied": ("企业认为落实不到位，重新督办", "企业反映仍未解决")}
# The state each problem ends in and how many (the remainder goes to the first).
ENDS = (("resolved", 0), ("unresolved", 13), ("supervising", 18), ("accepted", 12),
        ("reopened", 6))


def add_problems(db: Database, enterprises: Sequence[str], today: date, seed: int) -> int:
    """Visits and PROBLEMS problems at `enterprises` (ids), found over the past
    year; returns how many problems were written."""
    if not enterprises:
        return 0
    rng = random.Random(seed)
    visitors = store.guiding_instructors(db)
    ends = [end for end, n in ENDS[1:] for _ in range(n)]
    ends += ["resolved"] * (PROBLEMS - len(ends))
    rng.shuffle(ends)
    for end in ends:
        org = rng.choice(enterprises)
        # Open problems are mostly recent: a handful past their deadline, as in a real office.
        back = {"accepted": (3, 50), "supervising": (15, 100)}.get(end, (20, 360))
        found = today - timedelta(days=rng.randint(*back))
        visit = None
        if rng.random() < 0.8:
            visit = problems.record_visit(db, Visit(
                organization_id=org, visited_on=found, instructor_id=visitors.get(org),
                kind=rng.choice(("visit", "visit", "visit", "meeting", "phone", "walk_in")),
                findings="走访中企业反映困难和诉求"), today=today)
        _problem(db, rng, org, visit, found, end, today)
    for org in rng.sample(list(enterprises), min(60, len(enterprises))):  # visits with nothing found
        problems.record_visit(db, Visit(organization_id=org, kind="visit",
                                        visited_on=today - timedelta(days=rng.randint(1, 300)),
                                        instructor_id=visitors.get(org),
                                        findings="生产经营正常，未反映问题"), today=today)
    return len(ends)


def _problem(db: Database, rng: random.Random, org: str, visit: str | None, found: date,
             end: str, today: date) -> None:
    category, units, texts = rng.choices(KINDS, WEIGHTS)[0]
    spans = (30, 45, 60, 90) if rules.is_open(end) else (15, 30, 30, 45, 60, 90)
    deadline = found + timedelta(days=rng.choice(spans))
    pid = problems.add_problem(db, Problem(
        organization_id=org, found_on=found, category=category,
        description=rng.choice(texts).format(n=rng.choice((5, 8, 12, 20, 30, 50, 200))),
        responsible_unit=rng.choice(units), responsible_person=rng.choice((None, "王科长", "李主任", "陈股长")),
        deadline=deadline, visit_id=visit), note="受理登记", today=today)
    day = found

    def step(target: str, key: str) -> None:
        nonlocal day
        day = min(today, day + timedelta(days=rng.randint(1, 25)))
        problems.advance(db, pid, target, note=rng.choice(NOTES[key]), on=day, today=today)

    if end == "accepted":
        return
    if end != "resolved" or rng.random() < 0.6:
        step(rules.SUPERVISING, "supervise")
    if end == "supervising":
        return
    if end == "reopened":
        step(rules.RESOLVED, "resolve")
        step(rules.DISSATISFIED, "dissatisfied")
        if rng.random() < 0.5:
            step(rules.RESOLVED, "resolve")
        return
    step(rules.RESOLVED if end == "resolved" else rules.UNRESOLVED,
         "resolve" if end == "resolved" else "unresolve")
    if rng.random() < 0.85:
        rating = rng.choices((rules.SATISFIED, rules.BASICALLY_SATISFIED, rules.DISSATISFIED),
                             (80, 17, 3) if end == "resolved" else (20, 50, 30))[0]
        if rating != rules.DISSATISFIED:
            problems.advance(db, pid, rating, on=day, today=today)
