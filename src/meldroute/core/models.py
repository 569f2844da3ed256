"""The bases every domain model builds on: a public UUID and timestamps; append-only records."""

import uuid
from typing import Any, NoReturn

from django.db import models
from django.utils.choices import CallableChoiceIterator
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

# Each field's choices as a dict, made once: Django's get_FOO_display() rebuilds it on every call, ~70-90 µs for the
# product's longer TextChoices, and the list pages call it for every cell of every row (issue 17). The labels stay
# lazy, so the dict holds for every language.
_display_choices: "dict[models.Field[Any, Any], dict[Any, Any]]" = {}


class BaseModel(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field: "models.Field[Any, Any]") -> Any:  # noqa: N802 (Django's name)
        if isinstance(field.choices, CallableChoiceIterator):  # choices that may change: Django's own way
            return super()._get_FIELD_display(field)
        choices = _display_choices.get(field)
        if choices is None:
            choices = _display_choices[field] = dict(make_hashable(field.flatchoices))
        value = getattr(self, field.attname)
        return force_str(choices.get(make_hashable(value), value), strings_only=True)


class AppendOnlyError(TypeError):
    """A row of an append-only record was to be changed or deleted (a TypeError: it is a programming error)."""


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(f"{self.model.__name__} is append-only: rows cannot be updated.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError(f"{self.model.__name__} is append-only: rows cannot be deleted.")

    def _raw_delete(self, using: Any) -> NoReturn:  # used by cascades
        raise AppendOnlyError(f"{self.model.__name__} is append-only: rows cannot be deleted.")


class AppendOnlyModel(models.Model):
    """A row written once, never changed or deleted: the status histories (signals, referrals, cases) and the
    audit chains. The model and its queryset refuse; on PostgreSQL the audit tables' triggers refuse as well."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError(f"{type(self).__name__} is append-only: rows cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(f"{type(self).__name__} is append-only: rows cannot be deleted.")


class JobState(models.Model):
    """One background job's state, shared by every worker (core.jobs): who holds it now (a lease, so two workers
    never run one job at once), when it last ran and succeeded, and its failures with the backoff they earned.
    The last error is the exception's class name only: messages may carry data that must not be shown."""

    name = models.CharField(max_length=64, unique=True)
    locked_by = models.CharField(max_length=128, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveIntegerField(default=0)
    next_run_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=128, blank=True)

    def __str__(self) -> str:
        return self.name


class WorkerHeartbeat(models.Model):
    """A worker's sign of life, written at the start of every round; readiness (core.health) reads the newest."""

    worker = models.CharField(max_length=128, unique=True)
    last_seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.worker
