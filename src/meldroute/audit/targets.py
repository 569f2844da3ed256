"""The name an audit event or access-log entry gives its target: one rule, `target_of(model_or_instance)`.

Each audited model writes its name down as a class attribute, `audit_target = "care.trajectory"`, and every service,
selector and export asks `target_of(...)` for it. Why written down and not derived from `_meta.label_lower`: these
names are stored in the hash-chained audit and access log and searched by them, so they may never change — a
CareTrajectory has always been "care.trajectory", and renaming a model must not rename its history. A model without
the attribute is refused, so a new target is named on purpose. `audit` imports no domain app: this reads the
attribute, it does not know the models.
"""

from typing import Any


def target_of(model_or_instance: Any) -> str:
    """The stored target name of an audited model (class or instance); TypeError if it has no `audit_target`."""
    target = getattr(model_or_instance, "audit_target", None)
    if not isinstance(target, str) or not target:
        raise TypeError(f"{model_or_instance!r} has no audit_target: name it on the model before auditing it")
    return target
