"""Build the second held-out set of grassroots report templates and its truth.json.

The templates imitate forms that county departments send to townships and villages
(乡村振兴, 应急管理, 自然资源, 市场监管, 残联, 医保, 公安, 统计, 组织, 政法, 卫健).
They were written without looking at the matcher or its element dictionary, so they
measure how label→concept matching does on wordings it has never seen.

Concept ids are local to this set; the evaluation is pairwise (two columns either mean
the same concept or they do not). ORG_NAME / ORG_CODE identify the reporting unit and
META marks filler or bookkeeping columns.

Run: .venv/bin/python tests/data/heldout2/build.py
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

OUT_DIR = Path(__file__).resolve().parent
FIXED_TIMESTAMP = dt.datetime(2024, 1, 1, 9, 0, 0)

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=False)
TITLE_FONT = Font(name="宋体", size=16, bold=True)
HEAD_FONT = Font(name="宋体", size=10, bold=True)
NOTE_FONT = Font(name="宋体", size=10)


@dataclass(frozen=True)
class Col:
    label: str
    concept: str
    section: str | None = None


@dataclass(frozen=True)
class Row:
    """One indicator row of a vertical (statistical) form."""

    label: str
    unit: str
    concept: str


@dataclass
class Template:
    filename: str
    title: str
    owner: str
    frequency: str
    level: str
    notes: list[str] = field(default_factory=list)
    columns: list[Col] = field(default_factory=list)
    footer: list[str] = field(default_factory=list)
    blank_rows: int = 3
    total_row: bool = False


@dataclass
class VerticalTemplate:
    filename: str
    title: str
    owner: str
    frequency: str
    level: str
    # Pairs of (left text, right text) printed above the table, as on official forms.
    note_pairs: list[tuple[str, str]]
    value_header: str
    rows: list[Row]
    footer: list[str] = field(default_factory=list)


HORIZONTAL: list[Template] = [
    Template(
        filename="h01_xiangcun_jiance_monthly.xlsx",
        title="防止返贫动态监测和帮扶工作情况月报表",
        owner="县农业农村局（县乡村振兴局）",
        frequency="monthly",
        level="village",
        notes=["填报单位（盖章）：            乡（镇）                          年    月"],
        columns=[
            Col("序号", "META"),
            Col("村名称", "ORG_NAME"),
            Col("总户数（户）", "HH_REG", "基本情况"),
            Col("户籍总人口（人）", "POP_REG", "基本情况"),
            Col("户数（户）", "POOR_HH", "脱贫户"),
            Col("人数（人）", "POOR_P", "脱贫户"),
            Col("户数（户）", "MONITOR_HH", "监测对象"),
            Col("人数（人）", "MONITOR_P", "监测对象"),
            Col("其中：本月新识别（户）", "MONITOR_NEW_HH", "监测对象"),
            Col("低保对象人数（人）", "DIBAO_P", "兜底保障"),
            Col("特困人员（人）", "TEKUN_P", "兜底保障"),
            Col("外出务工劳动力（人）", "MIGRANT"),
        ],
        footer=[
            "说明：1.“监测对象”指纳入防止返贫动态监测的脱贫不稳定户、边缘易致贫户和突发严重困难户；",
            "2.本表每月5日前报县乡村振兴局，数据截至上月末。",
        ],
        total_row=True,
    ),
    Template(
        filename="h02_yingji_township_monthly.xlsx",
        title="乡镇（街道）安全生产和自然灾害隐患排查治理情况月报",
        owner="县应急管理局",
        frequency="monthly",
        level="township",
        notes=["填报单位（盖章）：                              填报时间：    年  月  日"],
        columns=[
            Col("乡镇（街道）", "ORG_NAME"),
            Col("行政区划代码", "ORG_CODE"),
            Col("本月排查隐患（处）", "HAZARD_FOUND_M", "安全生产隐患排查"),
            Col("其中：重大隐患（处）", "HAZARD_MAJOR_M", "安全生产隐患排查"),
            Col("本月已整改（处）", "HAZARD_FIXED_M", "安全生产隐患排查"),
            Col("本年累计排查隐患（处）", "HAZARD_FOUND_YTD", "安全生产隐患排查"),
            Col("地质灾害隐患点（处）", "GEOHAZARD_POINTS", "自然灾害风险"),
            Col("应急避难场所（个）", "SHELTERS", "自然灾害风险"),
            Col("审核人", "META"),
        ],
    ),
    Template(
        filename="h03_ziranziyuan_gengdi_quarterly.xlsx",
        title="耕地和永久基本农田保护情况季报",
        owner="县自然资源局",
        frequency="quarterly",
        level="village",
        notes=["填报单位：                      （盖章）              年第  季度"],
        columns=[
            Col("村(社区)名称", "ORG_NAME"),
            Col("统一社会信用代码", "ORG_CODE"),
            Col("耕地面积(亩)", "FARMLAND"),
            Col("其中：永久基本农田(亩)", "BASIC_FARMLAND"),
            Col("撂荒地面积(亩)", "ABANDONED_LAND"),
            Col("本季度新发现违法占用耕地(宗)", "ILLEGAL_OCCUPY_Q"),
            Col("本年累计新发现违法占用耕地(宗)", "ILLEGAL_OCCUPY_YTD"),
            Col("填报人", "META"),
        ],
    ),
    Template(
        filename="h04_shichang_township_quarterly.xlsx",
        title="乡镇市场主体发展和食品安全监管情况季报",
        owner="县市场监督管理局",
        frequency="quarterly",
        level="township",
        notes=["报送单位：                    市场监管所                    年第  季度"],
        columns=[
            Col("乡镇", "ORG_NAME"),
            Col("市场主体总数（户）", "MARKET_ENTITIES"),
            Col("其中：个体工商户（户）", "INDIVIDUAL_BIZ"),
            Col("农民专业合作社（家）", "FARMER_COOPS"),
            Col("农村集贸市场（个）", "RURAL_MARKETS"),
            Col("本季度监督检查(户次)", "INSPECT_Q"),
            Col("本年累计监督检查(户次)", "INSPECT_YTD"),
            Col("联系电话", "META"),
        ],
    ),
    Template(
        filename="h05_canlian_quarterly.xlsx",
        title="村（社区）残疾人基本服务状况季报表",
        owner="县残疾人联合会",
        frequency="quarterly",
        level="village",
        notes=["填报单位：              乡镇（街道）残联                        单位：人、户"],
        columns=[
            Col("所属乡镇", "META"),
            Col("村（社区）", "ORG_NAME"),
            Col("持证残疾人", "DISABLED"),
            Col("其中：重度残疾人", "DISABLED_SEVERE"),
            Col("残疾人家庭户数", "DISABLED_HH"),
            Col("0-6岁残疾儿童", "DISABLED_CHILD_0_6"),
            Col("纳入低保的残疾人", "DISABLED_IN_DIBAO"),
            Col("残疾人专职委员", "DISABLED_COMMISSIONER"),
            Col("备注", "META"),
        ],
    ),
    Template(
        filename="h06_yibao_canbao_monthly.xlsx",
        title="城乡居民基本医疗保险参保扩面进度月报",
        owner="县医疗保障局",
        frequency="monthly",
        level="village",
        notes=["填报单位：                乡镇（街道）人社（医保）服务站          年    月"],
        columns=[
            Col("村（社区）名称", "ORG_NAME"),
            Col("户籍人口（人）", "POP_REG"),
            Col("应参保人数（人）", "MED_INS_TARGET"),
            Col("城乡居民基本医疗保险参保人数（人）", "MED_INS"),
            Col("其中：脱贫人口参保（人）", "MED_INS_POOR"),
            Col("低保对象参保（人）", "MED_INS_DIBAO"),
            Col("本月新增参保（人）", "MED_INS_NEW_M"),
            Col("填报人", "META"),
            Col("联系电话", "META"),
        ],
        footer=["注：应参保人数＝户籍人口－在校大学生－参加职工医保人员－已在外地参保人员。"],
    ),
    Template(
        filename="h07_gongan_renkou_yearly.xlsx",
        title="村（社区）人口情况统计表",
        owner="县公安局",
        frequency="yearly",
        level="village",
        notes=["填报单位：            派出所                     统计时间：    年12月31日"],
        columns=[
            Col("派出所", "META"),
            Col("村（居）委会", "ORG_NAME"),
            Col("区划代码", "ORG_CODE"),
            Col("户口登记户数（户）", "HH_REG", "户籍人口"),
            Col("户口登记人口（人）", "POP_REG", "户籍人口"),
            Col("其中：男（人）", "POP_REG_MALE", "户籍人口"),
            Col("0—17周岁（人）", "POP_0_17", "按年龄分"),
            Col("18—59周岁（人）", "POP_18_59", "按年龄分"),
            Col("60周岁及以上（人）", "POP_60", "按年龄分"),
            Col("登记流动人口（人）", "FLOAT_POP"),
        ],
    ),
    Template(
        filename="h08_zuzhi_cunji_yearly.xlsx",
        title="村级组织建设和干部队伍情况统计表",
        owner="县委组织部",
        frequency="yearly",
        level="village",
        notes=["填报单位（党委盖章）：                               截至    年12月31日"],
        columns=[
            Col("村名称", "ORG_NAME"),
            Col("统一社会信用代码", "ORG_CODE"),
            Col("中共党员(名)", "PARTY"),
            Col("其中:预备党员(名)", "PARTY_PROB"),
            Col("村“两委”成员(人)", "CADRES"),
            Col("网格员人数(人)", "GRIDMEN"),
            Col("退役军人(人)", "VETERANS"),
            Col("村集体经济收入(元)", "COLL_INCOME"),
            Col("其中:经营性收入(元)", "COLL_OPER_INCOME"),
            Col("填报人", "META"),
        ],
    ),
    Template(
        filename="h09_zhengfa_wangge_quarterly.xlsx",
        title="网格化服务管理基础信息季报表",
        owner="县委政法委",
        frequency="quarterly",
        level="village",
        notes=["填报单位：          乡镇（街道）综治中心                  年第  季度"],
        columns=[
            Col("村（社区）", "ORG_NAME"),
            Col("网格数（个）", "GRIDS", "网格力量"),
            Col("专兼职网格员（人）", "GRIDMEN", "网格力量"),
            Col("在册党员（人）", "PARTY", "网格力量"),
            Col("常住人口（人）", "POP_RES", "人口情况"),
            Col("流动人口（人）", "FLOAT_POP", "人口情况"),
            Col("0-6岁儿童（人）", "CHILD_0_6", "人口情况"),
            Col("留守儿童（人）", "LEFTBEHIND_CHILD", "重点服务对象"),
            Col("60岁以上独居老人（人）", "ELDER_ALONE", "重点服务对象"),
            Col("残疾人（人）", "DISABLED", "重点服务对象"),
            Col("退役军人（人）", "VETERANS", "重点服务对象"),
            Col("联系电话", "META"),
        ],
    ),
    Template(
        filename="h10_weijian_halfyearly.xlsx",
        title="村级老年健康和儿童保健服务情况半年报",
        owner="县卫生健康局",
        frequency="half_yearly",
        level="village",
        notes=["填报单位：          乡镇卫生院                            年 上/下 半年"],
        columns=[
            Col("行政村", "ORG_NAME"),
            Col("村卫生室数(个)", "CLINIC"),
            Col("乡村医生（人）", "RURAL_DOCTORS"),
            Col("0～6岁儿童数（人）", "CHILD_0_6"),
            Col("65周岁及以上老年人（人）", "POP_65"),
            Col("60周岁以上老年人口（人）", "POP_60"),
            Col("家庭医生签约人数（人）", "FAMILY_DOC_SIGNED"),
            Col("填报人", "META"),
        ],
    ),
]

VERTICAL: list[VerticalTemplate] = [
    VerticalTemplate(
        filename="h11_tongji_cunji_vertical_yearly.xlsx",
        title="村级基本情况统计年报",
        owner="县统计局",
        frequency="yearly",
        level="village",
        note_pairs=[
            ("统一社会信用代码：□□□□□□□□□□□□□□□□□□", "表    号：村基1表"),
            ("村（社区）名称：", "制定机关：县统计局"),
            ("", "有效期至：    年  月"),
        ],
        value_header="本年",
        rows=[
            Row("年末户籍户数", "户", "HH_REG"),
            Row("年末户籍人口", "人", "POP_REG"),
            Row("其中：女性", "人", "POP_REG_FEMALE"),
            Row("年末常住人口", "人", "POP_RES"),
            Row("60岁及以上人口", "人", "POP_60"),
            Row("65岁及以上人口", "人", "POP_65"),
            Row("乡村从业人员", "人", "RURAL_EMPLOYED"),
            Row("其中：外出务工人员", "人", "MIGRANT"),
            Row("参加城乡居民基本医疗保险人数", "人", "MED_INS"),
            Row("享受最低生活保障人数", "人", "DIBAO_P"),
            Row("特困供养人员", "人", "TEKUN_P"),
            Row("耕地面积", "公顷", "FARMLAND"),
            Row("村集体经济组织总收入", "万元", "COLL_INCOME"),
            Row("农民专业合作社", "个", "FARMER_COOPS"),
            Row("村卫生室", "个", "CLINIC"),
        ],
        footer=[
            "单位负责人：          统计负责人：          填表人：          报出日期：    年  月  日"
        ],
    ),
]


def _box(ws: Worksheet, row: int, col: int, value: object = None, *, head: bool = False) -> None:
    cell = ws.cell(row=row, column=col, value=value)
    cell.border = BOX
    cell.alignment = CENTER
    if head:
        cell.font = HEAD_FONT


def _merged_line(ws: Worksheet, row: int, width: int, text: str, *, title: bool = False) -> None:
    ws.cell(row=row, column=1, value=text)
    ws.cell(row=row, column=1).font = TITLE_FONT if title else NOTE_FONT
    ws.cell(row=row, column=1).alignment = CENTER if title else LEFT
    if width > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def _write_headers(ws: Worksheet, top: int, columns: list[Col]) -> int:
    """Write one or two header rows; return the first row below the header."""
    two_level = any(c.section for c in columns)
    if not two_level:
        for i, col in enumerate(columns, start=1):
            _box(ws, top, i, col.label, head=True)
        return top + 1
    i = 0
    while i < len(columns):
        col = columns[i]
        if col.section is None:
            _box(ws, top, i + 1, col.label, head=True)
            _box(ws, top + 1, i + 1)
            ws.merge_cells(start_row=top, start_column=i + 1, end_row=top + 1, end_column=i + 1)
            i += 1
            continue
        j = i
        while j + 1 < len(columns) and columns[j + 1].section == col.section:
            j += 1
        for k in range(i, j + 1):
            _box(ws, top, k + 1, col.section if k == i else None, head=True)
            _box(ws, top + 1, k + 1, columns[k].label, head=True)
        if j > i:
            ws.merge_cells(start_row=top, start_column=i + 1, end_row=top, end_column=j + 1)
        i = j + 1
    return top + 2


def build_horizontal(t: Template) -> dict[str, object]:
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    width = len(t.columns)
    _merged_line(ws, 1, width, t.title, title=True)
    ws.row_dimensions[1].height = 30
    row = 2
    for note in t.notes:
        _merged_line(ws, row, width, note)
        row += 1
    row = _write_headers(ws, row, t.columns)
    if t.total_row:
        _box(ws, row, 1, "合计")
        for c in range(2, width + 1):
            _box(ws, row, c)
        row += 1
    for _ in range(t.blank_rows):
        for c in range(1, width + 1):
            _box(ws, row, c)
        row += 1
    for line in t.footer:
        _merged_line(ws, row, width, line)
        row += 1
    for i, col in enumerate(t.columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(8, min(24, len(col.label) * 1.8))
    _save(wb, t.filename)
    return {
        "title": t.title,
        "owner": t.owner,
        "frequency": t.frequency,
        "level": t.level,
        "columns": [{"label": c.label, "concept": c.concept} for c in t.columns],
    }


def build_vertical(t: VerticalTemplate) -> dict[str, object]:
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    _merged_line(ws, 1, 4, t.title, title=True)
    row = 2
    for left, right in t.note_pairs:
        ws.cell(row=row, column=1, value=left or None).font = NOTE_FONT
        ws.cell(row=row, column=3, value=right or None).font = NOTE_FONT
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        ws.merge_cells(start_row=row, start_column=3, end_row=row, end_column=4)
        row += 1
    for i, text in enumerate(["指标名称", "代码", "计量单位", t.value_header], start=1):
        _box(ws, row, i, text, head=True)
    row += 1
    for i, text in enumerate(["甲", "乙", "丙", "1"], start=1):
        _box(ws, row, i, text)
    row += 1
    for n, r in enumerate(t.rows, start=1):
        _box(ws, row, 1, r.label)
        ws.cell(row=row, column=1).alignment = LEFT
        _box(ws, row, 2, f"{n:02d}")
        _box(ws, row, 3, r.unit)
        _box(ws, row, 4)
        row += 1
    for line in t.footer:
        _merged_line(ws, row, 4, line)
        row += 1
    for letter, w in zip("ABCD", (34, 8, 10, 14), strict=True):
        ws.column_dimensions[letter].width = w
    _save(wb, t.filename)
    return {
        "title": t.title,
        "owner": t.owner,
        "frequency": t.frequency,
        "level": t.level,
        "layout": "vertical",
        "columns": [{"label": r.label, "unit": r.unit, "concept": r.concept} for r in t.rows],
    }


def _save(wb: Workbook, filename: str) -> None:
    wb.properties.creator = "heldout2"
    wb.properties.created = FIXED_TIMESTAMP
    wb.properties.modified = FIXED_TIMESTAMP
    wb.save(OUT_DIR / filename)


def main() -> None:
    truth: dict[str, object] = {}
    for t in HORIZONTAL:
        truth[t.filename] = build_horizontal(t)
    for v in VERTICAL:
        truth[v.filename] = build_vertical(v)
    text = json.dumps(truth, ensure_ascii=False, indent=1) + "\n"
    (OUT_DIR / "truth.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
