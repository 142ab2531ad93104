#!/usr/bin/python3
"""release_workbook.py XLSX — what a reader finds of a release in a workbook,
read back with openpyxl (not with the code that wrote it), one fact a line,
for tests/unit/test_release_text.c to compare with the figures it expects:

  about: <the About sheet's value beside the label LABEL>   (LABEL = argv[2])
  marked: <Summary codes whose Revised column holds (R)>
  notes <sheet>: <row label>/<column header> ... of every cell with a note
  sheet: <the name of the last sheet>
  revision: <measure code> <old> <new> <reason code> (Revisions sheet, one a line)
"""
import sys

import openpyxl

wb = openpyxl.load_workbook(sys.argv[1])
label = sys.argv[2]
sheets = wb.worksheets
about, summary = sheets[0], sheets[1]
for row in about.iter_rows(values_only=True):
    if row and row[0] == label:
        print("about:", row[1])

head = [c.value for c in summary[4]]  # the header row (HEAD = 3, 0-based)
code_col = 3
marked = []
if len(head) > 4 and head[4]:
    for row in summary.iter_rows(min_row=5, values_only=True):
        if len(row) > 4 and row[4] == "(R)":
            marked.append(row[code_col])
print("marked:", ",".join(sorted(marked)))

for ws in sheets:
    notes = []
    for row in ws.iter_rows():
        for c in row:
            if c.comment is not None:
                text = c.comment.text
                assert text.startswith("(R) "), text
                notes.append("%s/%s=%s" % (ws.cell(row=c.row, column=1).value,
                                           ws.cell(row=4, column=c.column).value, c.value))
    if notes:
        print("notes %s: %s" % (ws.title, " | ".join(notes)))

last = sheets[-1]
# the Revisions sheet, last, whatever its name in the workbook's language:
# its rows end with a measure code and a reason code
reasons = {"later_export", "corrected_cases", "remapped_labels", "methodology", "other"}
rows = [r for r in last.iter_rows(min_row=5, values_only=True)
        if r and len(r) > 8 and r[7] and r[8] in reasons]
if rows:
    print("sheet:", last.title)
for row in rows:
    print("revision:", row[7], row[4], row[5], row[8])
