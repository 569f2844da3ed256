"""The kinds of data subject requests the FG records (AVG art. 15, 16, 18)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Inzage (AVG art. 15)")
    RECTIFICATION = "rectification", _("Rectificatie (AVG art. 16)")
    RESTRICTION = "restriction", _("Beperking van de verwerking (AVG art. 18)")
    RESTRICTION_LIFTED = "restriction_lifted", _("Beperking opgeheven (AVG art. 18 lid 3)")


# How another person on the same case appears in an export: never by name, pseudonym or role.
OTHER_PERSON = "andere betrokkene"
