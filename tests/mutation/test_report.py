"""The mutation report's arithmetic (tests/mutation/report.py), on made-up results."""

import json

from tests.mutation import report


def test_status_of_mutmut_exit_codes():
    assert [report.status_of(code) for code in (1, 3, 0, 33, 36, None, 99)] == [
        "killed",
        "killed",
        "survived",
        "no tests",
        "timeout",
        "not checked",
        "suspicious",
    ]


def test_module_of_functions_and_methods():
    assert report.module_of("nir.rules.x_age_on__mutmut_7") == "nir.rules"
    assert (
        report.module_of("delegations.models.xǁDelegationǁis_in_force__mutmut_2")
        == "delegations.models"
    )


def test_equivalent_ids_are_the_headings():
    text = "# Title\n\n### `hours.accrual.x_combine__mutmut_5`\nreason `a.b.x_c__mutmut_1`\n"
    assert report.equivalent_ids(text) == {"hours.accrual.x_combine__mutmut_5"}


def test_score_leaves_equivalents_out(tmp_path, capsys, monkeypatch):
    results = {
        "m.x_f__mutmut_1": 1,
        "m.x_f__mutmut_2": 1,
        "m.x_f__mutmut_3": 0,
        "m.x_f__mutmut_4": 0,
        "m.x_f__mutmut_5": 36,
        "m.x_f__mutmut_6": 33,
    }
    (tmp_path / "mutants").mkdir()
    (tmp_path / "mutants" / "m.py.meta").write_text(json.dumps({"exit_code_by_key": results}))
    equivalents = tmp_path / "EQUIVALENT_MUTANTS.md"
    equivalents.write_text("### `m.x_f__mutmut_4`\nSame result.\n")
    monkeypatch.setattr(report, "ROOT", tmp_path)
    monkeypatch.setattr(report, "EQUIVALENTS_FILE", equivalents)

    (row,) = report.score(report.load_results(tmp_path), {"m.x_f__mutmut_4"})
    assert (row["killed"], row["survived"], row["equivalent"], row["other"]) == (3, 1, 1, 1)
    assert row["percent"] == 60.0
    assert row["survivors"] == ["m.x_f__mutmut_3", "m.x_f__mutmut_6"]

    assert report.main(["--min", "60"]) == 0
    assert "60.0 %" in capsys.readouterr().out
    assert report.main(["--min", "61"]) == 1
    # A listed mutant that the tests now kill: the list is stale.
    equivalents.write_text("### `m.x_f__mutmut_1`\n")
    assert report.main(["--min", "0"]) == 1
    assert "Listed as equivalent but killed: m.x_f__mutmut_1" in capsys.readouterr().out
