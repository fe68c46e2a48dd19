"""Build the fourth held-out set of grassroots report templates and its truth.json.

The templates imitate the tables county departments send to villages and
townships. Each column's truth label is the text of its own header cell: under a
two-row header that is the leaf cell (e.g. "户数（户）" under the section "农村低保"),
so the section context lives only in the sheet. Concept ids are local to this
set; the evaluation compares them pairwise.

Run: .venv/bin/python tests/data/heldout4/build.py
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

OUT_DIR = Path(__file__).resolve().parent
BLANK_DATA_ROWS = 6

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)


@dataclass(frozen=True)
class Col:
    label: str
    concept: str


@dataclass(frozen=True)
class Section:
    """A merged header cell spanning several leaf columns."""

    text: str
    cols: tuple[Col, ...]


@dataclass(frozen=True)
class Row:
    """One indicator row of a vertical statistical form."""

    label: str
    unit: str
    concept: str
    indent: int = 0


@dataclass(frozen=True)
class Heading:
    """A heading row of a vertical form ("一、人口") with no code, unit or value."""

    text: str


@dataclass
class Template:
    file: str
    title: str
    owner: str
    frequency: str
    level: str
    notes_above: list[str] = field(default_factory=list)
    header: list[Col | Section] = field(default_factory=list)
    notes_below: list[str] = field(default_factory=list)
    total_row: bool = False


@dataclass
class VerticalTemplate:
    file: str
    title: str
    owner: str
    frequency: str
    level: str
    notes_above: list[str]
    value_header: str
    rows: list[Row | Heading]
    notes_below: list[str] = field(default_factory=list)


def section(text: str, *cols: Col) -> Section:
    return Section(text, cols)


HORIZONTAL: list[Template] = [
    Template(
        file="h4_01_minzheng_jiuzhu_monthly.xlsx",
        title="农村低保、特困供养及临时救助情况月报表",
        owner="县民政局",
        frequency="monthly",
        level="village",
        notes_above=["填报单位（盖章）：            乡镇（街道）                    年    月"],
        header=[
            Col("序号", "META"),
            Col("村（社区）名称", "ORG_NAME"),
            section("农村低保", Col("户数（户）", "DIBAO_HH"), Col("人数（人）", "DIBAO_P")),
            section(
                "特困供养人员（人）",
                Col("合计", "TEKUN_P"),
                Col("集中供养", "TEKUN_CENTRAL"),
                Col("分散供养", "TEKUN_SCATTERED"),
            ),
            section(
                "临时救助（人次）",
                Col("本月", "TEMP_RELIEF_MONTH"),
                Col("本年累计", "TEMP_RELIEF_YTD"),
            ),
            Col("填报人", "META"),
        ],
        notes_below=["单位负责人：              审核人：              联系电话："],
    ),
    Template(
        file="h4_02_zhujian_weifang_monthly.xlsx",
        title="农村低收入群体等重点对象危房改造进度月报表",
        owner="县住房和城乡建设局",
        frequency="monthly",
        level="township",
        notes_above=["填报单位：              （盖章）                      截至    年  月  日"],
        header=[
            Col("序号", "META"),
            Col("乡镇（街道）", "ORG_NAME"),
            Col("行政区划代码", "ORG_CODE"),
            Col("年度改造任务（户）", "HOUSE_TASK"),
            Col("其中：低保户（户）", "HOUSE_TASK_DIBAO"),
            section(
                "竣工户数（户）",
                Col("本月", "HOUSE_DONE_MONTH"),
                Col("累计", "HOUSE_DONE_YTD"),
            ),
            Col("填报人", "META"),
        ],
        total_row=True,
    ),
    Template(
        file="h4_03_weijian_jtys_quarterly.xlsx",
        title="家庭医生签约服务工作进展统计表",
        owner="县卫生健康局",
        frequency="quarterly",
        level="village",
        notes_above=[
            "填报单位：            乡镇卫生院                        年第    季度",
            "单位：人、%",
        ],
        header=[
            Col("村（社区）", "ORG_NAME"),
            Col("辖区常住人口", "POP_RES"),
            section(
                "重点人群数",
                Col("65岁及以上老年人", "POP_65"),
                Col("高血压患者", "HYPERTENSION_P"),
            ),
            section(
                "签约人数",
                Col("合计", "FD_SIGNED"),
                Col("65岁及以上老年人", "FD_SIGNED_65"),
                Col("高血压患者", "FD_SIGNED_HTN"),
            ),
            Col("签约率", "FD_RATE"),
        ],
    ),
    Template(
        file="h4_04_renshe_yanglao_quarterly.xlsx",
        title="城乡居民基本养老保险参保缴费及待遇领取情况统计表",
        owner="县人力资源和社会保障局",
        frequency="quarterly",
        level="village",
        notes_above=["填报单位：          乡镇（街道）劳动保障事务所                  年  季度"],
        header=[
            Col("行政区划代码", "ORG_CODE"),
            Col("村（居）委会名称", "ORG_NAME"),
            Col("应参保人数（人）", "PENSION_SHOULD"),
            Col("已参保人数（人）", "PENSION_INSURED"),
            Col("领取养老金人数(人)", "PENSION_RECEIVING"),
            Col("填报人", "META"),
            Col("联系电话", "META"),
        ],
    ),
    Template(
        file="h4_05_zuzhi_cunji_yearly.xlsx",
        title="村级组织建设基本情况统计表",
        owner="县委组织部",
        frequency="yearly",
        level="village",
        notes_above=[
            "乡镇（街道）党（工）委（盖章）：                 统计截止时间：    年12月31日"
        ],
        header=[
            Col("序号", "META"),
            Col("村（社区）", "ORG_NAME"),
            section(
                "党员情况（名）",
                Col("党员总数", "PARTY"),
                Col("预备党员", "PARTY_PROB"),
                Col("其中：女党员", "PARTY_FEMALE"),
                Col("60岁以上", "PARTY_60"),
            ),
            Col("户籍人口数（人）", "POP_REG"),
            Col("村级集体经济收入（万元）", "COLL_INCOME"),
            Col("其中：经营性收入（万元）", "COLL_OPER_INCOME"),
            Col("单位负责人", "META"),
        ],
    ),
    Template(
        file="h4_06_nongjing_jiti_yearly.xlsx",
        title="农村集体经济组织收益分配情况统计表",
        owner="县农业农村局",
        frequency="yearly",
        level="village",
        notes_above=["填报单位：                                       年度", "金额单位：万元"],
        header=[
            Col("序号", "META"),
            Col("村名", "ORG_NAME"),
            Col("户籍户数（户）", "HH_REG"),
            section(
                "本年收入",
                Col("总收入", "COLL_INCOME"),
                Col("其中：经营收入", "COLL_OPER_INCOME"),
                Col("发包及上交收入", "COLL_CONTRACT_INCOME"),
            ),
            Col("填报人", "META"),
        ],
    ),
    Template(
        file="h4_07_fangfanpin_monthly.xlsx",
        title="防止返贫动态监测和帮扶工作情况统计表",
        owner="县乡村振兴局",
        frequency="monthly",
        level="township",
        notes_above=["填报单位（盖章）：                          数据截至：    年  月  日"],
        header=[
            Col("乡镇", "ORG_NAME"),
            section("脱贫人口", Col("户数（户）", "POOR_OUT_HH"), Col("人数（人）", "POOR_OUT_P")),
            section("监测对象", Col("户数（户）", "MON_HH"), Col("人数（人）", "MON_P")),
            section(
                "监测对象类型（户）",
                Col("脱贫不稳定户", "MON_UNSTABLE_HH"),
                Col("边缘易致贫户", "MON_EDGE_HH"),
                Col("突发严重困难户", "MON_SUDDEN_HH"),
            ),
            Col("本月新识别纳入（户）", "MON_NEW_MONTH"),
            Col("审核人", "META"),
        ],
        notes_below=[
            "填表说明：1.监测对象户数、人数为累计识别数，含已消除风险；2.本表每月5日前报县乡村振兴局。"
        ],
    ),
    Template(
        file="h4_08_minzheng_ertong_half_yearly.xlsx",
        title="农村留守儿童和困境儿童关爱服务情况统计表",
        owner="县民政局",
        frequency="half_yearly",
        level="village",
        notes_above=["填报单位：          乡镇（街道）                   年上/下半年"],
        header=[
            Col("村（居）名称", "ORG_NAME"),
            Col("农村留守儿童（名）", "LEFTBEHIND_CHILD"),
            Col("困境儿童（名）", "DIFFICULT_CHILD"),
            Col("本半年走访探视（人次）", "CHILD_VISITS"),
            Col("填报人", "META"),
            Col("填报日期", "META"),
        ],
    ),
    Template(
        file="h4_09_minzheng_gaoling_quarterly.xlsx",
        title="高龄津贴发放及农村养老服务情况季报表",
        owner="县民政局",
        frequency="quarterly",
        level="village",
        notes_above=["填报单位：          乡镇（街道）                   年第  季度"],
        header=[
            Col("村名", "ORG_NAME"),
            Col("60周岁及以上老年人（人）", "POP_60"),
            Col("65周岁及以上老年人（人）", "POP_65"),
            Col("80周岁及以上高龄老人（人）", "POP_80"),
            Col("其中：本季度领取高龄津贴（人）", "ELDER_ALLOWANCE_Q"),
            Col("特困供养人员(人)", "TEKUN_P"),
            Col("填报人", "META"),
        ],
    ),
    Template(
        file="h4_11_renshe_jiuye_quarterly.xlsx",
        title="农村劳动力转移就业情况统计表",
        owner="县人力资源和社会保障局",
        frequency="quarterly",
        level="village",
        notes_above=["填报单位：                          统计时间：    年第  季度"],
        header=[
            Col("序号", "META"),
            Col("村（社区）", "ORG_NAME"),
            Col("户籍总人口(人)", "POP_REG"),
            Col("农村劳动力总数(人)", "LABOR"),
            section(
                "转移就业人数（人）",
                Col("合计", "MIGRANT_LABOR"),
                Col("县内", "MIGRANT_IN_COUNTY"),
                Col("县外省内", "MIGRANT_IN_PROVINCE"),
                Col("省外", "MIGRANT_OUT_PROVINCE"),
            ),
            Col("联系电话", "META"),
        ],
    ),
    Template(
        file="h4_12_canlian_yearly.xlsx",
        title="残疾人基本服务状况和需求统计表",
        owner="县残疾人联合会",
        frequency="yearly",
        level="village",
        notes_above=["填报单位：          乡镇（街道）残联                        年度"],
        header=[
            Col("行政区划代码", "ORG_CODE"),
            Col("村（社区）名称", "ORG_NAME"),
            Col("持证残疾人(人)", "DISABLED"),
            Col("其中：一、二级重度残疾人(人)", "DISABLED_SEVERE"),
            Col("纳入最低生活保障(人)", "DIS_IN_DIBAO"),
            Col("参加城乡居民养老保险(人)", "DIS_PENSION_INSURED"),
            Col("填报人", "META"),
        ],
    ),
    Template(
        file="h4_13_nongye_liangshi_yearly.xlsx",
        title="粮食生产情况统计表",
        owner="县农业农村局",
        frequency="yearly",
        level="township",
        notes_above=["填报单位（盖章）：                                 年度"],
        header=[
            Col("乡镇", "ORG_NAME"),
            Col("耕地面积（亩）", "FARMLAND"),
            Col("粮食播种面积（亩）", "GRAIN_AREA"),
            Col("其中：水稻（亩）", "RICE_AREA"),
            Col("小麦（亩）", "WHEAT_AREA"),
            Col("粮食总产量（万斤）", "GRAIN_OUTPUT"),
        ],
    ),
]

VERTICAL: list[VerticalTemplate] = [
    VerticalTemplate(
        file="h4_10_tongji_xiangzhen_vertical_yearly.xlsx",
        title="乡（镇）社会经济基本情况年报",
        owner="县统计局",
        frequency="yearly",
        level="township",
        notes_above=["填报单位（盖章）：                    年度                 表号：县统乡1表"],
        value_header="本年",
        rows=[
            Heading("一、人口与就业"),
            Row("户籍户数", "户", "HH_REG"),
            Row("户籍人口", "人", "POP_REG"),
            Row("常住人口", "人", "POP_RES"),
            Row("60岁及以上人口", "人", "POP_60"),
            Row("其中：80岁及以上", "人", "POP_80", indent=1),
            Row("农村劳动力转移就业人数", "人", "MIGRANT_LABOR"),
            Heading("二、社会保障"),
            Row("城乡居民基本养老保险参保人数", "人", "PENSION_INSURED"),
            Row("农村最低生活保障户数", "户", "DIBAO_HH"),
            Row("农村最低生活保障人数", "人", "DIBAO_P"),
            Row("农村特困供养人员", "人", "TEKUN_P"),
            Row("持证残疾人数", "人", "DISABLED"),
            Heading("三、农业与集体经济"),
            Row("粮食播种面积", "公顷", "GRAIN_AREA"),
            Row("粮食产量", "吨", "GRAIN_OUTPUT"),
            Row("村级集体经济收入", "万元", "COLL_INCOME"),
        ],
        notes_below=[
            "单位负责人：            统计负责人：            填表人：            报出日期：    年  月  日"
        ],
    ),
]


def _leaves(header: list[Col | Section]) -> list[Col]:
    out: list[Col] = []
    for item in header:
        out.extend(item.cols if isinstance(item, Section) else [item])
    return out


def _write_note(ws: Worksheet, row: int, text: str, width: int, *, title: bool = False) -> None:
    ws.cell(row=row, column=1, value=text)
    if width > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    cell = ws.cell(row=row, column=1)
    cell.font = Font(bold=True, size=16) if title else Font(size=10)
    cell.alignment = CENTER if title else LEFT


def _box(ws: Worksheet, first_row: int, last_row: int, width: int) -> None:
    for r in range(first_row, last_row + 1):
        for c in range(1, width + 1):
            ws.cell(row=r, column=c).border = BOX


def build_horizontal(t: Template) -> dict:
    leaves = _leaves(t.header)
    width = len(leaves)
    two_rows = any(isinstance(item, Section) for item in t.header)
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"

    _write_note(ws, 1, t.title, width, title=True)
    row = 2
    for note in t.notes_above:
        _write_note(ws, row, note, width)
        row += 1

    top = row
    col = 1
    for item in t.header:
        if isinstance(item, Section):
            span = len(item.cols)
            ws.cell(row=top, column=col, value=item.text)
            if span > 1:
                ws.merge_cells(
                    start_row=top, start_column=col, end_row=top, end_column=col + span - 1
                )
            for offset, leaf in enumerate(item.cols):
                ws.cell(row=top + 1, column=col + offset, value=leaf.label)
            col += span
        else:
            ws.cell(row=top, column=col, value=item.label)
            if two_rows:
                ws.merge_cells(start_row=top, start_column=col, end_row=top + 1, end_column=col)
            col += 1
    header_last = top + (1 if two_rows else 0)
    for r in range(top, header_last + 1):
        for c in range(1, width + 1):
            cell = ws.cell(row=r, column=c)
            cell.font = Font(bold=True, size=10)
            cell.alignment = CENTER

    data_first = header_last + 1
    data_last = data_first + BLANK_DATA_ROWS - 1
    if t.total_row:
        name_col = 1 + next(i for i, leaf in enumerate(leaves) if leaf.concept == "ORG_NAME")
        ws.cell(row=data_first, column=name_col, value="合计").alignment = CENTER
    _box(ws, top, data_last, width)

    row = data_last + 1
    for note in t.notes_below:
        _write_note(ws, row, note, width)
        row += 1

    for c in range(1, width + 1):
        ws.column_dimensions[get_column_letter(c)].width = 14
    ws.row_dimensions[top].height = 36
    wb.save(OUT_DIR / t.file)
    return {
        "title": t.title,
        "owner": t.owner,
        "frequency": t.frequency,
        "level": t.level,
        "columns": [{"label": leaf.label, "concept": leaf.concept} for leaf in leaves],
    }


def build_vertical(t: VerticalTemplate) -> dict:
    width = 4
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    _write_note(ws, 1, t.title, width, title=True)
    row = 2
    for note in t.notes_above:
        _write_note(ws, row, note, width)
        row += 1
    top = row
    for c, text in enumerate(["指标名称", "代码", "计量单位", t.value_header], start=1):
        cell = ws.cell(row=top, column=c, value=text)
        cell.font = Font(bold=True, size=10)
        cell.alignment = CENTER
    row = top + 1
    code = 0
    columns: list[dict[str, str]] = []
    for item in t.rows:
        if isinstance(item, Heading):
            ws.cell(row=row, column=1, value=item.text).font = Font(bold=True, size=10)
        else:
            code += 1
            label = ws.cell(row=row, column=1, value=item.label)
            label.alignment = Alignment(indent=item.indent * 2, vertical="center")
            ws.cell(row=row, column=2, value=f"{code:02d}").alignment = CENTER
            ws.cell(row=row, column=3, value=item.unit).alignment = CENTER
            columns.append({"label": item.label, "unit": item.unit, "concept": item.concept})
        row += 1
    _box(ws, top, row - 1, width)
    for note in t.notes_below:
        _write_note(ws, row, note, width)
        row += 1
    ws.column_dimensions["A"].width = 34
    for letter in "BCD":
        ws.column_dimensions[letter].width = 12
    wb.save(OUT_DIR / t.file)
    return {
        "title": t.title,
        "owner": t.owner,
        "frequency": t.frequency,
        "level": t.level,
        "layout": "vertical",
        "columns": columns,
    }


def main() -> None:
    truth: dict[str, dict] = {}
    for t in HORIZONTAL:
        truth[t.file] = build_horizontal(t)
    for v in VERTICAL:
        truth[v.file] = build_vertical(v)
    ordered = dict(sorted(truth.items()))
    (OUT_DIR / "truth.json").write_text(
        json.dumps(ordered, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
