"""A corpus of hostile files fed to every real entry point a file comes in through:

- report templates (XLSX) and XLSForms, both through `read_template` (what `reports import`
  and the upload page call; it recognises an XLSForm by its survey sheet);
- shared data (`import_shared_file`; the database is never reached by a refused file);
- a filler's merged form coming back from Excel (`read_form_workbook`).

Each attack is made on a genuine file of that entry point and each must end in the exact
Chinese refusal expected (or, for a file whose size is only declared, in a normal import).
"Within fixed time and memory": each file is read in a child process limited to
MEMORY_LIMIT of address space (RLIMIT_AS) and TIME_LIMIT seconds of CPU and of wall clock;
a child that runs out of memory, overruns or dies fails the test. These are bounds, not
speed measurements (test_file_safety.py checks that the cheap checks are cheap).

The children come from a fork server that has this module imported already, so each
read starts from a small, fresh process within a fraction of a second."""

from __future__ import annotations

import multiprocessing
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

import pytest

from forms_registry.errors import InvalidInput
from forms_registry.importers.reading import read_template
from forms_registry.merge import MergedField
from prefill.resolution import Prefilled
from prefill.shared_import import import_shared_file
from prefill.workbook import build_form_workbook, read_form_workbook
from tests.forms_registry import malicious_files as hostile
from tests.forms_registry.xlsx_builders import build_xlsform, simple_xlsx, workbook_bytes

MEMORY_LIMIT = 1024**3  # bytes of address space
TIME_LIMIT = 30  # seconds

UNSAFE_XML = "文件包含不安全的 XML 内容（实体声明），已拒绝处理"
ZIP_BOMB = "文件解压后超过 100 MB，疑似压缩炸弹，已拒绝处理"
ZIP_SLIP = "文件包含非法的内部路径（../../evil.sh），已拒绝处理"
MACROS = "不接受含宏的工作簿（.xlsm），请另存为不含宏的 .xlsx 后再上传"
NOT_A_WORKBOOK = "文件不是有效的 .xlsx 工作簿，请用 Excel 或 WPS 另存为 .xlsx 格式后再上传"
NOT_UTF8 = "文件编码须为 UTF-8（Excel 请另存为“CSV UTF-8”）"
TOO_MANY_CELLS = "文件中的单元格过多（超过 100 万个），请删除多余的内容或分批上传"
TOO_MANY_SHARED_ROWS = "文件超过 200000 行，请分批导入"
TOO_MANY_SHARED_COLUMNS = "文件超过 1000 列，请删除多余的列后再导入"
NOT_OUR_FORM = (
    "这不是从本系统下载的 Excel 填报表（缺少或改动了隐藏的 _meta 工作表），"
    "请在填报页面下载本月的 Excel 填报表，填好后再上传"
)


def sheet_too_large(sheet: str) -> str:
    return (
        f"工作表“{sheet}”内容过多：最多支持 2000 行、500 列有内容的单元格，请删除多余内容后再上传"
    )


ACCEPTED = None  # expected outcome: read normally


class DatabaseReached(Exception):
    """The shared-data file was read whole and its rows went on to the database."""


class NoDatabase:
    def __getattr__(self, name: str):
        raise DatabaseReached(name)


def read_shared(data: bytes, filename: str) -> object:
    return import_shared_file(NoDatabase(), NoDatabase(), data, filename, now=datetime.now(UTC))


@dataclass(frozen=True)
class EntryPoint:
    read: Callable[[bytes, str], object]
    genuine: Callable[[], bytes]
    filename: str
    whole_sheet: str = hostile.FIRST_SHEET  # the sheet this reader reads row by row
    row_limit: int = 0  # content rows beyond its configured limit


def genuine_form() -> bytes:
    field = MergedField(
        key="POP_REG",
        element="POP_REG",
        period="2025-03",
        label="户籍人口",
        section=None,
        unit="人",
        value_type="integer",
        required=False,
        minimum=None,
        maximum=None,
        choices=None,
        kind="stock",
        usages=(),
        order=0,
    )
    filled = Prefilled(field, "1200", "entered", locked=False, stored=True)
    return build_form_workbook("439901100201", "东岭村", "2025-03", 1, [filled])


ENTRY_POINTS = {
    "template": EntryPoint(
        read_template,
        simple_xlsx,
        "模板.xlsx",
        row_limit=2_001,
    ),
    "xlsform": EntryPoint(
        read_template,
        lambda: build_xlsform([["type", "name", "label"], ["integer", "pop", "户籍人口"]]),
        "问卷.xlsx",
        row_limit=2_001,
    ),
    "shared": EntryPoint(
        read_shared,
        lambda: workbook_bytes(
            [["org_code", "period", "POP_REG"], ["439901100201", "2025-03", "1200"]]
        ),
        "共享数据.xlsx",
        row_limit=200_001,
    ),
    "reupload": EntryPoint(
        lambda data, _filename: read_form_workbook(data),
        genuine_form,
        "填报表.xlsx",
        whole_sheet="xl/worksheets/sheet2.xml",  # _meta: the sheet read whole
        row_limit=10_007,
    ),
}

Attack = Callable[[bytes, EntryPoint], bytes]
EVERYWHERE = tuple(ENTRY_POINTS)
ATTACKS: dict[str, tuple[Attack, dict[str, str | None]]] = {
    "genuine file": (lambda data, _: data, dict.fromkeys(EVERYWHERE, ACCEPTED)),
    "billion laughs": (
        lambda data, _: hostile.with_entities(data, hostile.BILLION_LAUGHS_SHEET),
        dict.fromkeys(EVERYWHERE, UNSAFE_XML),
    ),
    "billion laughs past the prolog scan": (
        lambda data, _: hostile.with_entities(
            data, hostile.hidden_past_the_prolog(hostile.BILLION_LAUGHS_SHEET)
        ),
        dict.fromkeys(EVERYWHERE, UNSAFE_XML),
    ),
    "billion laughs in the shared strings": (
        lambda data, _: hostile.with_entities(
            data,
            hostile.hidden_past_the_prolog(hostile.BILLION_LAUGHS_SHEET),
            "xl/sharedStrings.xml",
        ),
        dict.fromkeys(EVERYWHERE, UNSAFE_XML),
    ),
    "external entity (XXE)": (
        lambda data, _: hostile.with_entities(data, hostile.EXTERNAL_ENTITY_SHEET),
        dict.fromkeys(EVERYWHERE, UNSAFE_XML),
    ),
    "external entity past the prolog scan": (
        lambda data, _: hostile.with_entities(
            data, hostile.hidden_past_the_prolog(hostile.EXTERNAL_ENTITY_SHEET)
        ),
        dict.fromkeys(EVERYWHERE, UNSAFE_XML),
    ),
    "zip bomb": (lambda data, _: hostile.zip_bomb(data), dict.fromkeys(EVERYWHERE, ZIP_BOMB)),
    "zip slip": (lambda data, _: hostile.zip_slip(data), dict.fromkeys(EVERYWHERE, ZIP_SLIP)),
    ".xlsm with a VBA project": (
        lambda data, _: hostile.with_macros(data),
        dict.fromkeys(EVERYWHERE, MACROS),
    ),
    "ELF executable renamed .xlsx": (
        lambda data, _: hostile.ELF_HEADER + data,
        dict.fromkeys(EVERYWHERE, NOT_A_WORKBOOK),
    ),
    "PE executable renamed .xlsx": (
        lambda data, _: hostile.PE_HEADER + data,
        dict.fromkeys(EVERYWHERE, NOT_A_WORKBOOK),
    ),
    "sheet declaring 17 billion cells": (
        lambda data, entry: hostile.with_declared_dimension(data, part=entry.whole_sheet),
        {
            "template": ACCEPTED,  # the declaration is not trusted; the far cell is a note
            "xlsform": ACCEPTED,
            "shared": TOO_MANY_SHARED_COLUMNS,  # its far corner cell is in column XFD
            "reupload": NOT_OUR_FORM,
        },
    ),
    "rows beyond the configured limit": (
        lambda data, entry: hostile.with_many_rows(data, entry.row_limit, entry.whole_sheet),
        {
            "template": sheet_too_large("Sheet1"),
            "xlsform": sheet_too_large("survey"),
            "shared": TOO_MANY_SHARED_ROWS,
            "reupload": NOT_OUR_FORM,
        },
    ),
    "a million empty cells": (
        lambda data, entry: hostile.with_many_cells(data, 1_000_001, entry.whole_sheet),
        dict.fromkeys(EVERYWHERE, TOO_MANY_CELLS),
    ),
}
CASES = [
    pytest.param(attack, entry, expected, id=f"{attack} → {entry}")
    for attack, (_, outcomes) in ATTACKS.items()
    for entry, expected in outcomes.items()
]


@cache
def hostile_file(attack: str, entry: str) -> bytes:
    build, _ = ATTACKS[attack]
    entry_point = ENTRY_POINTS[entry]
    return build(entry_point.genuine(), entry_point)


@dataclass(frozen=True)
class Outcome:
    kind: str  # "accepted" | "refused" | "out of memory" | "crashed"
    message: str
    seconds: float
    peak_rss: int  # bytes

    @property
    def refusal(self) -> str | None:
        assert self.kind in ("accepted", "refused"), f"{self.kind}: {self.message}"
        return self.message if self.kind == "refused" else None


def read_bounded(entry: str, data: bytes, filename: str, connection) -> None:
    """In the child: limit memory and CPU, read, report the outcome."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (TIME_LIMIT, TIME_LIMIT + 5))
    started = time.perf_counter()
    try:
        ENTRY_POINTS[entry].read(data, filename)
        kind, message = "accepted", ""
    except DatabaseReached:
        kind, message = "accepted", ""
    except InvalidInput as error:
        kind, message = "refused", error.message
    except MemoryError:
        kind, message = "out of memory", ""
    except Exception as error:
        kind, message = "crashed", f"{type(error).__name__}: {error}"
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    connection.send(Outcome(kind, message, time.perf_counter() - started, peak))


CHILDREN = multiprocessing.get_context("forkserver")
CHILDREN.set_forkserver_preload([__name__])


def run_bounded(entry: str, data: bytes, filename: str) -> Outcome:
    receiver, sender = CHILDREN.Pipe(duplex=False)
    child = CHILDREN.Process(target=read_bounded, args=(entry, data, filename, sender))
    child.start()
    sender.close()
    try:
        if not receiver.poll(TIME_LIMIT):
            pytest.fail(f"no answer within {TIME_LIMIT} s")
        try:
            return receiver.recv()
        except EOFError:
            pytest.fail(f"the child died (exit code {child.exitcode}): over its CPU limit?")
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()


@pytest.mark.parametrize(("attack", "entry", "expected"), CASES)
def test_hostile_file_is_refused_within_bounds(attack: str, entry: str, expected) -> None:
    entry_point = ENTRY_POINTS[entry]
    outcome = run_bounded(entry, hostile_file(attack, entry), entry_point.filename)
    assert outcome.refusal == expected
    assert outcome.seconds < TIME_LIMIT
    assert outcome.peak_rss < MEMORY_LIMIT


def test_executable_named_csv_is_refused_by_the_shared_import() -> None:
    outcome = run_bounded("shared", hostile.PE_HEADER + simple_xlsx(), "共享数据.csv")
    assert outcome.refusal == NOT_UTF8
