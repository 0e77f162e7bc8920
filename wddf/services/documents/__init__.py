"""What leaves the tool as a file.

Entry points: ``reports`` (``collect``: the donor workbook's and the data package's tables),
``country_report`` (the report to WGAAP as Word or PDF, its sentences in ``report_readings``,
what it takes from the assessment's records in ``report_annexes``)
and ``downloads`` (every file a page offers, behind one route).
"""
