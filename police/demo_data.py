"""The demo's made-up staff (with their logins), streets and places of Casablanca, shops,
vendors, vehicles and the reasons supervisors give: the material ``police.demo`` records."""

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
