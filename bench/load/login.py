"""Logs every load user in once, before the scenarios, and writes their
session cookies (JSON: login -> session_id) for the Locust users: the
scenarios measure browsing and RPC, not password hashing (Odoo's PBKDF2, a
deliberate ~0.3 s of CPU per login, would make 65 simultaneous logins the
whole test). Portal users log in through the /web/login form, staff and lupa
users through /web/session/authenticate, each then loads its first page
(which also warms the workers). Sessions of an earlier call that still work
are kept (Odoo stores them on disk: they survive a restart).

    python bench/load/login.py BASE_URL FIXTURE_JSON SESSIONS_JSON
"""

import json
import os
import re
import sys
from concurrent.futures import ThreadPoolExecutor

import requests


def portal_login(base, login, password):
    session = requests.Session()
    page = session.get(f"{base}/web/login", timeout=120)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    response = session.post(
        f"{base}/web/login",
        data={"login": login, "password": password, "csrf_token": token, "redirect": "/my/expedientes"},
        timeout=120,
    )
    if "o_customs_file_row" not in response.text:
        raise SystemExit(f"portal login of {login} failed ({response.status_code} {response.url})")
    return session.cookies["session_id"]


def rpc_login(base, db, login, password):
    session = requests.Session()
    response = session.post(
        f"{base}/web/session/authenticate",
        json={"jsonrpc": "2.0", "method": "call", "params": {"db": db, "login": login, "password": password}},
        timeout=120,
    )
    if "error" in response.json():
        raise SystemExit(f"login of {login} failed: {response.json()['error']}")
    return session.cookies["session_id"]


def still_valid(base, kind, session_id):
    cookies = {"session_id": session_id}
    if kind == "portal":
        response = requests.get(f"{base}/my/expedientes", cookies=cookies, timeout=120)
        return "o_customs_file_row" in response.text
    response = requests.post(
        f"{base}/web/session/get_session_info",
        json={"jsonrpc": "2.0", "method": "call", "params": {}},
        cookies=cookies,
        timeout=120,
    )
    return bool((response.json().get("result") or {}).get("uid"))


def main():
    base, fixture_path, out = sys.argv[1:4]
    with open(fixture_path) as f:
        fixture = json.load(f)
    password = fixture["password"]
    known = {}
    if os.path.exists(out):
        with open(out) as f:
            known = json.load(f)
    users = [("portal", login) for c in fixture["customers"] for login in c["portal_logins"]]
    users += [("rpc", login) for login in fixture["staff_logins"] + fixture["lupa_logins"]]

    def session_of(user):
        kind, login = user
        if login in known and still_valid(base, kind, known[login]):
            return known[login]
        if kind == "portal":
            return portal_login(base, login, password)
        return rpc_login(base, fixture["db"], login, password)

    with ThreadPoolExecutor(max_workers=4) as pool:
        sessions = dict(zip([login for _k, login in users], pool.map(session_of, users), strict=True))
    with open(out, "w") as f:
        json.dump(sessions, f)
    print(f"{len(sessions)} sessions in {out}")


if __name__ == "__main__":
    main()
