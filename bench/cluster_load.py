"""The rehearsal's load (bench/cluster.py): one thread per person, each with its own browser
session through nginx. A trainee writes today's reflection as the page does (an autosave
every second or so with the page's id and counter, a submit now and then) and, like the page,
sends a save again until the server has acknowledged it. A coordinator reads pages and asks
for 研修報告書 PDFs, then downloads each once built. Whatever the server acknowledged must be
in the database at the end, and every document asked for must have been downloaded."""

import random
import statistics
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

import requests

RETRY_PAUSE = 0.5
RETRIES = 60  # 30 s of retrying: longer than a node takes to come back


@dataclass
class Stats:
    kinds: Counter = field(default_factory=Counter)
    latencies: list = field(default_factory=list)
    examples: dict = field(default_factory=dict)  # kind → the first one's message
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, seconds: float, example=None) -> None:
        with self.lock:
            self.kinds[kind] += 1
            self.latencies.append(seconds)
            if example is not None:
                self.examples.setdefault(kind, str(example)[:200])


@dataclass
class Doc:
    pk: int
    asked_by: str
    downloaded: int = 0  # bytes


class Browser:
    def __init__(self, base: str, cert, stats: Stats):
        self.base, self.stats = base, stats
        self.session = requests.Session()
        self.cert = str(cert)  # given with each request: REQUESTS_CA_BUNDLE would win over
        # a session's own `verify`

    def request(self, method: str, path: str, **kwargs):
        headers = kwargs.pop("headers", {})
        if method == "POST":
            token = self.session.cookies.get("csrftoken", "")
            headers = {"Origin": self.base, "Referer": self.base + path, **headers}
            headers["X-CSRFToken"] = token
            kwargs["data"] = {"csrfmiddlewaretoken": token, **kwargs.get("data", {})}
        started = time.monotonic()
        try:
            response = self.session.request(
                method, self.base + path, headers=headers, timeout=60, verify=self.cert, **kwargs
            )
        except requests.RequestException as exc:
            self.stats.record(type(exc).__name__, time.monotonic() - started, exc)
            return None
        code = response.status_code
        kind = "ok" if code < 400 or code == 404 and "download" in path else f"HTTP {code}"
        self.stats.record(kind, time.monotonic() - started)
        return response

    def until(self, accepted, method: str, path: str, **kwargs):
        """The request again (as the page does) until `accepted(response)`; None if never."""
        for _ in range(RETRIES):
            response = self.request(method, path, **kwargs)
            if response is not None and accepted(response):
                return response
            time.sleep(RETRY_PAUSE)
        return None

    def login(self, email: str, password: str) -> None:
        self.until(lambda r: r.ok, "GET", "/accounts/login/")
        done = self.until(
            lambda r: r.status_code == 302,
            "POST",
            "/accounts/login/",
            data={"login": email, "password": password},
            allow_redirects=False,
        )
        if done is None:
            raise RuntimeError(f"{email} could not log in")


class Load:
    def __init__(self, base: str, cert, people: dict, *, seconds: int):
        from bench.cluster_parts import PASSWORD

        self.base, self.cert, self.people, self.seconds = base, cert, people, seconds
        self.password = PASSWORD
        self.stats = Stats()
        self.acknowledged: dict[str, dict] = {}  # trainee → what the server said it kept
        self.docs: list[Doc] = []
        self.docs_lock = threading.Lock()
        self.browsers: dict[str, Browser] = {}
        self.not_logged_in: list[str] = []
        self.crashed: list[str] = []  # a person's thread that stopped on an error
        self.gave_up = 0  # a save or a request never acknowledged, however often sent
        self.download_headers: dict = {}

    def run(self, halfway) -> None:
        self.started = time.monotonic()
        stop_at = self.started + self.seconds
        threads = [
            threading.Thread(target=self._person, args=(email, person, stop_at), daemon=True)
            for email, person in self.people.items()
        ]
        for thread in threads:
            thread.start()
        time.sleep(self.seconds / 2)
        halfway()
        for thread in threads:
            thread.join(timeout=self.seconds + 300)
        self.elapsed = time.monotonic() - self.started

    def _person(self, email: str, person: dict, stop_at: float) -> None:
        try:
            self._act(email, person, stop_at)
        except Exception as exc:  # noqa: BLE001 -- counted as lost, never silent
            self.crashed.append(f"{email}: {exc!r}"[:200])

    def _act(self, email: str, person: dict, stop_at: float) -> None:
        browser = Browser(self.base, self.cert, self.stats)
        self.browsers[email] = browser
        time.sleep(random.uniform(0, 3))  # noqa: S311 -- people do not arrive at once
        try:
            browser.login(email, self.password)
        except RuntimeError:
            self.not_logged_in.append(email)
            return
        if person["role"] == "trainee":
            self._trainee(browser, email, person, stop_at)
        else:
            self._coordinator(browser, email, stop_at)

    def _trainee(self, browser: Browser, email: str, person: dict, stop_at: float) -> None:
        from django.urls import reverse

        page = reverse("trainees:reflection_write", args=[person["enrollment"], person["day"]])
        client_id, seq, revision = uuid.uuid4().hex, 0, None
        browser.until(lambda r: r.ok, "GET", page)
        while time.monotonic() < stop_at:
            seq += 1
            content = {
                "did": f"業務体験の{seq}回目。顧客の声を聞いた。",
                "learned": f"仕事の切り出し方（{email}）",
                "felt": "判断が速い。" * (1 + seq % 4),
                "questions": "",
                "tomorrow": f"明日は{seq + 1}件の記事を読む",
                "self_rating": str(1 + seq % 5),
            }
            data = {**content, "client_id": client_id, "client_seq": str(seq)}
            if revision is not None:
                data["base_revision"] = str(revision)
            # The submit button, now and then; one trainee in three only ever saves drafts
            # (and is reminded in the evening).
            if seq % 8 == 0 and person["enrollment"] % 3:
                answer = browser.until(
                    lambda r: r.status_code == 302,
                    "POST",
                    page,
                    data={**data, "action": "submit"},
                    allow_redirects=False,
                )
                acknowledged, revision = answer is not None, None
                submitted = acknowledged
            else:
                answer = browser.until(
                    lambda r: (
                        r.status_code == 200
                        and r.headers.get("Content-Type", "").startswith("application/json")
                        and r.json().get("ok")
                    ),
                    "POST",
                    page,
                    data=data,
                    headers={"X-Kenshu-Autosave": "1"},
                )
                acknowledged = answer is not None
                revision = answer.json()["revision"] if acknowledged else revision
                submitted = None
            if not acknowledged:
                self.gave_up += 1
            else:
                previous = self.acknowledged.get(email, {})
                self.acknowledged[email] = {
                    "enrollment": person["enrollment"],
                    "content": content,
                    "submitted": submitted or previous.get("submitted", False),
                }
            if seq % 5 == 0:
                browser.request("GET", reverse("trainees:my_reflections"))
            time.sleep(random.uniform(0.5, 1.5))  # noqa: S311

    def _coordinator(self, browser: Browser, email: str, stop_at: float) -> None:
        from django.urls import reverse

        trainees = [p for p in self.people.values() if p["role"] == "trainee"]
        mine: list[Doc] = []
        next_ask = time.monotonic() + random.uniform(2, 8)  # noqa: S311
        while time.monotonic() < stop_at:
            who = random.choice(trainees)  # noqa: S311
            program = who["program"]
            for path in (
                reverse("programs:home"),
                reverse("programs:program_list"),
                reverse("programs:program_detail", args=[program]),
                reverse("programs:week_grid", args=[program]),
            ):
                browser.request("GET", path)
            if time.monotonic() >= next_ask:
                self._ask(browser, email, who, mine)
                next_ask = time.monotonic() + random.uniform(6, 12)  # noqa: S311
            self._fetch(browser, mine)
            time.sleep(random.uniform(0.5, 1.5))  # noqa: S311

    def _ask(self, browser: Browser, email: str, who: dict, mine: list) -> None:
        from django.urls import reverse

        path = reverse("reports:trainee_report_pdf", args=[who["program"], who["enrollment"]])
        answer = browser.until(lambda r: r.status_code == 302, "POST", path, allow_redirects=False)
        if answer is None:
            self.gave_up += 1
            return
        pk = int(answer.headers["Location"].rstrip("/").rsplit("/", 1)[1])
        if any(doc.pk == pk for doc in mine):
            return  # the same version again (nothing changed since): asked once
        doc = Doc(pk, email)
        mine.append(doc)
        with self.docs_lock:
            self.docs.append(doc)

    def _fetch(self, browser: Browser, docs: list) -> None:
        from django.urls import reverse

        for doc in docs:
            if doc.downloaded:
                continue
            got = browser.request("GET", reverse("reports:report_download", args=[doc.pk]))
            if got is not None and got.status_code == 200 and got.content.startswith(b"%PDF-"):
                doc.downloaded = len(got.content)
                self.download_headers = self.download_headers or {
                    k: got.headers.get(k, "—")
                    for k in ("Content-Type", "Content-Disposition", "Cache-Control")
                }

    def drain(self, timeout: float) -> None:
        """After the load: every coordinator fetches what it still waits for."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and any(not d.downloaded for d in self.docs):
            for email, browser in self.browsers.items():
                self._fetch(browser, [d for d in self.docs if d.asked_by == email])
            time.sleep(2)


def report(load: Load, cluster, sink) -> dict:
    """The figures, from what the load saw and what the database and the SMTP server hold."""
    from django.db.models import Count
    from django.utils import timezone

    from programs.models import Notification
    from reports.models import Report
    from trainees.models import DailyReflection

    today = timezone.localdate()
    reflections = {
        r.enrollment_id: r
        for r in DailyReflection.objects.filter(
            enrollment_id__in=[a["enrollment"] for a in load.acknowledged.values()], date=today
        )
    }
    lost_text = 0
    for seen in load.acknowledged.values():
        row = reflections.get(seen["enrollment"])
        kept = row and all(
            str(getattr(row, name) or "") == str(value) for name, value in seen["content"].items()
        )
        if not kept or seen["submitted"] and row.status != "submitted":
            lost_text += 1
    built = {r.pk: r for r in Report.objects.filter(pk__in=[d.pk for d in load.docs])}
    lost_docs = sum(1 for d in load.docs if not d.downloaded or d.downloaded != built[d.pk].size)
    twice_reflections = (
        DailyReflection.objects.values("enrollment", "date").annotate(n=Count("pk")).filter(n__gt=1)
    ).count()
    twice_docs = (
        Report.objects.filter(state="done")
        .values("enrollment", "content_hash")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    twice_mail = sum(n - 1 for n in sink.keys.values() if n > 1)
    again = Report.objects.filter(attempts__gt=1).count()
    statuses = Counter(Notification.objects.values_list("status", flat=True))
    latencies = sorted(load.stats.latencies)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    errors = {k: v for k, v in load.stats.kinds.items() if k != "ok"}
    # Someone who never got in, a person's thread that stopped, work never acknowledged and a
    # reminder due but not sent: a failed rehearsal, not a quiet one.
    unsent = sum(n for status, n in statuses.items() if status not in ("sent", "skipped"))
    # Those who only ever save drafts are reminded, each of them.
    drafters = {
        email
        for email, p in load.people.items()
        if p["role"] == "trainee" and p["enrollment"] % 3 == 0
    }
    reminded = set(
        Notification.objects.filter(status="sent").values_list("recipient__email", flat=True)
    )
    unsent += len(drafters - reminded)
    lost = (
        lost_text + lost_docs + len(load.not_logged_in) + len(load.crashed) + load.gave_up + unsent
    )
    duplicates = twice_reflections + twice_docs + twice_mail
    lines = [
        "",
        f"users {len(load.people)}, {load.elapsed:.0f} s; " + "; ".join(cluster.events),
        f"requests {sum(load.stats.kinds.values())} "
        f"({sum(load.stats.kinds.values()) / load.elapsed:.1f}/s), "
        f"errors {sum(errors.values())} {dict(errors) or ''}".rstrip(),
        f"latency p50 {statistics.median(latencies) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms",
        f"reflections acknowledged {len(load.acknowledged)}, "
        f"submitted {sum(a['submitted'] for a in load.acknowledged.values())}",
        f"documents asked {len(load.docs)} ({len(built)} versions), "
        f"built {sum(r.state == 'done' for r in built.values())}"
        f", downloaded {sum(1 for d in load.docs if d.downloaded)}"
        f" ({sum(d.downloaded for d in load.docs) // 1024} KB), built again after a worker "
        f"stopped {again}",
        f"a download through nginx: {load.download_headers}",
        f"reminders sent {sum(sink.keys.values())} (rows {dict(statuses)})",
        f"lost {lost} (reflection text {lost_text}, documents {lost_docs}, "
        f"reminders not sent {unsent}, never acknowledged {load.gave_up}, "
        f"people who could not log in {len(load.not_logged_in)}, "
        f"stopped on an error {len(load.crashed)})",
        *(f"  stopped: {line}" for line in load.crashed),
        *(f"  e.g. {kind}: {text}" for kind, text in load.stats.examples.items()),
        f"duplicates {duplicates} (reflections {twice_reflections}, documents {twice_docs}, "
        f"emails {twice_mail})",
    ]
    return {"lines": lines, "lost": lost, "duplicates": duplicates}
