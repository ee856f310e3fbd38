from django.apps import AppConfig


class IntakeConfig(AppConfig):
    """Every way data comes in: the entry grid, milestones, figure imports, the set-up
    workbook, the DfE LAIT import, publishing, and the administration pages."""

    name = "intake"
    verbose_name = "Data in"
