"""Realistic sample values for the demo database: names, company names, ID
numbers, credit codes, phones and bank accounts.

Everything comes from one `random.Random`, so a seed gives the same county
every time. No I/O here; `desktop.services.demo` writes what this makes.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from desktop.domain.identifiers import id_check_char, uscc_check_char

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾汪程"
            "方储檀江叶章潘余金姚查")
GIVEN_ONE = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚文华红婷雪慧鹏浩宇欣颖琳斌辉飞凯俊峰亮燕晨阳"
GIVEN_TWO = ("秀英", "桂英", "建国", "建华", "志强", "海燕", "晓东", "春梅", "玉兰", "国庆", "小龙",
             "文杰", "子涵", "思远", "俊杰", "明辉", "丽华", "红霞", "永康", "德胜", "雨欣", "佳怡")
TRADE = "鑫华瑞宏恒泰盛达丰源通锦博新嘉德隆昌远兴富安和信诚汇科金天宇润康明皖江"
PRODUCTS = ("机械制造", "电子科技", "食品", "新材料", "纺织", "建材", "包装", "汽车零部件",
            "塑业", "医药", "服饰", "家具", "农业科技", "环保科技", "精密模具", "化工")
ROADS = ("人民路", "长江路", "迎宾大道", "文化路", "建设路", "工业大道", "纬一路", "经二路",
         "创业路", "科技大道", "振兴路", "新城大道")
MOBILE_PREFIXES = ("139", "138", "137", "136", "135", "150", "151", "152", "158", "159", "182",
                   "187", "188", "130", "131", "132", "155", "156", "185", "186", "133", "153",
                   "180", "181", "189", "177", "199")
# County-level region codes for birthplaces on ID numbers (GB/T 2260 style).
BIRTH_REGIONS = ("340802", "340803", "340811", "340822", "340825", "340826", "340827",
                 "340828", "340881", "340882")
# (bank, card BIN, account length)
BANKS = (("中国农业银行宜城支行", "622848", 19), ("中国工商银行宜城支行", "622202", 19),
         ("中国建设银行宜城支行", "621700", 19), ("中国银行宜城支行", "621661", 19),
         ("中国邮政储蓄银行宜城县支行", "621799", 19), ("宜城农村商业银行", "623058", 16))

# Brand names a county sees in each new-business-form industry, and the
# kind of local company that runs them.
EXPRESS = ("顺丰速运", "中通快递", "圆通速递", "韵达快递", "申通快递", "极兔速递", "京东物流",
           "德邦快递", "百世快递", "邮政快递")
DELIVERY = ("美团外卖", "饿了么", "达达快送", "闪送")
RIDE_KINDS = ("网约车服务", "出行科技", "汽车租赁服务", "客运服务")
SOCIAL = ("个体劳动者协会", "商会", "物流行业协会", "餐饮行业协会", "老年人协会",
          "社会工作服务中心", "养老服务中心", "职业技能培训学校", "志愿者协会", "青年创业促进会",
          "电子商务协会", "家政服务协会")

_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def luhn_digit(body: str) -> str:
    """The Luhn (mod 10) check digit bank cards end with."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return str((10 - total % 10) % 10)


def org_code(body8: str) -> str:
    """A 9-character 组织机构代码 (GB 11714): 8 digits and their check character."""
    total = sum(int(ch) * w for ch, w in zip(body8, _ORG_CODE_WEIGHTS))
    check = 11 - total % 11
    return body8 + {10: "X", 11: "0"}.get(check, str(check))


class Names:
    """A seeded source of unique sample values."""

    def __init__(self, rng: random.Random, region: str, place: str) -> None:
        self.rng = rng
        self.region = region  # the county's region code, in credit codes
        self.place = place  # the short county name companies carry, e.g. 宜城
        self._used: set[str] = set()

    def _unique(self, make) -> str:
        for _ in range(1000):
            value = make()
            if value not in self._used:
                self._used.add(value)
                return value
        raise RuntimeError("sample value space exhausted")

    def person(self) -> str:
        """A Chinese personal name (not necessarily unique: real lists repeat names)."""
        rng = self.rng
        if rng.random() < 0.3:
            given = rng.choice(GIVEN_TWO)
        elif rng.random() < 0.5:
            given = rng.choice(GIVEN_ONE)
        else:
            given = rng.choice(GIVEN_ONE) + rng.choice(GIVEN_ONE)
        return rng.choice(SURNAMES) + given

    def mobile(self) -> str:
        """A unique mainland mobile number."""
        return self._unique(lambda: self.rng.choice(MOBILE_PREFIXES)
                            + f"{self.rng.randrange(10 ** 8):08d}")

    def id_number(self, born_from: date, born_to: date) -> str:
        """A unique, valid 18-digit ID number with a birth date in the range."""
        def make() -> str:
            born = born_from + timedelta(days=self.rng.randrange((born_to - born_from).days + 1))
            body = f"{self.rng.choice(BIRTH_REGIONS)}{born:%Y%m%d}{self.rng.randrange(1000):03d}"
            return body + id_check_char(body)
        return self._unique(make)

    def uscc(self, kind: str) -> str:
        """A unique, valid 统一社会信用代码: 91 for companies, 52 for private
        non-enterprise units, 51 for associations."""
        def make() -> str:
            body = f"{kind}{self.region}{org_code(f'{self.rng.randrange(10 ** 8):08d}')}"
            return body + uscc_check_char(body)
        return self._unique(make)

    def bank(self) -> tuple[str, str]:
        """(bank branch, a unique account number with a valid Luhn digit)."""
        name, bin_, length = self.rng.choice(BANKS)
        account = self._unique(lambda: self._card(bin_, length))
        return name, account

    def _card(self, bin_: str, length: int) -> str:
        middle = "".join(str(self.rng.randrange(10)) for _ in range(length - len(bin_) - 1))
        return bin_ + middle + luhn_digit(bin_ + middle)

    def address(self, area: str) -> str:
        return f"{area}{self.rng.choice(ROADS)}{self.rng.randint(1, 399)}号"

    def company(self, industry: str, area_short: str) -> str:
        """A unique, plausible company name for the industry."""
        return self._unique(lambda: self._company(industry, area_short))

    def _company(self, industry: str, area_short: str) -> str:
        rng, place = self.rng, self.place
        trade = rng.choice(TRADE) + rng.choice(TRADE)
        if industry == "express":
            brand = rng.choice(EXPRESS)
            return rng.choice((f"{place}{brand}有限公司", f"{place}县{area_short}{brand}营业部",
                               f"{place}{trade}{brand}服务有限公司"))
        if industry == "food_delivery":
            station = f"{place}县{rng.choice(DELIVERY)}{area_short}{rng.choice(('配送站', '服务站'))}"
            return rng.choice((station, station, f"{place}{trade}配送服务有限公司"))
        if industry == "ride_hailing":
            return f"{place}{trade}{rng.choice(RIDE_KINDS)}有限公司"
        if industry == "road_freight":
            return f"{place}{trade}{rng.choice(('物流', '道路货物运输', '运输'))}有限公司"
        if industry == "internet":
            return f"{place}{trade}{rng.choice(('网络科技', '信息技术', '电子商务'))}有限公司"
        if industry == "property":
            return f"{place}{trade}物业{rng.choice(('服务', '管理'))}有限公司"
        if industry == "manufacturing":
            suffix = rng.choice(("有限公司", "有限公司", "有限责任公司", "股份有限公司"))
            return f"{place}{trade}{rng.choice(PRODUCTS)}{suffix}"
        return f"{place}{trade}{rng.choice(('商贸', '建筑工程', '餐饮管理', '酒店管理'))}有限公司"

    def social_org(self, county: str, area: str) -> str:
        """A unique social organization name (协会, 商会, 服务中心 …)."""
        def make() -> str:
            kind = self.rng.choice(SOCIAL)
            if kind in ("商会", "老年人协会", "志愿者协会"):
                return f"{county}{area}{kind}"
            if kind.endswith(("中心", "学校")):
                return f"{county}{self.rng.choice(TRADE)}{self.rng.choice(TRADE)}{kind}"
            return f"{county}{kind}"
        return self._unique(make)
