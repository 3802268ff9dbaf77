"""Fixtures for the hours tests: private uploads in a temporary folder, CSV helpers."""

import pytest

HEADER = "nir;annee;heures_travaillees;duree_reference;faiblement_qualifie"


@pytest.fixture(autouse=True)
def private_dir(monkeypatch, tmp_path):
    """Attestations go to a temporary folder (the field's storage is built at import)."""
    from django.core.files.storage import FileSystemStorage

    from hours.models import DifDeclaration

    folder = tmp_path / "private"
    field = DifDeclaration._meta.get_field("attestation")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=folder, base_url=None))
    return folder


@pytest.fixture
def csv_bytes():
    def make(*lines, header=HEADER, sep=";", bom=False, encoding="utf-8"):
        text = "\n".join([header.replace(";", sep), *lines]) + "\n"
        data = text.encode(encoding)
        return (b"\xef\xbb\xbf" + data) if bom else data

    return make


@pytest.fixture
def row():
    """A DeclarationRow-like row for credit_declarations."""
    from decimal import Decimal

    from hours.importer import DeclarationRow

    def make(nir, year, worked=1607, reference=None, low=False, line=0):
        return DeclarationRow(line, nir, year, Decimal(worked), reference, low)

    return make
