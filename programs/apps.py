from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Programs and organisations")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the activity-log receivers)
