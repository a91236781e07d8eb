"""Made-up people, firms, phone numbers, identity numbers and tracking numbers (never real)."""

import datetime
import random

from disclosure.tracking import ALPHABET, NUMBER_RANDOM_LENGTH
from disclosure.validators import resident_id_check_character

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红春梅建国志海波宁"
FIRMS = ("贸易", "商贸", "餐饮", "科技", "建材", "服装", "广告", "物流", "文化", "酒店管理")
FIRM_WORDS = "星海港湾北方明珠胜利富丽天和鑫源华泰金桥惠民嘉禾东港西岗"


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def firm(rng: random.Random) -> str:
    return f"大连{''.join(rng.sample(FIRM_WORDS, 2))}{rng.choice(FIRMS)}有限公司"


def mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"


def resident_id(rng: random.Random) -> str:
    born = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(20000))
    first17 = f"210203{born:%Y%m%d}{rng.randrange(1000):03d}"
    return first17 + resident_id_check_character(first17)


class TrackingNumbers:
    """Unique tracking numbers in the portal's form (`TS-20261128-7KQ3M9`), from the seed."""

    def __init__(self, rng: random.Random, taken: set[str] | None = None) -> None:
        self.rng = rng
        self.taken = taken or set()

    def new(self, prefix: str, day: datetime.date) -> str:
        while True:
            tail = "".join(self.rng.choice(ALPHABET) for _ in range(NUMBER_RANDOM_LENGTH))
            number = f"{prefix}-{day:%Y%m%d}-{tail}"
            if number not in self.taken:
                self.taken.add(number)
                return number
