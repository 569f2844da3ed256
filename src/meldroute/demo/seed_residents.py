"""The demo's public form for residents (issue 16): on for Veenhorst, off for the other municipalities (whose page
then links to Meld Misdaad Anoniem and the regional zorgcoördinatie), and two residents' signals in Veenhorst's
inbox."""

from datetime import timedelta

from django.utils import timezone

from meldroute.accounts.models import User
from meldroute.intake import resident_services
from meldroute.intake.models import Indicator
from meldroute.organisations.models import Organisation

from .clock import frozen_now

RESIDENT_MUNICIPALITY = "GM9901"  # Veenhorst
LOCAL_HELP = ("Zorgcoördinatie mensenhandel Veenhorst", "https://zorgcoordinatie-veenhorst.example")
# (hours ago, description, address, indicator codes) — written like a resident would, all fictional.
RESIDENT_SIGNALS = [
    (30, "Elke ochtend om half zes stopt er een wit busje bij het huis naast ons. Er stappen steeds andere mannen in; "
         "ze zien er moe uit en zeggen nooit iets terug als we groeten.", "Polderweg 41, Veenhorst",
     ["general_restricted_movement"]),
    (5, "Bij de nagelsalon op de hoek slapen volgens mij meisjes in de achterkamer. Het licht is tot diep in de nacht "
        "aan en ze gaan nooit alleen naar buiten.", "Marktplein 7, Veenhorst", []),
]


def seed_residents(orgs: dict[str, Organisation], users: dict[str, User]) -> int:
    municipality = orgs[RESIDENT_MUNICIPALITY]
    name, url = LOCAL_HELP
    for organisation in orgs.values():
        if organisation.is_municipality and organisation.region_id == municipality.region_id:
            resident_services.set_resident_form(organisation, actor=users["beheerder"],
                                                is_enabled=organisation.pk == municipality.pk,
                                                local_help_name=name, local_help_url=url)
    now = timezone.now()
    for hours, description, address, codes in RESIDENT_SIGNALS:
        with frozen_now(now - timedelta(hours=hours)):
            resident_services.register_resident_signal(
                municipality, address=f"demo-{hours}", data={"description": description, "address": address},
                indicators=Indicator.objects.filter(code__in=codes))
    return len(RESIDENT_SIGNALS)
