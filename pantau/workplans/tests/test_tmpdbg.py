from django.db import connection
from django.test.utils import CaptureQueriesContext
from pantau.workplans.tests.test_api import make, client_for, ACTIONS

def test_dbg(world):
    for i in range(3):
        p = make(world, code=f"{i}")
        make(world, code=f"{i}.1", parent=p)
    with CaptureQueriesContext(connection) as q:
        r = client_for(world.coordinator).get(ACTIONS)
    for x in q.captured_queries: print(x["sql"][:150])
    print(r.json()["results"][0])
    print(client_for(world.ombudsman_admin).get(ACTIONS).json()["count"])
    with CaptureQueriesContext(connection) as q:
        r = client_for(world.coordinator).get("/api/v1/work-plans/")
    print(len(q), r.json()["results"][0])
