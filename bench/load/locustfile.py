"""Locust users of the load benchmark (bench/load/run.sh runs them).

PortalUser  a customer's contact browsing /my/expedientes: list, filters,
            search, pages, its files, now and then a file of another customer
            (which must be refused). Every page is checked: the declaration
            numbers it shows carry the customer's tag (118-2026-C<nn>-...), so
            a page showing another customer's file is counted.
StaffUser   an internal user creating, searching and editing customers through
            JSON-RPC (what the web client calls). The e-mails and documents of
            a shared pool are created by every staff user in the same order,
            so that several try the same one at once: one must win, the others
            must be told in Spanish.
LupaUser    an internal user pressing the lupa (document lookup) on customers
            whose RUC no lookup has seen, against bench/load/fake_provider.py.

Users are logged in beforehand (bench/load/login.py writes LOAD_SESSIONS).
Bounded: each user stops after LOAD_MAX_REQUESTS requests; locust's -t bounds
the time. Correctness counters and every request's time go to LOAD_RESULTS
(JSON) when the test stops.
"""

import collections
import itertools
import json
import os
import random
import re
import time

from locust import HttpUser, between, constant, events, task
from locust.exception import StopUser

with open(os.environ["LOAD_FIXTURE"]) as _f:
    FIXTURE = json.load(_f)
with open(os.environ["LOAD_SESSIONS"]) as _f:
    SESSIONS = json.load(_f)
THINK = float(os.environ.get("LOAD_THINK", "2"))
MAX_REQUESTS = int(os.environ.get("LOAD_MAX_REQUESTS", "3000"))
POOL = int(os.environ.get("LOAD_COLLISION_POOL", "40"))
RUN = FIXTURE["run"]
# The portal users read Spanish: their links carry the language's prefix (a
# page without it answers with a redirect to it).
LANG = f"/{FIXTURE['url_code']}"
CHECKS = collections.Counter()
SAMPLES = collections.defaultdict(list)
TIMES = []
DECLARATION = re.compile(r"118-2026-C(\d\d)-\d{6}")
SPANISH_REFUSALS = ("Ya existe un cliente",)

PORTAL_SEATS = itertools.cycle(
    [(c, login) for k in range(5) for c in FIXTURE["customers"] for login in c["portal_logins"][k : k + 1]]
)
STAFF_SEATS = itertools.count()
LUPA_SEATS = itertools.count()


def ruc(body):
    weights = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
    digit = 11 - sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11
    return body + str({10: 0, 11: 1}.get(digit, digit))


def colliding_email(i):
    return f"colision{i}.r{RUN}@carga.example.pe"


def colliding_vat(i):
    return ruc(f"202{RUN % 10_000:04d}{i:03d}")


def sample(kind, text):
    if len(SAMPLES[kind]) < 5:
        SAMPLES[kind].append(text[:300])


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, **kwargs):
    """Every request's route, end time, duration and outcome: the report
    computes exact medians and p95 per route from them."""
    TIMES.append((name, time.time(), round(response_time, 2), exception is None))


@events.test_stop.add_listener
def _write_results(environment, **kwargs):
    path = os.environ.get("LOAD_RESULTS")
    if path:
        with open(path, "w") as f:
            json.dump({"checks": dict(CHECKS), "samples": SAMPLES, "run": RUN, "pool": POOL, "times": TIMES}, f)


class BoundedUser(HttpUser):
    abstract = True

    def on_start(self):
        self.requests_made = 0

    def count(self):
        self.requests_made += 1
        if self.requests_made > MAX_REQUESTS:
            raise StopUser()


class PortalUser(BoundedUser):
    wait_time = constant(THINK)

    def on_start(self):
        super().on_start()
        customer, self.login = next(PORTAL_SEATS)
        self.tag = f"{customer['index']:02d}"
        self.file_ids = customer["file_ids"]
        self.foreign_ids = [i for c in FIXTURE["customers"] if c["id"] != customer["id"] for i in c["file_ids"]]
        # Logged in beforehand by bench/load/login.py: the session cookie.
        self.client.cookies.set("session_id", SESSIONS[self.login])

    def _page(self, url, name, expect_rows=True):
        self.count()
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200 or "/web/login" in response.url:
                CHECKS["portal_not_logged_in" if "/web/login" in response.url else "portal_http_errors"] += 1
                response.failure(f"HTTP {response.status_code} {response.url}")
                return
            tags = set(DECLARATION.findall(response.text))
            CHECKS["portal_pages_checked"] += 1
            if tags - {self.tag}:
                CHECKS["cross_customer_pages"] += 1
                sample("cross_customer", f"{self.login} {url}: {sorted(tags)}")
                response.failure("another customer's file on the page")
            elif tags:
                CHECKS["portal_pages_with_own_files"] += 1
            elif expect_rows:
                CHECKS["portal_pages_without_files"] += 1
                sample("without_files", f"{self.login} {url}")

    @task(3)
    def list_files(self):
        self._page(f"{LANG}/my/expedientes", "/my/expedientes")

    @task(2)
    def filter_files(self):
        filterby = random.choice(["import", "export", "in_progress", "released", "closed", "draft"])
        self._page(f"{LANG}/my/expedientes?filterby={filterby}", "/my/expedientes?filterby=…")

    @task(1)
    def search_files(self):
        number = random.randrange(200)
        self._page(
            f"{LANG}/my/expedientes?search=C{self.tag}-{number:06d}&search_in=declaration",
            "/my/expedientes?search=…",
        )

    @task(1)
    def later_page(self):
        self._page(f"{LANG}/my/expedientes/page/{random.randint(2, 3)}", "/my/expedientes/page/<n>")

    @task(3)
    def file_page(self):
        self._page(f"{LANG}/my/expedientes/{random.choice(self.file_ids)}", "/my/expedientes/<id>")

    @task(1)
    def foreign_file(self):
        """Another customer's file: refused (redirect or 403/404), never shown."""
        self.count()
        file_id = random.choice(self.foreign_ids)
        with self.client.get(
            f"{LANG}/my/expedientes/{file_id}",
            name="/my/expedientes/<id> (de otro cliente)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            CHECKS["foreign_file_attempts"] += 1
            if response.status_code in (301, 302, 303, 403, 404):
                CHECKS["foreign_file_refused"] += 1
                response.success()
            elif response.status_code == 200 and DECLARATION.search(response.text):
                CHECKS["cross_customer_pages"] += 1
                sample("cross_customer", f"{self.login} foreign file {file_id}")
                response.failure("another customer's file shown")
            else:
                CHECKS["portal_http_errors"] += 1
                sample("foreign_file", f"{self.login} {file_id}: HTTP {response.status_code} {response.text[:100]}")
                response.failure(f"HTTP {response.status_code}")


class RpcUser(BoundedUser):
    abstract = True
    logins_key = None
    seats = None

    def on_start(self):
        super().on_start()
        self.seat = next(self.seats)
        self.login = FIXTURE[self.logins_key][self.seat % len(FIXTURE[self.logins_key])]
        self.client.cookies.set("session_id", SESSIONS[self.login])

    def rpc(self, model, method, args, kwargs=None, name=None, refusals=()):
        """call_kw as the web client does; returns (result, error message).
        An error whose message starts with one of ``refusals`` is expected."""
        self.count()
        kwargs = dict(kwargs or {})
        kwargs.setdefault("context", {"lang": "es_PE", "tz": "America/Lima"})
        with self.client.post(
            f"/web/dataset/call_kw/{model}/{method}",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {"model": model, "method": method, "args": args, "kwargs": kwargs},
            },
            name=name or f"{model}.{method}",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
                return None, f"HTTP {response.status_code}"
            body = response.json()
            if "error" not in body:
                return body["result"], None
            message = body["error"].get("data", {}).get("message") or body["error"].get("message", "")
            if any(message.startswith(r) for r in refusals):
                response.success()
            else:
                CHECKS["unexpected_errors"] += 1
                sample("unexpected_errors", f"{name}: {message}")
                response.failure(message[:120])
            return None, message


class StaffUser(RpcUser):
    wait_time = between(0.5, 1.0)
    logins_key = "staff_logins"
    seats = STAFF_SEATS

    def on_start(self):
        super().on_start()
        self.iteration = 0
        # Customers this user created with a document of the pool and an
        # e-mail of its own: the ones its edits move to a pool e-mail (moving
        # a pool e-mail away would leave it without customer).
        self.mine = []

    def _customer(self, name, vat, email):
        return {
            "name": name,
            "is_registered_customer": True,
            "l10n_latam_identification_type_id": FIXTURE["ruc_type_id"],
            "vat": vat,
            "street": "Av. Colonial 123",
            "city": "Callao",
            "state_id": FIXTURE["state_id"],
            "country_id": FIXTURE["country_id"],
            "email": email,
            "phone": "+51 1 4567890",
        }

    def _create(self, vals, name, kind):
        result, error = self.rpc("res.partner", "create", [vals], name=name, refusals=SPANISH_REFUSALS)
        CHECKS[f"{kind}_attempts"] += 1
        if result:
            CHECKS[f"{kind}_created"] += 1
            if kind == "document":
                self.mine.append(result[0] if isinstance(result, list) else result)
        elif error and error.startswith(SPANISH_REFUSALS):
            CHECKS[f"{kind}_refused_in_spanish"] += 1

    @task
    def work(self):
        if self.iteration >= 100:  # the unique documents of a user run out
            raise StopUser()
        i, j, u = self.iteration % POOL, self.iteration, self.seat
        self.iteration += 1
        CHECKS["pool_reached"] = max(CHECKS["pool_reached"], min(POOL, self.iteration))
        unique_vat = ruc(f"203{RUN % 1_000:03d}{u}{j:03d}")
        self._create(
            self._customer(f"Carga email {i} ({u})", unique_vat, colliding_email(i)),
            "res.partner.create (email en común)",
            "email",
        )
        self._create(
            self._customer(f"Carga documento {i} ({u})", colliding_vat(i), f"staff{u}.{j}.r{RUN}@carga.example.pe"),
            "res.partner.create (documento en común)",
            "document",
        )
        found, _error = self.rpc(
            "res.partner",
            "search_read",
            [[("is_registered_customer", "=", True), ("email", "=ilike", colliding_email(i))]],
            {"fields": ["name", "email", "vat"], "limit": 5},
            name="res.partner.search_read (email)",
        )
        if found is not None and len(found) > 1:
            CHECKS["duplicate_seen_by_search"] += 1
        self.rpc(
            "res.partner",
            "name_search",
            [],
            {"name": random.choice(["Carga", "Cliente Carga", colliding_vat(i)[:8]]), "limit": 8},
            name="res.partner.name_search",
        )
        if self.mine:
            target = random.choice(self.mine)
            self.rpc("res.partner", "write", [[target], {"phone": f"+51 1 555{j:04d}"}], name="res.partner.write")
            if j % 3 == 0:
                # Each customer is moved once, from its own e-mail: moving it
                # again would leave the pool e-mail it took without customer.
                self.mine.remove(target)
                # Take the e-mail another customer of the pool holds: refused.
                _r, error = self.rpc(
                    "res.partner",
                    "write",
                    [[target], {"email": colliding_email((i + 1) % POOL)}],
                    name="res.partner.write (email en común)",
                    refusals=SPANISH_REFUSALS,
                )
                CHECKS["edit_collision_attempts"] += 1
                if error and error.startswith(SPANISH_REFUSALS):
                    CHECKS["edit_collision_refused_in_spanish"] += 1


class LupaUser(RpcUser):
    wait_time = constant(1)
    logins_key = "lupa_logins"
    seats = LUPA_SEATS

    def on_start(self):
        super().on_start()
        ids = FIXTURE["lupa_partner_ids"]
        share = len(ids) // len(FIXTURE["lupa_logins"])
        self.queue = list(ids[self.seat * share : (self.seat + 1) * share])

    @task
    def press(self):
        if not self.queue:
            raise StopUser()
        partner_id = self.queue.pop(0)
        result, _error = self.rpc("res.partner", "action_lookup_document", [[partner_id]], name="lupa (RUC)")
        CHECKS["lupa_presses"] += 1
        if not result:
            return
        if result.get("res_model") == "document.lookup.wizard":
            CHECKS["lupa_found"] += 1
            return
        message = (result.get("params") or {}).get("message", "")
        if "límite" in message:
            CHECKS["lupa_told_limit_in_spanish"] += 1
        else:
            CHECKS["lupa_other_answers"] += 1
            sample("lupa_other", message)
