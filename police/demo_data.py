"""The demo's made-up staff (with their logins), streets and places of Casablanca, shops,
vendors, vehicles, the reasons supervisors give, and the permit registry's holders (cafés,
shops, advertising companies, developers, kiosk keepers, vendors) and what befalls the permits of
the establishments the brigades inspect: the material ``police.demo`` records."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    full_name: str
    roles: tuple[str, ...]
    brigades: tuple[str, ...]


LOGINS = (
    DemoLogin("admin", "admin-demo-2026", "Said Benkirane", ("admin",), ()),
    DemoLogin("chef.hygiene", "chef-hygiene-2026", "Nadia Berrada", ("supervisor",), ("hygiene",)),
    DemoLogin(
        "chef.stationnement",
        "chef-stationnement-2026",
        "Omar Chraibi",
        ("supervisor",),
        ("parking",),
    ),
    DemoLogin("chef.odp", "chef-odp-2026", "Khadija Lahlou", ("supervisor",), ("public_domain",)),
    DemoLogin(
        "agent.hygiene", "agent-hygiene-2026", "Youssef El Amrani", ("officer",), ("hygiene",)
    ),
    DemoLogin(
        "agent.hygiene2", "agent-hygiene2-2026", "Samira El Idrissi", ("officer",), ("hygiene",)
    ),
    DemoLogin(
        "agent.stationnement", "agent-stationnement-2026", "Karim Tazi", ("officer",), ("parking",)
    ),
    DemoLogin(
        "agent.stationnement2",
        "agent-stationnement2-2026",
        "Hicham Alaoui",
        ("officer",),
        ("parking",),
    ),
    DemoLogin("agent.odp", "agent-odp-2026", "Rachid Fassi", ("officer",), ("public_domain",)),
    DemoLogin(
        "juriste",
        "juriste-demo-2026",
        "Meryem Benjelloun",
        ("legal",),
        ("hygiene", "parking", "public_domain"),
    ),
    DemoLogin("autorisations", "autorisations-demo-2026", "Leila Amrani", ("permits",), ()),
)

STREETS = {
    "anfa": ["Boulevard d'Anfa", "Boulevard de la Corniche", "Boulevard Moulay Youssef"],
    "maarif": ["Boulevard Zerktouni", "Boulevard Bir Anzarane", "Rue Socrate"],
    "sidi_belyout": ["Boulevard Mohammed V", "Avenue des FAR", "Rue Tahar Sebti"],
    "al_fida": ["Boulevard Al Fida", "Avenue Abdellah Ben Yassine"],
    "mers_sultan": ["Boulevard de la Résistance", "Rue d'Agadir"],
    "ain_sebaa": ["Route de Rabat", "Boulevard Chefchaouni"],
    "hay_mohammadi": ["Boulevard Ali Yaâta", "Boulevard de la Grande Ceinture"],
    "roches_noires": ["Boulevard Ambassadeur Ben Aïcha", "Boulevard Moulay Slimane"],
    "ain_chock": ["Boulevard Al Qods", "Route d'El Jadida"],
    "hay_hassani": ["Boulevard Oued Oum Rabii", "Boulevard Abderrahim Bouabid"],
    "ben_msick": ["Boulevard Driss El Harti", "Rue Ben M'Sick"],
    "sbata": ["Boulevard Mohammed Bouziane", "Rue 12 Sbata"],
    "moulay_rachid": ["Boulevard Moulay Rachid", "Boulevard Driss El Harti"],
    "sidi_othmane": ["Boulevard Oqba Ben Nafii", "Rue 45 Sidi Othmane"],
    "sidi_bernoussi": ["Boulevard Ahl Loghlam", "Rue Sidi Bernoussi"],
    "sidi_moumen": ["Boulevard Sidi Moumen", "Route de Tit Mellil"],
}
FOOD_PLACES = [
    ("Café Atlas", "Café"),
    ("Snack Chez Hassan", "Snack"),
    ("Boulangerie Al Baraka", "Boulangerie"),
    ("Restaurant Dar Beida", "Restaurant"),
    ("Pâtisserie Les Délices", "Pâtisserie"),
    ("Boucherie El Fath", "Boucherie"),
    ("Épicerie Nour", "Épicerie"),
    ("Café Al Amal", "Café"),
    ("Snack Al Andalous", "Snack"),
    ("Poissonnerie Bahia", "Poissonnerie"),
    ("Laiterie Centrale", "Laiterie"),
    ("Pizzeria Napoli", "Restaurant"),
    ("Rôtisserie Marrakech", "Rôtisserie"),
    ("Salon de thé Yasmine", "Salon de thé"),
]
STREET_PLACES = [
    ("Café La Corniche", "Café"),
    ("Café de France", "Café"),
    ("Quincaillerie Atlas", "Quincaillerie"),
    ("Droguerie Moderne", "Droguerie"),
    ("Primeur Ben Ali", "Fruits et légumes"),
    ("Résidence Al Firdaous (chantier)", "Promotion immobilière"),
    ("Média Plus Affichage", "Affichage publicitaire"),
    ("Glacier Venezia", "Glacier"),
]
VENDORS = ["Abdelilah Ouazzani", "Mustapha Naciri", "Aïcha Skalli", "Brahim Ait Lahcen"]
MAKES = [
    "Dacia Logan",
    "Renault Clio",
    "Peugeot 208",
    "Hyundai Accent",
    "Fiat Uno",
    "Toyota Yaris",
    "Kia Picanto",
    "Volkswagen Golf",
    "Mercedes Classe C",
    "Dacia Sandero",
]
COLOURS = ["blanche", "grise", "noire", "rouge", "bleue", "beige"]
PLATE_LETTERS = ["A", "B", "D", "H", "W"]
CASABLANCA_PREFECTURES = [6, 7, 8, 9, 10, 11, 12, 13]
DISMISS_REASONS = [
    "Doublon d'un constat existant",
    "Erreur sur le mis en cause",
    "Activité cessée avant le constat",
]
OWNERS = [
    "M. Karim Bennani, CIN BK284511",
    "Mme Salma Idrissi, CIN BE771230",
    "M. Omar Tazi, CIN BH102938",
    "Mme Nadia Chraibi, CIN BJ650417",
]

# What the permits office granted the establishments the brigades inspect, and what became of
# it: (kind, fate). Left out: no permit at all (the officer records "no permit found").
# Fates: valid, outline (valid, drawn on the map), expiring (within 30 days), expired (before
# the inspections began, never renewed), renewed (expired while inspected, then renewed),
# suspended, amended (a larger terrace, its new arrêté printed), revoked.
ESTABLISHMENT_PERMITS: dict[str, tuple[str, str]] = {
    "Café Atlas": ("terrace", "outline"),
    "Snack Chez Hassan": ("terrace", "expired"),
    "Boulangerie Al Baraka": ("display", "revoked"),
    "Restaurant Dar Beida": ("terrace", "renewed"),
    "Pâtisserie Les Délices": ("display", "valid"),
    "Épicerie Nour": ("display", "expiring"),
    "Café Al Amal": ("terrace", "valid"),
    "Pizzeria Napoli": ("terrace", "amended"),
    "Rôtisserie Marrakech": ("terrace", "valid"),
    "Salon de thé Yasmine": ("terrace", "outline"),
    "Café La Corniche": ("terrace", "outline"),
    "Café de France": ("terrace", "renewed"),
    "Quincaillerie Atlas": ("display", "valid"),
    "Primeur Ben Ali": ("display", "expiring"),
    "Résidence Al Firdaous (chantier)": ("worksite", "amended"),
    "Glacier Venezia": ("terrace", "suspended"),
}
# Inspected on the public domain for their terraces and displays (Droguerie Moderne and Snack
# Al Andalous hold no permit).
ODP_TARGETS = (
    "Café Atlas",
    "Café Al Amal",
    "Snack Al Andalous",
    "Restaurant Dar Beida",
    "Salon de thé Yasmine",
    "Café La Corniche",
    "Café de France",
    "Quincaillerie Atlas",
    "Droguerie Moderne",
    "Primeur Ben Ali",
    "Résidence Al Firdaous (chantier)",
    "Glacier Venezia",
    "Snack Chez Hassan",
    "Boulangerie Al Baraka",
)
BILLBOARD_COMPANY = "Média Plus Affichage"  # one of the inspected establishments
ADVERTISERS = ["Affichage Atlas", "Casa Outdoor", "Panorama Média", "Maghreb Affichage"]
TERRACE_NAMES = [
    ("Café", "Le Zénith"),
    ("Café", "Al Manar"),
    ("Café", "Les Arcades"),
    ("Café", "Oasis"),
    ("Café", "Le Palace"),
    ("Café", "Mogador"),
    ("Café", "Ibn Batouta"),
    ("Café", "Le Cristal"),
    ("Restaurant", "Al Bahja"),
    ("Restaurant", "La Sqala"),
    ("Snack", "Tafilalet"),
    ("Glacier", "Le Relais"),
    ("Salon de thé", "Al Waha"),
    ("Café", "Nakhil"),
]
DISPLAY_NAMES = [
    ("Épicerie", "Al Hamd"),
    ("Primeur", "Souss"),
    ("Librairie", "Al Fikr"),
    ("Quincaillerie", "Al Amane"),
    ("Bazar", "Essaouira"),
    ("Fleuriste", "Les Roses"),
    ("Droguerie", "Al Wafa"),
    ("Boutique", "Dar Lhna"),
]
DEVELOPERS = [
    "Sakan Casa Promotion",
    "Dar Al Bina",
    "Résidences Bahia Immobilier",
    "Bâtir Moderne SARL",
    "Les Jardins d'Oasis Immobilier",
]
FIRST_NAMES = [
    "Ahmed", "Fatima", "Mohamed", "Khadija", "Hassan", "Zineb", "Abdelkader", "Naima",
    "Driss", "Latifa", "Jamal", "Souad", "Mounir", "Hafsa", "Lahcen", "Rkia",
]  # fmt: skip
LAST_NAMES = [
    "Bennis", "El Khatib", "Ouali", "Zouiten", "Amrani", "Benali", "Haddou", "Sqalli",
    "Ait Taleb", "Lamrani", "Jaidi", "Bouzid",
]  # fmt: skip
SUSPEND_REASONS = [
    "Dépassements répétés de la surface autorisée",
    "Redevance impayée après mise en demeure",
    "Travaux de voirie sur le trottoir",
]
REVOKE_REASONS = [
    "Redevance impayée depuis plus de six mois",
    "Cession du fonds de commerce sans déclaration",
    "Renonciation du titulaire",
]
AMEND_REASONS = [
    "Extension de la terrasse accordée après visite des lieux",
    "Réduction de l'emprise à la demande du titulaire",
    "Horaires d'ouverture modifiés",
]
