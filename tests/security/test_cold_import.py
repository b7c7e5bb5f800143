"""Importing the API handler must stay lean: no push or imaging libraries, no AWS client, no env reads."""

import json
import subprocess
import sys

PROBE = """
import json, sys, os
import botocore.session
created = []
original = botocore.session.Session.create_client
botocore.session.Session.create_client = lambda self, *a, **k: created.append(a) or original(self, *a, **k)
for name in list(os.environ):
    if name in ("STAGE", "TABLE_NAME", "TOKEN_SIGNING_KEY_ID"):
        del os.environ[name]
import app
heavy = sorted({m.split('.')[0] for m in sys.modules if m.split('.')[0] in ('firebase_admin', 'PIL', 'google', 'grpc')})
print(json.dumps({"heavy": heavy, "clients": len(created), "routes": len(app.app.routes)}))
"""


def test_importing_app_loads_no_heavy_library_and_creates_no_aws_client():
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["heavy"] == []
    assert result["clients"] == 0
    assert result["routes"] > 5
