from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Programs and organisations")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from . import (
            registry_hooks,
            signals,  # noqa: F401  (connects the activity-log receivers)
            workers,  # noqa: F401  (a worker says it is alive: programs/workers.py)
        )
        from .unstorable import install as refuse_unstorable_text

        # Every connection refuses to send text the database cannot store (a NUL).
        connection_created.connect(refuse_unstorable_text, dispatch_uid="kenshu_unstorable_text")
        registry_hooks.register()
        # After every migrate and every flush: the registry of local governments is loaded
        # when the database does not hold this version of the shipped file.
        post_migrate.connect(signals.ensure_registry, sender=self, dispatch_uid="kenshu_registry")
