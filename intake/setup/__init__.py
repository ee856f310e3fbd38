"""Setting a council up from one workbook (issue 14): its names and DfE place, priorities,
indicators, targets (fixed, trajectories and anticipated ranges), populations and LAIT links.

The stages mirror the figure import (indicators/imports/): ``layout`` says what each sheet
and column is; ``reader`` turns the workbook's bytes (through ``imports.sheets``) into checked
rows and problems without the database; ``planner`` compares them with what is stored into
a ``plan`` (the preview: every addition, change and problem by sheet, row and column) and
``apply`` writes it in one transaction; ``export`` writes the same workbook from the database,
or blank as the template.
"""
