"""Crash safety of saving answers: kill -9 gunicorn workers in the middle of multi-field
saves, many times; then every acknowledged save must be whole in the database, no save
partial, history and form versions must agree, and the database must check clean.

    .venv/bin/python -m crashcheck --database-url URL [--rounds N]
    .venv/bin/python -m crashcheck --backend sqlite|postgresql [--rounds N]

`--database-url` names a new database (empty, or migrated and empty); `--backend` makes a
fresh one: a SQLite file in a temporary directory, or a database on a throw-away PostgreSQL
server (tests/pg_server.py). The exit status is 1 when anything is found.

The set-up is the concurrency tests' live app: migrations, the demo, and the 50-field
monthly report (tests/admitting.py) admitted. `gunicorn -w 2 --preload wsgi:app` then
serves the app with the production config (`--no-preload`: each worker imports the app
itself, as README's command line, and restarts take seconds instead of milliseconds).
Client threads, as the township filler, save random sets of 10-50 of their own cells of a
village's form: every save has a new submission id, the form version its client last saw,
and one value for all its cells that no other save uses (client * 1,000,000 + the client's
save number), so each stored value names the save that wrote it. A round is one kill: the
check waits for a worker that is handling a request, SIGKILLs it and waits until
gunicorn's replacement serves. An answer 200 is an acknowledged save; a broken connection
leaves the outcome unknown, and the client either sends the same body again under the same
submission id (the API's idempotent retry) or gives the save up and goes on with the
version it had; when the lost save did land, its next save of those cells is answered 409,
and it rereads the version and writes them again as a new save.

Checked afterwards, with gunicorn stopped, straight in the database: a save has a
submission row exactly when all of its values are in the history (nothing partial, both
ways); every acknowledged save is there, and each of its cells holds its value unless a
later save of the same client wrote that cell; history chains per cell are unbroken and end
at the stored value; each form's version rose by one per stored save; SQLite's
integrity_check and foreign_key_check, PostgreSQL's amcheck (bt_index_check with
heapallindexed on every B-tree index, verify_heapam on every table), and on both backends
every foreign key by query.

The modules: world (the database made ready), server (gunicorn and killing its workers),
clients (the saving threads), stored (what the database holds), verify, integrity (the
database's own checks), report, run (one whole check) and __main__ (the command line).
"""


class CrashCheckError(RuntimeError):
    """The check could not run (set-up, server); findings go into the report instead."""
