from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchemeConfig(AppConfig):
    name = "scheme"
    verbose_name = _("The scheme office")

    def ready(self) -> None:
        from programs import registry

        from . import demo, due, registry_hooks, reminders

        registry.register_due(due.due_for)
        registry.register_demo_seeder(demo.seed)
        for link in registry_hooks.NAV:
            registry.register_nav(link)
        registry.register_trainee_namer(registry_hooks.contact_names_trainees)
        for reminder in reminders.REMINDERS:
            registry.register_reminder(reminder)
