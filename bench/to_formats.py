#!/usr/bin/env python3
"""to_formats.py: the same articles in each input format newsidx reads.

    python3 bench/to_formats.py CORPUS OUT

Reads every *.txt of CORPUS (the article format: title, "تاريخ النشر:",
body lines, "المصدر:", "كلمات دلالية:"; related articles after
"إقرأ أيضاً:" are left out) and writes, under OUT:

  article/   the main articles again, one file each (as read here)
  jsonl/     one JSON lines file, a record per article (ISO 8601 dates)
  rss/       one RSS 2.0 file, an item per article (RFC 822 dates, the
             body as HTML paragraphs in <description>)

so that `newsidx build` can be timed on the same articles in each format
(bench/formats.sh). Prints the number of articles.
"""
import email.utils
import datetime
import html
import json
import os
import re
import sys

MONTHS = {m: i + 1 for i, m in enumerate(
    "january february march april may june july august september october "
    "november december".split())}
MARKER = re.compile(r"^[اأإ]قر[أا]\s+[اأإ]يض(?:اً|ًا|ا)\s*:?$")


def parse(text):
    # Control characters are not allowed in XML 1.0 (nor wanted anywhere).
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text)
    lines = [l.strip() for l in text.replace("\r", "").split("\n")]
    lines = [l for l in lines if l]
    if not lines:
        return None
    art = {"title": lines[0], "body": [], "date": None, "source": None,
           "keywords": None}
    for l in lines[1:]:
        if MARKER.match(l):
            break
        if l.startswith("تاريخ النشر:") and not art["body"]:
            art["date"] = l.split(":", 1)[1].strip()
        elif l.startswith("المصدر:"):
            art["source"] = art["source"] or l.split(":", 1)[1].strip()
        elif l.startswith("كلمات دلالية:"):
            art["keywords"] = art["keywords"] or l.split(":", 1)[1].strip()
        else:
            art["body"].append(l)
    return art


def day(date):
    m = re.match(r"(\d+)\w*,?\s+([A-Za-z]+)\.?,?\s+(\d{4})", date or "")
    if not m or m.group(2).lower() not in MONTHS:
        return None
    return datetime.date(int(m.group(3)), MONTHS[m.group(2).lower()],
                         int(m.group(1)))


def main(corpus, out):
    names = sorted(n for n in os.listdir(corpus) if n.endswith(".txt"))
    for d in ("article", "jsonl", "rss"):
        os.makedirs(os.path.join(out, d), exist_ok=True)
    n = 0
    with open(os.path.join(out, "jsonl", "all.jsonl"), "w",
              encoding="utf-8") as jl, \
            open(os.path.join(out, "rss", "all.rss"), "w",
                 encoding="utf-8") as rss:
        rss.write('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">'
                  '<channel><title>saudinewsnet</title>\n')
        for name in names:
            with open(os.path.join(corpus, name), encoding="utf-8",
                      errors="replace") as f:
                art = parse(f.read())
            if art is None:
                continue
            n += 1
            ident = name[:-4]
            d = day(art["date"])
            with open(os.path.join(out, "article", name), "w",
                      encoding="utf-8") as f:
                f.write(art["title"] + "\n")
                if art["date"]:
                    f.write("تاريخ النشر: " + art["date"] + "\n")
                f.write("\n".join(art["body"]) + "\n")
                if art["source"]:
                    f.write("المصدر: " + art["source"] + "\n")
                if art["keywords"]:
                    f.write("كلمات دلالية: " + art["keywords"] + "\n")
            rec = {"id": ident, "title": art["title"],
                   "body": "\n".join(art["body"]),
                   "date": d.isoformat() if d else None,
                   "source": art["source"], "keywords": art["keywords"]}
            jl.write(json.dumps(rec, ensure_ascii=False) + "\n")
            item = ["<item><title>%s</title><guid>%s</guid>"
                    % (html.escape(art["title"]), ident)]
            if d:
                t = datetime.datetime(d.year, d.month, d.day, 12, 0,
                                      tzinfo=datetime.timezone.utc)
                item.append("<pubDate>%s</pubDate>"
                            % email.utils.format_datetime(t))
            if art["source"]:
                item.append("<source url=\"x\">%s</source>"
                            % html.escape(art["source"]))
            if art["keywords"]:
                item.append("<category>%s</category>"
                            % html.escape(art["keywords"]))
            item.append("<description>%s</description></item>\n" % html.escape(
                "".join("<p>%s</p>" % html.escape(p) for p in art["body"])))
            rss.write("".join(item))
        rss.write("</channel></rss>\n")
    print(n)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
