"""factory_boy factories and a small world of organisations and users for the tests."""

import secrets
from datetime import timedelta
from types import SimpleNamespace

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from meldroute.accounts import services as account_services
from meldroute.accounts.constants import Role
from meldroute.accounts.models import ApiToken, RoleAssignment, User, hash_token_secret
from meldroute.accounts.safety_net import audited_by_service
from meldroute.audit.models import AuditEvent
from meldroute.intake import services as intake_services
from meldroute.intake.constants import Channel, SignalStatus
from meldroute.organisations.constants import OrganisationKind
from meldroute.organisations.models import Organisation, Region

# Smallest valid files of each kind, for attachment tests (content is checked, not the name).
PNG_BYTES = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15"
             b"\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_upload(name="foto.png"):
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    name = factory.Sequence(lambda n: f"Testregio {n}")
    slug = factory.Sequence(lambda n: f"testregio-{n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Gemeente Test{n}")
    kind = OrganisationKind.MUNICIPALITY
    region = factory.SubFactory(RegionFactory)
    code = factory.Sequence(lambda n: f"GM8{n:03d}")
    email = factory.LazyAttribute(lambda o: f"info@{o.code.lower()}.example")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    email = factory.LazyAttribute(lambda u: f"{u.username}@test.example")
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.django.Password("Test-wachtwoord-123")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # A test's world is built quietly: the audit safety net (accounts.receivers) is for changes of power made
        # outside the services, and would otherwise put one event per fixture user into every test's chain.
        with audited_by_service():
            return super()._create(model_class, *args, **kwargs)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        with audited_by_service():
            for role in extracted or ():
                RoleAssignment.objects.create(user=self, role=role)
        self.__dict__.pop("roles", None)  # reset the cached_property


def make_api_token(owner, *, days: int = 30) -> str:
    """An API token's secret, for `Authorization: Token <secret>`. For an organisation: a token of its system
    (through the real service). For a user: a token acting as that user, so older API tests keep their viewpoint."""
    if isinstance(owner, Organisation):
        _token, secret = account_services.create_api_token(owner, actor=None, name="test", valid_days=days,
                                                            reason="test")
        return secret
    secret = secrets.token_urlsafe(24)
    with audited_by_service():
        ApiToken.objects.create(organisation_id=owner.organisation_id, user=owner, name="test", prefix=secret[:8],
                                key_hash=hash_token_secret(secret),
                                expires_at=timezone.now() + timedelta(days=days))
    return secret


def make_signal(reporter, *, municipality=None, is_acute=False, channel=Channel.INTERNAL, indicators=(),
                uploads=(), **data):
    """File a signal through the real service (history, audit and deadlines included)."""
    data.setdefault("description", "Vrouw aan de balie had haar paspoort niet zelf in handen.")
    data.setdefault("reporter_team", "balie")
    return intake_services.register_signal(
        actor=reporter, municipality=municipality or reporter.organisation, is_acute=is_acute, data=data,
        indicators=indicators, uploads=uploads, channel=channel)


def build_world() -> SimpleNamespace:
    """Municipalities A and B in region R1 (with a police partner), municipality C in region R2; a user per role."""
    r1, r2 = RegionFactory(name="Regio Een", slug="regio-een"), RegionFactory(name="Regio Twee", slug="regio-twee")
    a = OrganisationFactory(name="Gemeente Aadorp", code="GM8901", region=r1)
    b = OrganisationFactory(name="Gemeente Beekstad", code="GM8902", region=r1)
    c = OrganisationFactory(name="Gemeente Cederveen", code="GM8903", region=r2)
    police = OrganisationFactory(name="Politie Regio Een", code="POL-R1", kind=OrganisationKind.POLICE, region=r1,
                                 email="")
    police2 = OrganisationFactory(name="Politie Regio Twee", code="POL-R2", kind=OrganisationKind.POLICE, region=r2,
                                  email="")
    zvh = OrganisationFactory(name="ZVH Regio Een", code="ZVH-R1", kind=OrganisationKind.ZVH, region=r1, email="")
    riec = OrganisationFactory(name="RIEC Regio Een", code="RIEC-R1", kind=OrganisationKind.RIEC, region=r1, email="")
    w = SimpleNamespace(region=r1, region2=r2, a=a, b=b, c=c, police=police, police2=police2, zvh=zvh, riec=riec)
    w.melder_a = UserFactory(username="melder_a", organisation=a, roles=[Role.MELDER], team="balie")
    w.melder_a2 = UserFactory(username="melder_a2", organisation=a, roles=[Role.MELDER], team="kcc")
    w.af_a = UserFactory(username="af_a", organisation=a, roles=[Role.AF])
    w.af_a2 = UserFactory(username="af_a2", organisation=a, roles=[Role.AF])
    w.melder_b = UserFactory(username="melder_b", organisation=b, roles=[Role.MELDER])
    w.af_b = UserFactory(username="af_b", organisation=b, roles=[Role.AF])
    w.af_c = UserFactory(username="af_c", organisation=c, roles=[Role.AF])
    w.partner = UserFactory(username="partner_politie", organisation=police, roles=[Role.PARTNER])
    w.partner2 = UserFactory(username="partner_politie2", organisation=police2, roles=[Role.PARTNER])
    w.zorgcoordinator = UserFactory(username="zorgco", organisation=zvh, roles=[Role.ZORGCOORDINATOR])
    w.procesregisseur = UserFactory(username="procesregisseur", organisation=zvh, roles=[Role.PROCESREGISSEUR])
    w.casusregisseur = UserFactory(username="casusregisseur", organisation=zvh, roles=[Role.CASUSREGISSEUR])
    w.ketenregisseur = UserFactory(username="ketenregisseur", organisation=riec, roles=[Role.KETENREGISSEUR])
    w.beheerder = UserFactory(username="beheerder", organisation=a, roles=[Role.BEHEERDER], is_staff=True)
    w.burgemeester = UserFactory(username="burgemeester", organisation=a, roles=[Role.BURGEMEESTER])
    return w


class BrokenEmailBackend:
    """A mail server that is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server unreachable")


# --- The audit trail and the signal's status, as the services tests read and set them ----------------------------


def audit_mark() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def actions_since(mark: int) -> list[str]:
    return list(AuditEvent.objects.filter(id__gt=mark).order_by("id").values_list("action", flat=True))


def to_triage(signal, af):
    return intake_services.transition_signal(signal, actor=af, to_status=SignalStatus.IN_TRIAGE)


def to_closed(signal, af):
    to_triage(signal, af)
    return intake_services.transition_signal(signal, actor=af, to_status=SignalStatus.CLOSED, text="Afgerond.")
