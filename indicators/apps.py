from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = "Indicators and figures"

    def ready(self) -> None:
        from indicators.changes import connect_signals

        connect_signals()
