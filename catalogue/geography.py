"""Départements and their régions (the 2016 map, in force for most of 2015-2018): pure, no
Django import. The catalogue stores a training's département; its région is derived from it so
that a place search for "Bretagne" finds Rennes and Brest."""

from catalogue.text import normalise

_REGIONS = {
    "Auvergne-Rhône-Alpes": "01 03 07 15 26 38 42 43 63 69 73 74",
    "Bourgogne-Franche-Comté": "21 25 39 58 70 71 89 90",
    "Bretagne": "22 29 35 56",
    "Centre-Val de Loire": "18 28 36 37 41 45",
    "Corse": "2A 2B",
    "Grand Est": "08 10 51 52 54 55 57 67 68 88",
    "Hauts-de-France": "02 59 60 62 80",
    "Île-de-France": "75 77 78 91 92 93 94 95",
    "Normandie": "14 27 50 61 76",
    "Nouvelle-Aquitaine": "16 17 19 23 24 33 40 47 64 79 86 87",
    "Occitanie": "09 11 12 30 31 32 34 46 48 65 66 81 82",
    "Pays de la Loire": "44 49 53 72 85",
    "Provence-Alpes-Côte d'Azur": "04 05 06 13 83 84",
    "Guadeloupe": "971",
    "Martinique": "972",
    "Guyane": "973",
    "La Réunion": "974",
    "Mayotte": "976",
}
REGION_BY_DEPARTEMENT = {
    code: region for region, codes in _REGIONS.items() for code in codes.split()
}


def region_for(departement_code: str) -> str:
    """The région of a département code ("35" -> "Bretagne"); "" when it has none (975, 99)."""
    return REGION_BY_DEPARTEMENT.get((departement_code or "").strip().upper(), "")


_BY_NORMALISED_NAME = {normalise(region): region for region in _REGIONS}


def regions_starting_with(text: str) -> list[str]:
    """The régions whose name starts with `text`, case and accents ignored ("grand est",
    "auvergne", "ile-de-france"). Only the start of the name: "Rhône" means the département,
    not every training in Auvergne-Rhône-Alpes."""
    start = normalise(text)
    return [name for key, name in _BY_NORMALISED_NAME.items() if start and key.startswith(start)]
