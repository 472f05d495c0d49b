from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Programs and organisations")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from . import (
            registry_hooks,
            signals,  # noqa: F401  (connects the activity-log receivers)
        )
        from .unstorable import install as refuse_unstorable_text

        # Every connection refuses to send text the database cannot store (a NUL).
        connection_created.connect(refuse_unstorable_text, dispatch_uid="kenshu_unstorable_text")
        registry_hooks.register()
