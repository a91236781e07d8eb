"""Which administrative entity an official works for: the basis of department scoping."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class EntityMembership(models.Model):
    """An official's membership of an administrative entity (and so of its units)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("official"),
        on_delete=models.CASCADE,
        related_name="entity_memberships",
    )
    entity = models.ForeignKey(
        "disclosure.AdministrativeEntity",
        verbose_name=_("administrative entity"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("entity membership")
        verbose_name_plural = _("entity memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "entity"], name="membership_user_entity_unique")
        ]
        permissions = [
            ("act_for_all_entities", _("Can keep the records of every administrative entity")),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.entity}"
