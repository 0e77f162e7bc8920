"""The export, template and import commands keep their contract, exit codes included."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from tests.conftest import run_wddf as wddf


def test_export_template_and_import_from_the_command_line(tmp_path):
    url = f"sqlite:///{tmp_path}/cli.sqlite3"
    assert wddf("db", "upgrade", url=url).returncode == 0
    add = ("users", "add", "awa", "--role", "focal_point", "--country", "SLE", "--password-stdin")
    assert wddf(*add, url=url, stdin="Focal-point-pass-1\n").returncode == 0
    assert wddf("demo", "load", "--countries", "2", "--years", "3", url=url).returncode == 0

    workbook, package = tmp_path / "all.xlsx", tmp_path / "sle.zip"
    assert wddf("export", "--all", "--lang", "fr", "-o", str(workbook), url=url).returncode == 0
    assert load_workbook(io.BytesIO(workbook.read_bytes())).sheetnames[0] == "Couverture"
    assert wddf("export", "--country", "SLE", "-o", str(package), url=url).returncode == 0
    assert wddf("export", "--all", "-o", str(tmp_path / "x.pdf"), url=url).returncode == 2

    template = tmp_path / "offline.xlsx"
    made = wddf(
        "template",
        "--country",
        "SLE",
        "--year",
        "2026",
        "--user",
        "awa",
        "-o",
        str(template),
        url=url,
    )
    assert made.returncode == 0, made.stderr
    wb = load_workbook(template)
    wb["WD1"]["H2"], wb["WD1"]["I2"], wb["WD1"]["H3"] = "B", "Decree 2021/4", "Z"
    wb.save(template)
    refused = wddf("import", str(template), "--user", "awa", url=url)
    assert (
        refused.returncode == 2
        and "WD1!H3: Z is not one of" in refused.stderr
        and refused.stdout == ""
    )
    wb["WD1"]["H3"] = "C"
    wb["WD1"]["I3"] = "Strategy adopted 2022"
    wb.save(template)
    dry = wddf("import", str(template), "--user", "awa", "--dry-run", url=url)
    assert dry.returncode == 0 and "would change 2 answer(s)" in dry.stdout
    done = wddf("import", str(template), "--user", "awa", url=url)
    assert done.returncode == 0 and "WD1.1.1: — → B" in done.stdout
    again = wddf("import", str(template), "--user", "awa", url=url)
    assert "changed 0 answer(s)" in again.stdout
    wb["WD1"]["H2"] = "A"  # the file was made before its own import: a conflict now
    wb.save(template)
    kept = wddf("import", str(template), "--user", "awa", url=url)
    assert (
        "WD1.1.1: changed in the app since the file was made (file A, app B); kept" in kept.stdout
    )
    assert "changed 0 answer(s)" in kept.stdout
    taken = wddf("import", str(template), "--user", "awa", "--take-file", "WD1.1.1", url=url)
    assert "WD1.1.1: B → A" in taken.stdout and "took the file's" in taken.stdout
