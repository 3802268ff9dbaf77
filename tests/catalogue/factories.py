"""Small helpers to create trainings in tests."""

from catalogue.models import EligibilityList, ListKind, Modalite, Training, TrainingKind


def make_training(code="300", **fields):
    lists = fields.pop("lists", None)
    fields.setdefault("title", "Anglais professionnel")
    fields.setdefault("certification", "TOEIC Listening and Reading")
    fields.setdefault("organisme", "Institut Horizon Formation")
    fields.setdefault("ville", "Rennes")
    fields.setdefault("departement_code", "35")
    fields.setdefault("departement_nom", "Ille-et-Vilaine")
    fields.setdefault("modalite", Modalite.PRESENTIEL)
    fields.setdefault("duree_heures", 40)
    fields.setdefault("kind", TrainingKind.CERTIFIANTE)
    training = Training.objects.create(code_cpf=code, **fields)
    if lists is None:
        lists = [EligibilityList.objects.get_or_create(kind=ListKind.COPANEF)[0]]
    training.listes.set(lists)
    return training
