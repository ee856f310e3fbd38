from django.apps import AppConfig


class ScorecardConfig(AppConfig):
    name = "scorecard"

    def ready(self) -> None:
        from scorecard.pdf import install_signal_handlers

        # So that a server stopped with SIGTERM closes the PDF printer's Chromium first.
        install_signal_handlers()
