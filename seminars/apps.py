from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeminarsConfig(AppConfig):
    name = "seminars"
    verbose_name = _("Trips and seminars")

    def ready(self) -> None:
        from programs import registry

        from . import demo, registry_hooks, reminders, signals

        signals.connect()

        for origin in registry_hooks.ORIGINS:
            registry.register_activity_origin(origin)
        for planner in registry_hooks.PLANNERS:
            registry.register_placeholder_planner(planner)
        registry.register_program_sections(registry_hooks.program_sections)
        registry.register_due(registry_hooks.due_for)
        registry.register_due(registry_hooks.due_for_hosts)
        registry.register_due(registry_hooks.due_for_supervisors)
        registry.register_demo_seeder(demo.seed)
        registry.register_date_check(registry_hooks.trip_outside)
        registry.register_own_writing(registry_hooks.filed_trip_reports)
        registry.register_publish_check(registry_hooks.publish_checklist)
        for link in registry_hooks.NAV:
            registry.register_nav(link)
        for reminder in reminders.REMINDERS:
            registry.register_reminder(reminder)
