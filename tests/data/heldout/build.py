"""Build the held-out evaluation set for the label -> data element matcher.

Written before any tuning and independently of the shared samples: the templates are
modelled on the kinds of forms county departments send to villages and townships (民政、
卫健、人社、医保、应急管理、退役军人、组织、农业农村、统计、教育、乡村振兴), with title and
note rows, two-level merged headers, 其中 sub-items, units in full-width and ASCII
parentheses or only in a note row, filler and code columns, a column-code row, and one
vertical statistical form. The same concept is worded differently across files, and true
near-misses (户籍 vs 常住, 户数 vs 人数, 60 vs 65 岁, 其中 vs total, 党员 vs 预备党员,
本月/本季 vs 本年累计, 医疗 vs 养老保险) are given different concepts.

Run `python tests/data/heldout/build.py`; it writes the XLSX files and truth.json (same
format as samples/reports/truth.json) next to itself.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

HERE = Path(__file__).resolve().parent

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


@dataclass(frozen=True)
class Col:
    label: str
    concept: str


@dataclass(frozen=True)
class Group:
    label: str
    columns: tuple[Col, ...]


@dataclass
class Horizontal:
    filename: str
    title: str
    owner: str
    frequency: str
    level: str
    header: list[Col | Group]
    notes_above: list[str | tuple[str, str]] = field(default_factory=list)
    notes_below: list[str] = field(default_factory=list)
    code_row: bool = False  # 甲/乙 for text columns, 1, 2, ... for figures
    total_row: bool = False  # a 合计 row under the header
    blank_rows: int = 6
    extra_sheet: tuple[str, list[str]] | None = None


@dataclass(frozen=True)
class Indicator:
    label: str
    code: str
    unit: str
    concept: str


@dataclass
class Vertical:
    filename: str
    title: str
    owner: str
    frequency: str
    level: str
    indicators: list[Indicator]
    corner: list[str]  # 表号 / 制定机关 / 有效期 lines at the top right
    notes_above: list[str]
    notes_below: list[str]


META = "META"
ORG_NAME = "ORG_NAME"
ORG_CODE = "ORG_CODE"

TEMPLATES: list[Horizontal | Vertical] = [
    Horizontal(
        filename="h01_minzheng_jiuzhu_quarterly.xlsx",
        title="城乡最低生活保障及特困人员救助供养情况季报表",
        owner="县民政局",
        frequency="quarterly",
        level="village",
        notes_above=[("填报单位：（盖章）", "2025年第  季度"), ("", "单位：户、人、人次")],
        header=[
            Col("村（居）名称", ORG_NAME),
            Group(
                "最低生活保障",
                (
                    Col("保障户数（户）", "DIBAO_HH"),
                    Col("保障人数（人）", "DIBAO_P"),
                    Col("其中：60周岁以上老年人（人）", "DIBAO_ELDER_60"),
                ),
            ),
            Group("特困人员救助供养", (Col("集中供养人数（人）", "TEKUN_CENTRAL"),)),
            Group(
                "临时救助",
                (
                    Col("本季救助人次（人次）", "TEMP_RELIEF_QUARTER"),
                    Col("本年累计救助人次（人次）", "TEMP_RELIEF_YTD"),
                ),
            ),
            Col("填报人", META),
            Col("联系电话", META),
        ],
        total_row=True,
        notes_below=[
            "注：1.本表由村（居）委会填报，乡镇（街道）民政办审核汇总；2.保障人数含户内全部保障对象。"
        ],
    ),
    Horizontal(
        filename="h02_weijian_gongwei_quarterly.xlsx",
        title="村（社区）基本公共卫生服务项目进度季报",
        owner="县卫生健康局",
        frequency="quarterly",
        level="village",
        notes_above=["填报单位（签章）：                         报告期：    年第  季度"],
        header=[
            Col("村（社区）名称", ORG_NAME),
            Col("常住人口数（人）", "POP_RES"),
            Col("65岁及以上老年人数（人）", "POP_65"),
            Col("其中：本季度接受健康管理（人）", "ELDER65_HEALTH_MGMT"),
            Col("0～6岁儿童数(人)", "CHILD_0_6"),
            Col("参加城乡居民医疗保险人数（人）", "MEDICAL_INS"),
            Col("家庭医生签约人数（人）", "FAMILY_DOCTOR"),
            Col("填报人", META),
            Col("填报日期", META),
        ],
    ),
    Horizontal(
        filename="h03_renshe_shebao_halfyear.xlsx",
        title="城乡居民社会保险参保情况统计表（半年报）",
        owner="县人力资源和社会保障局",
        frequency="half_yearly",
        level="village",
        notes_above=[("乡镇（街道）：", "截至    年  月  日")],
        header=[
            Col("村名", ORG_NAME),
            Col("行政区划代码", ORG_CODE),
            Col("户口登记人口（人）", "POP_REG"),
            Group(
                "城乡居民基本养老保险",
                (
                    Col("应参保人数（人）", "PENSION_SHOULD"),
                    Col("实际参保人数（人）", "PENSION_INS"),
                    Col("其中：领取待遇人数（人）", "PENSION_RECEIVING"),
                ),
            ),
            Group(
                "城乡居民基本医疗保险",
                (Col("参保人数(人)", "MEDICAL_INS"), Col("参保率（%）", "MEDICAL_INS_RATE")),
            ),
            Col("农村劳动力转移就业人数（人）", "LABOR_TRANSFER"),
            Col("填报人", META),
        ],
        extra_sheet=(
            "填表说明",
            [
                "1.应参保人数指年满16周岁、不在校、未参加职工养老保险的户籍人员。",
                "2.参保率=参保人数÷应参保人数×100%。",
                "3.行政区划代码填写12位统计用区划代码。",
            ],
        ),
    ),
    Horizontal(
        filename="h04_yingji_fengxian_yearly.xlsx",
        title="村（社区）自然灾害风险隐患和应急力量基本情况表",
        owner="县应急管理局",
        frequency="yearly",
        level="village",
        notes_above=[("填报单位：", "填报时间：    年  月  日")],
        header=[
            Col("村（社区）名称", ORG_NAME),
            Col("统一社会信用代码", ORG_CODE),
            Col("年末常住人口（人）", "POP_RES"),
            Col("户籍总户数（户）", "HH_REG"),
            Group(
                "需转移避险的重点人群",
                (
                    Col("60岁以上老年人（人）", "POP_60"),
                    Col("持证残疾人数（人）", "DISABLED"),
                ),
            ),
            Col("地质灾害隐患点（处）", "GEOHAZARD_SITES"),
            Col("应急避难场所（个）", "SHELTERS"),
            Col("填报日期", META),
        ],
    ),
    Horizontal(
        filename="h05_tuiyi_youfu_yearly.xlsx",
        title="退役军人和其他优抚对象基本情况统计表",
        owner="县退役军人事务局",
        frequency="yearly",
        level="village",
        notes_above=[("填报单位：        乡镇（街道）退役军人服务站", "单位：名、人")],
        header=[
            Col("序号", META),
            Col("村（居）委会", ORG_NAME),
            Col("退役军人总数", "VETERANS"),
            Col("其中：中共党员", "VET_PARTY"),
            Col("其中：参战参试退役军人", "VET_COMBAT"),
            Col("烈士遗属", "MARTYR_FAMILY"),
            Col("困难退役军人", "VET_HARDSHIP"),
            Col("填报人", META),
            Col("联系方式", META),
        ],
    ),
    Horizontal(
        filename="h06_zuzhi_dangyuan_yearly.xlsx",
        title="村（社区）党组织和党员队伍情况统计表",
        owner="县委组织部",
        frequency="yearly",
        level="village",
        notes_above=["统计时间截至：    年12月31日"],
        header=[
            Col("村（社区）党组织名称", ORG_NAME),
            Group(
                "党员队伍",
                (
                    Col("党员总数（名）", "PARTY"),
                    Col("其中：预备党员（名）", "PARTY_PROBATION"),
                    Col("女性党员（名）", "PARTY_FEMALE"),
                    Col("60岁以上党员（名）", "PARTY_60"),
                ),
            ),
            Group("发展党员", (Col("本年发展党员（名）", "PARTY_NEW_YEAR"),)),
            Col("村级集体经济年收入（万元）", "COLL_INCOME"),
            Col("填报人", META),
        ],
    ),
    Horizontal(
        filename="h07_nongye_jingji_yearly.xlsx",
        title="农村经济收益分配统计年报",
        owner="县农业农村局",
        frequency="yearly",
        level="village",
        notes_above=[("填报单位：", "    年度")],
        header=[
            Col("行政区划代码", ORG_CODE),
            Col("村名称", ORG_NAME),
            Col("年末总户数（户）", "HH_REG"),
            Col("年末户籍人口（人）", "POP_REG"),
            Col("乡村从业人员（人）", "RURAL_WORKERS"),
            Col("其中：外出务工劳动力（人）", "MIGRANT"),
            Col("实有耕地面积（公顷）", "FARMLAND"),
            Col("粮食作物播种面积（公顷）", "GRAIN_AREA"),
            Col("村级集体经济总收入(万元)", "COLL_INCOME"),
            Col("其中：经营收入(万元)", "COLL_OPER_INCOME"),
            Col("农村居民人均可支配收入（元）", "INCOME_PC"),
        ],
        code_row=True,
        notes_below=[
            "单位负责人：          统计负责人：          填表人：          报出日期：    年  月  日"
        ],
    ),
    Vertical(
        filename="h08_tongji_xiangzhen_vertical_yearly.xlsx",
        title="乡镇（街道）社会经济基本情况",
        owner="县统计局",
        frequency="yearly",
        level="township",
        corner=["表    号：Z 1 0 1 表", "制定机关：县统计局", "有效期至：2026年12月"],
        notes_above=["综合机关名称：                              20  年"],
        indicators=[
            Indicator("村民委员会个数", "01", "个", "ADMIN_VILLAGES"),
            Indicator("年末户籍户数", "02", "户", "HH_REG"),
            Indicator("年末户籍人口", "03", "人", "POP_REG"),
            Indicator("其中：乡村人口", "04", "人", "POP_RURAL"),
            Indicator("年末常住人口", "05", "万人", "POP_RES"),
            Indicator("60周岁及以上人口", "06", "人", "POP_60"),
            Indicator("65周岁及以上人口", "07", "人", "POP_65"),
            Indicator("外出从业人员", "08", "人", "MIGRANT"),
            Indicator("耕地面积", "09", "亩", "FARMLAND"),
            Indicator("一般公共预算收入", "10", "万元", "FISCAL_REVENUE"),
            Indicator("农村居民人均可支配收入", "11", "元", "INCOME_PC"),
        ],
        notes_below=[
            "单位负责人：          统计负责人：          填表人：          报出日期：    年  月  日",
            "说明：本表由乡镇（街道）统计站填报，次年1月20日前报县统计局。",
        ],
    ),
    Horizontal(
        filename="h09_jiaoyu_kongchuo_halfyear.xlsx",
        title="村（社区）适龄儿童少年控辍保学情况统计表（半年报）",
        owner="县教育局",
        frequency="half_yearly",
        level="village",
        notes_above=[("填报单位：", "    学年第  学期")],
        header=[
            Col("村（社区）", ORG_NAME),
            Col("户籍人口数（人）", "POP_REG"),
            Col("6～14周岁适龄儿童少年（人）", "SCHOOL_AGE_6_14"),
            Col("其中：在校就读（人）", "ENROLLED"),
            Col("残疾儿童少年（人）", "DISABLED_CHILD"),
            Col("农村留守儿童（人）", "LEFTBEHIND_CHILD"),
            Col("填报人", META),
            Col("联系电话", META),
        ],
    ),
    Horizontal(
        filename="h10_xiangcun_jiance_monthly.xlsx",
        title="脱贫人口和防止返贫监测对象动态监测月报",
        owner="县乡村振兴局",
        frequency="monthly",
        level="village",
        notes_above=[("填报单位：", "    年  月"), ("", "单位：户、人")],
        header=[
            Col("村名", ORG_NAME),
            Group(
                "脱贫户",
                (Col("脱贫户数（户）", "POOR_OUT_HH"), Col("脱贫人口数（人）", "POOR_OUT_P")),
            ),
            Group(
                "防止返贫监测对象",
                (
                    Col("监测户数（户）", "MONITOR_HH"),
                    Col("监测人口（人）", "MONITOR_P"),
                    Col("其中：本月新识别（户）", "MONITOR_NEW_MONTH"),
                    Col("本年累计消除风险（户）", "MONITOR_CLEARED_YTD"),
                ),
            ),
            Col("脱贫劳动力外出务工人数（人）", "POOR_LABOR_MIGRANT"),
            Col("享受低保的脱贫人口（人）", "POOR_ON_DIBAO"),
            Col("填报日期", META),
        ],
    ),
    Horizontal(
        filename="h11_yibao_canbao_monthly.xlsx",
        title="城乡居民医疗保险参保缴费进度月报表",
        owner="县医疗保障局",
        frequency="monthly",
        level="village",
        notes_above=[("填报单位：            乡镇（街道）", "    年  月")],
        header=[
            Col("村（居）", ORG_NAME),
            Col("户籍总人口（人）", "POP_REG"),
            Col("应参保人数（人）", "MEDICAL_SHOULD"),
            Col("城乡居民基本医疗保险参保人数（人）", "MEDICAL_INS"),
            Col("参保率(%)", "MEDICAL_INS_RATE"),
            Col("城乡低保对象人数（人）", "DIBAO_P"),
            Col("填报人", META),
            Col("联系电话", META),
        ],
    ),
]


def leaf_columns(header: list[Col | Group]) -> list[Col]:
    return [c for item in header for c in (item.columns if isinstance(item, Group) else (item,))]


def write_notes(sheet: Worksheet, row: int, width: int, note: str | tuple[str, str]) -> None:
    if isinstance(note, tuple):
        left, right = note
        split = max(1, width // 2)
        sheet.cell(row, 1, left or None)
        sheet.cell(row, split + 1, right or None).alignment = Alignment(horizontal="right")
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=split)
        sheet.merge_cells(start_row=row, start_column=split + 1, end_row=row, end_column=width)
    else:
        sheet.cell(row, 1, note)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def write_title(sheet: Worksheet, width: int, title: str) -> None:
    cell = sheet.cell(1, 1, title)
    cell.font = Font(name="宋体", size=16, bold=True)
    cell.alignment = CENTER
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.row_dimensions[1].height = 30


def build_horizontal(spec: Horizontal) -> Workbook:
    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    leaves = leaf_columns(spec.header)
    width = len(leaves)
    write_title(sheet, width, spec.title)
    row = 2
    for note in spec.notes_above:
        write_notes(sheet, row, width, note)
        row += 1

    two_levels = any(isinstance(item, Group) for item in spec.header)
    top = row
    column = 1
    for item in spec.header:
        if isinstance(item, Group):
            sheet.cell(top, column, item.label)
            end = column + len(item.columns) - 1
            if end > column:
                sheet.merge_cells(start_row=top, start_column=column, end_row=top, end_column=end)
            for offset, child in enumerate(item.columns):
                sheet.cell(top + 1, column + offset, child.label)
            column = end + 1
        else:
            sheet.cell(top, column, item.label)
            if two_levels:
                sheet.merge_cells(
                    start_row=top, start_column=column, end_row=top + 1, end_column=column
                )
            column += 1
    header_rows = 2 if two_levels else 1
    row = top + header_rows

    if spec.code_row:
        figure, letters = 1, iter("甲乙丙丁戊己庚辛")
        for index, leaf in enumerate(leaves, start=1):
            if leaf.concept in (ORG_NAME, ORG_CODE, META):
                sheet.cell(row, index, next(letters))
            else:
                sheet.cell(row, index, figure)
                figure += 1
        row += 1
    if spec.total_row:
        name_column = next(i for i, c in enumerate(leaves, start=1) if c.concept == ORG_NAME)
        sheet.cell(row, name_column, "合计")
        row += 1
    last_table_row = row + spec.blank_rows - 1

    for r in range(top, last_table_row + 1):
        for c in range(1, width + 1):
            cell = sheet.cell(r, c)
            cell.border = BOX
            if r < top + header_rows:
                cell.alignment = CENTER
                cell.font = Font(name="宋体", size=10, bold=True)
    for c in range(1, width + 1):
        sheet.column_dimensions[get_column_letter(c)].width = 14

    row = last_table_row + 1
    for note in spec.notes_below:
        write_notes(sheet, row, width, note)
        row += 1

    if spec.extra_sheet:
        name, lines = spec.extra_sheet
        extra = book.create_sheet(name)
        for index, line in enumerate(lines, start=1):
            extra.cell(index, 1, line)
    return book


def build_vertical(spec: Vertical) -> Workbook:
    book = Workbook()
    sheet = book.active
    sheet.title = "Z101"
    width = 4
    write_title(sheet, width, spec.title)
    row = 2
    for line in spec.corner:
        sheet.cell(row, width, line).alignment = Alignment(horizontal="left")
        row += 1
    for note in spec.notes_above:
        write_notes(sheet, row, width - 1, note)
        row += 1
    top = row
    for c, text in enumerate(("指标名称", "代码", "计量单位", "数值"), start=1):
        sheet.cell(row, c, text)
    row += 1
    for c, text in enumerate(("甲", "乙", "丙", "1"), start=1):
        sheet.cell(row, c, text)
    row += 1
    for indicator in spec.indicators:
        sheet.cell(row, 1, indicator.label)
        sheet.cell(row, 2, indicator.code)
        sheet.cell(row, 3, indicator.unit)
        row += 1
    for r in range(top, row):
        for c in range(1, width + 1):
            sheet.cell(r, c).border = BOX
            sheet.cell(r, c).alignment = CENTER if c > 1 or r < top + 2 else Alignment()
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["D"].width = 22
    for note in spec.notes_below:
        write_notes(sheet, row, width, note)
        row += 1
    return book


def truth_entry(spec: Horizontal | Vertical) -> dict[str, object]:
    entry: dict[str, object] = {
        "title": spec.title,
        "owner": spec.owner,
        "frequency": spec.frequency,
        "level": spec.level,
    }
    if isinstance(spec, Vertical):
        entry["layout"] = "vertical"
        entry["columns"] = [
            {"label": i.label, "unit": i.unit, "concept": i.concept} for i in spec.indicators
        ]
    else:
        entry["columns"] = [
            {"label": c.label, "concept": c.concept} for c in leaf_columns(spec.header)
        ]
    return entry


def main() -> None:
    truth: dict[str, object] = {}
    for spec in TEMPLATES:
        book = build_horizontal(spec) if isinstance(spec, Horizontal) else build_vertical(spec)
        book.save(HERE / spec.filename)
        truth[spec.filename] = truth_entry(spec)
    (HERE / "truth.json").write_text(
        json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    columns = sum(len(entry["columns"]) for entry in truth.values())  # type: ignore[arg-type]
    print(f"wrote {len(truth)} templates, {columns} columns, to {HERE}")


if __name__ == "__main__":
    main()
