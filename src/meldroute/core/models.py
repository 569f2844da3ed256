"""The base every domain model builds on: a public UUID and timestamps."""

import uuid

from django.db import models


class BaseModel(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("This history is append-only.")

    def delete(self):
        raise TypeError("This history is append-only.")


class AppendOnlyModel(models.Model):
    """A history row: written once, never changed (status changes of signals, referrals and cases)."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("This history is append-only.")
        super().save(*args, **kwargs)
