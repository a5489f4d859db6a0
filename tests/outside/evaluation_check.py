#!/usr/bin/env python3
"""Checks an evaluation folder's briefing.xlsx as a reader's tools see it.

Usage: evaluation_check.py EVAL_DIR LANG

openpyxl: the sheets of LANG (id or en), the effects table's header on row 4, one row per
row of evaluation.csv from row 5 with the window's dates as dates, the days as a whole
number and the effect as a fraction in a percent format that equals evaluation.csv's
effect_pct (written there with 3 decimals); the Daily sheet has a row per row of
evaluation_days.csv. Exits non-zero with a message on the first failure.
"""
import csv
import datetime
import sys
from pathlib import Path

import openpyxl

SHEETS = {"id": ["Evaluasi", "Harian"], "en": ["Evaluation", "Daily"]}


def fail(msg):
    sys.exit(f"evaluation_check: {msg}")


def main():
    folder, lang = Path(sys.argv[1]), sys.argv[2]
    wb = openpyxl.load_workbook(folder / "briefing.xlsx")
    if wb.sheetnames != SHEETS[lang]:
        fail(f"sheets {wb.sheetnames}, expected {SHEETS[lang]}")
    effects = list(csv.DictReader(open(folder / "evaluation.csv", encoding="utf-8")))
    ws = wb[SHEETS[lang][0]]
    for i, row in enumerate(effects):
        cells = [c for c in ws[5 + i]]
        site, start, end, days, effect = (cells[0].value, cells[2].value, cells[3].value,
                                          cells[4].value, cells[8])
        if site != row["site"]:
            fail(f"row {5 + i}: site {site!r}, evaluation.csv has {row['site']!r}")
        want = datetime.datetime.strptime(row["window_from"], "%Y-%m-%d")
        if start != want or not isinstance(end, datetime.datetime):
            fail(f"row {5 + i}: window {start!r}..{end!r}, expected dates from {want}")
        if days != int(row["days"]):
            fail(f"row {5 + i}: days {days!r}, expected {row['days']}")
        if "%" not in effect.number_format:
            fail(f"row {5 + i}: the effect's format {effect.number_format!r} is not a percent")
        if abs(100 * effect.value - float(row["effect_pct"])) > 0.0006:
            fail(f"row {5 + i}: effect {effect.value!r}, evaluation.csv {row['effect_pct']}")
    daily = sum(1 for _ in open(folder / "evaluation_days.csv", encoding="utf-8")) - 1
    rows = sum(1 for r in wb[SHEETS[lang][1]].iter_rows(min_row=2) if r[0].value is not None)
    if rows != daily:
        fail(f"Daily sheet has {rows} rows, evaluation_days.csv {daily}")
    print(f"evaluation_check: {lang}: {len(effects)} effects, {daily} days")


main()
