#!/usr/bin/env python3
"""Convert a folder of article files into one scriptindex dump file.

    to_scriptindex.py CORPUS_DIR OUT_FILE

Each .txt file under CORPUS_DIR (recursively, sorted) becomes one record:
id (path under CORPUS_DIR without .txt), title (the first non-empty line)
and body (the other lines; a "تاريخ النشر:" date line right after the title
is dropped, as newsidx does not index it as text either). Multi-line values
follow scriptindex's rule: each newline is followed by '='. Prints the number
of records on stdout.
"""
import os
import sys

DATE = "تاريخ النشر"


def articles(root):
    for d, dirs, files in os.walk(root):
        dirs[:] = sorted(x for x in dirs if not x.startswith("."))
        for f in sorted(files):
            if f.endswith(".txt") and not f.startswith("."):
                yield os.path.join(d, f)


def main():
    root, out = sys.argv[1], sys.argv[2]
    n = 0
    with open(out, "w", encoding="utf-8") as w:
        for path in articles(root):
            with open(path, "rb") as f:
                text = f.read().decode("utf-8", "replace")
            lines = [l.strip() for l in text.replace("\r", "").split("\n")]
            lines = [l for l in lines if l]
            if not lines:
                continue
            title, body = lines[0], lines[1:]
            if body and body[0].startswith(DATE):
                body = body[1:]
            rid = os.path.relpath(path, root)[:-4]
            # A blank line ends a record, so it must never appear in a value:
            # empty lines were dropped above.
            w.write("id=%s\ntitle=%s\nbody=%s\n\n" % (rid, title, "\n=".join(body)))
            n += 1
    print(n)


if __name__ == "__main__":
    main()
