#!/usr/bin/env python3
"""server.py: newsq --serve (issue 13), suite 'server'.

  1. The JSON API with a real HTTP client (urllib) against a server on a
     free loopback port: /healthz, /api/search (the hits and facets are
     newsq --format json --facets' records; every parameter), errors
     (400 with the message, 404, 405, 503 for a missing index), limits,
     /api/article/ID (main and related articles); like=ID (more like
     this) gives newsq --like's hits, and the page links to it.
  2. Safety: an article whose title, text, source and keywords hold
     <script>, quotes and ampersands comes back intact in JSON and as text
     in HTML; every answer carries a Content-Security-Policy.
  3. The page in headless Chromium. Through the DevTools protocol (over a
     pipe): a query typed in the box (a spelling variant) and Enter give
     hits with the words highlighted as written; a click on a facet
     narrows them; next/previous page; sorting; a hit opens the article;
     the page fits a phone's width. With --dump-dom: links followed as
     found, the month facet, the diacritised spelling highlighted as
     written, hostile text stays text, the suggestion link. Skipped, with a
     message, when chromium is missing (scripts/deps.sh installs it).
     NEWSQ_SCREENSHOT=PATH also saves the screenshot of the typed query's
     page as the test renders it (the README's doc/newsq-serve.png).
  4. A search loop that never fails while `newsidx build` commits and while
     `newsidx compact` swaps the index.
  5. SIGTERM: the server exits 0.

Servers are started in their own session and stopped by pid in a finally;
readiness is polled. Prints "server: N passed, N failed".
"""
import fcntl
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

NEWSIDX = os.environ["NEWSIDX"]
NEWSQ = os.environ["NEWSQ"]

passed = failed = 0
procs = []


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL server: " + what, file=sys.stderr)
    return cond


HOSTILE_TITLE = '<script>alert("x")</script> عنوان "مقتبس" & \'منفرد\''
HOSTILE_SOURCE = '<b>مصدر</b>"&'

ARTICLES = {
    "a1": ("اتفاق الهدنة في غزة", "1st, July 2015", "عكاظ",
           ["أعلنت الأطراف اتفاق الهدنة الإنسانية في قطاع غزة اليوم.",
            "وقال المتحدث إن المفاوضات مستمرة حتى نهاية الأسبوع."],
           "الهدنة غزة المفاوضات"),
    "a2": ("مباراة الهلال والنصر", "15th, August 2015", "الرياض",
           ["فاز الهلال على النصر في مباراة قوية على ملعب الملك فهد."], None),
    "a3": ("الاقتصاد السعودي ينمو", "20th, July 2015", "الشرق الأوسط",
           ["قالت الحكومة إن الاقتصاد ينمو رغم تراجع أسعار النفط.",
            "وأشار التقرير إلى الهدنة التجارية بين الشركات الكبرى."], None),
    "a4": ("خبر مشكول", "1st, September 2015", "سبق",
           ["وقَّعَ الطَرَفانِ اتفاقَ الهُدْنَـــةِ في غزةَ مساءَ الأمس."], None),
    "h1": (HOSTILE_TITLE, "3rd, September 2015", HOSTILE_SOURCE,
           ['نص فيه <script>document.title="pwned"</script> والهدنة "بين '
            'علامتين" & <img src=x onerror=alert(1)>'],
           '<i>وسم</i> "كلمة"'),
}
# One story from two outlets (an edited title, a changed word): one hit
# with collapse=story.
WIRE = ("افتتح وزير البيئة والمياه والزراعة صباح اليوم في الرياض أعمال "
        "المؤتمر الدولي الخامس لتحلية المياه بمشاركة وفود من خمسين دولة "
        "وأكثر من ثلاثمائة خبير ومختص في تقنيات التحلية الحديثة. وأكد "
        "الوزير في كلمته أن المملكة تعد أكبر منتج للمياه المحلاة في العالم "
        "وأنها تعمل على خفض تكلفة الإنتاج واستخدام الطاقة الشمسية في "
        "محطات التحلية الجديدة.")
ARTICLES["w1"] = ("افتتاح مؤتمر الرياض لتحلية المياه", "2nd, March 2015",
                  "واس", [WIRE], None)
ARTICLES["w2"] = ("وزير البيئة يفتتح مؤتمر تحلية المياه", "2nd, March 2015",
                  "سبق", [WIRE.replace("صباح اليوم", "مساء أمس")], None)
# More truce articles, so that pages and facets have something to do.
for i in range(6):
    ARTICLES["t%d" % i] = (
        "الهدنة في اليوم %d" % (i + 1), "%dth, October 2015" % (i + 4),
        ["واس", "عكاظ", "سبق"][i % 3],
        ["تستمر الهدنة في غزة لليوم رقم %d بحسب الوسطاء." % (i + 1)], None)


def write_article(folder, name, art):
    title, date, source, paras, kw = art
    lines = [title, "تاريخ النشر: %s GMT" % date] + paras
    lines.append("المصدر: " + source)
    if kw:
        lines.append("كلمات دلالية: " + kw)
    with open(os.path.join(folder, name + ".txt"), "w") as f:
        f.write("\n".join(lines) + "\n")


def run(*args, env=None, check_rc=True):
    p = subprocess.run(args, capture_output=True, text=True, env=env,
                       timeout=600)
    if check_rc and p.returncode != 0:
        print(p.stderr, file=sys.stderr)
    return p


def start_server(db, threads=2, env=None):
    """Start newsq --serve on a free port; returns (proc, base URL)."""
    log = tempfile.NamedTemporaryFile("w+", delete=False)
    p = subprocess.Popen([NEWSQ, "--db", db, "--serve", "127.0.0.1:0",
                          "--threads", str(threads)],
                         stdout=subprocess.DEVNULL, stderr=log,
                         start_new_session=True, env=env)
    procs.append(p)
    port = None
    deadline = time.time() + 60
    while time.time() < deadline and p.poll() is None:
        with open(log.name) as f:
            m = re.search(r"http://127\.0\.0\.1:(\d+)/", f.read())
        if m:
            port = int(m.group(1))
            break
        time.sleep(0.05)
    if not port:
        raise RuntimeError("newsq --serve did not start: " +
                           open(log.name).read())
    base = "http://127.0.0.1:%d" % port
    # Ready when it answers (an index missing answers 503: also ready).
    while time.time() < deadline:
        try:
            get(base + "/healthz")
            break
        except OSError:
            time.sleep(0.05)
    p.log = log.name
    return p, base


def stop(p):
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(timeout=60)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    return p.returncode


def get(url, method="GET", data=None, headers=None):
    """(status, headers, body bytes) of URL; HTTP errors are answers too."""
    req = urllib.request.Request(url, method=method, data=data,
                                 headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def api(base, path, **params):
    q = urllib.parse.urlencode(params, doseq=True)
    st, h, body = get(base + path + ("?" + q if q else ""))
    try:
        return st, h, json.loads(body)
    except ValueError:
        return st, h, None


def newsq_json(db, *args):
    p = run(NEWSQ, "--db", db, "--format", "json", *args, check_rc=False)
    return [json.loads(l) for l in p.stdout.splitlines() if l.strip()]


def test_api(db, base):
    st, h, o = api(base, "/healthz")
    check(st == 200 and o["documents"] == len(ARTICLES) and o["built"],
          "healthz: %r %r" % (st, o))
    check("default-src 'none'" in h.get("Content-Security-Policy", ""),
          "healthz: CSP header")

    # The hits and facets are newsq's own records.
    for query, extra in [("الهدنة", {}), ("الهدنه غزه", {"limit": 3}),
                         ("الهدنة", {"sort": "-date", "limit": 4,
                                     "offset": 2}),
                         ("الهدنة", {"source": ["عكاظ", "سبق"]}),
                         ("الهدنة", {"since": "2015-09", "until": "2015-10"}),
                         ("الهدنة", {"explain": "1", "limit": 2})]:
        st, h, o = api(base, "/api/search", q=query, **extra)
        args = ["--limit", str(extra.get("limit", 4))]  # the server's 4
        for k, v in extra.items():
            if k == "limit":
                continue
            if k == "explain":
                args.append("--explain")
                continue
            for one in (v if isinstance(v, list) else [v]):
                args += ["--" + k, str(one)]
        cli = newsq_json(db, "--facets", *args, "--", query)
        hits = [r for r in cli if "rank" in r]
        facets = [r for r in cli if r.get("type") == "facets"][0]
        what = "%s %r" % (query, extra)
        check(st == 200, what + ": status %r" % st)
        check(h.get("Content-Type", "").startswith("application/json"),
              what + ": content type")
        check(o["hits"] == hits, what + ": hits differ from newsq's:\n%r\n%r"
              % (o["hits"], hits))
        check(o["facets"] == {"source": facets["source"],
                              "month": facets["month"]},
              what + ": facets differ from newsq --facets")
        check(o["total"] == facets["total"] and o["exact"] is True,
              what + ": total %r" % o.get("total"))
        check(o["query"] == query, what + ": query echoed")
        if "explain" in extra:
            check(o.get("explain", {}).get("parsed", "").startswith("Query("),
                  what + ": explain")
            check(all("explain" in x for x in o["hits"]),
                  what + ": per-hit explain")

    # Facets count the whole matching set, not the page.
    st, h, o = api(base, "/api/search", q="الهدنة", limit=1)
    srcs = {f["value"]: f["count"] for f in o["facets"]["source"]}
    check(len(o["hits"]) == 1 and sum(srcs.values()) == o["total"] > 1,
          "facets of the whole set: %r total %r" % (srcs, o["total"]))
    check(o["facets"]["month"][0]["value"] == "2015-10",
          "months newest first: %r" % o["facets"]["month"])
    st, h, o = api(base, "/api/search", q="الهدنة", facets="0")
    check(st == 200 and o["facets"] is None and o["hits"], "facets=0")
    # Collapse: a2 copied is one hit and one count; collapse=0 shows both.
    st, h, o = api(base, "/api/search", q="الهلال")
    check(o["total"] == 1 and len(o["hits"]) == 1 and
          o["facets"]["source"] == [{"value": "الرياض", "count": 1}],
          "collapse: %r" % o["total"])
    st, h, o = api(base, "/api/search", q="الهلال", collapse="0")
    check(o["total"] == 2 and len(o["hits"]) == 2, "collapse=0")
    # collapse=story: one hit per story, the others' ids in same_story
    # (newsq --collapse story's records); the total counts articles.
    st, h, o = api(base, "/api/search", q="تحلية", collapse="story")
    check(st == 200 and len(o["hits"]) == 1 and o["total"] == 2 and
          sorted([o["hits"][0]["id"]] + o["hits"][0].get("same_story", []))
          == ["w1", "w2"], "collapse=story: %r" % o.get("hits"))
    cli = newsq_json(db, "--limit", "4", "--collapse", "story", "--",
                     "تحلية")
    check(o["hits"] == [r for r in cli if "rank" in r],
          "collapse=story: newsq's records")
    st, h, o = api(base, "/api/search", q="تحلية")
    check(len(o["hits"]) == 2 and "same_story" not in o["hits"][0],
          "without collapse=story: both, no same_story")
    st, h, o = api(base, "/api/search", q="تحلية", collapse="stories")
    check(st == 400 and "collapse" in o.get("error", ""),
          "collapse=stories: %r %r" % (st, o))
    # The suggestion.
    st, h, o = api(base, "/api/search", q="المفاوضاتت")
    check(st == 200 and o["hits"] == [] and o["suggestion"] == "المفاوضات",
          "suggestion: %r" % o.get("suggestion"))

    # Errors: JSON with newsq's meanings.
    for params, status, msg in [
            ({"q": "date:2015-13"}, 400, "expected YYYY"),
            ({"q": "("}, 400, "no searchable word"),
            ({"q": "غزة", "limit": "1000"}, 400, "limit"),
            ({"q": "غزة", "limit": "0"}, 400, "limit"),
            ({"q": "غزة", "offset": "x"}, 400, "offset"),
            ({"q": "غزة", "offset": "10001"}, 400, "offset"),
            ({"q": "غزة", "sort": "up"}, 400, "sort"),
            ({"q": "غزة", "since": "2015-13"}, 400, ""),
            ({"q": "غزة", "color": "red"}, 400, "unknown parameter"),
            ({"q": "غزة " * 300}, 400, "q: longer"),
            ({}, 400, "no query"),
            ({"q": "غزة", "source": ["x"] * 33}, 400, "at most")]:
        st, h, o = api(base, "/api/search", **params)
        check(st == status and o and o["status"] == status and
              msg in o["error"] and o["error"],
              "error %r: %r %r" % (list(params)[:3], st, o))
    st, h, body = get(base + "/api/search?q=x", method="POST", data=b"a=b")
    check(st == 405 and "GET" in h.get("Allow", ""), "POST: %r" % st)
    st, h, body = get(base + "/api/search?q=x", method="DELETE")
    check(st == 405, "DELETE: %r" % st)
    st, h, body = get(base + "/api/search?q=" + "ab" * 40000)
    check(st in (400, 414, 431), "a huge request: %r" % st)
    st, h, body = get(base + "/api/search?q=%D8%BA%D8%B2%D8%A9", method="HEAD")
    check(st == 200 and body == b"", "HEAD: %r %r" % (st, body[:20]))
    for path in ["/api/nothing", "/etc/passwd", "/../../etc/passwd",
                 "/api/article/..%2F..%2Fetc%2Fpasswd", "/static/x",
                 "/api/article/"]:
        st, h, body = get(base + path)
        check(st == 404 and b"root:" not in body, "%s: %r" % (path, st))

    # Articles.
    st, h, o = api(base, "/api/article/a1")
    check(st == 200 and o["title"] == ARTICLES["a1"][0] and
          o["paragraphs"] == ARTICLES["a1"][3] and o["source"] == "عكاظ" and
          o["date"] == "2015-07-01" and o["keywords"] == ARTICLES["a1"][4]
          and o["parent"] is None, "article a1: %r" % o)
    st, h, o = api(base, "/api/article/r1")
    check(st == 200 and o["related"] == ["r1#1"], "related ids: %r" % o)
    st, h, o = api(base, "/api/article/" + urllib.parse.quote("r1#1"))
    check(st == 200 and o["parent"] == "r1" and
          o["title"].startswith("الهدنة تصمد"), "related article: %r" % o)
    st, h, o = api(base, "/api/article/nope")
    check(st == 404 and o["status"] == 404, "no such article: %r" % st)

    # Hostile text comes back intact in JSON.
    st, h, o = api(base, "/api/article/h1")
    check(o["title"] == HOSTILE_TITLE and o["source"] == HOSTILE_SOURCE and
          o["paragraphs"] == ARTICLES["h1"][3], "hostile JSON: %r" % o)
    st, h, o = api(base, "/api/search", q="علامتين")
    check(st == 200 and o["hits"] and o["hits"][0]["title"] == HOSTILE_TITLE
          and "<script>" in o["hits"][0]["snippet"], "hostile hit JSON")


def test_like(db, base):
    """/api/search?like=ID: newsq --like's hits; the page's links."""
    for extra, args in [({}, []), ({"q": "غزة"}, ["--", "غزة"]),
                        ({"source": "عكاظ"}, ["--source", "عكاظ"]),
                        ({"offset": 1, "limit": 2},
                         ["--offset", "1", "--limit", "2"])]:
        st, h, o = api(base, "/api/search", like="a1", **extra)
        lim = [] if "limit" in extra else ["--limit", "4"]
        cli = newsq_json(db, *lim, "--like", "a1", *args)
        what = "like=a1 %r" % extra
        check(st == 200 and o["like"] == "a1" and o["hits"] == cli,
              what + ": hits differ from newsq --like:\n%r\n%r"
              % (o and o.get("hits"), cli))
        check(all(x["id"] != "a1" for x in o["hits"]), what + ": not a1")
    st, h, o = api(base, "/api/search", like="a1")
    check(len(o["hits"]) > 0 and o["query"] is None, "like=a1: hits")
    st, h, o = api(base, "/api/search", like="a2")
    check(all(x["id"] not in ("a2", "a2copy") for x in o["hits"]),
          "like=a2: not a2 nor its copy: %r" % o["hits"])
    st, h, o = api(base, "/api/search", like="nope")
    check(st == 400 and "no article has the id 'nope'" in o["error"],
          "like=nope: %r %r" % (st, o))
    # The page: the list, and a link to it on every hit and article.
    st, h, body = get(base + "/?like=a1")
    page = body.decode()
    check(st == 200 and "مقالات في موضوع المقالة" in page and
          'class="hit"' in page, "page ?like=a1: %r" % st)
    st, h, body = get(base + "/?q=" + urllib.parse.quote("الهدنة"))
    page = body.decode()
    check(page.count('class="like"') == page.count('class="hit"') > 0 and
          'href="/?q=&amp;like=a1"' in page, "page: a like link per hit")
    st, h, body = get(base + "/article/a1")
    check('href="/?q=&amp;like=a1"' in body.decode(), "article: like link")


def test_html(base):
    """The HTML (without a browser): escaped, CSP, status codes."""
    for path in ["/?q=" + urllib.parse.quote("علامتين"), "/article/h1"]:
        st, h, body = get(base + path)
        page = body.decode()
        check(st == 200 and "text/html" in h.get("Content-Type", ""),
              path + ": %r" % st)
        check("<script" not in page and "<img" not in page and
              "<b>" not in page and "<i>" not in page,
              path + ": raw markup from the corpus")
        check("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page,
              path + ": the title escaped")
        check("&lt;b&gt;مصدر&lt;/b&gt;&quot;&amp;" in page,
              path + ": the source escaped")
        check("default-src 'none'" in h.get("Content-Security-Policy", ""),
              path + ": CSP")
    # collapse=story: the "+N more" line (in Arabic), kept by the pager
    # and the box (a ticked checkbox).
    st, h, body = get(base + "/?collapse=story&q=" + urllib.parse.quote("تحلية"))
    page = body.decode()
    check(st == 200 and page.count('class="hit"') == 1 and
          re.search(r'<p class="more">\+1 أخرى: (واس|سبق)</p>', page) and
          'value="story" checked' in page, "page: collapse=story")
    # one story on a page of 4: no next page (the total counts articles)
    check('class="pager"' not in page, "page: collapse=story, no next page")
    st, h, body = get(base + "/?q=" + urllib.parse.quote("تحلية"))
    page = body.decode()
    check(page.count('class="hit"') == 2 and 'class="more"' not in page and
          'value="story" checked' not in page, "page: without collapse=story")
    st, h, body = get(base + "/?q=" + urllib.parse.quote("date:2015-13"))
    check(st == 400 and "expected YYYY" in body.decode(),
          "page: a query error")
    st, h, body = get(base + "/")
    check(st == 200 and 'dir="rtl"' in body.decode() and
          'name="q"' in body.decode(), "the empty page")
    st, h, body = get(base + "/style.css")
    check(st == 200 and "text/css" in h.get("Content-Type", ""), "style.css")


def chromium():
    for c in ("chromium", "chromium-browser"):
        p = shutil.which(c)
        if p:
            return p
    return None


def dump_dom(browser, url, profile):
    p = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu",
                        "--user-data-dir=" + profile, "--dump-dom", url],
                       capture_output=True, text=True, timeout=180)
    return p.stdout


def hits_of(dom):
    """(title, source, snippet HTML) of each hit of a dumped page."""
    out = []
    for li in re.findall(r'<li class="hit">(.*?)</li>', dom, re.S):
        title = re.search(r"<h3><a[^>]*>(.*?)</a>", li, re.S).group(1)
        src = re.search(r'<span class="source">(.*?)</span>', li, re.S)
        snip = re.search(r'<p class="snippet">(.*?)</p>', li, re.S).group(1)
        out.append((title, src.group(1) if src else None, snip))
    return out


def href(dom, pattern):
    m = re.search(r'<a[^>]*href="([^"]*)"[^>]*>' + pattern, dom, re.S)
    return m.group(1).replace("&amp;", "&") if m else None


def test_browser(base, tmp):
    browser = chromium()
    if not browser:
        print("server: chromium not found: the browser tests are skipped "
              "(scripts/deps.sh installs it)", file=sys.stderr)
        return
    profile = os.path.join(tmp, "chromium-profile")
    test_person(browser, base, tmp)
    # What the search form sends when a person types «الهدنه  غزه» (no
    # hamza, ه for ة, two spaces) and presses the button.
    typed = base + "/?" + urllib.parse.urlencode({"q": "الهدنه  غزه",
                                                  "sort": "relevance"})
    dom = dump_dom(browser, typed, profile)
    hits = hits_of(dom)
    check(len(hits) == 4, "browser: hits for a typed query: %d" % len(hits))
    marks = re.findall(r"<mark>(.*?)</mark>", dom)
    check("الهدنة" in marks and "غزة" in marks,
          "browser: matches highlighted as written: %r" % marks[:8])
    dom_a = dump_dom(browser, base + "/?" + urllib.parse.urlencode(
        {"q": "اتفاق الهدنه", "sort": "relevance"}), profile)
    marks = re.findall(r"<mark>(.*?)</mark>", dom_a)
    check("الهُدْنَـــةِ" in marks and "اتفاقَ" in marks,
          "browser: the diacritised spelling highlighted as written: %r"
          % marks)
    check('lang="ar"' in dom and 'dir="rtl"' in dom, "browser: Arabic, RTL")

    # A facet link narrows the hits to that source.
    link = href(dom, "سبق</a>")
    check(link is not None and "source=" in link, "browser: a source facet")
    if link:
        dom2 = dump_dom(browser, base + link, profile)
        hits2 = hits_of(dom2)
        check(0 < len(hits2) < len(hits) and
              all(h[1] == "سبق" for h in hits2),
              "browser: the facet narrows: %r" % [h[1] for h in hits2])
        check("× سبق" in dom2, "browser: the filter shown, removable")
    # A month facet.
    link = href(dom, "أكتوبر 2015</a>")
    if check(link is not None, "browser: a month facet"):
        hits3 = hits_of(dump_dom(browser, base + link, profile))
        check(hits3 and all(h[0].startswith("الهدنة في اليوم")
                            for h in hits3),
              "browser: the month narrows: %r" % [h[0] for h in hits3])

    # Paging (the server's page size is 4 here).
    nxt = href(dom, "التالي")
    if check(nxt is not None, "browser: a next-page link"):
        dom4 = dump_dom(browser, base + nxt, profile)
        hits4 = hits_of(dom4)
        check(hits4 and not set(h[0] for h in hits4) & set(h[0] for h in hits)
              and 'start="5"' in dom4 and href(dom4, "→ السابق"),
              "browser: page 2 holds the next hits")

    # The article view, from a hit's link.
    link = href(dom, "اتفاق الهدنة في غزة</a>")
    if check(link and link.startswith("/article/"), "browser: hit link"):
        doma = dump_dom(browser, base + link, profile)
        check("المفاوضات مستمرة" in doma and "عكاظ" in doma,
              "browser: the article view")

    # Hostile text is text: no element from the corpus, title unchanged.
    domh = dump_dom(browser, base + "/?q=" + urllib.parse.quote("علامتين"),
                    profile)
    check("<img" not in domh and "pwned" not in re.sub(
        r"&lt;.*?&gt;", "", domh.split("<body")[0]) and
        "&lt;script&gt;" in domh and "<script" not in domh,
        "browser: hostile text shown as text")
    # The suggestion is a link.
    doms = dump_dom(browser, base + "/?q=" +
                    urllib.parse.quote("المفاوضاتت"), profile)
    check(href(doms, "المفاوضات</a>") is not None,
          "browser: the suggestion as a link")


class Cdp:
    """Chromium driven through the DevTools protocol over a pipe
    (--remote-debugging-pipe: JSON messages ended by NUL on fds 3 and 4),
    so that the test types and clicks as a person does."""

    def __init__(self, browser, profile):
        self.to_r, self.to_w = os.pipe()
        self.from_r, self.from_w = os.pipe()
        # Chromium reads fd 3 and writes fd 4: the ends are put there in
        # the child (from fds above any that 3 and 4 could be), and kept.
        fd3 = fcntl.fcntl(self.to_r, fcntl.F_DUPFD, 100)
        fd4 = fcntl.fcntl(self.from_w, fcntl.F_DUPFD, 100)

        def child_fds():
            os.dup2(fd3, 3)
            os.dup2(fd4, 4)

        self.p = subprocess.Popen(
            [browser, "--headless", "--no-sandbox", "--disable-gpu",
             "--user-data-dir=" + profile, "--remote-debugging-pipe",
             "about:blank"], pass_fds=(3, 4), preexec_fn=child_fds,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)
        procs.append(self.p)
        os.close(fd3)
        os.close(fd4)
        os.close(self.to_r)
        os.close(self.from_w)
        self.buf = b""
        self.n = 0
        self.events = []
        t = self.call("Target.createTarget", {"url": "about:blank"})
        self.session = self.call("Target.attachToTarget", {
            "targetId": t["targetId"], "flatten": True})["sessionId"]
        self.call("Page.enable", session=True)

    def _read(self, deadline):
        while b"\0" not in self.buf:
            if time.time() > deadline:
                raise TimeoutError("chromium did not answer")
            chunk = os.read(self.from_r, 65536)
            if not chunk:
                raise EOFError("chromium closed the pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, params=None, session=False, timeout=120):
        self.n += 1
        m = {"id": self.n, "method": method, "params": params or {}}
        if session:
            m["sessionId"] = self.session
        os.write(self.to_w, json.dumps(m).encode() + b"\0")
        deadline = time.time() + timeout
        while True:
            r = self._read(deadline)
            if r.get("id") == self.n:
                if "error" in r:
                    raise RuntimeError("%s: %r" % (method, r["error"]))
                return r["result"]
            self.events.append(r)

    def eval(self, expr):
        r = self.call("Runtime.evaluate", {"expression": expr,
                                           "returnByValue": True},
                      session=True)
        return r["result"].get("value")

    def wait_load(self, before, timeout=120):
        """Poll until the page has left URL BEFORE and is loaded."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            if (self.eval("location.href") != before and
                    self.eval("document.readyState") == "complete"):
                return True
            time.sleep(0.05)
        return False

    def goto(self, url):
        before = self.eval("location.href")
        self.call("Page.navigate", {"url": url}, session=True)
        return self.wait_load(before)

    def click(self, selector):
        """A mouse click at the middle of the first element SELECTOR
        matches; returns whether a page was loaded after it."""
        r = self.eval("(function(){var e=document.querySelector(%s);"
                      "if(!e)return null;e.scrollIntoView();"
                      "var b=e.getBoundingClientRect();"
                      "return [b.left+b.width/2,b.top+b.height/2];})()"
                      % json.dumps(selector))
        if not r:
            return False
        before = self.eval("location.href")
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", {
                "type": kind, "x": r[0], "y": r[1], "button": "left",
                "clickCount": 1}, session=True)
        return self.wait_load(before)

    def type_and_enter(self, selector, text):
        self.eval("document.querySelector(%s).focus()" % json.dumps(selector))
        self.call("Input.insertText", {"text": text}, session=True)
        before = self.eval("location.href")
        for kind in ("keyDown", "keyUp"):
            self.call("Input.dispatchKeyEvent", {
                "type": kind, "key": "Enter", "code": "Enter",
                "windowsVirtualKeyCode": 13, "text": "\r"}, session=True)
        return self.wait_load(before)

    def dom(self):
        return self.eval("document.documentElement.outerHTML")

    def close(self):
        try:
            self.call("Browser.close", timeout=30)
        except (OSError, RuntimeError, TimeoutError, EOFError):
            pass
        try:
            self.p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
        os.close(self.to_w)
        os.close(self.from_r)


def test_person(browser, base, tmp):
    """Type a query, press Enter, click a facet, the next page, a hit."""
    b = Cdp(browser, os.path.join(tmp, "cdp-profile"))
    try:
        b.call("Emulation.setDeviceMetricsOverride", {
            "width": 1000, "height": 760, "deviceScaleFactor": 1,
            "mobile": False}, session=True)
        check(b.goto(base + "/"), "person: the empty page loads")
        # Typed as a person would: no hamza, ه for ة, two spaces.
        check(b.type_and_enter('input[name="q"]', "الهدنه  غزه"),
              "person: Enter submits the form")
        dom = b.dom()
        hits = hits_of(dom)
        marks = re.findall(r"<mark>(.*?)</mark>", dom)
        check(len(hits) == 4 and "الهدنة" in marks and "غزة" in marks,
              "person: typed query, highlighted hits: %d %r"
              % (len(hits), marks[:6]))
        check(b.eval("document.querySelector('input[name=q]').value") ==
              "الهدنه  غزه", "person: the box keeps the query")
        if os.environ.get("NEWSQ_SCREENSHOT"):
            import base64
            shot = b.call("Page.captureScreenshot", {"format": "png"},
                          session=True)
            with open(os.environ["NEWSQ_SCREENSHOT"], "wb") as f:
                f.write(base64.b64decode(shot["data"]))
        # A click on a source facet narrows the hits.
        check(b.click('ul.facet-source a'), "person: a facet click loads")
        narrowed = hits_of(b.dom())
        first_src = narrowed[0][1] if narrowed else None
        check(narrowed and all(h[1] == first_src for h in narrowed) and
              b.eval("new URL(location.href).searchParams.get('source')")
              == first_src, "person: the facet narrows: %r"
              % [h[1] for h in narrowed])
        # Back to all sources (the filter's own link), then page 2.
        check(b.click("a.filter"), "person: the filter removed")
        check(len(hits_of(b.dom())) == 4, "person: all sources again")
        check(b.click('a[rel="next"]'), "person: the next page loads")
        page2 = hits_of(b.dom())
        check(page2 and not {h[0] for h in page2} & {h[0] for h in hits},
              "person: page 2 holds other hits")
        check(b.click('a[rel="prev"]'), "person: back to page 1")
        # Sorting: newest first through the select and the button.
        b.eval("document.querySelector('select[name=sort]').value='-date'")
        check(b.click('form.search button'), "person: sort submitted")
        dates = re.findall(r'<time datetime="([^"]*)"', b.dom())
        check(dates and dates == sorted(dates, reverse=True),
              "person: newest first: %r" % dates)
        # A hit's title opens the article.
        check(b.click("ol.hits h3 a"), "person: a hit opens")
        check(b.eval("location.pathname").startswith("/article/") and
              b.eval("document.querySelectorAll('article p').length") > 1,
              "person: the article view")
        # On a phone: nothing wider than the screen.
        b.call("Emulation.setDeviceMetricsOverride", {
            "width": 390, "height": 844, "deviceScaleFactor": 2,
            "mobile": True}, session=True)
        b.goto(base + "/?q=" + urllib.parse.quote("الهدنة"))
        check(b.eval("document.documentElement.scrollWidth <= "
                     "window.innerWidth + 1"),
              "person: the page fits a phone's width")
    finally:
        b.close()


def more_corpus(folder, n, tag):
    for i in range(n):
        write_article(folder, "%s%03d" % (tag, i), (
            "خبر رقم %d عن الهدنة" % i, "%dth, May 2016" % (i % 20 + 4),
            ["واس", "عكاظ"][i % 2],
            ["نص الخبر %d عن الهدنة في غزة والمساعدات الإنسانية." % i,
             "فقرة ثانية %s%03d." % (tag, i)], None))


def test_live(tmp):
    """Searches never fail while a build commits and compact swaps."""
    corpus = os.path.join(tmp, "live-corpus")
    db = os.path.join(tmp, "live-db")
    os.makedirs(corpus)
    more_corpus(corpus, 200, "x")
    run(NEWSIDX, "build", "--quiet", "--corpus", corpus, "--db", db)
    p, base = start_server(db, threads=2)
    errors, answers = [], [0]
    stop_flag = threading.Event()

    def loop():
        while not stop_flag.is_set():
            st, h, o = api(base, "/api/search", q="الهدنة غزة", limit=5)
            if st != 200 or not o or not o["hits"]:
                errors.append((st, o))
            answers[0] += 1
            st, h, o = api(base, "/api/article/x007")
            if st != 200:
                errors.append((st, o))

    threads = [threading.Thread(target=loop) for _ in range(3)]
    try:
        for t in threads:
            t.start()
        # A build that commits often: new articles and changed ones.
        more_corpus(corpus, 300, "y")
        for i in range(0, 200, 3):
            write_article(corpus, "x%03d" % i, (
                "خبر معدّل %d عن الهدنة" % i, "5th, June 2016", "واس",
                ["نص معدّل عن الهدنة في غزة."], None))
        b = run(NEWSIDX, "build", "--quiet", "--commit-every", "20",
                "--corpus", corpus, "--db", db)
        check(b.returncode == 0, "live: the build: " + b.stderr)
        n_build = answers[0]
        for _ in range(3):
            c = run(NEWSIDX, "compact", "--quiet", "--db", db)
            check(c.returncode == 0, "live: compact: " + c.stderr)
        deadline = time.time() + 60
        while answers[0] < n_build + 20 and time.time() < deadline:
            time.sleep(0.05)
    finally:
        stop_flag.set()
        for t in threads:
            t.join()
    check(answers[0] > 20, "live: searches made: %d" % answers[0])
    check(not errors, "live: %d failed of %d: %r" % (len(errors), answers[0],
                                                     errors[:3]))
    # The new articles are seen without a restart.
    st, h, o = api(base, "/healthz")
    check(o and o["documents"] == 500, "live: documents after: %r" % o)
    st, h, o = api(base, "/api/search", q="y123")
    check(o and o["hits"] and o["hits"][0]["id"] == "y123",
          "live: a new article is found: %r" % (o and o["hits"][:1]))
    test_stop(p, base)


def test_stop(p, base):
    """SIGTERM: a request begun before it (headers half sent) is answered
    in full after it, then the server exits 0."""
    port = int(base.rsplit(":", 1)[1])
    s = socket.create_connection(("127.0.0.1", port), timeout=60)
    s.sendall(b"GET /api/search?q=%D8%A7%D9%84%D9%87%D8%AF%D9%86%D8%A9"
              b"&limit=2 HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    # The server has accepted it: /healthz on another connection answers
    # (connections are served in turn by the same threads).
    check(get(base + "/healthz")[0] == 200, "stop: serving")
    p.send_signal(signal.SIGTERM)
    deadline = time.time() + 60
    log = ""
    while time.time() < deadline and "stopping (SIGTERM)" not in log:
        with open(p.log) as f:
            log = f.read()
        time.sleep(0.02)
    check(re.search(r"stopping \(SIGTERM\): [1-9][0-9]* connections open",
                    log),
          "stop: the half-sent request's connection is open: " + log)
    s.sendall(b"\r\n")
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    s.close()
    head, _, body = data.partition(b"\r\n\r\n")
    check(head.startswith(b"HTTP/1.1 200") and
          b"connection: close" in head.lower() and
          json.loads(body)["hits"], "stop: the request in flight is "
          "answered in full: %r" % data[:200])
    try:
        rc = p.wait(timeout=120)
    except subprocess.TimeoutExpired:
        rc = None
    check(rc == 0, "stop: exit status %r" % rc)


def main():
    tmp = tempfile.mkdtemp(prefix="newsidx-server.")
    try:
        corpus = os.path.join(tmp, "corpus")
        os.makedirs(corpus)
        for name, art in ARTICLES.items():
            write_article(corpus, name, art)
        shutil.copy(os.path.join(corpus, "a2.txt"),
                    os.path.join(corpus, "a2copy.txt"))
        with open(os.path.join(corpus, "r1.txt"), "w") as f:
            f.write("قمة عربية في القاهرة\nتاريخ النشر: 2nd, August 2015 GMT\n"
                    "اجتمع القادة العرب في القاهرة لبحث الأوضاع.\n"
                    "المصدر: اليوم\nإقرأ أيضاً:\n"
                    "الهدنة تصمد لليوم الثالث المصدر: وكالات\n"
                    "قال مسؤولون إن الهدنة تصمد.\n")
        ARTICLES["a2copy"] = ARTICLES["a2"]
        ARTICLES["r1"] = ARTICLES["r1#1"] = None
        db = os.path.join(tmp, "db")
        b = run(NEWSIDX, "build", "--quiet", "--corpus", corpus, "--db", db)
        check(b.returncode == 0, "build: " + b.stderr)
        env = dict(os.environ, NEWSIDX_LIMIT="4")
        p, base = start_server(db, env=env)
        try:
            test_api(db, base)
            test_like(db, base)
            test_html(base)
            test_browser(base, tmp)
        finally:
            check(stop(p) == 0, "SIGTERM: exit status %r" % p.returncode)
            log = open(p.log).read()
            check("stopping (SIGTERM)" in log and "stopped (SIGTERM)" in log,
                  "SIGTERM logged: " + log)

        # A missing index: the server runs and answers 503.
        p, base = start_server(os.path.join(tmp, "none"))
        try:
            st, h, o = api(base, "/healthz")
            check(st == 503 and o["status"] == 503, "no index: healthz %r" % st)
            st, h, o = api(base, "/api/search", q="غزة")
            check(st == 503 and o["error"], "no index: search %r" % st)
            st, h, body = get(base + "/?q=x")
            check(st == 503, "no index: page %r" % st)
        finally:
            stop(p)
        # Usage errors.
        for args, msg in [(["--serve", "x"], "--serve"),
                          (["--serve", "1.2.3:80"], "--serve"),
                          (["--serve", "70000"], "--serve"),
                          (["--serve", "0", "q"], "takes no query"),
                          (["--threads", "2", "q"], "--threads"),
                          (["--serve", "0", "--threads", "0"], "--threads")]:
            r = run(NEWSQ, "--db", db, *args, check_rc=False)
            check(r.returncode == 2 and msg in r.stderr,
                  "usage %r: %r %r" % (args, r.returncode, r.stderr))

        test_live(tmp)
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    print("server: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
