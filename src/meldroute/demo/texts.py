"""Fictional texts for demo signals. No real people, addresses or businesses."""

STREETS = ["Molenstraat", "Kerkweg", "Havenkade", "Industrieweg", "Dorpsstraat", "Stationsplein", "Lindelaan",
           "Polderweg", "Sluisstraat", "Veenkade", "Marktplein", "Bloemhof", "Dijkweg", "Spoorlaan"]

BUSINESSES = [
    ("Schoonmaakbedrijf Glansrijk", "cleaning"), ("Nagelstudio Parelmoer", "beauty"),
    ("Uitzendbureau FlexVeen", "temporary_work"), ("Autowasstraat Blinkend", "automotive"),
    ("Kwekerij De Groene Kas", "agriculture"), ("Bouwbedrijf Stevig Fundament", "construction"),
    ("Massagesalon Lotusbloem", "beauty"), ("Grillroom De Smulpaap", "hospitality"),
    ("Vleesverwerking Noordkant", "meat_processing"), ("Koeriersdienst Snelweg", "logistics"),
    ("Club Maanlicht", "sex_work"), ("Hotel De Drie Wilgen", "hospitality"),
]

# (form, reporter team, description, persons) — written like a front-line employee would.
SCENARIOS = [
    ("sexual", "balie",
     "Aan de balie kwam een jonge vrouw een uittreksel aanvragen. Een oudere man voerde steeds het woord en "
     "hield haar paspoort vast. Ze keek naar hem voordat ze antwoord gaf en wist haar eigen adres niet.",
     "Vrouw, ongeveer 20 jaar, sprak weinig Nederlands. Man van ongeveer 45 jaar, kaal, donkere jas."),
    ("sexual", "toezicht",
     "Bij een avondcontrole zagen we dat in het pand boven de massagesalon steeds andere jonge vrouwen verblijven. "
     "De ramen zijn afgeplakt en er komen tot laat in de nacht mannen binnen.",
     "Minstens vier vrouwen, jong, spraken onderling een Oost-Europese taal."),
    ("sexual", "leerplicht",
     "Een leerling van 15 is al weken vaak afwezig. Ze heeft een nieuwe, veel oudere vriend die haar ophaalt bij "
     "school en ze heeft ineens dure spullen. Een vriendin zegt dat ze 'voor hem moet werken'.",
     "Meisje, 15 jaar, derde klas. Vriend ongeveer 23 jaar, rijdt in een zwarte auto."),
    ("sexual", "kcc",
     "Een inwoner belde het KCC: in de woning naast hem worden via een advertentiesite afspraken gemaakt. Hij ziet "
     "elke week andere vrouwen die nooit alleen naar buiten gaan.",
     "Onbekende vrouwen; een man die de boodschappen brengt."),
    ("labour", "toezicht",
     "Bij een controle op overbewoning troffen we veertien matrassen aan in een eengezinswoning. De bewoners werken "
     "via hetzelfde uitzendbureau, dat ook de huur van hun loon inhoudt.",
     "Ongeveer 14 mannen, 20 tot 50 jaar, Pools en Roemeens sprekend."),
    ("labour", "zwi",
     "Bij een aanvraag voor bijstand vertelde een man dat hij een schuld van 4.000 euro heeft bij de bemiddelaar die "
     "zijn reis regelde. Hij moet zijn loon contant afdragen en werkt zeven dagen per week.",
     "Man van ongeveer 30 jaar; de bemiddelaar wordt 'de baas' genoemd."),
    ("labour", "economische_zaken",
     "Bij een bedrijfsbezoek aan de kwekerij zagen we arbeiders die in containers op het terrein slapen. Ze mochten "
     "niet met ons praten; de voorman nam het gesprek over.",
     "Groep van ongeveer acht arbeiders; voorman met een rode bedrijfsbus."),
    ("labour", "wijkteam",
     "Een huishoudelijk werkster bij een gezin in de wijk lijkt nooit vrij te zijn. Ze mag volgens de buren niet "
     "alleen naar buiten en heeft geen telefoon.",
     "Vrouw, ongeveer 35 jaar, woont in bij een gezin."),
    ("labour", "vergunningen",
     "Bij de aanvraag van een exploitatievergunning voor een nagelstudio staat een katvanger als eigenaar. De "
     "werkelijke eigenaar belt steeds mee en de medewerkers wisselen elke maand.",
     "Aanvrager ongeveer 60 jaar; de 'echte' eigenaar is een man van rond de 40."),
    ("criminal", "leerplicht",
     "Een jongen van 14 spijbelt veel. Moeder vertelt dat hij 's nachts 'klusjes' doet voor oudere jongens en "
     "plotseling geld en nieuwe kleding heeft. Hij lijkt bang.",
     "Jongen, 14 jaar. Oudere jongens rond de 19 jaar met scooters."),
    ("criminal", "boa",
     "BOA's zagen bij het station een groep kinderen bedelen. Een volwassen man haalde telkens het geld bij hen op "
     "en bracht ze aan het eind van de dag met een busje weg.",
     "Drie kinderen, ongeveer 10 tot 13 jaar; een man van ongeveer 40."),
    ("criminal", "zwi",
     "Een jonge vrouw vroeg om hulp omdat er leningen en telefoonabonnementen op haar naam staan die ze niet zelf "
     "heeft afgesloten. Haar bankpas is 'uitgeleend' aan kennissen.",
     "Vrouw, 19 jaar, licht verstandelijke beperking; 'kennissen' zijn onbekend."),
    ("criminal", "toezicht",
     "Bij een woningcontrole rook het sterk naar hennep. Een jonge man die er woonde zei dat hij 'de planten moest "
     "verzorgen' om een schuld af te betalen en de woning niet mocht verlaten.",
     "Man, ongeveer 18 jaar, spreekt Vietnamees."),
    ("organ_removal", "wijkteam",
     "Een man vertelde de wijkcoach dat een kennis hem heeft aangeboden een nier te 'verkopen' om zijn schulden af "
     "te lossen. De kennis zou een reis naar het buitenland en een ziekenhuis regelen.",
     "Man, ongeveer 40 jaar, hoge schulden. De 'kennis' is onbekend."),
    ("organ_removal", "balie",
     "Een vrouw vroeg met spoed een paspoort aan voor een 'medische reis'. Een begeleider die geen familie is, "
     "betaalde en voerde het woord; zij leek niet te weten waarvoor de reis was.",
     "Vrouw, ongeveer 25 jaar; begeleider man van ongeveer 50."),
    ("", "kcc",
     "Iets voelde niet goed: een man kwam een pakket ophalen voor vijf verschillende personen die allemaal op "
     "hetzelfde adres staan ingeschreven. Hij wist hun geboortedata niet.",
     "Man van ongeveer 35 jaar."),
    ("", "balie",
     "Op één adres zijn in een maand tijd twaalf mensen ingeschreven. Ze kwamen samen met dezelfde begeleider, die "
     "alle formulieren invulde.",
     "Twaalf volwassenen; begeleider vrouw van ongeveer 40 jaar."),
]

NOTES = {
    "brp": "BRP: op het adres staan {n} personen ingeschreven, de meesten korter dan drie maanden.",
    "kvk": "KvK: het bedrijf is acht maanden geleden ingeschreven; de bestuurder wisselde twee keer.",
    "handhaving": "Handhaving: er liep al een dossier over overbewoning op dit adres; laatste controle vorig jaar.",
    "wijkteam": "Wijkteam: het gezin is bekend; er is zorg om de minderjarige, geen lopende hulpverlening.",
    "politie": "Politie (AVIM) geeft aan dat er eerder signalen over dit adres zijn binnengekomen.",
}

FEEDBACK = [
    "Dank voor uw melding. Wij hebben het signaal beoordeeld en doorgezet naar de juiste partner. Over de inhoud "
    "kunnen wij niet meer vertellen. Blijf signalen melden: ze helpen echt.",
    "Dank u wel. Uw signaal is onderzocht; er bleek geen sprake van mensenhandel, maar wel van een andere situatie "
    "die nu wordt opgepakt door een collega-afdeling.",
    "Bedankt voor uw oplettendheid. Uw melding is samen met andere signalen besproken en heeft geleid tot actie.",
]

QUESTIONS = [
    "Weet u nog hoe laat u dit zag en of er een auto bij was (merk, kleur, kenteken)?",
    "Heeft de persoon zelf iets gezegd over werk of woonruimte?",
]

REFERRAL_PURPOSES = [
    "Beoordeling van mogelijke arbeidsuitbuiting; het screeningsoverleg vraagt om een controle.",
    "Nader onderzoek naar de woon- en werksituatie op dit adres, zoals besloten in het screeningsoverleg.",
    "Mogelijk slachtoffer in beeld; verzoek om contact en beoordeling van de veiligheid.",
]
REFERRAL_OUTCOMES = [
    "Controle uitgevoerd; geen aanwijzingen voor uitbuiting aangetroffen. Signaal bij ons geregistreerd.",
    "Twee mogelijke slachtoffers gesproken en naar de zorgcoördinator verwezen; onderzoek loopt.",
    "Informatie toegevoegd aan lopend onderzoek; terugkoppeling via het screeningsoverleg.",
]
