"""Build the third held-out set of grassroots report templates and its truth.json.

The templates imitate county departments' 2024-2025 forms (民政、农业农村、卫健、人社、
统计、住建、组织部、医保、妇联、残联、退役军人、教育). They were written without
looking at the matcher, its dictionary or the earlier held-out sets, so they measure
label->concept matching on wordings the product has never seen.

Run: .venv/bin/python tests/data/heldout3/build.py
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

HERE = Path(__file__).resolve().parent

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center")


@dataclass(frozen=True)
class Col:
    """One leaf header cell: its exact text and the concept it asks for."""

    label: str
    concept: str


@dataclass(frozen=True)
class Section:
    """An upper header cell spanning several leaf cells."""

    label: str
    cols: tuple[Col, ...]


@dataclass(frozen=True)
class Row:
    """One indicator row of a vertical statistical form."""

    label: str
    code: str
    unit: str
    concept: str
    indent: int = 0


@dataclass
class Template:
    filename: str
    title: str
    owner: str
    frequency: str
    level: str
    notes: list[str] = field(default_factory=list)
    header: list[Col | Section] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    footer: list[str] = field(default_factory=list)
    numbered_rows: int = 0
    blank_rows: int = 3

    @property
    def vertical(self) -> bool:
        return bool(self.rows)

    def leaf_columns(self) -> list[Col]:
        leaves: list[Col] = []
        for item in self.header:
            leaves.extend(item.cols if isinstance(item, Section) else (item,))
        return leaves


def _merged_text_row(
    ws, row: int, text: str, width: int, *, bold: bool = False, size: int = 11
) -> None:
    ws.cell(row=row, column=1, value=text)
    if width > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    cell = ws.cell(row=row, column=1)
    cell.font = Font(bold=bold, size=size)
    cell.alignment = CENTER if bold else LEFT


def _boxed(ws, row: int, column: int, value: object = None) -> None:
    cell = ws.cell(row=row, column=column, value=value)
    cell.border = BOX
    cell.alignment = CENTER


def _write_horizontal(ws, tpl: Template) -> None:
    width = len(tpl.leaf_columns())
    two_level = any(isinstance(item, Section) for item in tpl.header)
    row = 1
    _merged_text_row(ws, row, tpl.title, width, bold=True, size=16)
    for note in tpl.notes:
        row += 1
        _merged_text_row(ws, row, note, width)
    top = row + 1
    bottom = top + 1 if two_level else top
    column = 1
    for item in tpl.header:
        if isinstance(item, Section):
            _boxed(ws, top, column, item.label)
            end = column + len(item.cols) - 1
            if end > column:
                ws.merge_cells(start_row=top, start_column=column, end_row=top, end_column=end)
            for offset, leaf in enumerate(item.cols):
                _boxed(ws, bottom, column + offset, leaf.label)
            column = end + 1
        else:
            _boxed(ws, top, column, item.label)
            if two_level:
                _boxed(ws, bottom, column)
                ws.merge_cells(
                    start_row=top, start_column=column, end_row=bottom, end_column=column
                )
            column += 1
    row = bottom
    for number in range(1, tpl.numbered_rows + 1):
        row += 1
        for c in range(1, width + 1):
            _boxed(ws, row, c, number if c == 1 else None)
    for _ in range(tpl.blank_rows):
        row += 1
        for c in range(1, width + 1):
            _boxed(ws, row, c)
    for line in tpl.footer:
        row += 1
        _merged_text_row(ws, row, line, width)
    for c in range(1, width + 1):
        ws.column_dimensions[get_column_letter(c)].width = 14
    ws.row_dimensions[bottom].height = 42


def _write_vertical(ws, tpl: Template) -> None:
    width = 4
    row = 1
    _merged_text_row(ws, row, tpl.title, width, bold=True, size=16)
    for note in tpl.notes:
        row += 1
        _merged_text_row(ws, row, note, width)
    row += 1
    for c, text in enumerate(("指标名称", "代码", "计量单位", "本年"), start=1):
        _boxed(ws, row, c, text)
    for indicator in tpl.rows:
        row += 1
        _boxed(ws, row, 1, indicator.label)
        ws.cell(row=row, column=1).alignment = Alignment(
            horizontal="left", vertical="center", indent=indicator.indent
        )
        _boxed(ws, row, 2, indicator.code)
        _boxed(ws, row, 3, indicator.unit)
        _boxed(ws, row, 4)
    for line in tpl.footer:
        row += 1
        _merged_text_row(ws, row, line, width)
    for c, w in zip(range(1, 5), (34, 8, 10, 14), strict=True):
        ws.column_dimensions[get_column_letter(c)].width = w


def write_template(tpl: Template) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    if tpl.vertical:
        _write_vertical(ws, tpl)
    else:
        _write_horizontal(ws, tpl)
    wb.save(HERE / tpl.filename)


def truth_entry(tpl: Template) -> dict[str, object]:
    entry: dict[str, object] = {
        "title": tpl.title,
        "owner": tpl.owner,
        "frequency": tpl.frequency,
        "level": tpl.level,
    }
    if tpl.vertical:
        entry["layout"] = "vertical"
        entry["columns"] = [
            {"label": r.label, "unit": r.unit, "concept": r.concept} for r in tpl.rows
        ]
    else:
        entry["columns"] = [{"label": c.label, "concept": c.concept} for c in tpl.leaf_columns()]
    return entry


SIGN_OFF = "单位负责人：            审核人：            填报人：            联系电话：            填报日期：    年  月  日"

TEMPLATES: list[Template] = [
    Template(
        filename="h3_minzheng_jiuzhu_monthly.xlsx",
        title="城乡低保、特困人员及临时救助情况月报表",
        owner="县民政局",
        frequency="monthly",
        level="village",
        notes=["填报单位：            乡镇（街道）（盖章）                    2025年    月"],
        header=[
            Col("行政区划代码", "ORG_CODE"),
            Col("村（社区）名称", "ORG_NAME"),
            Section(
                "城乡最低生活保障",
                (
                    Col("保障户数（户）", "DIBAO_HH"),
                    Col("保障人数（人）", "DIBAO_PERSONS"),
                    Col("其中：残疾人（人）", "DIBAO_DISABLED"),
                ),
            ),
            Section(
                "特困人员救助供养",
                (
                    Col("供养人数（人）", "TEKUN_PERSONS"),
                    Col("其中：集中供养（人）", "TEKUN_CENTRAL"),
                ),
            ),
            Section(
                "临时救助",
                (
                    Col("本月救助（人次）", "TEMP_AID_MONTH"),
                    Col("本年累计（人次）", "TEMP_AID_YTD"),
                ),
            ),
            Col("填报人", "META"),
        ],
        footer=[
            "说明：本表于每月5日前报县民政局社会救助股，数据以全国低收入人口动态监测信息平台为准。"
        ],
    ),
    Template(
        filename="h3_nongye_jiti_yearly.xlsx",
        title="村集体经济组织收益及农村经济基本情况年报",
        owner="县农业农村局",
        frequency="yearly",
        level="village",
        notes=["填报单位(盖章)：                                      2024年度"],
        header=[
            Col("单位名称", "ORG_NAME"),
            Col("耕地面积(亩)", "FARMLAND"),
            Col("粮食播种面积(亩)", "GRAIN_AREA"),
            Col("外出务工劳动力(人)", "MIGRANT_WORKERS"),
            Col("集体经济总收入(元)", "COLL_INCOME"),
            Col("其中:经营收入(元)", "COLL_OPER_INCOME"),
            Col("农村居民人均可支配收入(元)", "INCOME_PC"),
            Col("填报人", "META"),
        ],
    ),
    Template(
        filename="h3_weijian_gongwei_quarterly.xlsx",
        title="国家基本公共卫生服务项目村级进度季报",
        owner="县卫生健康局",
        frequency="quarterly",
        level="village",
        notes=["填报单位：        乡镇卫生院                 2025年第  季度"],
        header=[
            Col("序号", "META"),
            Col("村名", "ORG_NAME"),
            Col("辖区常住人口(人)", "POP_RES"),
            Section(
                "老年人健康管理",
                (
                    Col("65岁及以上老年人(人)", "POP_65"),
                    Col("本季度健康体检(人)", "ELDER_CHECKUP_Q"),
                ),
            ),
            Section(
                "0-6岁儿童健康管理",
                (
                    Col("儿童数(人)", "CHILD_0_6"),
                    Col("系统管理(人)", "CHILD_HEALTH_MANAGED"),
                ),
            ),
            Section(
                "家庭医生签约服务",
                (
                    Col("签约人数(人)", "FAMILY_DOC_SIGNED"),
                    Col("其中:重点人群(人)", "FAMILY_DOC_KEY_GROUPS"),
                ),
            ),
            Col("村卫生室(个)", "VILLAGE_CLINIC"),
            Col("审核人", "META"),
        ],
    ),
    Template(
        filename="h3_renshe_jiuye_yanglao_quarterly.xlsx",
        title="农村劳动力转移就业及城乡居民养老保险参保情况季报",
        owner="县人力资源和社会保障局",
        frequency="quarterly",
        level="village",
        notes=["填报单位：                    （盖章）          截至    年    月    日"],
        header=[
            Col("村（居）委会", "ORG_NAME"),
            Section(
                "农村劳动力转移就业",
                (
                    Col("劳动力总数（人）", "LABOR_FORCE"),
                    Col("转移就业（人）", "TRANSFER_EMPLOYED"),
                    Col("其中：外出务工（人）", "MIGRANT_WORKERS"),
                ),
            ),
            Section(
                "城乡居民基本养老保险",
                (
                    Col("应参保（人）", "PENSION_SHOULD_ENROLL"),
                    Col("实际参保（人）", "PENSION_ENROLLED"),
                ),
            ),
            Col("填报人", "META"),
            Col("联系电话", "META"),
        ],
    ),
    Template(
        filename="h3_tongji_xiangzhen_vertical_yearly.xlsx",
        title="乡镇（街道）基本情况统计年报",
        owner="县统计局",
        frequency="yearly",
        level="township",
        notes=[
            "表号：乡统1表      制定机关：县统计局      有效期至：2026年12月",
            "综合机关名称（盖章）：                         2024年",
        ],
        rows=[
            Row("村民委员会", "01", "个", "ADMIN_VILLAGES"),
            Row("村民小组", "02", "个", "VILLAGE_GROUPS"),
            Row("年末户籍户数", "03", "户", "HH_REG"),
            Row("年末户籍人口", "04", "人", "POP_REG"),
            Row("年末常住人口", "05", "万人", "POP_RES"),
            Row("农村劳动力资源数", "06", "人", "LABOR_FORCE"),
            Row("其中：外出务工人员", "07", "人", "MIGRANT_WORKERS", indent=2),
            Row("耕地面积", "08", "公顷", "FARMLAND"),
            Row("粮食作物播种面积", "09", "公顷", "GRAIN_AREA"),
            Row("农村常住居民人均可支配收入", "10", "元", "INCOME_PC"),
            Row("村卫生室", "11", "个", "VILLAGE_CLINIC"),
            Row("幼儿园", "12", "所", "KINDERGARTEN"),
        ],
        footer=[
            "单位负责人：          统计负责人：          填表人：          报出日期：    年  月  日"
        ],
    ),
    Template(
        filename="h3_zhujian_weifang_monthly.xlsx",
        title="农村危房改造进度月报表",
        owner="县住房和城乡建设局",
        frequency="monthly",
        level="village",
        notes=["填报单位：            乡（镇）人民政府（盖章）                         单位：户"],
        header=[
            Col("序号", "META"),
            Col("村（社区）", "ORG_NAME"),
            Col("户籍户数", "HH_REG"),
            Col("现有农村危房", "DANGER_HOUSE"),
            Col("本月开工", "HOUSE_STARTED_MONTH"),
            Col("本月竣工", "HOUSE_DONE_MONTH"),
            Col("本年累计竣工", "HOUSE_DONE_YTD"),
            Col("填报人", "META"),
            Col("填报日期", "META"),
        ],
    ),
    Template(
        filename="h3_zuzhi_dangjian_yearly.xlsx",
        title="村（社区）党组织和党员队伍基本情况统计表",
        owner="县委组织部",
        frequency="yearly",
        level="village",
        notes=["填报单位：          乡镇党委（盖章）                 统计截止时间：2024年12月31日"],
        header=[
            Col("村（社区）党组织名称", "ORG_NAME"),
            Col("党员总数（名）", "PARTY_MEMBERS"),
            Col("其中：预备党员（名）", "PARTY_PROBATIONARY"),
            Col("其中：女党员（名）", "PARTY_FEMALE"),
            Col("村民小组（个）", "VILLAGE_GROUPS"),
            Col("专兼职网格员（名）", "GRID_WORKERS"),
            Col("村级集体经济收入（万元）", "COLL_INCOME"),
            Col("其中：经营性收入（万元）", "COLL_OPER_INCOME"),
            Col("填报日期", "META"),
        ],
    ),
    Template(
        filename="h3_yibao_canbao_quarterly.xlsx",
        title="城乡居民基本医疗保险参保情况季报",
        owner="县医疗保障局",
        frequency="quarterly",
        level="village",
        notes=["填报单位：                （盖章）                  2025年第  季度"],
        header=[
            Col("行政区划代码", "ORG_CODE"),
            Col("村（社区）", "ORG_NAME"),
            Col("户籍人口(人)", "POP_REG"),
            Col("应参保人数(人)", "MED_INS_SHOULD_ENROLL"),
            Col("已参保人数(人)", "MED_INS_ENROLLED"),
            Section(
                "医疗救助资助参保",
                (
                    Col("特困人员(人)", "MED_AID_TEKUN"),
                    Col("低保对象(人)", "MED_AID_DIBAO"),
                ),
            ),
            Col("填报人", "META"),
        ],
    ),
    Template(
        filename="h3_fulian_guanai_halfyearly.xlsx",
        title="农村留守妇女儿童及困境儿童关爱服务情况统计表",
        owner="县妇女联合会",
        frequency="half_yearly",
        level="village",
        notes=["填报单位：          乡镇妇联（盖章）          2025年上半年"],
        header=[
            Col("村名", "ORG_NAME"),
            Col("户籍人口数（人）", "POP_REG"),
            Col("农村留守儿童（人）", "LEFTBEHIND_CHILD"),
            Col("困境儿童（人）", "DIFFICULT_CHILD"),
            Col("留守妇女（人）", "LEFTBEHIND_WOMEN"),
            Col("填报人", "META"),
        ],
        footer=[
            "填表说明：1.农村留守儿童指父母双方外出务工或一方外出务工另一方无监护能力、不满十六周岁的未成年人；"
            "2.困境儿童包括因家庭贫困、自身残疾、缺乏有效监护等陷入困境的儿童。"
        ],
    ),
    Template(
        filename="h3_canlian_jiben_yearly.xlsx",
        title="残疾人基本服务状况统计表",
        owner="县残疾人联合会",
        frequency="yearly",
        level="village",
        notes=["填报单位：            乡镇残联（盖章）                 2024年度"],
        header=[
            Col("序号", "META"),
            Col("村（居）", "ORG_NAME"),
            Col("持证残疾人（人）", "DISABLED"),
            Col("其中：一、二级重度残疾人（人）", "DISABLED_SEVERE"),
            Col("纳入最低生活保障的残疾人（人）", "DIBAO_DISABLED"),
            Col("填报人", "META"),
        ],
        numbered_rows=5,
        blank_rows=0,
    ),
    Template(
        filename="h3_minzheng_xiangzhen_yearly.xlsx",
        title="乡镇（街道）民政服务对象基本情况年报",
        owner="县民政局",
        frequency="yearly",
        level="township",
        notes=[
            "填报单位：县民政局                    单位：人、户、人次                    2024年"
        ],
        header=[
            Col("乡镇（街道）", "ORG_NAME"),
            Col("户籍总人口（人）", "POP_REG"),
            Section(
                "老年人口",
                (
                    Col("60周岁及以上（人）", "POP_60"),
                    Col("65周岁及以上（人）", "POP_65"),
                    Col("80周岁及以上（人）", "POP_80"),
                    Col("农村留守老年人（人）", "LEFTBEHIND_ELDER"),
                ),
            ),
            Section(
                "社会救助",
                (
                    Col("农村低保户（户）", "DIBAO_HH"),
                    Col("农村低保对象（人）", "DIBAO_PERSONS"),
                    Col("特困供养人员（人）", "TEKUN_PERSONS"),
                    Col("全年临时救助（人次）", "TEMP_AID_YTD"),
                ),
            ),
            Col("单位负责人", "META"),
        ],
    ),
    Template(
        filename="h3_tuiyi_fuwuzhan_quarterly.xlsx",
        title="村（社区）退役军人服务站工作情况季报",
        owner="县退役军人事务局",
        frequency="quarterly",
        level="village",
        notes=["填报单位：        乡镇退役军人服务站（盖章）        2025年第  季度"],
        header=[
            Col("村（社区）名称", "ORG_NAME"),
            Section(
                "退役军人",
                (
                    Col("合计（人）", "VETERANS"),
                    Col("其中：中共党员（人）", "VETERANS_PARTY"),
                ),
            ),
            Col("烈士遗属（人）", "MARTYR_FAMILIES"),
            Col("本季度走访慰问（人次）", "VET_VISITS_Q"),
            Col("填报人", "META"),
        ],
    ),
    Template(
        filename="h3_jiaoyu_shiling_yearly.xlsx",
        title="学前教育及义务教育适龄人口摸底统计表",
        owner="县教育体育局",
        frequency="yearly",
        level="village",
        notes=["填报单位：          中心学校（盖章）          摸底时间：2025年3月"],
        header=[
            Col("村（社区）", "ORG_NAME"),
            Col("0—6周岁儿童（人）", "CHILD_0_6"),
            Col("其中：3—5周岁（人）", "CHILD_3_5"),
            Col("6—15周岁义务教育适龄儿童少年（人）", "SCHOOL_AGE"),
            Col("村内幼儿园（所）", "KINDERGARTEN"),
            Col("填报人", "META"),
        ],
        footer=[SIGN_OFF],
    ),
]


def main() -> None:
    truth: dict[str, object] = {}
    for tpl in TEMPLATES:
        write_template(tpl)
        truth[tpl.filename] = truth_entry(tpl)
    with (HERE / "truth.json").open("w", encoding="utf-8") as fh:
        json.dump(truth, fh, ensure_ascii=False, indent=1)
        fh.write("\n")


if __name__ == "__main__":
    main()
