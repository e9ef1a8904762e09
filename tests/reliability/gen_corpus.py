#!/usr/bin/env python3
"""gen_corpus.py: write N small synthetic Arabic articles in the corpus format.

    python3 gen_corpus.py DIR N [SEED]

Each file DIR/art_NNNNN.txt holds a title line, "تاريخ النشر: 1st, July 2015
GMT", 2 to 5 body lines of words drawn from a small word list, and
"المصدر: X". The first body line of every article also holds the word "مرصد", so
one query matches them all. Deterministic for a given SEED. Used by the
reliability tests (crash, lock).
"""
import os
import random
import sys

WORDS = (
    "الحكومة وزير الخارجية غزة الهدنة المساعدات الإنسانية مجلس الأمن "
    "الرياض القاهرة بيروت دمشق عمان الرئيس الوزراء الاقتصاد النفط الأسعار "
    "المباراة الهلال النصر الدوري المنتخب الطقس الأمطار الرياح التعليم "
    "الجامعة الطلاب المستشفى الصحة اللقاح المؤتمر الصحفي الاجتماع اتفاق "
    "السلام المفاوضات البرلمان الانتخابات المواطنين الشركة السوق البورصة "
    "مشروع الطريق المطار الميناء الزراعة المياه الكهرباء الطاقة الشمسية"
).split()
SOURCES = ["واس", "الرياض", "عكاظ", "المدينة", "الجزيرة", "سبق"]


def article(rng):
    title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 8)))
    body = []
    for i in range(rng.randint(2, 5)):
        line = [rng.choice(WORDS) for _ in range(rng.randint(8, 20))]
        if i == 0:
            line.insert(rng.randint(0, len(line)), "مرصد")
        body.append(" ".join(line))
    return "\n".join([title, "تاريخ النشر: 1st, July 2015 GMT", *body,
                      "المصدر: " + rng.choice(SOURCES)]) + "\n"


def main_args(out, n, seed=6):
    rng = random.Random(seed)
    os.makedirs(out, exist_ok=True)
    for i in range(n):
        with open(os.path.join(out, "art_%05d.txt" % i), "w",
                  encoding="utf-8") as f:
            f.write(article(rng))


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: gen_corpus.py DIR N [SEED]")
    main_args(sys.argv[1], int(sys.argv[2]),
              int(sys.argv[3]) if len(sys.argv) == 4 else 6)


if __name__ == "__main__":
    main()
