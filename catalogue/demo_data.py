"""A deterministic demo catalogue: invented training bodies, real-sounding certifications and
real French towns (public geography only). `seed(stdout, accounts)` is called by seed_demo;
`manage.py generate_catalogue --count N` uses the same generator."""

import random

from catalogue.geography import region_for
from catalogue.importer import ParsedRow, save_rows
from catalogue.models import ListKind, Training, TrainingKind, TrainingMode

DEFAULT_COUNT = 300
DEFAULT_SEED = 2015

# (code, département, towns); the région comes from catalogue.geography
DEPARTMENTS = [
    ("01", "Ain", ["Bourg-en-Bresse", "Oyonnax"]),
    ("06", "Alpes-Maritimes", ["Nice", "Cannes", "Antibes"]),
    ("13", "Bouches-du-Rhône", ["Marseille", "Aix-en-Provence"]),
    ("14", "Calvados", ["Caen", "Lisieux"]),
    ("21", "Côte-d'Or", ["Dijon", "Beaune"]),
    ("29", "Finistère", ["Brest", "Quimper", "Morlaix"]),
    ("31", "Haute-Garonne", ["Toulouse", "Muret"]),
    ("33", "Gironde", ["Bordeaux", "Mérignac", "Libourne"]),
    ("34", "Hérault", ["Montpellier", "Béziers", "Sète"]),
    ("35", "Ille-et-Vilaine", ["Rennes", "Saint-Malo", "Vitré"]),
    ("37", "Indre-et-Loire", ["Tours", "Amboise"]),
    ("38", "Isère", ["Grenoble", "Vienne"]),
    ("44", "Loire-Atlantique", ["Nantes", "Saint-Nazaire"]),
    ("45", "Loiret", ["Orléans", "Montargis"]),
    ("49", "Maine-et-Loire", ["Angers", "Cholet", "Saumur"]),
    ("51", "Marne", ["Reims", "Châlons-en-Champagne"]),
    ("54", "Meurthe-et-Moselle", ["Nancy", "Lunéville"]),
    ("57", "Moselle", ["Metz", "Thionville"]),
    ("59", "Nord", ["Lille", "Roubaix", "Valenciennes", "Dunkerque"]),
    ("62", "Pas-de-Calais", ["Arras", "Lens", "Calais"]),
    ("63", "Puy-de-Dôme", ["Clermont-Ferrand", "Riom"]),
    ("67", "Bas-Rhin", ["Strasbourg", "Haguenau"]),
    ("69", "Rhône", ["Lyon", "Villeurbanne", "Villefranche-sur-Saône"]),
    ("75", "Paris", ["Paris"]),
    ("76", "Seine-Maritime", ["Rouen", "Le Havre", "Dieppe"]),
    ("80", "Somme", ["Amiens", "Abbeville"]),
    ("86", "Vienne", ["Poitiers", "Châtellerault"]),
    ("87", "Haute-Vienne", ["Limoges"]),
    ("92", "Hauts-de-Seine", ["Nanterre", "Boulogne-Billancourt"]),
    ("93", "Seine-Saint-Denis", ["Saint-Denis", "Montreuil", "Bobigny"]),
    ("974", "La Réunion", ["Saint-Denis", "Saint-Pierre", "Le Port"]),
]

# Invented training bodies: a prefix and a suffix, none is a real organisation.
BODY_PREFIXES = [
    "Atelier",
    "Campus",
    "Institut",
    "Centre",
    "Académie",
    "École",
    "Maison",
    "Espace",
    "Pôle",
]
BODY_SUFFIXES = [
    "des Compétences",
    "Horizon Formation",
    "Avenir Pro",
    "Cap Savoirs",
    "Trajectoires",
    "Métiers et Talents",
    "Nouvel Élan",
    "Passerelle",
    "Les Trois Rives",
    "Boussole",
    "Savoir-Faire",
    "Grand Large",
]

BRANCHES = [
    "Métallurgie",
    "Hôtellerie-restauration",
    "Commerce de détail",
    "Transport routier",
    "Propreté",
    "Bâtiment",
    "Services à la personne",
    "Banque",
]

# (intitulé, certification, kind, (min h, max h), list kinds, branch or None)
CERTIFICATIONS = [
    (
        "Se préparer au CléA",
        "Certificat CléA — socle de connaissances et de compétences",
        TrainingKind.CLEA,
        (20, 120),
        [],
        None,
    ),
    (
        "Accompagnement VAE",
        "Validation des acquis de l'expérience",
        TrainingKind.VAE,
        (12, 24),
        [],
        None,
    ),
    ("Bilan de compétences", "Bilan de compétences", TrainingKind.BILAN, (16, 24), [], None),
    (
        "Anglais professionnel",
        "TOEIC Listening and Reading",
        TrainingKind.CERTIFIANTE,
        (20, 60),
        ["copanef"],
        None,
    ),
    (
        "Anglais des affaires",
        "Linguaskill Business",
        TrainingKind.CERTIFIANTE,
        (20, 60),
        ["copanef"],
        None,
    ),
    (
        "Allemand professionnel",
        "Bright Language — allemand",
        TrainingKind.CERTIFIANTE,
        (20, 60),
        ["copanef"],
        None,
    ),
    (
        "Espagnol professionnel",
        "BULATS espagnol",
        TrainingKind.CERTIFIANTE,
        (20, 60),
        ["copanef"],
        None,
    ),
    (
        "Français langue étrangère",
        "DELF B1",
        TrainingKind.CERTIFIANTE,
        (40, 120),
        ["copanef", "coparef"],
        None,
    ),
    ("Bureautique : Excel", "TOSA Excel", TrainingKind.CERTIFIANTE, (14, 35), ["copanef"], None),
    ("Bureautique : Word", "TOSA Word", TrainingKind.CERTIFIANTE, (14, 35), ["copanef"], None),
    (
        "Compétences numériques",
        "PCIE — passeport de compétences informatique européen",
        TrainingKind.CERTIFIANTE,
        (20, 70),
        ["copanef", "coparef"],
        None,
    ),
    (
        "Secrétaire assistant",
        "Titre professionnel Secrétaire assistant (niveau IV)",
        TrainingKind.CERTIFIANTE,
        (300, 800),
        ["coparef"],
        None,
    ),
    (
        "Comptable assistant",
        "Titre professionnel Comptable assistant (niveau IV)",
        TrainingKind.CERTIFIANTE,
        (300, 900),
        ["coparef"],
        None,
    ),
    (
        "Gestionnaire de paie",
        "Titre professionnel Gestionnaire de paie (niveau III)",
        TrainingKind.CERTIFIANTE,
        (300, 700),
        ["coparef"],
        None,
    ),
    (
        "Assistant de vie aux familles",
        "Titre professionnel Assistant de vie aux familles",
        TrainingKind.CERTIFIANTE,
        (200, 600),
        ["coparef", "cpne"],
        "Services à la personne",
    ),
    (
        "Agent de propreté et d'hygiène",
        "Titre professionnel Agent de propreté et d'hygiène",
        TrainingKind.CERTIFIANTE,
        (150, 400),
        ["cpne"],
        "Propreté",
    ),
    (
        "Cuisinier",
        "CAP Cuisine",
        TrainingKind.CERTIFIANTE,
        (400, 800),
        ["coparef", "cpne"],
        "Hôtellerie-restauration",
    ),
    (
        "Serveur en restauration",
        "CAP Commercialisation et services en HCR",
        TrainingKind.CERTIFIANTE,
        (300, 700),
        ["cpne"],
        "Hôtellerie-restauration",
    ),
    (
        "Employé de commerce",
        "CAP Employé de vente spécialisé",
        TrainingKind.CERTIFIANTE,
        (300, 700),
        ["coparef", "cpne"],
        "Commerce de détail",
    ),
    (
        "Management des unités commerciales",
        "BTS Management des unités commerciales",
        TrainingKind.CERTIFIANTE,
        (600, 1200),
        ["coparef"],
        None,
    ),
    (
        "Assistant de manager",
        "BTS Assistant de manager",
        TrainingKind.CERTIFIANTE,
        (600, 1200),
        ["coparef"],
        None,
    ),
    (
        "Électricien d'équipement du bâtiment",
        "Titre professionnel Électricien d'équipement",
        TrainingKind.CERTIFIANTE,
        (400, 900),
        ["coparef", "cpne"],
        "Bâtiment",
    ),
    (
        "Soudeur",
        "CQPM Soudeur industriel",
        TrainingKind.CERTIFIANTE,
        (200, 500),
        ["cpne"],
        "Métallurgie",
    ),
    (
        "Conduite de chariots élévateurs",
        "CACES R389 catégories 1, 3 et 5",
        TrainingKind.CERTIFIANTE,
        (14, 35),
        ["copanef", "cpne"],
        "Transport routier",
    ),
    (
        "Conduite d'engins de chantier",
        "CACES R372 catégorie 4",
        TrainingKind.CERTIFIANTE,
        (21, 35),
        ["cpne"],
        "Bâtiment",
    ),
    (
        "Conducteur routier de marchandises",
        "Titre professionnel Conducteur du transport routier de marchandises sur porteur",
        TrainingKind.CERTIFIANTE,
        (280, 420),
        ["cpne"],
        "Transport routier",
    ),
    (
        "Sauveteur secouriste du travail",
        "Certificat SST",
        TrainingKind.CERTIFIANTE,
        (12, 14),
        ["copanef"],
        None,
    ),
    (
        "Création d'entreprise",
        "Accompagnement à la création et reprise d'entreprise",
        TrainingKind.CERTIFIANTE,
        (20, 80),
        ["copanef"],
        None,
    ),
    (
        "Conseiller clientèle bancaire",
        "Certificat professionnel Conseiller clientèle",
        TrainingKind.CERTIFIANTE,
        (150, 300),
        ["cpne"],
        "Banque",
    ),
    (
        "Développeur web",
        "Titre professionnel Développeur web et web mobile",
        TrainingKind.CERTIFIANTE,
        (400, 900),
        ["coparef"],
        None,
    ),
]


def generate(count: int = DEFAULT_COUNT, seed: int = DEFAULT_SEED) -> list[ParsedRow]:
    """Always the same `count` trainings for the same seed; codes 200, 201, ... (unique)."""
    rng = random.Random(seed)
    bodies = [f"{p} {s}" for p in BODY_PREFIXES for s in BODY_SUFFIXES]
    rows = []
    for index in range(count):
        title, certification, kind, (low, high), list_kinds, branch = rng.choice(CERTIFICATIONS)
        dep_code, dep_name, towns = rng.choice(DEPARTMENTS)
        region = region_for(dep_code)
        if kind in (TrainingKind.CLEA, TrainingKind.BILAN, TrainingKind.VAE):
            mode = rng.choice(
                [TrainingMode.PRESENTIEL, TrainingMode.PRESENTIEL, TrainingMode.MIXTE]
            )
        else:
            mode = rng.choice(list(TrainingMode))
        lists = []
        for list_kind in list_kinds:
            if list_kind == "copanef":
                lists.append((ListKind.COPANEF, "", ""))
            elif list_kind == "coparef":
                lists.append((ListKind.COPAREF, region, ""))
            else:
                lists.append((ListKind.CPNE, "", branch))
        rows.append(
            ParsedRow(
                line=index + 2,
                cpf_code=str(200 + index * 7 + rng.randrange(7)),
                title=title,
                certification=certification,
                provider=rng.choice(bodies),
                town=rng.choice(towns),
                department_code=dep_code,
                department_name=dep_name,
                mode=mode,
                duration_hours=rng.randint(low, high),
                kind=kind,
                lists=lists,
            )
        )
    return rows


def generate_catalogue(count: int = DEFAULT_COUNT, seed: int = DEFAULT_SEED):
    """Create or update the generated trainings (idempotent: same codes, same values)."""
    return save_rows(generate(count, seed))


def seed(stdout, accounts=None):
    before = Training.objects.count()
    report = generate_catalogue()
    stdout.write(
        f"Catalogue : {report.created} formations créées, {report.updated} mises à jour "
        f"({before + report.created} au total)."
    )
    return report
