"""Write a `Book` as XLSX (openpyxl), CSV or HTML.

XLSX: a sheet per record, the header row frozen, widths set, text wrapped, missing
cells filled in amber and listed on a last sheet. Pages are set up for A3 landscape,
fitted to the width, so the workbook prints (and converts to PDF) as a readable
record. CSV: one sheet, as the spreadsheet shows it. HTML: every sheet, one page.
"""

from __future__ import annotations

import csv
import io

import markupsafe

from skydd.records.phrases import p
from skydd.records.sheet import Book, Sheet

MISSING_FILL = "FFD966"
FONT_SIZE = 9
LINE_HEIGHT = 12  # points per line of 9 pt text
_CHARS_PER_UNIT = 1.15  # 9 pt characters per unit of column width (sized for 11 pt)
HEADER_FILL = "DDE4EE"
FORMATS = ("xlsx", "csv", "html", "json")


def _lines(text: str, width: int) -> int:
    """How many lines ``text`` wraps to in a column ``width`` wide (an estimate)."""
    per_line = max(1, int(width * _CHARS_PER_UNIT))
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))


def to_xlsx(book: Book) -> bytes:
    """The workbook as bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    for default in list(wb.worksheets):
        wb.remove(default)
    wb.properties.title = book.title
    wb.properties.creator = "Skydd"
    header_font = Font(bold=True, size=FONT_SIZE)
    body_font = Font(size=FONT_SIZE)
    header_fill = PatternFill("solid", fgColor=HEADER_FILL)
    missing_fill = PatternFill("solid", fgColor=MISSING_FILL)
    wrap = Alignment(wrap_text=True, vertical="top")
    missing_rows = [
        (s.name, row, col.header, cell.hint or cell.missing or "")
        for s, row, col, cell in book.missing()
    ]
    missing_sheet = Sheet(p(book.lang, "sheet.missing"), "", [])
    for sheet in [*book.sheets, missing_sheet] if book.list_missing else book.sheets:
        ws = wb.create_sheet(sheet.name[:31])
        if sheet is missing_sheet:
            headers = [p(book.lang, k) for k in ("col.sheet", "col.row", "col.column", "col.hint")]
            widths = [22, 40, 40, 70]
            rows: list[list[tuple[str, bool]]] = [
                [(v, False) for v in r] for r in missing_rows
            ] or [[(p(book.lang, "doc.complete"), False), ("", False), ("", False), ("", False)]]
        else:
            headers = [c.header for c in sheet.columns]
            widths = [c.width for c in sheet.columns]
            rows = [[(c.text, c.missing is not None) for c in row] for row in sheet.rows]
        ws.append(headers)
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
            cell = ws.cell(row=1, column=i)
            cell.font, cell.fill, cell.alignment = header_font, header_fill, wrap
        # Spreadsheets do not grow rows to fit wrapped text written by openpyxl, and
        # LibreOffice prints what it shows: set each row's height from its longest cell.
        lines = max(_lines(h, w) for h, w in zip(headers, widths, strict=True))
        ws.row_dimensions[1].height = lines * LINE_HEIGHT + 4
        for values in rows:
            ws.append([v for v, _ in values])
            row = ws.max_row
            for i, (_, missing) in enumerate(values, start=1):
                cell = ws.cell(row=row, column=i)
                cell.alignment, cell.font = wrap, body_font
                if missing:
                    cell.fill = missing_fill
            lines = max(_lines(v, w) for (v, _), w in zip(values, widths, strict=True))
            ws.row_dimensions[row].height = min(409, lines * LINE_HEIGHT + 4)
        ws.freeze_panes = "B2" if sheet is not missing_sheet else "A2"
        ws.print_title_rows = "1:1"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A3
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        title = f"{book.title} – {sheet.title or sheet.name}"
        ws.oddHeader.center.text = title.replace("&", "&&")  # '&' starts a code there
        ws.oddFooter.center.text = "&P / &N"
        if book.lines:  # the controller and the day the record speaks for
            ws.oddFooter.left.text = " · ".join(book.lines).replace("&", "&&")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def to_csv(sheet: Sheet) -> str:
    """One sheet as CSV; a missing cell says so in its text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([c.header for c in sheet.columns])
    for row in sheet.rows:
        writer.writerow([c.text for c in row])
    return buffer.getvalue()


_CSS = """
body { font-family: system-ui, sans-serif; font-size: 11pt; margin: 1.5em; }
table { border-collapse: collapse; width: 100%; margin-bottom: 2em; }
th, td { border: 1px solid #999; padding: 4px 6px; vertical-align: top; text-align: left;
         white-space: pre-line; }
th { background: #dde4ee; position: sticky; top: 0; }
td.missing { background: #ffd966; font-weight: bold; }
@page { size: A3 landscape; margin: 12mm; }
"""


def to_html(book: Book) -> str:
    """Every sheet as a table on one page, missing cells highlighted and listed."""
    esc = markupsafe.escape
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{esc(book.lang)}"><head><meta charset="utf-8">',
        f"<title>{esc(book.title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{esc(book.title)}</h1>",
    ]
    parts += [f"<p>{esc(line)}</p>" for line in book.lines]
    for sheet in book.sheets:
        parts.append(f'<h2 id="{esc(sheet.name)}">{esc(sheet.title or sheet.name)}</h2>')
        parts.append("<table><thead><tr>")
        parts += [f'<th scope="col">{esc(c.header)}</th>' for c in sheet.columns]
        parts.append("</tr></thead><tbody>")
        for row in sheet.rows:
            cells = [
                f'<td class="missing">{esc(c.text)}</td>'
                if c.missing
                else f"<td>{esc(c.text)}</td>"
                for c in row
            ]
            parts.append("<tr>" + "".join(cells) + "</tr>")
        parts.append("</tbody></table>")
    parts += _missing_section(book)
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _missing_section(book: Book) -> list[str]:
    """What the map could not fill, as a heading and a list; nothing for a register."""
    if not book.list_missing:
        return []
    esc = markupsafe.escape
    parts = [f"<h2>{esc(p(book.lang, 'sheet.missing'))}</h2>"]
    missing = book.missing()
    if not missing:
        return [*parts, f"<p>{esc(p(book.lang, 'doc.complete'))}</p>"]
    parts.append(f"<p>{esc(p(book.lang, 'doc.missing_count', n=len(missing)))}</p><ul>")
    parts += [
        f"<li>{esc(s.name)} · {esc(row)} · {esc(col.header)}: {esc(cell.hint or '')}</li>"
        for s, row, col, cell in missing
    ]
    return [*parts, "</ul>"]
