"""The country report to the WGAAP as an editable Word document (python-docx). Pure: a
``CountryReport`` (tables and sentences already in the report's language) and ``labels`` in,
.docx bytes out. The services gather it (``wddf.services.country_report``) and print it to PDF.

Sections: cover, summary, the assessment process, scores and grades with coverage, the law,
policy and practice gap, progress since the last assessment, panel agreement, the policy
priority matrix, the methodology, and an annex of every dimension's grade.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from textwrap import shorten

import pandas as pd
from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from matplotlib.font_manager import FontProperties, findfont
from matplotlib.ft2font import FT2Font

from exports import report_charts

TEXT_WIDTH = Cm(17)
PAGE_TEXT_CM = {"portrait": 17.0, "landscape": 25.7}  # A4 less 2 cm margins
CODE_WIDTHS = {  # cm: ids and figures, wide enough for their heading in every language
    "goal_id": 2.1,
    "indicator_id": 2.3,
    "dimension_id": 2.3,
    "coverage": 2.2,
    "score": 1.8,
    "year": 1.5,
}
MATRIX_WIDTHS = {  # cm on a landscape page; evidence of progress takes what is left
    "priority": 1.7,
    "dimensions": 2.2,
    "action": 3.5,
    "owner": 2.4,
    "partners": 2.4,
    "estimated_cost": 2.4,  # with its currency: 1 250 000 USD
    "timeframe": 2.0,
    "deadline": 2.0,
    "target_grade": 1.6,
    "status": 1.8,
}
CELL_PT, HEADING_PT = 8, 7  # table text, and its header row
CELL_PADDING_CM = 0.45  # a cell's left and right margins (0.19 cm each), and a little room
MEASURE_PT = 800  # headings are measured large, then scaled: small sizes round to whole pixels
SCORE_COLUMNS = frozenset({"score", "law", "policy", "practice", "gap"})
TABLE_STYLE = "Light Grid Accent 1"
DEMO_RED = RGBColor(0xB2, 0x18, 0x2B)


@dataclass
class CountryReport:
    """What the report says about one country's assessment of one year.

    Tables carry their columns under the export's label keys (``col.<name>``); ``readings`` are
    whole sentences in the report's language, keyed by section; ``number`` writes a score the
    language's way."""

    lang: str
    title: str
    subtitle: str
    cover: list[tuple[str, str]]  # label, value
    readings: dict[str, list[str]]
    goals: pd.DataFrame  # goal_id, title, score, coverage
    indicators: pd.DataFrame  # indicator_id, title, grade, grade_m1, grade_m2, score, coverage
    layers: pd.DataFrame  # goal_id (or the word for overall), law, policy, practice, gap
    history: pd.DataFrame  # year, score
    changes: pd.DataFrame  # dimension_id, title, last_grade, grade, change, change_reason
    agreement: pd.DataFrame  # dimension_id, n_groups, lowest, highest, consensus
    steps: pd.DataFrame  # step, status, by, at, comment
    groups: pd.DataFrame  # group, answers
    matrix: pd.DataFrame  # the donor workbook's matrix columns
    dimensions: pd.DataFrame  # dimension_id, title, layer, grade, last_grade
    method: list[str]
    panels: pd.DataFrame = field(default_factory=pd.DataFrame)  # panel, goals, members, sessions
    sessions: pd.DataFrame = field(default_factory=pd.DataFrame)  # panel, at, place, attendees…
    participants: pd.DataFrame = field(default_factory=pd.DataFrame)  # name, institution, group…
    workshop_changes: pd.DataFrame = field(default_factory=pd.DataFrame)  # dimension, before…
    carried: pd.DataFrame = field(default_factory=pd.DataFrame)  # goal_id, title, confirmed…
    number: Callable[[float | None, int], str] = field(default=lambda v, digits=1: str(v))
    percent: Callable[[float | None], str] = field(default=lambda v: str(v))
    is_demo: bool = False
    sector: pd.DataFrame = field(default_factory=pd.DataFrame)  # item, value, year, source
    statements: list[tuple[str, str]] = field(default_factory=list)  # heading, text
    background: pd.DataFrame = field(default_factory=pd.DataFrame)  # goal_id, title, body…
    dstar: pd.DataFrame = field(default_factory=pd.DataFrame)  # dimension_id, title, missing
    evidence: pd.DataFrame = field(default_factory=pd.DataFrame)  # dimension_id, grade…

    def cell(self, column: str, value: object) -> str:
        """A table cell's text: scores with one decimal and shares as percentages, written the
        language's way, amounts whole, nothing for a missing value."""
        if value is None or value is pd.NA or (not isinstance(value, str) and pd.isna(value)):
            return ""
        if isinstance(value, int | float) and not isinstance(value, bool):
            if column == "coverage":
                return self.percent(float(value))
            if column in SCORE_COLUMNS:
                return self.number(float(value), 1)
            if column == "estimated_cost":
                return self.number(value, 0)
        return str(value)


def _language(document: DocumentType, lang: str) -> None:
    """Mark the text as written in ``lang`` (spelling checks and hyphenation follow it)."""
    tag = {"en": "en-GB", "fr": "fr-FR", "pt": "pt-PT"}.get(lang, "en-GB")
    properties = document.styles["Normal"].element.get_or_add_rPr()
    found = properties.find(qn("w:lang"))
    if found is None:
        found = OxmlElement("w:lang")
        properties.append(found)
    found.set(qn("w:val"), tag)


def _paginate(table) -> None:
    """The header row is repeated at the top of every page a table runs onto, and no row is
    split between two pages."""
    for index, row in enumerate(table.rows):
        properties = row._tr.get_or_add_trPr()
        for tag in ("w:cantSplit", "w:tblHeader") if index == 0 else ("w:cantSplit",):
            flag = OxmlElement(tag)
            flag.set(qn("w:val"), "true")
            properties.append(flag)


def _table(
    document: DocumentType,
    frame: pd.DataFrame,
    labels: Mapping[str, str],
    report: CountryReport,
    widths: Mapping[str, float] | None = None,
    page: str = "portrait",
) -> None:
    """A table with a header row of labels (``col.<column>``) and one row per frame row, its
    columns as wide as ``_column_widths`` says."""
    columns = list(frame.columns)
    widths = _column_widths(columns, labels, widths or {}, page)
    table = document.add_table(rows=1, cols=len(columns))
    table.style = TABLE_STYLE
    table.autofit = False
    for cell, column in zip(table.rows[0].cells, columns, strict=True):
        cell.text = labels[f"col.{column}"]
    for row in frame.astype(object).itertuples(index=False, name=None):
        cells = table.add_row().cells
        for cell, value, column in zip(cells, row, columns, strict=True):
            cell.text = report.cell(column, value)
    for grid_column, column in zip(table.columns, columns, strict=True):
        grid_column.width = Cm(widths[column])  # the grid LibreOffice lays the table out by
    for index, row in enumerate(table.rows):
        size = Pt(HEADING_PT if index == 0 else CELL_PT)
        for cell, column in zip(row.cells, columns, strict=True):
            cell.width = Cm(widths[column])  # the cells Word lays it out by
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = size
    _paginate(table)


def _column_widths(
    columns: Sequence[str], labels: Mapping[str, str], given: Mapping[str, float], page: str
) -> dict[str, float]:
    """Widths (cm): the columns ``given`` (or in ``CODE_WIDTHS``) get theirs, the others share
    what is left of the page. No column is narrower than the longest word of its heading, which
    so never breaks inside a word; a table too wide for the page narrows the columns that are
    wider than their heading, in proportion."""
    floors = {c: heading_floor(labels[f"col.{c}"]) for c in columns}
    given = {c: CODE_WIDTHS[c] for c in columns if c in CODE_WIDTHS} | dict(given)
    widths = {c: max(width, floors[c]) for c, width in given.items() if c in floors}
    rest = [c for c in columns if c not in widths]
    if rest:
        left = PAGE_TEXT_CM[page] - sum(widths.values()) - sum(floors[c] for c in rest)
        widths.update({c: floors[c] + max(left, 0) / len(rest) for c in rest})
    excess = sum(widths.values()) - PAGE_TEXT_CM[page]
    slack = {c: widths[c] - floors[c] for c in columns}
    if excess > 0 and sum(slack.values()) > 0:
        cut = min(1.0, excess / sum(slack.values()))
        widths = {c: widths[c] - slack[c] * cut for c in columns}
    return widths


def heading_floor(heading: str) -> float:
    """The width (cm) a column needs for the longest word of its heading, measured in DejaVu
    Sans Bold: the font LibreOffice prints a heading in without the document's Calibri, and
    wider than Calibri, which Word uses."""
    font = _heading_font()
    widest = 0.0
    for word in heading.split():
        font.set_text(word)
        widest = max(widest, font.get_width_height()[0])
    return widest / 64 / MEASURE_PT * HEADING_PT / 72 * 2.54 + CELL_PADDING_CM


@cache
def _heading_font() -> FT2Font:
    font = FT2Font(findfont(FontProperties(family="DejaVu Sans", weight="bold")))
    font.set_size(MEASURE_PT, 72)
    return font


def _paragraphs(document: DocumentType, lines: Sequence[str]) -> None:
    for line in lines:
        document.add_paragraph(line)


def _picture(
    document: DocumentType,
    image: bytes,
    title: str,
    figures: Sequence[tuple[object, str]],
    labels: Mapping[str, str],
) -> None:
    """A chart, its text alternative (its title and every figure it draws, for a screen reader
    or a reader without the picture) and a numbered caption under it."""
    shape = document.add_picture(io.BytesIO(image), width=TEXT_WIDTH)
    described = "; ".join(f"{name}: {value}" for name, value in figures)
    properties = shape._inline.docPr  # python-docx has no public setter for alt text
    properties.set("title", title)
    properties.set("descr", f"{title}. {described}" if described else title)
    number = sum(1 for p in document.paragraphs if p.style.name == "Caption") + 1
    document.add_paragraph(
        labels["report.figure"].format(number=number, title=title), style="Caption"
    )


def _cover(document: DocumentType, report: CountryReport, labels: Mapping[str, str]) -> None:
    document.add_heading(report.title, level=0)
    document.add_paragraph(report.subtitle).runs[0].font.size = Pt(14)
    if report.is_demo:
        run = document.add_paragraph().add_run(labels["report.demo"])
        run.bold, run.font.color.rgb = True, DEMO_RED
    table = document.add_table(rows=0, cols=2)
    table.style = TABLE_STYLE
    for label, value in report.cover:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    document.add_paragraph(labels["report.editable"])
    document.add_heading(labels["report.h.contents"], level=2)
    for key in CONTENTS:
        document.add_paragraph(labels[key], style="List Number")
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _summary(document: DocumentType, report: CountryReport, labels: Mapping[str, str]) -> None:
    document.add_heading(labels["report.h.summary"], level=1)
    _paragraphs(document, report.readings["summary"])
    if len(report.goals):
        names = zip(report.goals["goal_id"], report.goals["title"], strict=True)
        titles = [shorten(f"{goal} {title}", 52, placeholder="…") for goal, title in names]
        scores = report.goals["score"].tolist()
        title = labels["report.chart.goals"]
        figures = [(t, report.number(v, 1)) for t, v in zip(titles, scores, strict=True)]
        _picture(document, report_charts.score_bars(titles, scores, title), title, figures, labels)


def _sector(document: DocumentType, report: CountryReport, labels: Mapping[str, str]) -> None:
    """The sector data sheet, then the statements for WGAAP, each under its own heading."""
    document.add_heading(labels["report.h.sector"], level=1)
    if len(report.sector):
        _table(document, report.sector, labels, report, {"item": 6, "source": 5})
    else:
        document.add_paragraph(labels["report.sector.none"])
    for heading, text in report.statements:
        document.add_heading(heading, level=2)
        _paragraphs(document, text.splitlines())


def _background(document: DocumentType, report: CountryReport, labels: Mapping[str, str]) -> None:
    """Each goal's background report: the investigators' findings and their citations."""
    document.add_heading(labels["report.h.background"], level=1)
    if not len(report.background):
        document.add_paragraph(labels["report.background.none"])
    for goal, title, body, citations in report.background.itertuples(index=False):
        document.add_heading(f"{goal} {title}", level=2)
        _paragraphs(document, body.splitlines())
        if citations:
            document.add_paragraph(labels["col.citations"]).runs[0].bold = True
            for line in citations.splitlines():
                if line.strip():
                    document.add_paragraph(line.strip(), style="List Bullet")


def _process(document: DocumentType, report: CountryReport, labels: Mapping[str, str]) -> None:
    document.add_heading(labels["report.h.process"], level=1)
    _paragraphs(document, report.readings["process"])
    for name, frame, widths in (
        ("panels", report.panels, {"panel": 5}),
        ("sessions", report.sessions, {"decisions": 5, "dimensions": 3}),
        ("participants", report.participants, {"name": 4.5, "institution": 4.5}),
        ("workshop_changes", report.workshop_changes, {"reason": 9}),
        ("carried", report.carried, {"title": 6}),
    ):
        if len(frame):
            document.add_heading(labels[f"report.h.{name}"], level=2)
            _table(document, frame, labels, report, widths)
    if len(report.steps):
        document.add_heading(labels["report.h.steps"], level=2)
        _table(document, report.steps, labels, report, {"comment": 6})
    if len(report.groups):
        document.add_heading(labels["report.h.groups"], level=2)
        _table(document, report.groups, labels, report, {"group": 8, "answers": 3})


def _scores(document: DocumentType, report: CountryReport, labels: Mapping[str, str]) -> None:
    document.add_heading(labels["report.h.scores"], level=1)
    _paragraphs(document, report.readings["scores"])
    document.add_heading(labels["report.h.goals"], level=2)
    _table(document, report.goals, labels, report, {"title": 9})
    document.add_heading(labels["report.h.indicators"], level=2)
    _table(document, report.indicators, labels, report, {"title": 5.5})
    document.add_heading(labels["report.h.dstar"], level=2)
    if len(report.dstar):
        _table(document, report.dstar, labels, report, {"title": 5, "missing": 8})
    else:
        document.add_paragraph(labels["report.dstar.none"])


def _gap(document: DocumentType, report: CountryReport, labels: Mapping[str, str]) -> None:
    document.add_heading(labels["report.h.gap"], level=1)
    _paragraphs(document, report.readings["gap"])
    if len(report.layers):
        layers = {n: report.layers[n].tolist() for n in ("law", "policy", "practice")}
        legend = {n: labels[f"layer.{n}"] for n in layers}
        title = labels["report.chart.gap"]
        goals = report.layers["goal_id"].tolist()
        image = report_charts.layer_bars(goals, layers, legend, title)
        figures = [
            (goal, " / ".join(f"{legend[n]} {report.number(layers[n][i], 1)}" for n in layers))
            for i, goal in enumerate(goals)
        ]
        _picture(document, image, title, figures, labels)
        _table(document, report.layers, labels, report)


def _progress(document: DocumentType, report: CountryReport, labels: Mapping[str, str]) -> None:
    document.add_heading(labels["report.h.progress"], level=1)
    _paragraphs(document, report.readings["progress"])
    if len(report.history) > 1:
        years, scores = report.history["year"].tolist(), report.history["score"].tolist()
        title = labels["report.chart.progress"]
        image = report_charts.progress_line(years, scores, title)
        figures = [(y, report.number(v, 1)) for y, v in zip(years, scores, strict=True)]
        _picture(document, image, title, figures, labels)
    if len(report.changes):
        _table(document, report.changes, labels, report, {"title": 5})


def _agreement(document: DocumentType, report: CountryReport, labels: Mapping[str, str]) -> None:
    document.add_heading(labels["report.h.agreement"], level=1)
    _paragraphs(document, report.readings["agreement"])
    if len(report.agreement):
        _table(document, report.agreement, labels, report)


def _matrix(document: DocumentType, report: CountryReport, labels: Mapping[str, str]) -> None:
    """The matrix on landscape pages of its own, since it has many columns."""
    section = document.add_section()
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    document.add_heading(labels["report.h.matrix"], level=1)
    _paragraphs(document, report.readings["matrix"])
    if len(report.matrix):
        _table(document, report.matrix, labels, report, MATRIX_WIDTHS, page="landscape")
    section = document.add_section()
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = section.page_height, section.page_width


def _method(document: DocumentType, report: CountryReport, labels: Mapping[str, str]) -> None:
    document.add_heading(labels["report.h.method"], level=1)
    _paragraphs(document, report.method)
    document.add_heading(labels["report.h.annex"], level=1)
    _table(document, report.dimensions, labels, report, {"title": 8})
    document.add_heading(labels["report.h.evidence"], level=1)
    if len(report.evidence):
        _table(document, report.evidence, labels, report, {"justification": 8, "evidence": 5.5})
    else:
        document.add_paragraph(labels["report.evidence.none"])


SECTIONS = (
    _cover,
    _summary,
    _sector,
    _process,
    _background,
    _scores,
    _gap,
    _progress,
    _agreement,
    _matrix,
    _method,
)


# The sections the cover lists, in the order the report prints them.
CONTENTS = (
    "report.h.summary",
    "report.h.sector",
    "report.h.process",
    "report.h.background",
    "report.h.scores",
    "report.h.gap",
    "report.h.progress",
    "report.h.agreement",
    "report.h.matrix",
    "report.h.method",
    "report.h.annex",
    "report.h.evidence",
)


def _field(paragraph, code: str) -> None:
    """A Word field (``PAGE``, ``NUMPAGES``) that Word and LibreOffice fill in as they print."""
    run = paragraph.add_run()
    begin, instruction, end = OxmlElement("w:fldChar"), OxmlElement("w:instrText"), None
    begin.set(qn("w:fldCharType"), "begin")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = f" {code} "
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instruction, end):
        run._r.append(element)


def _running_header_and_page_numbers(
    document: DocumentType, report: CountryReport, labels: Mapping[str, str]
) -> None:
    """On every page: the report's subject at the top (with the demo warning for demo data), and
    "page X of Y" at the foot. Later sections share the first's header and footer."""
    for index, part in enumerate(document.sections):
        if index and part.header.is_linked_to_previous and part.footer.is_linked_to_previous:
            continue
        part.header.is_linked_to_previous = False
        part.footer.is_linked_to_previous = False
        top = part.header.paragraphs[0]
        top.add_run(report.subtitle).font.size = Pt(8)
        if report.is_demo:
            run = part.header.add_paragraph().add_run(labels["report.demo_header"])
            run.bold, run.font.color.rgb = True, DEMO_RED
        foot = part.footer.paragraphs[0]
        before, between = labels["report.page"].split("{page}")
        between, after = between.split("{pages}")
        foot.add_run(before)
        _field(foot, "PAGE")
        foot.add_run(between)
        _field(foot, "NUMPAGES")
        foot.add_run(after)


def country_report_docx(report: CountryReport, labels: Mapping[str, str]) -> bytes:
    """The report as .docx bytes: A4, 2 cm margins, in the report's language."""
    document = Document()
    _language(document, report.lang)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    document.core_properties.title = f"{report.title}: {report.subtitle}"
    document.core_properties.language = report.lang
    for write in SECTIONS:
        write(document, report, labels)
    _running_header_and_page_numbers(document, report, labels)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
