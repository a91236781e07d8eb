from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScaleConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "scale"
    verbose_name = _("Scale data")
