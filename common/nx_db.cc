/*
 * nx_db.cc: the implementation of nx.h, the C interface to Xapian.
 *
 * This is the only C++ file of newsidx. Each opaque handle of nx.h is a
 * small struct wrapping one Xapian object. No exception leaves this file:
 * every function that can reach Xapian or allocate runs its body in
 *     try { ... } catch (...) { return map_exception(...); }
 * and map_exception turns the exception into an nx_status_t and, where there
 * is a handle to hold it, a message. The few functions that only read plain
 * members (accessors, *_free, nx_status_to_string) cannot throw and have no
 * try block.
 */
#include "nx.h"

#include <xapian.h>

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <unordered_set>
#include <sstream>
#include <new>
#include <string>
#include <vector>

/* Glass refuses terms longer than NX_MAX_TERM when the document is added
 * (the exception comes from add/replace, far from the culprit), so the
 * nx_doc_add_* functions drop such terms instead. newsidx's own cap,
 * SCHEMA_TERM_MAX (schema.h), is below. */
static const size_t MAX_TERM_BYTES = NX_MAX_TERM;

struct nx_db {
    /* Exactly one of the two is open, as WRITABLE says. */
    Xapian::Database reader;
    Xapian::WritableDatabase writer;
    bool writable = false;
    /* Xapian cannot drop uncommitted changes outside a transaction, so the
     * writes since the last commit run inside one (opened by the first write)
     * and nx_db_cancel can cancel it. */
    bool in_txn = false;
    std::string err; /* message of the last failed call */
    /* A reader opened through a stub (nx_db_open_read). */
    std::string path;
    double timeout = 0;
    bool partial = false;
    std::vector<std::string> failed; /* "SHARD: reason" */
    std::vector<Xapian::Database> shards; /* a reader's, one by one */
    size_t reopened = 0; /* reads retried after a writer's commit */

    Xapian::Database &db() { return writable ? writer : reader; }
};

struct nx_doc {
    Xapian::Document doc;
    /* Read-back caches: nx_doc_data and nx_doc_value return pointers into
     * these strings, so they must outlive the call. Mutable because those
     * functions take a const handle. */
    mutable std::string data;
    mutable bool data_cached = false;
    mutable std::map<unsigned, std::string> values;
    mutable bool values_complete = false; /* every value of DOC is in VALUES */
};

struct nx_query {
    Xapian::Query q;
};

struct nx_hits {
    /* Everything is copied out of the MSet (documents included) by
     * nx_search, so the accessors below never touch Xapian and cannot fail
     * with DatabaseModifiedError half-way through a result page. */
    std::vector<Xapian::docid> docids;
    std::vector<double> weights;
    std::vector<nx_doc> docs; /* never resized after nx_search: stable */
    uint32_t estimated = 0;
    bool exact = false;
    /* per spy slot: (value, count) in value order */
    std::vector<std::vector<std::pair<std::string, uint32_t>>> facets;
};

/*
 * Map the exception being handled to a status. Must be called from inside a
 * catch block: it rethrows the current exception to look at its type. If MSG
 * is not NULL it receives "WHAT: <description>".
 *
 * The order matters where classes derive from each other: DatabaseLockError,
 * DatabaseModifiedError, DatabaseCorruptError and DatabaseOpeningError all
 * derive from DatabaseError (itself a Xapian::Error), and DatabaseNotFoundError
 * and DatabaseVersionError derive from DatabaseOpeningError.
 */
static nx_status_t map_exception(std::string *msg, const char *what) noexcept
{
    nx_status_t status = NX_INTERNAL;
    /* The pointers stay valid after the inner handler ends: the caller's
     * catch (...) is still active, which keeps the exception object alive. */
    const Xapian::Error *xerr = nullptr;
    const std::exception *serr = nullptr;
    try {
        throw;
    } catch (const Xapian::DatabaseLockError &e) {
        status = NX_LOCKED;
        xerr = &e;
    } catch (const Xapian::DatabaseModifiedError &e) {
        status = NX_MODIFIED;
        xerr = &e;
    } catch (const Xapian::DatabaseCorruptError &e) {
        status = NX_CORRUPT;
        xerr = &e;
    } catch (const Xapian::DatabaseOpeningError &e) {
        /* Also DatabaseNotFoundError and DatabaseVersionError. */
        status = NX_NO_INDEX;
        xerr = &e;
    } catch (const Xapian::DatabaseCreateError &e) {
        /* NX_WRITE_CREATE could not create the directory or its files. */
        status = NX_NO_INDEX;
        xerr = &e;
    } catch (const Xapian::NetworkError &e) {
        /* Also NetworkTimeoutError: a remote shard. */
        status = NX_NETWORK;
        xerr = &e;
    } catch (const Xapian::DocNotFoundError &e) {
        status = NX_NOT_FOUND;
        xerr = &e;
    } catch (const Xapian::Error &e) {
        status = NX_XAPIAN;
        xerr = &e;
    } catch (const std::bad_alloc &) {
        status = NX_NOMEM;
    } catch (const std::exception &e) {
        status = NX_INTERNAL;
        serr = &e;
    } catch (...) {
        status = NX_INTERNAL;
    }
    if (msg) {
        try {
            std::string text(what);
            text += ": ";
            if (xerr)
                text += xerr->get_description();
            else if (serr)
                text += serr->what();
            else if (status == NX_NOMEM)
                text += "out of memory";
            else
                text += "unknown exception";
            *msg = std::move(text);
        } catch (...) {
            msg->clear(); /* no memory even for the message */
        }
    }
    return status;
}

/* Record a failure detected here (not by Xapian). */
static nx_status_t fail(std::string *msg, nx_status_t status,
                        const char *text) noexcept
{
    try {
        *msg = text;
    } catch (...) {
        msg->clear();
    }
    return status;
}

/* A malloc'd copy of S (which may contain NULs), or bad_alloc. */
static char *dup_string(const std::string &s)
{
    char *p = static_cast<char *>(std::malloc(s.size() + 1));
    if (!p)
        throw std::bad_alloc();
    std::memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    return p;
}

/* Writer functions on a read handle are a caller error, not a Xapian one. */
/* Every write starts here: the message of an earlier call goes. */
static bool check_writer(nx_db *db, const char *what)
{
    db->err.clear();
    if (db->writable)
        return true;
    fail(&db->err, NX_BAD_ARG, what);
    return false;
}

/* Start the transaction holding the writes since the last commit. */
static void begin_writes(nx_db *db)
{
    if (!db->in_txn) {
        db->writer.begin_transaction(true);
        db->in_txn = true;
    }
}

/* Read the data and every value of a stored document now, while we are in a
 * try block: Xapian loads them lazily, and a later lazy load could throw
 * (DatabaseModifiedError) from an accessor that has no way to report it. */
static void load_doc(nx_doc *d, const Xapian::Document &doc)
{
    d->doc = doc;
    d->data = doc.get_data();
    d->data_cached = true;
    for (Xapian::ValueIterator v = doc.values_begin(); v != doc.values_end();
         ++v)
        d->values[v.get_valueno()] = *v;
    d->values_complete = true;
}

/* A heap copy of Q as a handle, or NULL when out of memory. */
static nx_query_t *new_query(const Xapian::Query &q)
{
    return new (std::nothrow) nx_query{q};
}

/* The stub file of PATH, if it is one: PATH/XAPIANDB, or PATH itself when
 * it is a regular file. "" when PATH is a plain database (or nothing). */
static std::string stub_file(const std::string &path)
{
    struct stat st;
    if (stat(path.c_str(), &st) != 0)
        return "";
    if (S_ISREG(st.st_mode))
        return path;
    std::string f = path + "/XAPIANDB";
    return stat(f.c_str(), &st) == 0 && S_ISREG(st.st_mode) ? f : "";
}

/*
 * Open the shards listed in the stub file STUB one by one into ALL (see
 * nx.h). Failures go to FAILED as "SHARD: reason"; a line that is not a
 * shard throws (the stub itself is wrong, whatever PARTIAL says).
 */
/* How deep stubs may list stubs (Xapian itself recurses until the stack
 * runs out: a stub listing itself crashed newsq). */
#define NX_STUB_DEPTH 8

static void open_stub(const std::string &stub, double timeout,
                      Xapian::Database &all, std::vector<std::string> &failed,
                      std::vector<Xapian::Database> &shards,
                      std::vector<std::string> &chain)
{
    char *real = realpath(stub.c_str(), nullptr);
    std::string me = real ? real : stub;
    std::free(real);
    for (const std::string &s : chain)
        if (s == me)
            throw Xapian::DatabaseOpeningError(
                "stub " + stub + " lists itself (a loop of stubs)");
    if (chain.size() >= NX_STUB_DEPTH)
        throw Xapian::DatabaseOpeningError(
            "stub " + stub + ": stubs nest deeper than " +
            std::to_string(NX_STUB_DEPTH) + " levels");
    chain.push_back(me);
    std::ifstream in(stub);
    if (!in)
        throw Xapian::DatabaseOpeningError("cannot read stub " + stub);
    std::string dir = stub.substr(0, stub.find_last_of('/') + 1);
    unsigned ms = timeout > 0 ? (unsigned)(timeout * 1000 + 0.5) : 10000;
    std::string line;
    for (unsigned n = 1; std::getline(in, line); n++) {
        size_t b = line.find_first_not_of(" \t\r");
        if (b == std::string::npos || line[b] == '#')
            continue;
        size_t e = line.find_first_of(" \t", b);
        std::string kind = line.substr(b, e - b);
        size_t a = e == std::string::npos ? e : line.find_first_not_of(" \t", e);
        std::string arg = a == std::string::npos ? "" : line.substr(a);
        while (!arg.empty() && (arg.back() == '\r' || arg.back() == ' '))
            arg.pop_back();
        /* "remote tcp HOST PORT" is read as "remote HOST:PORT" (Xapian's
         * own tools know only the latter). */
        if (kind == "remote" && arg.compare(0, 4, "tcp ") == 0) {
            std::string hp = arg.substr(4);
            size_t sp = hp.find_last_of(" \t");
            if (sp != std::string::npos) {
                size_t hb = hp.find_first_not_of(" \t");
                size_t he = hp.find_last_not_of(" \t", sp);
                arg = hp.substr(hb, he - hb + 1) + ":" + hp.substr(sp + 1);
            }
        }
        size_t colon = arg.rfind(':');
        if ((kind != "auto" && kind != "glass" && kind != "remote") ||
            arg.empty() ||
            (kind == "remote" && (colon == std::string::npos || colon == 0)))
            throw Xapian::DatabaseOpeningError(
                stub + ":" + std::to_string(n) + ": not a shard: " + line);
        std::string name = kind == "remote" ? arg
                           : arg[0] == '/' ? arg : dir + arg;
        try {
            if (kind == "remote") {
                unsigned long port = std::strtoul(arg.c_str() + colon + 1,
                                                  nullptr, 10);
                shards.push_back(Xapian::Remote::open(
                    arg.substr(0, colon), (unsigned)port, ms, ms));
                all.add_database(shards.back());
            } else if (kind == "auto" && !stub_file(name).empty()) {
                /* A stub listing a stub: ours, to catch loops. */
                open_stub(stub_file(name), timeout, all, failed, shards,
                          chain);
            } else {
                shards.push_back(Xapian::Database(name));
                all.add_database(shards.back());
            }
        } catch (const Xapian::Error &x) {
            if (x.get_description().find("a loop of stubs") !=
                    std::string::npos ||
                x.get_description().find("stubs nest deeper") !=
                    std::string::npos)
                throw; /* the stubs are wrong, whatever --partial says */
            failed.push_back("shard " + name + ": " + x.get_description());
        }
    }
    chain.pop_back();
}

/* (Re)open reader H from H->path (stub or plain database). */
static nx_status_t open_reader(nx_db *h)
{
    std::string stub = stub_file(h->path);
    h->failed.clear();
    h->shards.clear();
    if (stub.empty()) {
        h->reader = Xapian::Database(h->path);
        h->shards.push_back(h->reader);
        return NX_OK;
    }
    Xapian::Database all;
    std::vector<std::string> chain;
    open_stub(stub, h->timeout, all, h->failed, h->shards, chain);
    if (h->failed.empty() || (h->partial && all.size() > 0)) {
        h->reader = all;
        return NX_OK;
    }
    h->err = all.size() == 0 && h->failed.size() > 1
                 ? "no shard of " + stub + " could be opened; first " +
                       h->failed[0]
                 : h->failed[0];
    return h->failed[0].find("NetworkError") != std::string::npos ||
                   h->failed[0].find("NetworkTimeoutError") != std::string::npos
               ? NX_NETWORK
               : NX_NO_INDEX;
}

/*
 * Equal weights in the tie slot's order. Xapian already sorts so, but a
 * sum of the same parts comes out a few ulps apart when the database is
 * split in shards (the order of the additions follows each shard's term
 * statistics), so weights are compared to 1e-9 relative here.
 */
static void order_ties(nx_hits *h, const nx_search_opts_t &o)
{
    size_t n = h->docids.size();
    std::vector<size_t> idx(n);
    std::vector<std::string> key(n), sortv(n);
    std::vector<long long> q(n);
    double top = 1.0;
    for (size_t i = 0; i < n; i++)
        top = std::max(top, std::fabs(h->weights[i]));
    for (size_t i = 0; i < n; i++) {
        idx[i] = i;
        key[i] = h->docs[i].doc.get_value(o.tie_slot);
        if (o.sort_by_value)
            sortv[i] = h->docs[i].doc.get_value(o.sort_slot);
        q[i] = std::llround(h->weights[i] * 1e9 / top);
    }
    /* Xapian's order (the sort value, then the weight), exact ties by the
     * tie value. */
    std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) {
        if (sortv[a] != sortv[b])
            return o.sort_reverse ? sortv[a] > sortv[b] : sortv[a] < sortv[b];
        if (q[a] != q[b])
            return q[a] > q[b];
        return key[a] < key[b];
    });
    nx_hits sorted;
    sorted.estimated = h->estimated;
    sorted.docs.reserve(n);
    for (size_t i : idx) {
        sorted.docids.push_back(h->docids[i]);
        sorted.weights.push_back(h->weights[i]);
        sorted.docs.push_back(std::move(h->docs[i]));
    }
    h->docids.swap(sorted.docids);
    h->weights.swap(sorted.weights);
    h->docs.swap(sorted.docs);
}

/* Reopen attempts when a writer's commit invalidates what a reader is
 * reading (DatabaseModifiedError): each attempt sees a newer commit, so a
 * few are plenty; a writer committing faster than that is reported. */
#define NX_READ_RETRIES 10

/* Is the exception being handled one a reader meets when a writer reused
 * the blocks of the revision it reads? Xapian says DatabaseModifiedError
 * when it notices, but a reused block read before it notices gives
 * DatabaseCorruptError ("Expected block 29 to be level 1") or a plain
 * DatabaseError ("EOF reading block 1671890176": a pointer read from a
 * reused block), as the torture test showed (seed 55008). Reopening reads
 * the new revision; an index damaged for good fails every attempt. */
static bool stale_read() noexcept
{
    try {
        throw;
    } catch (const Xapian::DatabaseOpeningError &) {
        return false; /* not there or not an index: no use retrying */
    } catch (const Xapian::DatabaseLockError &) {
        return false;
    } catch (const Xapian::DatabaseError &) {
        return true; /* modified, corrupt, or a block read failed */
    } catch (...) {
        return false;
    }
}

/*
 * Run BODY (returning a status, throwing Xapian's exceptions) for DB: the
 * one place where every read path (searches, term and prefix lookups,
 * stored data, positions, metadata) reopens and retries when a writer
 * committed under it (stale_read). A failure leaves its own message on DB (the message
 * of an older call is cleared first).
 */
template <class F>
static nx_status_t with_retry(nx_db *db, const char *what, F body) noexcept
{
    db->err.clear();
    for (int i = 0;; i++) {
        try {
            return body();
        } catch (...) {
            nx_status_t s = map_exception(&db->err, what);
            if (!stale_read() || db->writable || i >= NX_READ_RETRIES)
                return s;
        }
        db->err.clear();
        db->reopened++;
        try {
            db->reader.reopen();
        } catch (...) {
            /* The next attempt fails again and says why. */
        }
    }
}

extern "C" {

const char *nx_status_to_string(nx_status_t status)
{
    switch (status) {
    case NX_OK: return "success";
    case NX_NOMEM: return "out of memory";
    case NX_BAD_ARG: return "invalid argument";
    case NX_NO_INDEX: return "index missing or cannot be opened";
    case NX_LOCKED: return "index locked by another writer";
    case NX_MODIFIED: return "index modified during the read: reopen and retry";
    case NX_CORRUPT: return "index corrupted";
    case NX_NOT_FOUND: return "not found";
    case NX_XAPIAN: return "Xapian error";
    case NX_INTERNAL: return "internal error";
    case NX_NETWORK: return "a remote shard did not answer";
    default: return "unknown status";
    }
}

/* ---------------------------------------------------------------- database */

nx_status_t nx_db_open(const char *path, nx_open_mode_t mode, nx_db_t **db,
                       char **errmsg)
{
    std::string msg;
    nx_status_t status = NX_OK;
    nx_db *h = nullptr;
    if (db)
        *db = nullptr;
    if (errmsg)
        *errmsg = nullptr;
    try {
        if (!path || !db || (mode != NX_READ && mode != NX_WRITE_CREATE)) {
            status = fail(&msg, NX_BAD_ARG,
                          "opening database: invalid argument");
        } else {
            h = new (std::nothrow) nx_db;
            if (!h) {
                status = NX_NOMEM;
                msg = "opening database: out of memory";
            } else if (mode == NX_READ) {
                delete h;
                return nx_db_open_read(path, 0, 0, db, errmsg);
            } else {
                h->writer = Xapian::WritableDatabase(
                    path, Xapian::DB_CREATE_OR_OPEN);
                h->writable = true;
            }
        }
    } catch (...) {
        status = map_exception(&msg, "opening database");
    }
    if (status != NX_OK) {
        delete h;
        /* strdup may fail: the caller then gets NULL, which is allowed. */
        if (errmsg)
            *errmsg = strdup(msg.c_str());
        return status;
    }
    *db = h;
    return NX_OK;
}

nx_status_t nx_db_open_read(const char *path, double timeout, int partial,
                            nx_db_t **db, char **errmsg)
{
    if (db)
        *db = nullptr;
    if (errmsg)
        *errmsg = nullptr;
    if (!path || !db)
        return NX_BAD_ARG;
    nx_db *h = new (std::nothrow) nx_db;
    if (!h)
        return NX_NOMEM;
    nx_status_t st = NX_MODIFIED;
    /* A writer committing while the tables are opened can discard the
     * revision being opened (DatabaseModifiedError), or reuse a block read
     * next (DatabaseCorruptError: "Expected block 29 to be level 1, not
     * 0"): open again, as every read retries. The torture test met both
     * (exit 3 during builds and compacts); an index damaged for good
     * still fails, after a few cheap attempts. */
    for (int i = 0; i < NX_READ_RETRIES &&
                    (st == NX_MODIFIED || st == NX_CORRUPT);
         i++) {
        try {
            h->path = path;
            h->timeout = timeout;
            h->partial = partial != 0;
            st = open_reader(h);
        } catch (...) {
            st = map_exception(&h->err, "opening database");
        }
    }
    if (st == NX_OK)
        h->err.clear(); /* a failed attempt's message */
    if (st != NX_OK) {
        if (errmsg)
            *errmsg = strdup(h->err.c_str());
        delete h;
        return st;
    }
    *db = h;
    return NX_OK;
}

size_t nx_db_n_reopened(const nx_db_t *db)
{
    return db ? db->reopened : 0;
}

size_t nx_db_n_failed(const nx_db_t *db)
{
    return db ? db->failed.size() : 0;
}

const char *nx_db_failed(const nx_db_t *db, size_t i)
{
    return db && i < db->failed.size() ? db->failed[i].c_str() : "";
}

nx_status_t nx_db_reopen_shards(nx_db_t *db)
{
    if (!db || db->writable)
        return NX_BAD_ARG;
    try {
        return open_reader(db);
    } catch (...) {
        return map_exception(&db->err, "reopening database");
    }
}

void nx_db_free(nx_db_t *db)
{
    if (!db)
        return;
    if (db->writable) {
        /* Commit what is pending, as the header promises: close() alone
         * would abort our open transaction. Errors are ignored: there is
         * nobody left to tell. */
        try {
            if (db->in_txn) {
                db->in_txn = false;
                db->writer.commit_transaction();
            }
        } catch (...) {
        }
        try {
            db->writer.close();
        } catch (...) {
        }
    }
    delete db;
}

const char *nx_db_errmsg(const nx_db_t *db)
{
    return db ? db->err.c_str() : "";
}

const char *nx_db_strerror(const nx_db_t *db, nx_status_t st)
{
    return db && !db->err.empty() ? db->err.c_str() : nx_status_to_string(st);
}

nx_status_t nx_db_reopen(nx_db_t *db)
{
    if (!db)
        return NX_BAD_ARG;
    try {
        db->db().reopen();
        return NX_OK;
    } catch (...) {
        return map_exception(&db->err, "reopening database");
    }
}

nx_status_t nx_db_commit(nx_db_t *db)
{
    if (!db)
        return NX_BAD_ARG;
    return with_retry(db, "committing", [&]() -> nx_status_t {
        if (!check_writer(db, "committing: database is open read-only"))
            return NX_BAD_ARG;
        if (db->in_txn) {
            /* Xapian ends the transaction even when the commit throws. */
            db->in_txn = false;
            db->writer.commit_transaction();
        } else {
            db->writer.commit();
        }
        return NX_OK;
    });
}

nx_status_t nx_db_cancel(nx_db_t *db)
{
    if (!db)
        return NX_BAD_ARG;
    return with_retry(db, "cancelling", [&]() -> nx_status_t {
        if (!check_writer(db, "cancelling: database is open read-only"))
            return NX_BAD_ARG;
        /* Without a transaction there is nothing uncommitted to drop. */
        if (db->in_txn) {
            db->in_txn = false;
            db->writer.cancel_transaction();
        }
        return NX_OK;
    });
}

nx_status_t nx_db_lastdocid(nx_db_t *db, uint32_t *docid)
{
    if (docid)
        *docid = 0;
    if (!db || !docid)
        return NX_BAD_ARG;
    return with_retry(db, "reading the last document id", [&]() -> nx_status_t {
        *docid = db->db().get_lastdocid();
        return NX_OK;
    });
}

/* Keeps documents whose id is above a threshold (nx_search_opts.min_docid). */
class DocidAbove : public Xapian::MatchDecider {
    Xapian::docid min_;

  public:
    explicit DocidAbove(Xapian::docid min) : min_(min) {}
    bool operator()(const Xapian::Document &doc) const override
    {
        return doc.get_docid() > min_;
    }
};

/* Keeps documents that the caller's nx_search_opts.keep accepts (and the
 * decider NEXT, when given, too). The values are read here, inside the
 * matcher, so a DatabaseModifiedError reaches nx_search's retry rather
 * than an accessor that cannot report it. */
class KeepIf : public Xapian::MatchDecider {
    int (*keep_)(void *, const nx_doc_t *);
    void *ctx_;
    const Xapian::MatchDecider *next_;

  public:
    KeepIf(int (*keep)(void *, const nx_doc_t *), void *ctx,
           const Xapian::MatchDecider *next)
        : keep_(keep), ctx_(ctx), next_(next) {}
    bool operator()(const Xapian::Document &doc) const override
    {
        if (next_ && !(*next_)(doc))
            return false;
        nx_doc d;
        d.doc = doc;
        /* get_value: the matcher's documents iterate the values of the
         * first one checked (Xapian 1.4.22), but read a slot right */
        for (Xapian::valueno slot = 0; slot < NX_KEEP_SLOTS; slot++) {
            std::string v = doc.get_value(slot);
            if (!v.empty())
                d.values[slot] = std::move(v);
        }
        d.values_complete = true;
        return keep_(ctx_, &d) != 0;
    }
};

nx_status_t nx_db_doccount(nx_db_t *db, uint32_t *count)
{
    if (count)
        *count = 0;
    if (!db)
        return NX_BAD_ARG;
    return with_retry(db, "counting documents", [&]() -> nx_status_t {
        if (!count)
            return fail(&db->err, NX_BAD_ARG, "counting documents: NULL count");
        *count = db->db().get_doccount();
        return NX_OK;
    });
}

nx_status_t nx_db_termfreq(nx_db_t *db, const char *term, uint32_t *freq)
{
    if (freq)
        *freq = 0;
    if (!db)
        return NX_BAD_ARG;
    return with_retry(db, "reading term frequency", [&]() -> nx_status_t {
        if (!term || !freq)
            return fail(&db->err, NX_BAD_ARG, "reading term frequency: NULL argument");
        *freq = db->db().get_termfreq(term);
        return NX_OK;
    });
}

nx_status_t nx_db_term_exists(nx_db_t *db, const char *term, int *exists)
{
    if (exists)
        *exists = 0;
    if (!db)
        return NX_BAD_ARG;
    return with_retry(db, "looking up term", [&]() -> nx_status_t {
        if (!term || !exists)
            return fail(&db->err, NX_BAD_ARG, "looking up term: NULL argument");
        *exists = db->db().term_exists(term) ? 1 : 0;
        return NX_OK;
    });
}

nx_status_t nx_db_allterms(nx_db_t *db, const char *prefix,
                           int (*fn)(void *ctx, const char *term, size_t len,
                                     uint32_t freq),
                           void *ctx)
{
    if (!db)
        return NX_BAD_ARG;
    const std::string pfx(prefix ? prefix : "");
    std::string last;
    return with_retry(db, "listing terms", [&]() -> nx_status_t {
        if (!fn)
            return fail(&db->err, NX_BAD_ARG, "listing terms: NULL callback");
        Xapian::Database &xdb = db->db();
        Xapian::TermIterator t = xdb.allterms_begin(pfx);
        if (!last.empty()) { /* a retry: go on after the last term given */
            t.skip_to(last);
            if (t != xdb.allterms_end(pfx) && *t == last)
                ++t;
        }
        for (; t != xdb.allterms_end(pfx); ++t) {
            last = *t;
            if (fn(ctx, last.c_str(), last.size(), t.get_termfreq()) != 0)
                break;
        }
        return NX_OK;
    });
}

nx_status_t nx_db_get_metadata(nx_db_t *db, const char *key, char **value)
{
    if (value)
        *value = nullptr;
    if (!db)
        return NX_BAD_ARG;
    return with_retry(db, "reading metadata", [&]() -> nx_status_t {
        if (!key || !value)
            return fail(&db->err, NX_BAD_ARG, "reading metadata: NULL argument");
        *value = dup_string(db->db().get_metadata(key));
        return NX_OK;
    });
}

nx_status_t nx_db_set_metadata(nx_db_t *db, const char *key, const char *value)
{
    if (!db)
        return NX_BAD_ARG;
    return with_retry(db, "writing metadata", [&]() -> nx_status_t {
        if (!key || !value)
            return fail(&db->err, NX_BAD_ARG, "writing metadata: NULL argument");
        if (!check_writer(db, "writing metadata: database is open read-only"))
            return NX_BAD_ARG;
        begin_writes(db);
        db->writer.set_metadata(key, value);
        return NX_OK;
    });
}

nx_status_t nx_db_replace(nx_db_t *db, const char *unique_term, nx_doc_t *doc,
                          uint32_t *docid)
{
    if (docid)
        *docid = 0;
    if (!db)
        return NX_BAD_ARG;
    return with_retry(db, "storing document", [&]() -> nx_status_t {
        if (!unique_term || !*unique_term || !doc)
            return fail(&db->err, NX_BAD_ARG, "storing document: missing unique term or document");
        if (std::strlen(unique_term) > MAX_TERM_BYTES)
            return fail(&db->err, NX_BAD_ARG, "storing document: unique term too long");
        if (!check_writer(db, "storing document: database is open read-only"))
            return NX_BAD_ARG;
        /* The next replace finds the document through this term, so make
         * sure it is there (adding a boolean term twice changes nothing). */
        doc->doc.add_boolean_term(unique_term);
        begin_writes(db);
        Xapian::docid id = db->writer.replace_document(unique_term, doc->doc);
        if (docid)
            *docid = id;
        return NX_OK;
    });
}

nx_status_t nx_db_add(nx_db_t *db, nx_doc_t *doc, uint32_t *docid)
{
    if (docid)
        *docid = 0;
    if (!db)
        return NX_BAD_ARG;
    return with_retry(db, "adding document", [&]() -> nx_status_t {
        if (!doc)
            return fail(&db->err, NX_BAD_ARG, "adding document: no document");
        if (!check_writer(db, "adding document: database is open read-only"))
            return NX_BAD_ARG;
        begin_writes(db);
        Xapian::docid id = db->writer.add_document(doc->doc);
        if (docid)
            *docid = id;
        return NX_OK;
    });
}

/* Whether DOC holds TERM (a termlist lookup, no postlist walk). */
static bool doc_has_term(const Xapian::Document &doc, const std::string &term)
{
    Xapian::TermIterator t = doc.termlist_begin();
    t.skip_to(term);
    return t != doc.termlist_end() && *t == term;
}

nx_status_t nx_db_replace_keep(nx_db_t *db, const char *unique_term,
                               nx_doc_t *doc, unsigned slot)
{
    if (!db)
        return NX_BAD_ARG;
    try {
        if (!unique_term || !*unique_term || !doc)
            return fail(&db->err, NX_BAD_ARG, "storing document: missing unique term or document");
        if (!check_writer(db, "storing document: database is open read-only"))
            return NX_BAD_ARG;
        begin_writes(db);
        Xapian::PostingIterator p = db->writer.postlist_begin(unique_term);
        if (p != db->writer.postlist_end(unique_term)) {
            std::string v = db->writer.get_document(*p).get_value(slot);
            if (!v.empty())
                doc->doc.add_value(slot, v);
        }
    } catch (...) {
        return map_exception(&db->err, "storing document");
    }
    return nx_db_replace(db, unique_term, doc, nullptr);
}

static std::string files_state(const char *dir);

nx_status_t nx_db_check(const char *path, char **errmsg)
{
    if (errmsg)
        *errmsg = nullptr;
    if (!path)
        return NX_BAD_ARG;
    {
        std::ifstream in(std::string(path) + "/" + NX_CLEAN_FILE);
        std::string recorded((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
        if (in && !recorded.empty() && recorded == files_state(path))
            return NX_OK; /* untouched since its writer closed it whole */
    }
    std::string msg;
    nx_status_t st = NX_OK;
    try {
        std::ostringstream out;
        size_t errors = Xapian::Database::check(path, 0, &out);
        if (errors) {
            st = NX_CORRUPT;
            std::string s = out.str();
            size_t nl = s.find_last_not_of("\n");
            msg = std::to_string(errors) + " error(s) in the tables: " +
                  s.substr(s.rfind('\n', nl == std::string::npos ? 0 : nl) + 1);
        }
    } catch (...) {
        st = map_exception(&msg, "checking the database");
        if (st == NX_XAPIAN)
            st = NX_CORRUPT; /* DatabaseError: EOF reading block … */
    }
    if (st != NX_OK && errmsg)
        *errmsg = strdup(msg.c_str());
    return st;
}

nx_status_t nx_db_metadata_min(nx_db_t *db, const char *key, char **value)
{
    if (value)
        *value = nullptr;
    if (!db || !key || !value)
        return NX_BAD_ARG;
    return with_retry(db, "reading metadata", [&]() -> nx_status_t {
        std::string least;
        if (db->writable || db->shards.empty()) {
            least = db->db().get_metadata(key);
        } else {
            for (size_t k = 0; k < db->shards.size(); k++) {
                std::string v = db->shards[k].get_metadata(key);
                if (k == 0 || v < least)
                    least = v;
            }
        }
        *value = dup_string(least);
        return *value ? NX_OK : NX_NOMEM;
    });

}

nx_status_t nx_db_replace_shared(nx_db_t *db, const char *unique_term,
                                 nx_doc_t *doc, unsigned slot,
                                 const char *owner_prefix)
{
    if (!db)
        return NX_BAD_ARG;
    try {
        if (!unique_term || !*unique_term || !doc || !owner_prefix ||
            !*owner_prefix)
            return fail(&db->err, NX_BAD_ARG, "storing shared document: missing argument");
        if (!check_writer(db, "storing shared document: database is open read-only"))
            return NX_BAD_ARG;
        begin_writes(db);
        Xapian::PostingIterator p = db->writer.postlist_begin(unique_term);
        if (p != db->writer.postlist_end(unique_term)) {
            Xapian::Document old = db->writer.get_document(*p);
            std::string v = old.get_value(slot);
            if (!v.empty())
                doc->doc.add_value(slot, v);
            /* The other files that hold the article keep owning it. */
            Xapian::TermIterator t = old.termlist_begin();
            t.skip_to(owner_prefix);
            for (; t != old.termlist_end(); ++t) {
                const std::string term = *t;
                if (term.compare(0, strlen(owner_prefix), owner_prefix) != 0)
                    break;
                doc->doc.add_boolean_term(term);
            }
        }
    } catch (...) {
        return map_exception(&db->err, "storing shared document");
    }
    return nx_db_replace(db, unique_term, doc, nullptr);
}

nx_status_t nx_db_value_max(nx_db_t *db, unsigned slot, char **value)
{
    if (value)
        *value = nullptr;
    if (!db || !value)
        return NX_BAD_ARG;
    return with_retry(db, "reading a value bound", [&]() -> nx_status_t {
        *value = dup_string(db->db().get_value_upper_bound(slot));
        return *value ? NX_OK : NX_NOMEM;
    });
}

nx_status_t nx_db_find(nx_db_t *db, const char *term, uint32_t *docid)
{
    if (docid)
        *docid = 0;
    if (!db)
        return NX_BAD_ARG;
    return with_retry(db, "finding document", [&]() -> nx_status_t {
        if (!term || !docid)
            return fail(&db->err, NX_BAD_ARG, "finding document: NULL argument");
        Xapian::Database &xdb = db->db();
        Xapian::PostingIterator p = xdb.postlist_begin(term);
        if (p != xdb.postlist_end(term))
            *docid = *p;
        return NX_OK;
    });
}

nx_status_t nx_db_update(nx_db_t *db, uint32_t docid, const char *data,
                         size_t len, const char *del_term, const char *add_term)
{
    if (!db)
        return NX_BAD_ARG;
    return with_retry(db, "updating document", [&]() -> nx_status_t {
        if (!data || docid == 0)
            return fail(&db->err, NX_BAD_ARG, "updating document: no data or docid 0");
        if (!check_writer(db, "updating document: database is open read-only"))
            return NX_BAD_ARG;
        begin_writes(db);
        Xapian::Document doc = db->writer.get_document(docid);
        doc.set_data(std::string(data, len));
        if (del_term && doc_has_term(doc, del_term))
            doc.remove_term(del_term);
        if (add_term)
            doc.add_boolean_term(add_term);
        db->writer.replace_document(docid, doc);
        return NX_OK;
    });
}

nx_status_t nx_db_claim(nx_db_t *db, const char *unique_term,
                        const char *owner_term, int *found)
{
    if (found)
        *found = 0;
    if (!db)
        return NX_BAD_ARG;
    return with_retry(db, "claiming document", [&]() -> nx_status_t {
        if (!unique_term || !*unique_term || !owner_term || !*owner_term ||
            !found)
            return fail(&db->err, NX_BAD_ARG, "claiming document: missing argument");
        if (!check_writer(db, "claiming document: database is open read-only"))
            return NX_BAD_ARG;
        begin_writes(db);
        Xapian::PostingIterator p = db->writer.postlist_begin(unique_term);
        if (p == db->writer.postlist_end(unique_term))
            return NX_OK;
        Xapian::docid id = *p;
        *found = 1;
        Xapian::Document doc = db->writer.get_document(id);
        if (!doc_has_term(doc, owner_term)) {
            doc.add_boolean_term(owner_term);
            db->writer.replace_document(id, doc);
        }
        return NX_OK;
    });
}

nx_status_t nx_db_release(nx_db_t *db, const char *owner_term,
                          const char *owner_prefix, const char *const *keep,
                          size_t n_keep, size_t *deleted)
{
    if (deleted)
        *deleted = 0;
    if (!db)
        return NX_BAD_ARG;
    return with_retry(db, "releasing documents", [&]() -> nx_status_t {
        if (!owner_term || !*owner_term || !owner_prefix || (n_keep && !keep))
            return fail(&db->err, NX_BAD_ARG, "releasing documents: missing argument");
        if (!check_writer(db, "releasing documents: database is open read-only"))
            return NX_BAD_ARG;
        begin_writes(db);
        /* Collect first: the loop below changes the posting list. */
        std::vector<Xapian::docid> ids;
        for (Xapian::PostingIterator p = db->writer.postlist_begin(owner_term);
             p != db->writer.postlist_end(owner_term); ++p)
            ids.push_back(*p);
        const std::string pfx(owner_prefix);
        for (Xapian::docid id : ids) {
            Xapian::Document doc = db->writer.get_document(id);
            bool kept = false;
            for (size_t i = 0; i < n_keep && !kept; i++)
                kept = doc_has_term(doc, keep[i]);
            if (kept)
                continue;
            doc.remove_term(owner_term);
            Xapian::TermIterator t = doc.termlist_begin();
            t.skip_to(pfx);
            bool owned = t != doc.termlist_end() &&
                         (*t).compare(0, pfx.size(), pfx) == 0;
            if (owned) {
                db->writer.replace_document(id, doc);
            } else {
                db->writer.delete_document(id);
                if (deleted)
                    ++*deleted;
            }
        }
        return NX_OK;
    });
}

nx_status_t nx_db_metadata_each(nx_db_t *db, const char *prefix,
                                int (*fn)(void *ctx, const char *key,
                                          const char *value, size_t vlen),
                                void *ctx)
{
    if (!db)
        return NX_BAD_ARG;
    const std::string pfx(prefix ? prefix : "");
    std::string last;
    return with_retry(db, "listing metadata", [&]() -> nx_status_t {
        if (!fn)
            return fail(&db->err, NX_BAD_ARG, "listing metadata: NULL callback");
        Xapian::Database &xdb = db->db();
        Xapian::TermIterator k = xdb.metadata_keys_begin(pfx);
        if (!last.empty()) { /* a retry: go on after the last key given */
            k.skip_to(last);
            if (k != xdb.metadata_keys_end(pfx) && *k == last)
                ++k;
        }
        for (; k != xdb.metadata_keys_end(pfx); ++k) {
            last = *k;
            const std::string value = xdb.get_metadata(last);
            if (fn(ctx, last.c_str(), value.c_str(), value.size()) != 0)
                break;
        }
        return NX_OK;
    });
}

nx_status_t nx_db_info(nx_db_t *db, nx_db_info_t *info)
{
    if (!db || !info)
        return NX_BAD_ARG;
    *info = nx_db_info_t{};
    return with_retry(db, "reading database figures", [&]() -> nx_status_t {
        Xapian::Database &xdb = db->db();
        info->doccount = xdb.get_doccount();
        info->lastdocid = xdb.get_lastdocid();
        info->avlength = xdb.get_avlength();
        info->has_positions = xdb.has_positions() ? 1 : 0;
        return NX_OK;
    });
}

nx_status_t nx_compact(const char *const *sources, size_t n, const char *dest,
                       char **errmsg)
{
    std::string msg;
    if (errmsg)
        *errmsg = nullptr;
    nx_status_t status = NX_OK;
    try {
        if (!sources || n == 0 || !dest) {
            status = fail(&msg, NX_BAD_ARG, "compacting: invalid argument");
        } else {
            Xapian::Database all;
            for (size_t i = 0; i < n; i++)
                all.add_database(Xapian::Database(sources[i]));
            all.compact(dest, Xapian::DBCOMPACT_MULTIPASS);
        }
    } catch (...) {
        status = map_exception(&msg, "compacting");
    }
    if (status != NX_OK && errmsg)
        *errmsg = strdup(msg.c_str());
    return status;
}

nx_status_t nx_db_delete_term(nx_db_t *db, const char *term)
{
    if (!db)
        return NX_BAD_ARG;
    try {
        if (!term || !*term)
            return fail(&db->err, NX_BAD_ARG, "deleting documents: empty term");
        if (!check_writer(db, "deleting documents: database is open read-only"))
            return NX_BAD_ARG;
        begin_writes(db);
        db->writer.delete_document(std::string(term));
        return NX_OK;
    } catch (...) {
        return map_exception(&db->err, "deleting documents");
    }
}

nx_status_t nx_db_get_doc(nx_db_t *db, uint32_t docid, nx_doc_t **doc)
{
    if (doc)
        *doc = nullptr;
    if (!db)
        return NX_BAD_ARG;
    nx_doc *d = nullptr;
    nx_status_t s = with_retry(db, "loading document", [&]() -> nx_status_t {
        delete d;
        d = nullptr;
        if (!doc || docid == 0)
            return fail(&db->err, NX_BAD_ARG, "loading document: NULL result or docid 0");
        d = new (std::nothrow) nx_doc;
        if (!d)
            return fail(&db->err, NX_NOMEM, "loading document: out of memory");
        load_doc(d, db->db().get_document(docid));
        *doc = d;
        return NX_OK;
    });
    if (s != NX_OK)
        delete d;
    return s;
}

nx_status_t nx_db_positions(nx_db_t *db, uint32_t docid, const char *term,
                            uint32_t **pos, size_t *n)
{
    if (pos)
        *pos = nullptr;
    if (n)
        *n = 0;
    if (!db)
        return NX_BAD_ARG;
    return with_retry(db, "reading positions", [&]() -> nx_status_t {
        if (!term || !pos || !n || docid == 0)
            return fail(&db->err, NX_BAD_ARG, "reading positions: NULL argument or docid 0");
        /* A term absent from the document gives an empty list, not an
         * error (Xapian's behaviour since 1.1). */
        Xapian::Database &xdb = db->db();
        std::vector<uint32_t> v;
        for (Xapian::PositionIterator p = xdb.positionlist_begin(docid, term);
             p != xdb.positionlist_end(docid, term); ++p)
            v.push_back(*p);
        if (v.empty())
            return NX_OK;
        uint32_t *a = static_cast<uint32_t *>(
            std::malloc(v.size() * sizeof *a));
        if (!a)
            throw std::bad_alloc();
        std::memcpy(a, v.data(), v.size() * sizeof *a);
        *pos = a;
        *n = v.size();
        return NX_OK;
    });
}

/* ---------------------------------------------------------------- document */

/* Documents have no message slot in nx.h: their functions report a status
 * only, so map_exception gets no message to fill. */

nx_doc_t *nx_doc_new(void)
{
    try {
        /* nothrow covers the allocation, not Document's own constructor. */
        return new (std::nothrow) nx_doc;
    } catch (...) {
        map_exception(nullptr, "creating document");
        return nullptr;
    }
}

void nx_doc_free(nx_doc_t *doc)
{
    delete doc;
}

nx_status_t nx_doc_add_posting(nx_doc_t *doc, const char *term, size_t len,
                               uint32_t pos)
{
    try {
        if (!doc || !term || len == 0 || pos == 0)
            return NX_BAD_ARG;
        if (len > MAX_TERM_BYTES)
            return NX_OK; /* see MAX_TERM_BYTES */
        doc->doc.add_posting(std::string(term, len), pos);
        return NX_OK;
    } catch (...) {
        return map_exception(nullptr, "adding posting");
    }
}

nx_status_t nx_doc_add_term(nx_doc_t *doc, const char *term, size_t len,
                            uint32_t wdf_inc)
{
    try {
        if (!doc || !term || len == 0)
            return NX_BAD_ARG;
        if (len > MAX_TERM_BYTES)
            return NX_OK; /* see MAX_TERM_BYTES */
        doc->doc.add_term(std::string(term, len), wdf_inc);
        return NX_OK;
    } catch (...) {
        return map_exception(nullptr, "adding term");
    }
}

nx_status_t nx_doc_add_boolean(nx_doc_t *doc, const char *term, size_t len)
{
    try {
        if (!doc || !term || len == 0)
            return NX_BAD_ARG;
        if (len > MAX_TERM_BYTES)
            return NX_OK; /* see MAX_TERM_BYTES */
        doc->doc.add_boolean_term(std::string(term, len));
        return NX_OK;
    } catch (...) {
        return map_exception(nullptr, "adding boolean term");
    }
}

nx_status_t nx_doc_set_value(nx_doc_t *doc, unsigned slot, const char *value,
                             size_t len)
{
    try {
        if (!doc || (!value && len != 0))
            return NX_BAD_ARG;
        doc->doc.add_value(slot, value ? std::string(value, len) : std::string());
        /* Drop the cached copy: the next nx_doc_value reads the new one. */
        doc->values.erase(slot);
        doc->values_complete = false;
        return NX_OK;
    } catch (...) {
        return map_exception(nullptr, "setting value");
    }
}

nx_status_t nx_doc_set_data(nx_doc_t *doc, const char *data, size_t len)
{
    try {
        if (!doc || (!data && len != 0))
            return NX_BAD_ARG;
        doc->doc.set_data(data ? std::string(data, len) : std::string());
        doc->data_cached = false;
        return NX_OK;
    } catch (...) {
        return map_exception(nullptr, "setting data");
    }
}

const char *nx_doc_data(const nx_doc_t *doc, size_t *len)
{
    if (len)
        *len = 0;
    try {
        if (!doc)
            return nullptr;
        if (!doc->data_cached) {
            doc->data = doc->doc.get_data();
            doc->data_cached = true;
        }
        if (len)
            *len = doc->data.size();
        return doc->data.c_str();
    } catch (...) {
        map_exception(nullptr, "reading data");
        return nullptr;
    }
}

/* An absent value reads as "" (length 0), as in Xapian. */
const char *nx_doc_value(const nx_doc_t *doc, unsigned slot, size_t *len)
{
    if (len)
        *len = 0;
    try {
        if (!doc)
            return nullptr;
        auto it = doc->values.find(slot);
        if (it == doc->values.end()) {
            if (doc->values_complete)
                return "";
            it = doc->values.emplace(slot, doc->doc.get_value(slot)).first;
        }
        if (len)
            *len = it->second.size();
        return it->second.c_str();
    } catch (...) {
        map_exception(nullptr, "reading value");
        return nullptr;
    }
}

/* ------------------------------------------------------------------ queries */

/* Query constructors have no handle for a message either: NULL is their
 * only failure (out of memory, or an argument Xapian rejects). */

nx_query_t *nx_query_term(const char *term, size_t len, double wqf)
{
    try {
        if (!term)
            return nullptr;
        Xapian::Query q(std::string(term, len));
        /* Xapian's wqf is an integer; a fractional weight from the caller
         * is honoured as a weight factor instead. */
        if (wqf != 1.0)
            q = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q, wqf);
        return new_query(q);
    } catch (...) {
        map_exception(nullptr, "building term query");
        return nullptr;
    }
}

nx_query_t *nx_query_combine(nx_op_t op, nx_query_t *const *subs, size_t n,
                             unsigned window)
{
    try {
        if (n == 0)
            return new_query(Xapian::Query::MatchNothing);
        if (!subs)
            return nullptr;
        std::vector<Xapian::Query> v;
        v.reserve(n);
        for (size_t i = 0; i < n; i++) {
            if (!subs[i])
                return nullptr;
            v.push_back(subs[i]->q); /* refcounted: a cheap copy */
        }
        using Q = Xapian::Query;
        switch (op) {
        case NX_OP_AND:
            return new_query(Q(Q::OP_AND, v.begin(), v.end()));
        case NX_OP_OR:
            return new_query(Q(Q::OP_OR, v.begin(), v.end()));
        case NX_OP_AND_NOT:
            /* first AND NOT (second OR third ...); with n == 1 the OR is
             * empty, matches nothing, and leaves FIRST unchanged. */
            return new_query(Q(Q::OP_AND_NOT, v[0],
                               Q(Q::OP_OR, v.begin() + 1, v.end())));
        case NX_OP_AND_MAYBE:
            return new_query(Q(Q::OP_AND_MAYBE, v.begin(), v.end()));
        case NX_OP_FILTER:
            return new_query(Q(Q::OP_FILTER, v.begin(), v.end()));
        case NX_OP_PHRASE:
            return new_query(Q(Q::OP_PHRASE, v.begin(), v.end(),
                               window ? window : Xapian::termcount(n)));
        case NX_OP_NEAR:
            return new_query(Q(Q::OP_NEAR, v.begin(), v.end(),
                               window ? window : 10));
        case NX_OP_SYNONYM:
            return new_query(Q(Q::OP_SYNONYM, v.begin(), v.end()));
        }
        return nullptr; /* not an nx_op_t */
    } catch (...) {
        map_exception(nullptr, "combining queries");
        return nullptr;
    }
}

nx_query_t *nx_query_scale(const nx_query_t *q, double factor)
{
    try {
        if (!q)
            return nullptr;
        return new_query(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q->q,
                                       factor));
    } catch (...) {
        map_exception(nullptr, "scaling query");
        return nullptr;
    }
}

nx_query_t *nx_query_value_range(unsigned slot, const char *lo, const char *hi)
{
    try {
        using Q = Xapian::Query;
        if (lo && hi)
            return new_query(Q(Q::OP_VALUE_RANGE, slot, lo, hi));
        if (lo)
            return new_query(Q(Q::OP_VALUE_GE, slot, lo));
        if (hi)
            return new_query(Q(Q::OP_VALUE_LE, slot, hi));
        return new_query(Q::MatchAll);
    } catch (...) {
        map_exception(nullptr, "building value range");
        return nullptr;
    }
}

nx_query_t *nx_query_expand(nx_db_t *db, const char *prefix,
                            unsigned max_expansion)
{
    if (!db || !prefix)
        return nullptr;
    std::vector<std::pair<Xapian::doccount, std::string>> terms;
    if (with_retry(db, "expanding a wildcard", [&]() -> nx_status_t {
            terms.clear();
            Xapian::Database &xdb = db->db();
            for (Xapian::TermIterator t = xdb.allterms_begin(prefix);
             t != xdb.allterms_end(prefix); ++t)
                terms.emplace_back(t.get_termfreq(), *t);
            return NX_OK;
        }) != NX_OK)
        return nullptr;
    try {
        using Q = Xapian::Query;
        if (max_expansion && terms.size() > max_expansion) {
            /* The most frequent, as WILDCARD_LIMIT_MOST_FREQUENT. */
            std::stable_sort(terms.begin(), terms.end(),
                             [](const auto &a, const auto &b) {
                                 return a.first > b.first;
                             });
            terms.resize(max_expansion);
            std::sort(terms.begin(), terms.end(),
                      [](const auto &a, const auto &b) {
                          return a.second < b.second;
                      });
        }
        std::vector<Q> subs;
        for (const auto &t : terms)
            subs.emplace_back(t.second);
        return new_query(Q(Q::OP_SYNONYM, subs.begin(), subs.end()));
    } catch (...) {
        map_exception(&db->err, "expanding a wildcard");
        return nullptr;
    }
}

nx_query_t *nx_query_wildcard(const char *prefix, unsigned max_expansion)
{
    try {
        if (!prefix)
            return nullptr;
        using Q = Xapian::Query;
        /* Xapian 1.4 reads max_expansion 0 as "no limit" except with
         * WILDCARD_LIMIT_MOST_FREQUENT, where it keeps 0 terms and matches
         * nothing: ask for an unlimited expansion explicitly instead. */
        /* The expansion is weighted as one term (OP_SYNONYM), as a prefix
         * stands for one word; OP_OR would also leak one weight object
         * (~120 bytes) per pruned term and search in libxapian 1.4.22. */
        if (max_expansion == 0)
            return new_query(Q(Q::OP_WILDCARD, prefix, 0,
                               Q::WILDCARD_LIMIT_ERROR, Q::OP_SYNONYM));
        return new_query(Q(Q::OP_WILDCARD, prefix, max_expansion,
                           Q::WILDCARD_LIMIT_MOST_FREQUENT, Q::OP_SYNONYM));
    } catch (...) {
        map_exception(nullptr, "building wildcard");
        return nullptr;
    }
}

nx_query_t *nx_query_match_all(void)
{
    try {
        return new_query(Xapian::Query::MatchAll);
    } catch (...) {
        map_exception(nullptr, "building match-all query");
        return nullptr;
    }
}

nx_query_t *nx_query_copy(const nx_query_t *q)
{
    try {
        return q ? new_query(q->q) : nullptr;
    } catch (...) {
        map_exception(nullptr, "copying query");
        return nullptr;
    }
}

char *nx_query_describe(const nx_query_t *q)
{
    try {
        return q ? dup_string(q->q.get_description()) : nullptr;
    } catch (...) {
        map_exception(nullptr, "describing query");
        return nullptr;
    }
}

void nx_query_free(nx_query_t *q)
{
    delete q;
}

/* ---------------------------------------------------------------- searching */

/*
 * Facet counts: for every matching document, the values of some slots.
 * Xapian's ValueCountMatchSpy would count each copy of a collapsed
 * article; this spy counts one document per collapse key, as the hits
 * are shown, and so also gives the exact total. Local databases only (a
 * remote shard would need the spy serialised).
 */
class FacetSpy : public Xapian::MatchSpy {
  public:
    FacetSpy(const unsigned *slots, size_t n, bool collapse,
             Xapian::valueno collapse_slot)
        : slots_(slots, slots + n), collapse_(collapse),
          collapse_slot_(collapse_slot), counts(n) {}
    void operator()(const Xapian::Document &doc, double) override
    {
        if (collapse_) {
            std::string key = doc.get_value(collapse_slot_);
            if (!key.empty() && !seen_.insert(std::move(key)).second)
                return;
        }
        total++;
        for (size_t k = 0; k < slots_.size(); k++) {
            std::string v = doc.get_value(slots_[k]);
            if (!v.empty())
                counts[k][v]++;
        }
    }

  private:
    std::vector<Xapian::valueno> slots_;
    bool collapse_;
    Xapian::valueno collapse_slot_;
    std::unordered_set<std::string> seen_;

  public:
    std::vector<std::map<std::string, uint32_t>> counts; /* per slot */
    uint32_t total = 0;
};

nx_status_t nx_search(nx_db_t *db, const nx_query_t *q,
                      const nx_search_opts_t *opts, uint32_t offset,
                      uint32_t limit, nx_hits_t **hits)
{
    if (hits)
        *hits = nullptr;
    if (!db)
        return NX_BAD_ARG;
    nx_hits *h = nullptr;
    nx_status_t s = with_retry(db, "searching", [&]() -> nx_status_t {
        delete h;
        h = nullptr;
        if (!q || !hits)
            return fail(&db->err, NX_BAD_ARG, "searching: NULL query or result");
        const nx_search_opts_t defaults = {};
        const nx_search_opts_t &o = opts ? *opts : defaults;

        Xapian::Enquire enquire(db->db());
        enquire.set_query(q->q);
        if (o.bm25_k1 != 0 || o.bm25_b != 0)
            /* k2, k3 and min_normlen keep Xapian's defaults. */
            enquire.set_weighting_scheme(
                Xapian::BM25Weight(o.bm25_k1, 0, 1, o.bm25_b, 0.5));
        else
            enquire.set_weighting_scheme(Xapian::BM25Weight());
        if (o.sort_by_value)
            enquire.set_sort_by_value_then_relevance(o.sort_slot,
                                                     o.sort_reverse != 0);
        else if (o.tie_by_value)
            enquire.set_sort_by_relevance_then_value(o.tie_slot, false);
        if (o.collapse)
            enquire.set_collapse_key(o.collapse_slot);

        /* Facets: the spy sees every match (check_at_least covers them
         * all), before collapsing, so it collapses on its own. */
        std::unique_ptr<FacetSpy> spy;
        Xapian::doccount check_at_least = o.check_at_least;
        if (o.n_spies) {
            spy.reset(new FacetSpy(o.spy_slots, o.n_spies, o.collapse != 0,
                                   o.collapse_slot));
            enquire.add_matchspy(spy.get());
            check_at_least = std::max(check_at_least,
                                      db->db().get_doccount());
        }
        DocidAbove above(o.min_docid);
        KeepIf keep(o.keep, o.keep_ctx, o.min_docid ? &above : nullptr);
        const Xapian::MatchDecider *decider = nullptr;
        if (o.keep)
            decider = &keep;
        else if (o.min_docid)
            decider = &above;
        Xapian::MSet mset =
            decider ? enquire.get_mset(offset, limit, check_at_least,
                                       nullptr, decider)
                    : enquire.get_mset(offset, limit, check_at_least);
        /* No mset.fetch(): in Xapian 1.4.22 it crashes when OFFSET > 0. */

        h = new (std::nothrow) nx_hits;
        if (!h)
            return fail(&db->err, NX_NOMEM, "searching: out of memory");
        h->estimated = mset.get_matches_estimated();
        h->exact = mset.get_matches_lower_bound() ==
                   mset.get_matches_upper_bound();
        if (spy) {
            /* with collapsing Xapian only estimates: the spy counted */
            h->estimated = spy->total;
            h->exact = true;
            for (const auto &m : spy->counts)
                h->facets.emplace_back(m.begin(), m.end());
        }
        h->docids.reserve(mset.size());
        h->weights.reserve(mset.size());
        h->docs.reserve(mset.size());
        for (Xapian::MSetIterator m = mset.begin(); m != mset.end(); ++m) {
            h->docids.push_back(*m);
            h->weights.push_back(m.get_weight());
            h->docs.emplace_back();
            if (!o.ids_only)
                load_doc(&h->docs.back(), m.get_document());
        }
        if (o.tie_by_value && !o.ids_only)
            order_ties(h, o);
        *hits = h;
        return NX_OK;
    });
    if (s != NX_OK)
        delete h;
    return s;
}

size_t nx_hits_count(const nx_hits_t *hits)
{
    return hits ? hits->docids.size() : 0;
}

uint32_t nx_hits_matches_estimated(const nx_hits_t *hits)
{
    return hits ? hits->estimated : 0;
}

int nx_hits_matches_exact(const nx_hits_t *hits)
{
    return hits ? hits->exact : 0;
}

size_t nx_hits_facet_size(const nx_hits_t *hits, size_t k)
{
    return hits && k < hits->facets.size() ? hits->facets[k].size() : 0;
}

const char *nx_hits_facet_value(const nx_hits_t *hits, size_t k, size_t i,
                                size_t *len, uint32_t *count)
{
    if (!hits || k >= hits->facets.size() || i >= hits->facets[k].size())
        return nullptr;
    const auto &f = hits->facets[k][i];
    if (len)
        *len = f.first.size();
    if (count)
        *count = f.second;
    return f.first.c_str();
}

uint32_t nx_hits_docid(const nx_hits_t *hits, size_t i)
{
    return hits && i < hits->docids.size() ? hits->docids[i] : 0;
}

double nx_hits_weight(const nx_hits_t *hits, size_t i)
{
    return hits && i < hits->weights.size() ? hits->weights[i] : 0.0;
}

const nx_doc_t *nx_hits_doc(nx_hits_t *hits, size_t i)
{
    return hits && i < hits->docs.size() ? &hits->docs[i] : nullptr;
}

void nx_hits_free(nx_hits_t *hits)
{
    delete hits;
}

/* ------------------------------------------------------- more like this */

/* Keeps the terms that the caller's function accepts. */
class TermIf : public Xapian::ExpandDecider {
    int (*accept_)(void *, const char *, size_t);
    void *ctx_;

  public:
    TermIf(int (*accept)(void *, const char *, size_t), void *ctx)
        : accept_(accept), ctx_(ctx) {}
    bool operator()(const std::string &term) const override
    {
        return accept_(ctx_, term.data(), term.size()) != 0;
    }
};

nx_status_t nx_db_expand_doc(nx_db_t *db, uint32_t docid, unsigned max_terms,
                             const char *scheme,
                             int (*accept)(void *ctx, const char *term,
                                           size_t len),
                             int (*fn)(void *ctx, const char *term,
                                       size_t len, double weight),
                             void *ctx)
{
    if (!db)
        return NX_BAD_ARG;
    std::vector<std::pair<std::string, double>> terms;
    nx_status_t s = with_retry(db, "expanding a document", [&]() -> nx_status_t {
        terms.clear();
        if (!fn || docid == 0)
            return fail(&db->err, NX_BAD_ARG,
                        "expanding a document: NULL argument or docid 0");
        Xapian::Database &xdb = db->db();
        /* get_eset would take a missing document for an empty one */
        xdb.get_document(docid);
        Xapian::Enquire enquire(xdb);
        enquire.set_expansion_scheme(scheme && *scheme ? scheme : "trad");
        Xapian::RSet rset;
        rset.add_document(docid);
        TermIf decider(accept, ctx);
        /* exact term frequencies: shards give the terms one database
         * would */
        Xapian::ESet eset = enquire.get_eset(
            max_terms, rset, Xapian::Enquire::USE_EXACT_TERMFREQ,
            accept ? &decider : nullptr);
        for (Xapian::ESetIterator t = eset.begin(); t != eset.end(); ++t)
            terms.emplace_back(*t, t.get_weight());
        return NX_OK;
    });
    if (s != NX_OK)
        return s;
    for (const auto &t : terms)
        if (fn(ctx, t.first.c_str(), t.first.size(), t.second))
            break;
    return NX_OK;
}

} /* extern "C" */

/* ------------------------------------------------------------ files on disk */

static const char VERSION_FILE[] = "iamglass";

static bool is_table(const char *name)
{
    size_t n = std::strlen(name);
    return n > 6 && std::strcmp(name + n - 6, ".glass") == 0;
}

extern "C" int nx_files_is_db(const char *name)
{
    return std::strcmp(name, VERSION_FILE) == 0 || is_table(name) ||
           std::strcmp(name, "flintlock") == 0 ||
           std::strcmp(name, NX_CLEAN_FILE) == 0;
}

extern "C" int nx_files_has_db(const char *dir)
{
    struct stat st;
    return stat((std::string(dir) + "/" + VERSION_FILE).c_str(), &st) == 0;
}

/* One line per file of the database in DIR (version file and tables):
 * name, size, change time in ns and inode, in name order; "" if none. A
 * write, a truncation or a file put in its place changes the line. */
static std::string files_state(const char *dir)
{
    std::vector<std::string> lines;
    DIR *dp = opendir(dir);
    struct dirent *de;
    while (dp && (de = readdir(dp)) != nullptr) {
        if (!is_table(de->d_name) &&
            std::strcmp(de->d_name, VERSION_FILE) != 0)
            continue;
        struct stat st;
        if (stat((std::string(dir) + "/" + de->d_name).c_str(), &st) != 0)
            continue;
        lines.push_back(std::string(de->d_name) + " " +
                        std::to_string((long long)st.st_size) + " " +
                        std::to_string((long long)st.st_ctim.tv_sec) + "." +
                        std::to_string((long long)st.st_ctim.tv_nsec) + " " +
                        std::to_string((unsigned long long)st.st_ino) + "\n");
    }
    if (dp)
        closedir(dp);
    std::sort(lines.begin(), lines.end());
    std::string out;
    for (const std::string &l : lines)
        out += l;
    return out;
}

extern "C" int nx_files_mark_clean(const char *dir)
{
    std::string state = files_state(dir);
    std::string path = std::string(dir) + "/" + NX_CLEAN_FILE;
    std::string tmp = path + ".tmp";
    if (state.empty())
        return unlink(path.c_str()) != 0 && errno != ENOENT ? errno : 0;
    FILE *f = std::fopen(tmp.c_str(), "w");
    if (!f)
        return errno;
    bool ok = std::fwrite(state.data(), 1, state.size(), f) == state.size();
    ok = std::fclose(f) == 0 && ok;
    if (!ok || rename(tmp.c_str(), path.c_str()) != 0) {
        int e = errno ? errno : EIO;
        unlink(tmp.c_str());
        return e;
    }
    return 0;
}

extern "C" int nx_files_remove(const char *dir)
{
    std::string d(dir);
    int e = unlink((d + "/" + VERSION_FILE).c_str()) != 0 && errno != ENOENT
                ? errno : 0;
    if (!e && unlink((d + "/" + NX_CLEAN_FILE).c_str()) != 0 &&
        errno != ENOENT)
        e = errno;
    DIR *dp = e ? nullptr : opendir(dir);
    struct dirent *de;
    while (dp && !e && (de = readdir(dp)) != nullptr)
        if (is_table(de->d_name) &&
            unlink((d + "/" + de->d_name).c_str()) != 0 && errno != ENOENT)
            e = errno;
    if (dp)
        closedir(dp);
    return e;
}

extern "C" int nx_files_install(const char *from, const char *to)
{
    int e = nx_files_remove(to);
    DIR *dp = e ? nullptr : opendir(from);
    if (!e && !dp)
        e = errno;
    std::string f(from), t(to);
    struct dirent *de;
    while (dp && !e && (de = readdir(dp)) != nullptr)
        if (is_table(de->d_name) &&
            rename((f + "/" + de->d_name).c_str(),
                   (t + "/" + de->d_name).c_str()) != 0)
            e = errno;
    if (dp)
        closedir(dp);
    if (!e && rename((f + "/" + VERSION_FILE).c_str(),
                     (t + "/" + VERSION_FILE).c_str()) != 0)
        e = errno;
    return e;
}

/* ------------------------------------------------- postings and synonyms */

extern "C" {

nx_status_t nx_db_postlist(nx_db_t *db, const char *term, uint32_t **ids,
                           size_t *n)
{
    if (ids)
        *ids = nullptr;
    if (n)
        *n = 0;
    if (!db)
        return NX_BAD_ARG;
    return with_retry(db, "reading a posting list", [&]() -> nx_status_t {
        if (!term || !ids || !n)
            return fail(&db->err, NX_BAD_ARG, "reading a posting list: NULL argument");
        Xapian::Database &xdb = db->db();
        std::vector<uint32_t> v;
        for (Xapian::PostingIterator p = xdb.postlist_begin(term);
             p != xdb.postlist_end(term); ++p)
            v.push_back(*p);
        if (!v.empty()) {
            *ids = static_cast<uint32_t *>(std::malloc(v.size() * sizeof(uint32_t)));
            if (!*ids)
                throw std::bad_alloc();
            std::memcpy(*ids, v.data(), v.size() * sizeof(uint32_t));
            *n = v.size();
        }
        return NX_OK;
    });
}

nx_status_t nx_db_synonyms(nx_db_t *db, const char *term,
                           int (*fn)(void *ctx, const char *synonym),
                           void *ctx)
{
    if (!db)
        return NX_BAD_ARG;
    std::string last; /* a retry goes on after the last one handed out */
    return with_retry(db, "reading synonyms", [&]() -> nx_status_t {
        if (!fn)
            return fail(&db->err, NX_BAD_ARG, "reading synonyms: NULL callback");
        Xapian::Database &xdb = db->db();
        Xapian::TermIterator t = term ? xdb.synonyms_begin(term)
                                      : xdb.synonym_keys_begin();
        Xapian::TermIterator end = term ? xdb.synonyms_end(term)
                                        : xdb.synonym_keys_end();
        for (; t != end; ++t) {
            std::string v = *t;
            if (!last.empty() && v <= last)
                continue;
            last = v;
            if (fn(ctx, v.c_str()) != 0)
                break;
        }
        return NX_OK;
    });
}

nx_status_t nx_db_clear_synonyms(nx_db_t *db)
{
    if (!db)
        return NX_BAD_ARG;
    return with_retry(db, "clearing synonyms", [&]() -> nx_status_t {
        if (!check_writer(db, "clearing synonyms: database is open read-only"))
            return NX_BAD_ARG;
        begin_writes(db);
        std::vector<std::string> keys;
        for (Xapian::TermIterator t = db->writer.synonym_keys_begin();
             t != db->writer.synonym_keys_end(); ++t)
            keys.push_back(*t);
        for (const std::string &k : keys)
            db->writer.clear_synonyms(k);
        return NX_OK;
    });
}

nx_status_t nx_db_add_synonym(nx_db_t *db, const char *term,
                              const char *synonym)
{
    if (!db)
        return NX_BAD_ARG;
    return with_retry(db, "adding a synonym", [&]() -> nx_status_t {
        if (!term || !synonym)
            return fail(&db->err, NX_BAD_ARG, "adding a synonym: NULL argument");
        if (!check_writer(db, "adding a synonym: database is open read-only"))
            return NX_BAD_ARG;
        begin_writes(db);
        db->writer.add_synonym(term, synonym);
        return NX_OK;
    });
}

nx_status_t nx_db_termlist(nx_db_t *db, uint32_t docid,
                           int (*fn)(void *ctx, const char *term, size_t len),
                           void *ctx)
{
    if (!db)
        return NX_BAD_ARG;
    std::string last; /* a retry goes on after the last one handed out */
    return with_retry(db, "reading a term list", [&]() -> nx_status_t {
        if (!fn || !docid)
            return fail(&db->err, NX_BAD_ARG, "reading a term list: bad argument");
        Xapian::Database &xdb = db->db();
        Xapian::TermIterator t = xdb.termlist_begin(docid);
        if (!last.empty())
            t.skip_to(last + std::string(1, '\0'));
        for (; t != xdb.termlist_end(docid); ++t) {
            last = *t;
            if (fn(ctx, last.data(), last.size()) != 0)
                break;
        }
        return NX_OK;
    });
}

} /* extern "C" */
