from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from programs import registry

        from . import answers

        registry.register_program_sections(answers.program_sections)
        registry.register_demo_seeder(answers.seed)
        for reminder in answers.REMINDERS:
            registry.register_reminder(reminder)
