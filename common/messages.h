/*
 * messages.h: the user-facing messages of both programs in English (the
 * default) or Arabic, when the locale says so (LC_ALL, else LC_MESSAGES,
 * else LANG, names ar or ar_*: ar_SA.UTF-8, ar_EG, ar@...).
 *
 * A message is looked up by its English printf format, as gettext looks up
 * a msgid: warnx_, warn_path and usage_fail (util.h) translate the format
 * they are given, so a warning is translated wherever it is printed from.
 * A format missing from the table is printed in English. Results (stdout:
 * hits, counts, the build summary, stats) are never translated: scripts
 * read them.
 */
#ifndef NX_MESSAGES_H
#define NX_MESSAGES_H

#include <stddef.h>

/* 1 when messages are to be in Arabic. Reads the environment each time
 * (cheap, and never cached so that it cannot race between threads). */
int msg_arabic(void);

/* The Arabic version of the printf format ENGLISH when messages are in
 * Arabic and the table has one, else ENGLISH itself. The result takes the
 * same arguments in the same order (tests/unit/test_messages checks every
 * pair) and is never freed. */
const char *msg_tr(const char *english) __attribute__((format_arg(1)));

/* ENGLISH or ARABIC, by the locale: for long texts such as --help. */
const char *msg_pick(const char *english, const char *arabic);

/* The table, for tests: N entries; entry I's English and Arabic formats. */
size_t msg_count(void);
void msg_entry(size_t i, const char **english, const char **arabic);

#endif /* NX_MESSAGES_H */
