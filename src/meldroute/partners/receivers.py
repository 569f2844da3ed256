"""Every change of a sharing rule is an event in the audit chain, whichever path made it (Django admin, shell): the
rule decides what leaves the system, so who changed it, and to what, must be provable."""

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from meldroute.accounts.safety_net import current_actor, is_audited_by_service
from meldroute.audit.services import record_event
from meldroute.audit.targets import target_of

from .models import SharingRule

RULE_FIELDS = ("region_id", "partner_type", "category", "grounds", "source")


@receiver(pre_save, sender=SharingRule, dispatch_uid="partners_rule_pre_save")
def _remember_rule(sender: type[SharingRule], instance: SharingRule, raw: bool = False, **kwargs: Any) -> None:
    instance._before = None  # type: ignore[attr-defined]
    if not raw and instance.pk is not None:
        instance._before = SharingRule.objects.filter(pk=instance.pk).values(*RULE_FIELDS).first()  # type: ignore[attr-defined]


def _details(rule: SharingRule, change: str) -> dict[str, Any]:
    # Configuration, not personal data: the rule's values themselves go into the chain.
    return {"change": change, "region_id": rule.region_id, "partner_type": rule.partner_type,
            "category": rule.category, "grounds": sorted(rule.grounds or [])}


@receiver(post_save, sender=SharingRule, dispatch_uid="partners_rule_saved")
def _audit_rule_saved(sender: type[SharingRule], instance: SharingRule, created: bool, raw: bool = False,
                      **kwargs: Any) -> None:
    if raw or is_audited_by_service():
        return
    before = getattr(instance, "_before", None) or {}
    changed = [name.removesuffix("_id") for name in RULE_FIELDS
               if created or before.get(name) != getattr(instance, name)]
    if not changed:
        return
    details = _details(instance, "created" if created else "changed")
    if before and before.get("grounds") != instance.grounds:
        details["grounds_before"] = sorted(before.get("grounds") or [])
    record_event(actor=current_actor(), action="sharing_rule.changed", target_type=target_of(instance),
                 target_uuid=instance.uuid, fields=changed, purpose="deelregels beheren", details=details)


@receiver(post_delete, sender=SharingRule, dispatch_uid="partners_rule_deleted")
def _audit_rule_deleted(sender: type[SharingRule], instance: SharingRule, **kwargs: Any) -> None:
    if is_audited_by_service():
        return
    record_event(actor=current_actor(), action="sharing_rule.changed", target_type=target_of(instance),
                 target_uuid=instance.uuid, fields=list(RULE_FIELDS[1:]), purpose="deelregels beheren",
                 details=_details(instance, "deleted"))
