from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from programs import registry

        from . import registry_hooks

        registry.register_program_sections(registry_hooks.program_sections)
        registry.register_demo_seeder(registry_hooks.seed)
        for link in registry_hooks.NAV:
            registry.register_nav(link)
        for reminder in registry_hooks.REMINDERS:
            registry.register_reminder(reminder)
