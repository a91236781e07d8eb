"""Demo data: the government-information catalogue of the seed's district (西岗区).

Topics (two levels), and about 200 entries from 2004 to 2026 spread over the district's
departments, topics and genres: the seed's own measures (西岗区政府系统2006年软环境建设实施方案,
关于统一规范性文件备案格式的通知, …), the 10 normative documents the 法制办 filed in 2006 (their
filings come from `disclosure.demo.entities.load_normative_filings`, called at the end), many
entries on fees (收费) and complaints (投诉), a few withdrawn or repealed ones, a few published
late, and two drafts. Every entry goes through the real actions, so index numbers, deadlines
and history are real. Idempotent: an entry is keyed on title and publisher.
"""

import datetime
import random
from dataclasses import dataclass, field
from typing import TextIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from disclosure.actions.catalogue import (
    catalogue_entry_create,
    catalogue_entry_publish,
    catalogue_entry_submit_for_review,
    catalogue_entry_withdraw,
)
from disclosure.demo.entities import NORMATIVE_DOCUMENTS, load_normative_filings
from disclosure.models.catalogue import CatalogueEntry, Topic
from disclosure.models.entities import AdministrativeEntity

G = CatalogueEntry.Genre
V = CatalogueEntry.Validity

# (code, name, [(code, name), ...]) — the usual top-level subjects of a district catalogue.
TOPICS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    (
        "general",
        "综合政务",
        (
            ("general-open", "政务公开"),
            ("general-rule-of-law", "依法行政"),
            ("general-efficiency", "行政效能"),
            ("general-soft-env", "软环境建设"),
        ),
    ),
    (
        "economy",
        "国民经济管理",
        (("economy-plans", "发展规划"), ("economy-statistics", "统计信息")),
    ),
    (
        "finance",
        "财政审计",
        (
            ("finance-budget", "财政预决算"),
            ("finance-procurement", "政府采购"),
            ("finance-assets", "国有资产管理"),
            ("finance-fees", "行政事业性收费"),
        ),
    ),
    (
        "education",
        "教育",
        (
            ("education-fees", "教育收费"),
            ("education-enrolment", "招生与学籍"),
            ("education-ethics", "师德建设"),
        ),
    ),
    (
        "health",
        "卫生健康",
        (
            ("health-community", "社区卫生服务"),
            ("health-supervision", "卫生监督"),
            ("health-prices", "医疗收费与药品价格"),
        ),
    ),
    (
        "labour",
        "劳动就业",
        (("labour-employment", "促进就业"), ("labour-wages", "劳动保障监察")),
    ),
    (
        "social-security",
        "社会保障",
        (("social-insurance", "社会保险"), ("social-assistance", "社会救助")),
    ),
    (
        "urban",
        "城乡建设",
        (("urban-construction", "市政建设"), ("urban-projects", "重大建设项目")),
    ),
    (
        "market",
        "市场监管",
        (("market-licensing", "行政许可"), ("market-sme", "中小企业服务")),
    ),
    (
        "public-security",
        "公安安全司法",
        (("security-safety", "安全生产"), ("security-emergency", "应急管理")),
    ),
    (
        "civil-affairs",
        "民政",
        (("civil-community", "社区建设"), ("civil-welfare", "社会福利")),
    ),
    (
        "culture-tourism",
        "文化旅游",
        (("culture-services", "公共文化服务"), ("culture-tourism-dev", "旅游发展")),
    ),
    (
        "supervision",
        "监察与投诉",
        (("supervision-complaints", "效能投诉"), ("supervision-inspectors", "特邀监督")),
    ),
)

OFFICE = "西岗区人民政府办公室"
ROOT = "西岗区人民政府"
LEGAL = "西岗区人民政府法制办公室"
EDUCATION = "西岗区教育局"
HEALTH = "西岗区卫生局"
HEALTH_SUPERVISION = "西岗区卫生监督所"
SUPERVISION = "西岗区监察局"
FINANCE = "西岗区财政局"
ASSETS = "西岗区财政局国有资产管理办公室"
INFO = "西岗区信息中心"
LABOUR = "西岗区劳动局"
SERVICE_CENTRE = "西岗区行政服务中心"
PERSONNEL = "西岗区组织人事局"


@dataclass(frozen=True)
class EntrySeed:
    """One demo entry: what the district would have written in its catalogue."""

    title: str
    publisher: str
    topic: str
    genre: str
    formed: datetime.date
    document_no: str = ""
    summary: str = ""
    keywords: str = ""
    art20_item: int | None = None
    delay_days: int = 5  # calendar days between forming and publishing
    validity: str = V.IN_FORCE
    withdraw_reason: str = ""
    repeals: tuple[str, ...] = field(default=())
    draft: bool = False
    in_review: bool = False


# The seed's own measures, written as the district would file them.
SEED_ENTRIES: tuple[EntrySeed, ...] = (
    EntrySeed(
        "西岗区政府系统2006年软环境建设实施方案",
        ROOT,
        "general-soft-env",
        G.PLAN,
        datetime.date(2006, 3, 20),
        "西政发〔2006〕3号",
        "按照大连市政府系统2006年软环境建设实施方案的要求，部署全区深化行政管理体制改革、"
        "推进依法行政、提高行政效能、加强政务公开和公用事业单位办事公开、受理效能投诉等工作。",
        "软环境 政务公开 行政效能 投诉",
        3,
    ),
    EntrySeed(
        "关于推行行政执法责任制的实施意见",
        ROOT,
        "general-rule-of-law",
        G.OPINION,
        datetime.date(2006, 4, 3),
        "西政发〔2006〕4号",
        "按照国务院办公厅关于推行行政执法责任制的若干意见，梳理执法依据，分解执法职权，"
        "确定执法责任，清理和确认行政执法主体并向社会公示。",
        "行政执法责任制 执法主体 公示",
        1,
    ),
    EntrySeed(
        "关于对区级行政主体进行审核确认和公示的通知",
        PERSONNEL,
        "general-rule-of-law",
        G.NOTICE,
        datetime.date(2006, 4, 12),
        "西组人发〔2006〕6号",
        "由组织人事局、法制办对区级行政主体进行全面审核和确认，并通过政府内外网站向社会公示。",
        "行政主体 审核确认 公示",
        2,
    ),
    EntrySeed(
        "西岗区行政服务中心服务承诺",
        SERVICE_CENTRE,
        "general-efficiency",
        G.PUBLIC_NOTICE,
        datetime.date(2006, 5, 8),
        "",
        "服务事项办理时限由平均8-10个工作日减缩到平均2个工作日；书面一次性承诺办结时限、"
        "服务标准、收费标准，明示承办部门、责任人和投诉渠道；超时未办结的视为同意。",
        "服务承诺 办结时限 收费标准 投诉",
        5,
    ),
    EntrySeed(
        "学校收费管理制度",
        EDUCATION,
        "education-fees",
        G.REGULATION,
        datetime.date(2006, 3, 6),
        "西教发〔2006〕2号",
        "全区中小学建立学校收费管理工作校长负责制、收费管理例会制、收费内容公示制、"
        "收费项目标准审批制和统一收费一人一票制，杜绝乱收费；设立热线举报和投诉电话。",
        "学校收费 公示 一人一票 投诉电话",
        8,
    ),
    EntrySeed(
        "关于建立学校收费“北方明珠卡”工作制度的通知",
        EDUCATION,
        "education-fees",
        G.NOTICE,
        datetime.date(2006, 4, 18),
        "西教发〔2006〕4号",
        "推行学校收费“北方明珠卡”制度，收费项目和标准向学生家长公开，杜绝学校乱收费行为。",
        "北方明珠卡 学校收费",
        8,
    ),
    EntrySeed(
        "中小学学生转出（入）学政策、基本条件和基本流程公示",
        EDUCATION,
        "education-enrolment",
        G.PUBLIC_NOTICE,
        datetime.date(2006, 5, 22),
        "",
        "公示中小学学生转出（入）学的相关政策、基本条件和基本流程，规范招生、编班、转学操作程序。",
        "转学 学籍 招生",
        11,
    ),
    EntrySeed(
        "关于小学毕业生免试就近升入初中和电脑分班的通知",
        EDUCATION,
        "education-enrolment",
        G.NOTICE,
        datetime.date(2006, 6, 5),
        "西教发〔2006〕8号",
        "执行小学毕业生免试就近升入初中的规定，实行电脑分班，做到无重点班、无关系班、无大班额。",
        "免试就近 电脑分班 招生",
        11,
    ),
    EntrySeed(
        "关于对违规教育教学行为实行一票否决制度的规定",
        EDUCATION,
        "education-ethics",
        G.REGULATION,
        datetime.date(2006, 5, 15),
        "西教发〔2006〕7号",
        "对体罚变相体罚学生、乱办班、乱收费等教育违规行为实行一票否决；有举报必查实，"
        "有违规必惩处，公布举报投诉电话。",
        "师德 一票否决 乱收费 举报 投诉",
        11,
    ),
    EntrySeed(
        "社区卫生服务中心收费标准、药品价格和救助政策公开",
        HEALTH,
        "health-prices",
        G.PUBLIC_NOTICE,
        datetime.date(2006, 5, 29),
        "",
        "社区卫生服务中心实行收费标准公开、药品价格公开、救助政策公开、内部管理制度和服务承诺公开；"
        "24小时值班，10分钟呼叫到达。",
        "收费标准 药品价格 救助政策 社区卫生",
        8,
    ),
    EntrySeed(
        "区卫生局局属事业单位“四公开”制度",
        HEALTH,
        "health-community",
        G.REGULATION,
        datetime.date(2006, 4, 24),
        "西卫发〔2006〕3号",
        "医院、妇幼保健院、卫生监督所、防治站实行办事程序公开、服务项目公开、收费标准公开、"
        "服务时限和服务承诺公开。",
        "四公开 收费标准 服务承诺",
        5,
    ),
    EntrySeed(
        "卫生行政处罚程序及标准",
        HEALTH_SUPERVISION,
        "health-supervision",
        G.PUBLIC_NOTICE,
        datetime.date(2006, 6, 12),
        "",
        "公开卫生执法人员工作职责、行政处罚程序及标准，接受投诉和社会监督。",
        "行政处罚 卫生执法 投诉",
        6,
    ),
    EntrySeed(
        "关于开展行政许可服务事项、办事程序、服务承诺专项检查清理和整顿活动的通知",
        OFFICE,
        "market-licensing",
        G.NOTICE,
        datetime.date(2006, 4, 6),
        "西政办发〔2006〕5号",
        "对直接与企业和居民密切相关的服务事项优化工作流程和办理时限，向社会公开承诺服务内容、"
        "办理时限、收费标准和收费依据。",
        "行政许可 服务承诺 收费依据",
        5,
    ),
    EntrySeed(
        "西岗区年检制度改革工作方案",
        OFFICE,
        "market-licensing",
        G.PLAN,
        datetime.date(2006, 4, 20),
        "西政办发〔2006〕7号",
        "全区14个年检单位共有年检项目24个，保留24个，没有新增项目；简化年检程序，加强年检收费管理。",
        "年检 年检收费",
        5,
    ),
    EntrySeed(
        "关于开展治理乱收费、乱罚款、乱摊派自查工作的通知",
        SUPERVISION,
        "finance-fees",
        G.NOTICE,
        datetime.date(2006, 5, 10),
        "西监发〔2006〕3号",
        "对照行政许可法对收费项目认真排查，凡没有法律、法规和规章依据的收费项目一律取消，"
        "强化行政许可收费公开公示。",
        "三乱 乱收费 行政许可法 收费公示",
        8,
    ),
    EntrySeed(
        "西岗区效能投诉中心2006年上半年投诉受理和处理情况",
        SUPERVISION,
        "supervision-complaints",
        G.REPORT,
        datetime.date(2006, 7, 10),
        "",
        "上半年接待效能投诉5件，逐件立案调查，已调查处理完毕4件，1件正在调查；"
        "对存在问题的单位和个人进行了批评和训诫。",
        "效能投诉 立案 调查处理",
        15,
    ),
    EntrySeed(
        "关于聘请特邀监督员对行政服务中心窗口明查暗访的通知",
        SUPERVISION,
        "supervision-inspectors",
        G.NOTICE,
        datetime.date(2006, 3, 30),
        "西监发〔2006〕1号",
        "聘请社会各界36位特邀监督员和市、区人大代表、政协委员，对行政服务中心各服务窗口明查暗访、"
        "监督评议。",
        "特邀监督员 明查暗访 监督评议",
        15,
    ),
    EntrySeed(
        "西岗区行政服务中心投诉登记和处理制度",
        SERVICE_CENTRE,
        "supervision-complaints",
        G.REGULATION,
        datetime.date(2006, 5, 16),
        "",
        "设立投诉窗口，对投诉的方法、受理和处理作出明确规定，做到事事有回音、件件有着落。",
        "投诉窗口 投诉登记 事事有回音",
        15,
    ),
    EntrySeed(
        "“星级服务窗口”评比办法",
        SERVICE_CENTRE,
        "general-efficiency",
        G.REGULATION,
        datetime.date(2006, 6, 1),
        "",
        "采取日常考核、企业居民评议、特邀监督员检查、测评等方式评选星级服务窗口，"
        "与窗口工作人员的评先、奖励、补贴、晋级挂钩。",
        "星级服务窗口 评议",
        5,
    ),
    EntrySeed(
        "关于对行政服务中心硬件设备进行招标更新的公告",
        ASSETS,
        "finance-procurement",
        G.ANNOUNCEMENT,
        datetime.date(2006, 6, 19),
        "",
        "对行政服务中心硬件设备进行招标更新、升级，网络带宽由2兆升级为4兆。",
        "政府采购 招标",
        9,
    ),
    EntrySeed(
        "网上并联审批系统二期升级改造方案",
        INFO,
        "general-efficiency",
        G.PLAN,
        datetime.date(2006, 6, 26),
        "",
        "升级网上并联审批系统，重点完善网上查询、网上投诉系统，增强系统运行的稳定性和安全性。",
        "并联审批 网上投诉",
        5,
    ),
    EntrySeed(
        "2006年1-6月行政服务中心办件统计",
        SERVICE_CENTRE,
        "economy-statistics",
        G.STATISTICS,
        datetime.date(2006, 7, 5),
        "",
        "提供政策法规、经济信息等咨询75,095件，受理事项60,351件，办结事项59,388件，办结率98%。",
        "办件统计 办结率",
        4,
    ),
    EntrySeed(
        "关于协调解决拖欠、克扣农民工工资问题的通知",
        LABOUR,
        "labour-wages",
        G.NOTICE,
        datetime.date(2006, 6, 20),
        "西劳发〔2006〕5号",
        "组织监察局、劳动局等部门深入调查，协调解决拖欠、克扣农民工工资问题，公布投诉举报电话。",
        "农民工工资 投诉举报",
        11,
    ),
    EntrySeed(
        "关于开展政府信息公开目录和公开指南编制工作的通知",
        OFFICE,
        "general-open",
        G.NOTICE,
        datetime.date(2006, 7, 14),
        "西政办发〔2006〕15号",
        "按照市政务公开领导小组的安排，成立编制工作领导小组，全面启动全区政府信息目录和"
        "政府信息公开指南的编制工作。",
        "政府信息公开目录 公开指南",
        15,
    ),
    EntrySeed(
        "西岗区民营中小企业“绿色通道”服务指南",
        SERVICE_CENTRE,
        "market-sme",
        G.GUIDE,
        datetime.date(2006, 6, 28),
        "",
        "对涉及两个以上环节和部门办理的事项，第一个受理的部门明确专人无偿代办，不推、不拖、早办、快办。",
        "绿色通道 全程代理 中小企业",
        5,
    ),
)

# Withdrawn, repealed, late and unfinished entries, so every state shows in the demo.
SPECIAL_ENTRIES: tuple[EntrySeed, ...] = (
    EntrySeed(
        "关于调整中小学代办费收费项目的通知",
        EDUCATION,
        "education-fees",
        G.NOTICE,
        datetime.date(2005, 8, 15),
        "西教发〔2005〕11号",
        "调整中小学代办费收费项目和标准。",
        "代办费 收费",
        8,
        withdraw_reason="所列收费项目未经物价部门批准，依据《关于开展治理乱收费自查工作的通知》撤回。",
    ),
    EntrySeed(
        "西岗区2007年春季学校收费项目公示（第一版）",
        EDUCATION,
        "education-fees",
        G.PUBLIC_NOTICE,
        datetime.date(2007, 2, 26),
        "",
        "公示2007年春季学期中小学收费项目和标准。",
        "学校收费 公示",
        8,
        withdraw_reason="公示表中个别收费标准有误，已更正后重新发布。",
    ),
    EntrySeed(
        "西岗区2007年春季学校收费项目公示",
        EDUCATION,
        "education-fees",
        G.PUBLIC_NOTICE,
        datetime.date(2007, 3, 2),
        "",
        "更正后的2007年春季学期中小学收费项目和标准，接受家长监督和投诉。",
        "学校收费 公示 投诉",
        8,
    ),
    EntrySeed(
        "关于2008年行政服务中心窗口人员临时调整的公告",
        SERVICE_CENTRE,
        "general-efficiency",
        G.ANNOUNCEMENT,
        datetime.date(2008, 3, 3),
        "",
        "公告行政服务中心部分窗口人员的临时调整。",
        "窗口",
        5,
        withdraw_reason="内容属于内部人事安排，依据《政府信息公开条例》第十六条不应主动公开，予以撤回。",
    ),
    EntrySeed(
        "西岗区行政事业性收费管理暂行办法",
        FINANCE,
        "finance-fees",
        G.NORMATIVE_DOCUMENT,
        datetime.date(2004, 9, 6),
        "西财发〔2004〕9号",
        "规范全区行政事业性收费项目的设立、公示和票据管理。",
        "行政事业性收费 收费公示",
        8,
    ),
    EntrySeed(
        "西岗区行政事业性收费管理办法",
        FINANCE,
        "finance-fees",
        G.NORMATIVE_DOCUMENT,
        datetime.date(2009, 11, 16),
        "西财发〔2009〕14号",
        "全面规范行政事业性收费，收费项目、依据和标准一律向社会公开，接受投诉举报；"
        "《西岗区行政事业性收费管理暂行办法》同时废止。",
        "行政事业性收费 收费公开 投诉",
        8,
        repeals=("西岗区行政事业性收费管理暂行办法",),
    ),
    EntrySeed(
        "西岗区效能投诉受理和处理暂行规定",
        SUPERVISION,
        "supervision-complaints",
        G.REGULATION,
        datetime.date(2005, 3, 1),
        "西监发〔2005〕2号",
        "规定效能投诉的受理范围、办理时限和处理方式。",
        "效能投诉",
        15,
    ),
    EntrySeed(
        "西岗区效能投诉受理和处理规定（2012年修订）",
        SUPERVISION,
        "supervision-complaints",
        G.REGULATION,
        datetime.date(2012, 4, 9),
        "西监发〔2012〕3号",
        "修订效能投诉的受理、调查、处理和答复程序；原暂行规定同时废止。",
        "效能投诉 答复",
        15,
        repeals=("西岗区效能投诉受理和处理暂行规定",),
    ),
    EntrySeed(
        "2013年社区卫生服务中心收费项目调整说明",
        HEALTH,
        "health-prices",
        G.NOTICE,
        datetime.date(2013, 1, 7),
        "",
        "社区卫生服务中心部分收费项目调整的说明（迟于规定时限发布）。",
        "收费项目 社区卫生",
        8,
        delay_days=60,
    ),
    EntrySeed(
        "2015年区级部门预算公开说明",
        FINANCE,
        "finance-budget",
        G.REPORT,
        datetime.date(2015, 3, 2),
        "",
        "2015年区级部门预算收支情况说明（迟于规定时限发布）。",
        "部门预算",
        7,
        delay_days=45,
    ),
    EntrySeed(
        "关于2026年学校收费项目和标准的公示（征求意见稿）",
        EDUCATION,
        "education-fees",
        G.PUBLIC_NOTICE,
        datetime.date(2026, 11, 2),
        "",
        "2026年学校收费项目和标准征求意见稿，待保密审查。",
        "学校收费 征求意见",
        8,
        in_review=True,
    ),
    EntrySeed(
        "西岗区2027年政务公开工作要点（草稿）",
        OFFICE,
        "general-open",
        G.PLAN,
        datetime.date(2026, 11, 20),
        "",
        "2027年政务公开工作要点草稿。",
        "政务公开",
        15,
        draft=True,
    ),
)

# Generated entries: what each department publishes year after year (收费 and 投诉 among them).
ROUTINE: dict[str, tuple[tuple[str, str, str, int | None], ...]] = {
    ROOT: (
        ("{year}年西岗区人民政府工作报告", "general", G.REPORT, 3),
        ("西岗区{year}年国民经济和社会发展计划", "economy-plans", G.PLAN, 3),
        ("关于做好{year}年防汛工作的通知", "security-emergency", G.NOTICE, 12),
    ),
    OFFICE: (
        ("西岗区{year}年政务公开工作要点", "general-open", G.PLAN, 2),
        ("西岗区{year}年政府信息公开工作年度报告", "general-open", G.REPORT, 15),
        ("关于做好{year}年安全生产工作的通知", "security-safety", G.NOTICE, 13),
    ),
    EDUCATION: (
        ("西岗区{year}年中小学收费项目和标准公示", "education-fees", G.PUBLIC_NOTICE, 8),
        ("西岗区{year}年小学招生工作实施方案", "education-enrolment", G.PLAN, 11),
        ("{year}年教育乱收费举报投诉电话公告", "education-fees", G.ANNOUNCEMENT, 8),
    ),
    HEALTH: (
        ("{year}年社区卫生服务中心服务项目和收费标准", "health-prices", G.PUBLIC_NOTICE, 8),
        ("西岗区{year}年基本公共卫生服务项目实施方案", "health-community", G.PLAN, 11),
    ),
    HEALTH_SUPERVISION: (
        ("{year}年公共场所卫生监督抽检结果公告", "health-supervision", G.ANNOUNCEMENT, 13),
    ),
    FINANCE: (
        ("西岗区{year}年财政预算执行情况报告", "finance-budget", G.REPORT, 7),
        ("西岗区{year}年行政事业性收费项目目录", "finance-fees", G.PUBLIC_NOTICE, 8),
    ),
    SUPERVISION: (("{year}年效能投诉受理情况通报", "supervision-complaints", G.BULLETIN, 15),),
    LABOUR: (
        ("西岗区{year}年促进就业工作实施意见", "labour-employment", G.OPINION, 11),
        ("{year}年劳动保障监察投诉举报处理情况", "labour-wages", G.REPORT, 15),
    ),
    SERVICE_CENTRE: (
        ("行政服务中心{year}年服务事项及收费标准目录", "market-licensing", G.GUIDE, 5),
        ("{year}年行政服务中心办件统计和群众投诉处理情况", "economy-statistics", G.STATISTICS, 4),
    ),
    PERSONNEL: (("西岗区{year}年公开招录公务员公告", "general", G.ANNOUNCEMENT, 14),),
}
ROUTINE_YEARS = range(2004, 2027)
TARGET_ROUTINE = 150


def _official(username: str, first_name: str, group: str, codenames: tuple[str, ...]):  # noqa: ANN202
    """A demo official (no usable password) in a group holding the catalogue `codenames`."""
    group_obj, _created = Group.objects.get_or_create(name=group)
    group_obj.permissions.add(
        *Permission.objects.filter(content_type__app_label="disclosure", codename__in=codenames)
    )
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": first_name, "is_staff": True}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    user.groups.add(group_obj)
    return get_user_model().objects.get(pk=user.pk)  # a fresh copy: has_perm caches


def load_topics() -> dict[str, Topic]:
    """The two-level topic tree; idempotent (keyed on code)."""
    topics: dict[str, Topic] = {}
    for order, (code, name, children) in enumerate(TOPICS, start=1):
        parent, _created = Topic.objects.get_or_create(
            code=code, defaults={"name": name, "sort_order": order}
        )
        topics[code] = parent
        for child_order, (child_code, child_name) in enumerate(children, start=1):
            topics[child_code], _created = Topic.objects.get_or_create(
                code=child_code,
                defaults={"name": child_name, "parent": parent, "sort_order": child_order},
            )
    return topics


def _routine_seeds() -> list[EntrySeed]:
    """About 150 yearly entries spread over departments, topics and years (deterministic)."""
    rng = random.Random(2006)  # noqa: S311 - demo data, not security
    candidates = [
        (publisher, template, year)
        for publisher, templates in ROUTINE.items()
        for template in templates
        for year in ROUTINE_YEARS
    ]
    chosen = sorted(rng.sample(candidates, TARGET_ROUTINE), key=lambda c: (c[2], c[0], c[1][0]))
    seeds = []
    for publisher, (title, topic, genre, art20), year in chosen:
        month = rng.randint(1, 11 if year == 2026 else 12)
        formed = datetime.date(year, month, rng.randint(1, 28))
        subject = title.format(year=year)
        seeds.append(
            EntrySeed(
                subject,
                publisher,
                topic,
                genre,
                formed,
                summary=f"{publisher}发布《{subject}》，内容涉及群众关心的办事程序、收费标准和投诉渠道，"
                "欢迎社会各界监督。"
                if "收费" in subject or "投诉" in subject
                else f"{publisher}发布《{subject}》，现予公开。",
                keywords=" ".join(w for w in ("收费", "投诉", "公示") if w in subject),
                art20_item=art20,
                delay_days=rng.choice((2, 3, 5, 7, 10, 14)),
            )
        )
    return seeds


def _normative_seeds() -> list[EntrySeed]:
    """The 10 normative documents the 法制办 filed in 2006 (titles from the entities demo)."""
    topic_for = {
        EDUCATION: "education-fees",
        HEALTH: "health-community",
        SUPERVISION: "supervision-complaints",
        LEGAL: "general-rule-of-law",
    }
    return [
        EntrySeed(
            seed.title,
            seed.publisher,
            topic_for.get(seed.publisher, "general-efficiency"),
            G.NORMATIVE_DOCUMENT,
            seed.issued,
            seed.document_no,
            f"《{seed.title}》经区政府法制办合法性审查并备案，现予公布施行。",
            "规范性文件 备案",
            1,
            delay_days=6,
        )
        for seed in NORMATIVE_DOCUMENTS
    ]


def _body(seed: EntrySeed, publisher: AdministrativeEntity) -> str:
    paragraphs = [
        seed.summary or seed.title,
        "请各有关单位认真贯彻执行。执行中如有问题或投诉，请与"
        f"{publisher.name}联系，电话{publisher.phone or '0411-83630000'}。",
    ]
    return "".join(f"<p>{text}</p>" for text in paragraphs)


def _publication_date(seed: EntrySeed) -> datetime.date:
    """The day the entry went out: some days after forming, never in the future."""
    return min(seed.formed + datetime.timedelta(days=seed.delay_days), timezone.localdate())


def _load_entry(seed: EntrySeed, *, topics: dict[str, Topic], author, reviewer) -> str:  # noqa: ANN001
    """Create and take one entry as far as its seed says; returns what happened."""
    publisher = AdministrativeEntity.objects.filter(name=seed.publisher).first()
    if publisher is None:
        return "missing publisher"
    if CatalogueEntry.objects.filter(title=seed.title, publisher=publisher).exists():
        return "exists"
    repeals = list(CatalogueEntry.objects.filter(title__in=seed.repeals, publisher=publisher))
    entry = catalogue_entry_create(
        by=author,
        publisher=publisher,
        title=seed.title,
        formed_date=seed.formed,
        fields={
            "summary": seed.summary,
            "body": _body(seed, publisher),
            "document_no": seed.document_no,
            "topic": topics[seed.topic],
            "genre": seed.genre,
            "keywords": seed.keywords,
            "art20_item": seed.art20_item,
            "validity": seed.validity,
            "repeals": repeals,
        },
    )
    if seed.draft:
        return "draft"
    catalogue_entry_submit_for_review(entry=entry, by=author, note="请进行保密审查")
    if seed.in_review:
        return "in review"
    catalogue_entry_publish(
        entry=entry,
        by=reviewer,
        note="经保密审查，同意主动公开",
        published_date=_publication_date(seed),
    )
    if seed.withdraw_reason:
        catalogue_entry_withdraw(entry=entry, by=reviewer, reason=seed.withdraw_reason)
        return "withdrawn"
    return "published"


def load(*, out: TextIO) -> None:
    """Load the demo catalogue; a second run adds nothing."""
    topics = load_topics()
    author = _official(
        "xg_xinxi_bianji",
        "王晓燕",
        "政府信息编辑",
        ("add_catalogueentry", "change_catalogueentry"),
    )
    reviewer = _official(
        "xg_xinxi_shencha",
        "刘志强",
        "政府信息保密审查和发布",
        (
            "change_catalogueentry",
            "review_catalogueentry",
            "publish_catalogueentry",
            "withdraw_catalogueentry",
        ),
    )
    # Older first, so that an entry which repeals another finds it published.
    seeds = sorted(
        [*SEED_ENTRIES, *_normative_seeds(), *_routine_seeds(), *SPECIAL_ENTRIES],
        key=lambda seed: (seed.formed, seed.title),
    )
    outcomes: dict[str, int] = {}
    for seed in seeds:
        outcome = _load_entry(seed, topics=topics, author=author, reviewer=reviewer)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    summary = ", ".join(f"{name}: {count}" for name, count in sorted(outcomes.items()))
    out.write(
        f"Catalogue: {Topic.objects.count()} topics, "
        f"{CatalogueEntry.objects.count()} entries ({summary}).\n"
    )
    load_normative_filings(out)
