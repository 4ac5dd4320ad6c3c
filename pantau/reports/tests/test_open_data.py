"""Open data (/publik/.../data/*.csv|json): stable addresses, UTF-8 CSV with BOM that no spreadsheet runs as a
formula, JSON with its licence, a data dictionary that documents every column, and figures that are the REST API's
own for a logged-in user who may see them (issue 14 item 4, "all reproducible from the API")."""

import csv
import io
from decimal import Decimal

import pytest

from pantau.reports import opendata
from pantau.reports.tests.conftest import make


def read_csv(body: bytes) -> list[dict[str, str]]:
    """A CSV download as rows of text (the BOM checked and dropped)."""
    assert body.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def api_results(client, url: str) -> list[dict]:
    """Every item of an API list (pages of 100 followed)."""
    items = []
    while url:
        page = client.get(url).json()
        items += page["results"]
        url = page["next"]
    return items


@pytest.mark.parametrize("scope", ["/publik/15.04/data/", "/publik/data/"])
@pytest.mark.parametrize("slug", list(opendata.DATASETS))
def test_every_dataset_downloads_as_csv_and_json_with_its_licence(pw, client, scope, slug):
    dataset = opendata.DATASETS[slug]
    csv_response = client.get(f"{scope}{slug}.csv")
    assert csv_response.status_code == 200
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert csv_response["Content-Disposition"].startswith("attachment; filename=\"pantau-")
    assert 'rel="license"' in csv_response["Link"] and opendata.LICENCE["url"] in csv_response["Link"]
    assert 'rel="describedby"' in csv_response["Link"]
    assert csv_response["Cache-Control"] == "public, max-age=300"
    header = csv_response.content.decode("utf-8-sig").split("\r\n")[0]
    assert header.split(",") == dataset.names
    json_response = client.get(f"{scope}{slug}.json")
    assert json_response["Content-Type"] == "application/json"
    document = json_response.json()
    assert document["licence"] == opendata.LICENCE and document["attribution"] == opendata.ATTRIBUTION
    assert document["columns"] == dataset.names and document["dataset"] == slug
    assert document["region"] == ("15.04" if "15.04" in scope else None)
    assert document["dictionary"] == "http://testserver/publik/data/"
    assert document["title"]["id"] and document["title"]["en"]
    assert len(document["rows"]) == len(read_csv(csv_response.content))


def test_the_csv_and_the_json_hold_the_same_rows(pw, client):
    rows = read_csv(client.get("/publik/15.04/data/aksi.csv").content)
    document = client.get("/publik/15.04/data/aksi.json").json()
    assert [r["id"] for r in rows] == [str(r["id"]) for r in document["rows"]]
    first = next(r for r in rows if r["id"] == str(pw.verified.pk))
    item = next(r for r in document["rows"] if r["id"] == pw.verified.pk)
    assert (first["actual_verified"], first["verified_progress"], first["budget_realized"]) == ("10.00", "10.00",
                                                                                               "2500000")
    assert (item["actual_verified"], item["verified_progress"], item["budget_realized"]) == ("10.00", "10.00",
                                                                                            2500000)
    assert first["public_status"] == item["public_status"] == "past_due"
    assert first["is_sample"] == "false" and item["is_sample"] is False


def test_a_csv_cell_never_becomes_a_formula(pw, client):
    # titles a spreadsheet would run as formulas; a negative baseline stays a number
    make(pw, pw.dukcapil, code="9", title='=HYPERLINK("http://evil.example","klik")', indicator_name="+62 811",
         indicator_unit="@SUM(A1)", baseline=Decimal("-5"), target=Decimal("5"))
    make(pw, pw.dukcapil, code="10", title="-1+1", indicator_name="\tTab", indicator_unit="hari")
    rows = {r["code"]: r for r in read_csv(client.get("/publik/15.04/data/aksi.csv").content)}
    assert rows["9"]["title"] == '\'=HYPERLINK("http://evil.example","klik")'
    assert rows["9"]["indicator_name"] == "'+62 811" and rows["9"]["indicator_unit"] == "'@SUM(A1)"
    assert rows["9"]["baseline"] == "-5.00"
    assert rows["10"]["title"] == "'-1+1" and rows["10"]["indicator_name"] == "'\tTab"
    # the JSON keeps the text as typed (no spreadsheet reads it)
    document = client.get("/publik/15.04/data/aksi.json").json()
    assert any(r["title"] == '=HYPERLINK("http://evil.example","klik")' for r in document["rows"])


def test_signatories_are_a_list_in_json_and_one_cell_in_csv(pw, client):
    plan = client.get("/publik/15.04/data/rencana-kerja.json").json()["rows"][0]
    assert plan["signatories"] == [
        {"position": "Sekretaris Daerah", "unit_name": "Pemerintah Kabupaten Batanghari", "capacity": "signed"},
        {"position": "Kepala Perwakilan", "unit_name": "Ombudsman RI Perwakilan Jambi", "capacity": "witnessed"},
    ]
    row = read_csv(client.get("/publik/15.04/data/rencana-kerja.csv").content)[0]
    assert row["signatories"] == ("Sekretaris Daerah, Pemerintah Kabupaten Batanghari (signed); "
                                  "Kepala Perwakilan, Ombudsman RI Perwakilan Jambi (witnessed)")


def test_the_data_dictionary_documents_every_column_and_the_licence(pw, client):
    page = client.get("/publik/data/").content.decode()
    for dataset in opendata.DATASETS.values():
        assert f'href="/publik/data/{dataset.slug}.csv"' in page and f'href="/publik/data/{dataset.slug}.json"' in page
        for column in dataset.columns:
            assert f"<code>{column.name}</code>" in page, column.name
            assert str(column.meaning) and str(column.unit) and str(column.source), column.name
    assert opendata.LICENCE["url"] in page and 'rel="license"' in page
    for code in opendata.PublicStatus.values:
        assert f"<code>{code}</code>" in page


def test_column_names_are_unique_and_every_row_has_exactly_the_columns(pw):
    data = opendata.build("15.04")
    for slug, dataset in opendata.DATASETS.items():
        assert len(set(dataset.names)) == len(dataset.names), slug
        for row in data[slug]:
            assert set(dataset.names) <= set(row), slug


# Reproducible from the API -------------------------------------------------------------------------------------

ACTION_FIELDS = [
    "work_plan", "id", "code", "parent", "title", "start_date", "due_date", "time_zone", "responsible_unit",
    "responsible_unit_name", "budget_source", "fiscal_year", "budget_planned", "budget_realized", "indicator_name",
    "indicator_unit", "baseline", "target", "actual_verified", "verified_progress", "cancelled_on", "is_sample",
]


def test_every_action_figure_is_the_apis_for_a_user_who_may_see_it(pw, client):
    public = client.get("/publik/data/aksi.json").json()["rows"]
    client.force_login(pw.superuser)
    api = {a["id"]: a for a in api_results(client, "/api/v1/actions/")}
    assert {r["id"] for r in public} == {a["id"] for a in api.values() if a["work_plan"] == pw.plan.pk}
    for row in public:
        assert {f: row[f] for f in ACTION_FIELDS} == {f: api[row["id"]][f] for f in ACTION_FIELDS}, row["code"]
        assert row["api_path"] == f"/api/v1/actions/{row['id']}/"
    # the viewer of the regency (no draft rights) reads the same figures
    client.force_login(pw.viewer)
    for row in public:
        item = client.get(row["api_path"]).json()
        assert (item["verified_progress"], item["actual_verified"]) == (row["verified_progress"],
                                                                        row["actual_verified"])


def test_every_work_plan_figure_is_the_apis(pw, client):
    public = client.get("/publik/data/rencana-kerja.json").json()["rows"]
    client.force_login(pw.superuser)
    assert {r["id"] for r in public} == {pw.plan.pk, pw.other_plan.pk}  # the draft plan is not public
    for row in public:
        api = client.get(row["api_path"]).json()
        summary = api["progress_summary"]
        assert (row["verified_progress"], row["actions"], row["top_level"], row["sample_actions"]) == (
            summary["verified_progress"], summary["actions"], summary["top_level"], summary["sample_actions"])
        assert (row["title"], row["signed_on"], row["signed_place"], row["status"]) == (
            api["title"], api["signed_on"], api["signed_place"], api["status"])
        assert row["signatories"] == [{"position": s["position"], "unit_name": s["unit_name"],
                                       "capacity": s["capacity"]} for s in api["signatories"]]
        actions = api_results(client, f"/api/v1/actions/?work_plan={row['id']}")
        assert row["budget_planned"] == sum(a["budget_planned"] for a in actions if a["cancelled_on"] is None)
        assert row["budget_realized"] == sum(a["budget_realized"] for a in actions)
    batanghari = next(r for r in public if r["id"] == pw.plan.pk)
    assert batanghari["verified_progress"] == "8.75"  # (10 + 0 + 0 + 25) / 4, by hand


def test_every_compliance_row_is_the_apis_published_result_or_published_round(pw, client):
    public = client.get("/publik/15.04/data/kepatuhan.json").json()["rows"]
    client.force_login(pw.superuser)
    assert [(r["record"], r["id"]) for r in public] == [
        ("ombudsman_result", pw.result.pk), ("assessment_round", pw.published_round.pk)]
    result = client.get(public[0]["api_path"]).json()
    for field in ("score", "year", "value_type", "published_zone", "published_category", "computed_band",
                  "computed_zone", "edition", "entity_name", "source_url"):
        assert public[0][field] == result[field], field
    assert (public[0]["score"], public[0]["published_zone"]) == ("92.03", "hijau")
    assessment = client.get(public[1]["api_path"]).json()
    assert assessment["is_published"] is True
    assert (public[1]["score"], public[1]["computed_band"], public[1]["kind"], public[1]["published_at"]) == (
        assessment["total"], assessment["computed_band"], assessment["kind"], assessment["published_at"])
    assert public[1]["score"] == "56.78"


def test_every_ikm_row_is_the_apis_latest_published_result(pw, client):
    public = client.get("/publik/data/ikm.json").json()["rows"]
    client.force_login(pw.superuser)
    assert [r["id"] for r in public] == [pw.ikm.pk]
    api = client.get(public[0]["api_path"]).json()
    assert api["is_published"] is True
    for field in ("ikm", "grade", "weight_variant", "n_responses", "population", "required_sample", "is_adequate",
                  "published_at", "period"):
        assert public[0][field] == api[field], field
    assert [public[0][f"converted_u{n}"] for n in range(1, 10)] == [e["converted"] for e in api["elements"]]
    assert public[0]["ikm"] == "85.00"  # rules.md T1
