#!/usr/bin/env python3
"""Checks a run folder's briefing.xlsx as a reader's tools see it.

Usage: workbook_check.py RUN_DIR LANG [--sensitivity] [--decomposition]

openpyxl: the sheet names and headers of LANG (id, en or both), number cells that are
numbers with the expected number formats, dates as dates, the Daily sheet's Excel table
and frozen header, the Summary sheet's two charts. pandas.read_excel: every Summary value
equals the matching row of the run's summary.csv (written with 3 decimals). With
--sensitivity, the Sensitivity sheet holds the tornado rows of a sweep. With
--decomposition (a run with a bundle of measures), the Decomposition sheet holds every row
of decomposition.csv, its contributions as numbers equal to the CSV's and per working day
equal to them over the window's working days.
Exits non-zero with a message on the first failure.
"""
import csv
import datetime
import math
import sys
from pathlib import Path

import openpyxl
import pandas as pd

SHEETS = {
    "id": ["Ringkasan", "Skenario", "Harian", "Wilayah", "Sumber", "Kalibrasi"],
    "en": ["Summary", "Scenarios", "Daily", "Regions", "Sources", "Calibration"],
    "both": ["Ringkasan (Summary)", "Skenario (Scenarios)", "Harian (Daily)",
             "Wilayah (Regions)", "Sumber (Sources)", "Kalibrasi (Calibration)"],
}
SENSITIVITY = {"id": "Sensitivitas", "en": "Sensitivity", "both": "Sensitivitas (Sensitivity)"}
DECOMPOSITION = {"id": "Dekomposisi", "en": "Decomposition",
                 "both": "Dekomposisi (Decomposition)"}
SCENARIO = {"id": "Skenario", "en": "Scenario", "both": "Skenario / Scenario"}
DATE = {"id": "Tanggal", "en": "Date", "both": "Tanggal / Date"}
MEDIAN = {"id": "Median (p50)", "en": "Median (p50)", "both": "Median (p50) / Median (p50)"}
FACTOR = {"id": "Faktor", "en": "Factor", "both": "Faktor / Factor"}

# Summary sheet: header rows 4-5, scenarios from row 6 (1-based). Columns (0-based) after
# name, title, window start, window end and working days: groups of p05, p50, p95.
# (first column, region basis, metric, component, how the cell relates to the CSV)
GROUPS = [
    (5, "all", "trips", "gross", "per_day"),
    (8, "all", "trips", "gross", "total"),
    (11, "all", "trips", "gross", "share"),
    (14, "all", "co2", "net", "tonnes"),
    (17, "all", "pm25", "net", "total"),
    (20, "all", "pm25_total", "net", "total"),
    (23, "all", "nox", "net", "total"),
    (26, "all", "co", "net", "total"),
    (29, "dki_roads", "vehicles", "net", "per_day"),
    (32, "dki_roads", "vehicles", "net", "share"),
    (35, "dki_roads", "pm25", "net", "share"),
]
FORMATS = {"per_day": "#,##0", "total": None, "share": "0.000%", "tonnes": "#,##0.0"}
Q = ["p05", "p50", "p95"]


def fail(msg):
    sys.exit(f"workbook_check: {msg}")


def check(cond, msg):
    if not cond:
        fail(msg)


def main():
    run = Path(sys.argv[1])
    lang = sys.argv[2]
    sensitivity = "--sensitivity" in sys.argv[3:]
    decomposition = "--decomposition" in sys.argv[3:]
    path = run / "briefing.xlsx"
    check(path.is_file(), f"{path} missing")
    wb = openpyxl.load_workbook(path)
    expected = (SHEETS[lang] + ([DECOMPOSITION[lang]] if decomposition else [])
                + ([SENSITIVITY[lang]] if sensitivity else []))
    check(wb.sheetnames == expected, f"sheets {wb.sheetnames} != {expected}")
    for name in wb.sheetnames:
        check(len(name) <= 31 and not any(c in name for c in "/\\?*[]:"), f"sheet name {name!r}")

    rows = list(csv.DictReader(open(run / "summary.csv", newline="")))
    scenarios = list(dict.fromkeys(r["scenario"] for r in rows))
    by_key = {}
    for r in rows:
        by_key.setdefault((r["scenario"], r["region_basis"], r["metric"], r["component"]), r)

    summary = wb[SHEETS[lang][0]]
    check(summary["A4"].value == SCENARIO[lang], f"Summary A4 {summary['A4'].value!r}")
    check(summary["G5"].value == MEDIAN[lang], f"Summary G5 {summary['G5'].value!r}")
    check(len(summary._charts) == 2, f"Summary has {len(summary._charts)} charts, not 2")
    for i, name in enumerate(scenarios):
        r = 6 + i
        check(summary.cell(r, 1).value == name, f"Summary row {r}: {summary.cell(r, 1).value!r}")
        for c in (3, 4):
            cell = summary.cell(r, c)
            check(isinstance(cell.value, datetime.datetime), f"{cell.coordinate} not a date")
            check(cell.number_format == "yyyy-mm-dd", f"{cell.coordinate} {cell.number_format}")
        for first, _, _, _, kind in GROUPS:
            for j in range(3):
                cell = summary.cell(r, first + j + 1)
                if cell.value is None:
                    continue
                check(isinstance(cell.value, (int, float)), f"{cell.coordinate} is not a number")
                want = FORMATS[kind]
                if want:
                    check(cell.number_format == want, f"{cell.coordinate} {cell.number_format} != {want}")
                check("#,##0" in cell.number_format or "%" in cell.number_format,
                      f"{cell.coordinate} format {cell.number_format}")

    # The values, read as pandas reads them, against summary.csv.
    df = pd.read_excel(path, sheet_name=0, header=None, skiprows=5, nrows=len(scenarios))
    checked = 0
    for i, name in enumerate(scenarios):
        check(df.iloc[i, 0] == name, f"pandas row {i}: {df.iloc[i, 0]!r}")
        trips = by_key[(name, "all", "trips", "gross")]
        days = float(trips["window_working_days"])
        check(df.iloc[i, 4] == days, f"{name}: working days {df.iloc[i, 4]} != {days}")
        for first, basis, metric, comp, kind in GROUPS:
            row = by_key.get((name, basis, metric, comp))
            for j, q in enumerate(Q):
                x = df.iloc[i, first + j]
                if row is None:
                    check(pd.isna(x), f"{name} {metric}: a value without a CSV row")
                    continue
                total = float(row[f"total_{q}"])
                if kind == "total":
                    got, want, tol = x, total, 0.0005
                elif kind == "tonnes":
                    got, want, tol = x * 1000.0, total, 0.0005
                elif kind == "per_day":
                    got, want, tol = x * days, total, 0.0005
                    if q == "p50":
                        check(abs(x - float(row["per_day_p50"])) <= 0.0005 + 1e-9,
                              f"{name} {basis} {metric}: per day {x} != {row['per_day_p50']}")
                else:
                    got, want, tol = x * 100.0, float(row[f"pct_baseline_{q}"]), 0.0005
                check(abs(got - want) <= tol + 1e-9 * max(1.0, abs(want)),
                      f"{name} {basis} {metric} {comp} {kind} {q}: {got} != {want} (summary.csv)")
                checked += 1
    check(checked >= 30 * len(scenarios) * 0.9, f"only {checked} values checked")

    daily = wb[SHEETS[lang][2]]
    check(len(daily.tables) == 1, f"Daily has {len(daily.tables)} tables")
    check(daily.freeze_panes == "A2", f"Daily freeze panes {daily.freeze_panes!r}")
    check(daily["A1"].value == DATE[lang], f"Daily A1 {daily['A1'].value!r}")
    daily_rows = [r for r in csv.DictReader(open(run / "daily.csv", newline=""))
                  if (r["region_basis"], r["region"], r["mode"]) == ("all", "all", "all")]
    check(daily.max_row == 1 + len(daily_rows), f"Daily rows {daily.max_row - 1} != {len(daily_rows)}")
    first = daily_rows[0]
    check(daily["A2"].value.strftime("%Y-%m-%d") == first["date"], "Daily A2 is not the first date")
    check(daily["A2"].number_format == "yyyy-mm-dd", f"Daily A2 {daily['A2'].number_format}")
    check(daily["C2"].number_format == "#,##0", f"Daily C2 {daily['C2'].number_format}")
    check(daily["C2"].value == float(first["baseline_trips"]), "Daily C2 is not baseline_trips")

    scen = wb[SHEETS[lang][1]]
    shares = [c for row in scen.iter_rows() for c in row if c.number_format == "0%"]
    check(shares and all(isinstance(c.value, (int, float)) and 0 <= c.value <= 1 for c in shares),
          "Scenarios: no share cells as fractions formatted 0%")
    regions = wb[SHEETS[lang][3]]
    check(len(regions.tables) == 1 and regions.freeze_panes == "A2", "Regions: table and frozen header")
    check(isinstance(regions["E2"].value, float) and regions["G2"].number_format == "0.000%",
          "Regions: numbers with formats")

    if sensitivity:
        sens = wb[SENSITIVITY[lang]]
        check(sens["C2"].value == FACTOR[lang], f"Sensitivity C2 {sens['C2'].value!r}")
        swings = [sens.cell(r, 9).value for r in range(3, sens.max_row + 1)]
        swings = [v for v in swings if v is not None]
        check(swings and all(isinstance(v, (int, float)) and v >= 0 for v in swings),
              "Sensitivity: swings are not numbers")
    if decomposition:
        check_decomposition(wb[DECOMPOSITION[lang]], run, lang)
    print(f"workbook_check: {path} ({lang}) ok, {checked} summary values")


def check_decomposition(sheet, run, lang):
    """Every row of decomposition.csv in order from row 4: its key as text, its
    contribution p05/p50/p95 (columns H-J) as numbers equal to the CSV's (3 decimals),
    the working days (K) and the contribution per working day (L-N)."""
    check(sheet["A3"].value == SCENARIO[lang], f"Decomposition A3 {sheet['A3'].value!r}")
    rows = list(csv.DictReader(open(run / "decomposition.csv", newline="")))
    check(rows, "decomposition.csv has no rows")
    for i, r in enumerate(rows):
        n = 4 + i
        cells = [sheet.cell(n, c).value for c in range(1, 16)]
        key = [r["scenario"], r["region_basis"], r["region"], r["metric"], r["component"], r["unit"]]
        check([cells[0]] + cells[2:7] == key, f"Decomposition row {n}: {cells[:7]} != {key}")
        check(cells[1] == r["part"] or r["part"] == "WFH orders",
              f"Decomposition row {n}: part {cells[1]!r} != {r['part']!r}")
        days = cells[10]
        check(isinstance(days, (int, float)) and days >= 1, f"Decomposition row {n}: days {days!r}")
        for j, q in enumerate(["p05", "p50", "p95"]):
            want = float(r[f"contribution_{q}"])
            got, per_day = cells[7 + j], cells[11 + j]
            check(isinstance(got, (int, float)) and abs(got - want) <= 0.0005 + 1e-12 * abs(want),
                  f"Decomposition row {n} {q}: {got!r} != {want} (decomposition.csv)")
            # A level (the congestion level, in percent) is one per working day already.
            per = 1.0 if r["unit"] == "percent" else days
            check(abs(per_day * per - got) <= 1e-9 * max(1.0, abs(got)),
                  f"Decomposition row {n} {q}: {per_day} per day x {per} != {got}")
        check(cells[14] == float(r["replicates"]), f"Decomposition row {n}: replicates {cells[14]!r}")
    check(sheet.cell(4 + len(rows), 1).value is None, "Decomposition: a row more than the CSV's")


if __name__ == "__main__":
    main()
