from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TraineesConfig(AppConfig):
    name = "trainees"
    verbose_name = _("Trainees: reflections and surveys")

    def ready(self) -> None:
        from programs import registry

        from . import demo, registry_hooks, reminders, signals

        signals.connect(self)

        for provider in registry_hooks.TRAINEE_DUE:
            registry.register_due(provider)
        registry.register_due(registry_hooks.due_for_readers)
        registry.register_program_sections(registry_hooks.program_sections)
        for link in registry_hooks.NAV:
            registry.register_nav(link)
        registry.register_demo_seeder(demo.seed)
        registry.register_demo_seeder(demo.seed_interviews)
        registry.register_demo_seeder(demo.seed_training_reports)
        for reminder in reminders.REMINDERS:
            registry.register_reminder(reminder)
