"""python -m shopdata ingest | batches | delete | report | users | serve"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from shopdata import settings
from shopdata.accounts import ROLES
from shopdata.errors import AccountError, ShopdataError
from shopdata.ingest.layouts import KINDS

DEFAULT_STORE = settings.STORE.default


def parse_period(text: str) -> tuple[date, date]:
    """FROM..TO (ISO dates), e.g. 2024-01-01..2024-01-31."""
    try:
        start, end = (date.fromisoformat(part.strip()) for part in text.split(".."))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected FROM..TO as YYYY-MM-DD..YYYY-MM-DD, got {text!r}") from exc
    if end < start:
        raise argparse.ArgumentTypeError(f"the period ends before it starts: {text!r}")
    return start, end


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _open(db: str | None):
    from shopdata.store import open_warehouse

    return open_warehouse(db)


def _login_name() -> str | None:
    """Who runs the command, for the batch's uploader when --user is not given."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None


def cmd_ingest(args: argparse.Namespace) -> int:
    from shopdata.ingest.pipeline import FileResult, Options, ingest_file

    store = _open(args.db)
    options = Options(
        store=args.store,
        kind=args.kind,
        platform=args.platform,
        period=args.period,
        uploaded_by=args.user or _login_name(),
        currency=args.currency,
    )
    exit_code = 0
    for name in args.files:
        path = Path(name)
        if not path.is_file():
            results = [FileResult(name, "rejected", error=f"read: no such file: {name}")]
        else:
            results = ingest_file(str(path), path, store, options)
        for result in results:
            print(_json(result.to_json(args.language)), flush=True)
            if result.status != "loaded":
                exit_code = 2
    return exit_code


def cmd_batches(args: argparse.Namespace) -> int:
    store = _open(args.db)
    for batch in store.batches(args.store):
        print(
            _json(
                {
                    k: batch[k]
                    for k in (
                        "batch_id",
                        "store",
                        "file_name",
                        "kind",
                        "platform",
                        "report",
                        "rows_loaded",
                        "rows_replaced",
                        "rows_skipped",
                        "rows_live",
                        "date_from",
                        "date_to",
                        "uploaded_by",
                        "created_at",
                        "sha256",
                    )
                }
            )
        )
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    store = _open(args.db)
    try:
        removed = store.delete_batch(args.batch_id)
    except KeyError:
        print(_json({"batch_id": args.batch_id, "status": "not found"}))
        return 2
    print(_json({"batch_id": args.batch_id, "status": "deleted", "rows_removed": removed}))
    return 0


REPORTS = ("overview", "funnel", "traffic", "promotion", "prices")
REPORT_BY = ("day", "week", "month", "platform", "campaign", "ad_group", "keyword", "product", "source_1", "source_2")


def cmd_report(args: argparse.Namespace) -> int:
    """The table a page shows, as JSON records or CSV."""
    import csv
    import importlib

    from shopdata.metrics.periods import Period, comparison_period
    from shopdata.metrics.query import Scope, currencies, data_range, for_currency

    store = _open(args.db)
    names = [s["name"] for s in store.stores()]
    name = args.store or (names[0] if names else None)
    if name is None or name not in names:
        print(_json({"status": "error", "error": f"no store named {name!r}; stores: {names}"}), file=sys.stderr)
        return 2
    backend = store.engine.ibis()
    earliest, latest = data_range(backend, name)
    start, end = args.date_from or earliest, args.date_to or latest
    currency = args.currency or next(iter(currencies(backend, name)), None)
    scope = for_currency(backend, Scope(name, start, end, currency))
    comparison = comparison_period(Period(start, end), args.compare) if start and end else None
    compare_scope = scope.shifted(comparison.start, comparison.end) if comparison else None
    module = importlib.import_module(f"shopdata.metrics.{args.report}")
    records = module.report_records(backend, scope, compare_scope, by=args.by, language=args.language)
    if args.format == "csv":
        fields = list(dict.fromkeys(k for record in records for k in record))
        writer = csv.DictWriter(sys.stdout, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
    else:
        print(json.dumps(records, ensure_ascii=False, default=str, indent=1))
    return 0


def _read_password(args: argparse.Namespace) -> str:
    """From stdin (scripts: `--password-stdin`) or typed twice at a hidden prompt."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    import getpass

    first = getpass.getpass(f"password for {args.name}: ")
    if getpass.getpass("again: ") != first:
        raise AccountError("the two passwords differ")
    return first


def cmd_users(args: argparse.Namespace) -> int:
    from shopdata.accounts import Accounts

    accounts = Accounts(_open(args.db))
    if args.action == "list":
        for user in accounts.list():
            print(_json({k: user[k] for k in ("name", "role", "email", "has_password", "created_at", "created_by")}))
        return 0
    if args.action == "add":
        password = None if args.sso_only else _read_password(args)
        user = accounts.add(args.name, args.role, password, email=args.email, created_by="cli")
        print(_json({"status": "added", "name": user.name, "role": user.role, "email": user.email}))
    elif args.action == "passwd":
        accounts.set_password(args.name, _read_password(args))
        print(_json({"status": "password changed", "name": args.name}))
    elif args.action == "role":
        accounts.set_role(args.name, args.role)
        print(_json({"status": "role changed", "name": args.name, "role": args.role}))
    elif args.action == "remove":
        accounts.remove(args.name)
        print(_json({"status": "removed", "name": args.name}))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Check there is someone to sign in, then become the Streamlit server (same PID, so stop it by PID)."""
    import os

    from shopdata.serve import ServeSettings, check_ready_to_serve, streamlit_command, team_links

    store = _open(args.db)
    check_ready_to_serve(store)
    store.engine.close()  # DuckDB lets one process hold the file; the server opens it again
    hosts = tuple(h for part in args.allowed_hosts or () for h in part.replace(",", " ").split())
    serving = ServeSettings(args.address, args.port, args.max_upload_mb, hosts, args.tls_cert, args.tls_key)
    command = streamlit_command(serving)
    if args.db:
        os.environ[settings.DATABASE.name] = args.db
    print(
        f"serving the team on {args.address}:{args.port}; teammates open {' or '.join(team_links(serving))} "
        "(only these host names are let in)",
        flush=True,
    )
    if not args.tls_cert:
        print(
            "without TLS_CERT/TLS_KEY, passwords cross the network unencrypted: fine on a trusted office "
            "network, not on shared Wi-Fi",
            flush=True,
        )
    os.execv(command[0], command)
    return 0  # not reached


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m shopdata", description="Shopdata: store and ad exports in, trustworthy numbers out."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--db",
            help=f"DuckDB file or postgresql:// URL (default: ${settings.DATABASE.name} or "
            f"{settings.DATABASE.documented_default})",
        )

    ingest = sub.add_parser("ingest", help="import export files; prints one JSON object per file")
    ingest.add_argument("files", nargs="+", metavar="FILE")
    common(ingest)
    ingest.add_argument("--store", default=DEFAULT_STORE, help=f"{settings.STORE.help} (default: {DEFAULT_STORE})")
    ingest.add_argument("--kind", choices=KINDS, help="what the file holds, when recognition needs help")
    ingest.add_argument("--platform", help="platform, when recognition needs help (e.g. amazon, meta, tmall)")
    ingest.add_argument(
        "--period", type=parse_period, metavar="FROM..TO", help="the period a report without dates covers"
    )
    ingest.add_argument(
        "--currency",
        type=str.upper,
        default=None,
        help="ISO currency for exports that do not say theirs (e.g. Shopify reports: USD)",
    )
    ingest.add_argument("--user", default=None, help="who uploads, recorded on the batch (default: your login name)")
    ingest.add_argument("--language", choices=("en", "zh"), default="en", help="language of warnings and errors")
    ingest.set_defaults(func=cmd_ingest)

    batches = sub.add_parser("batches", help="list uploads (one JSON object per line)")
    common(batches)
    batches.add_argument("--store", default=None)
    batches.set_defaults(func=cmd_batches)

    delete = sub.add_parser("delete", help="remove one upload and exactly its rows")
    delete.add_argument("batch_id", type=int)
    common(delete)
    delete.set_defaults(func=cmd_delete)

    report = sub.add_parser("report", help="print the table a page shows (JSON list of records, or CSV)")
    report.add_argument("report", choices=REPORTS)
    common(report)
    report.add_argument("--store", default=None, help="store (default: the first one)")
    report.add_argument("--from", dest="date_from", type=date.fromisoformat, help="first day (default: all data)")
    report.add_argument("--to", dest="date_to", type=date.fromisoformat, help="last day (default: all data)")
    report.add_argument("--compare", choices=("previous", "yoy", "none"), default="previous")
    report.add_argument("--by", choices=REPORT_BY, default=None)
    report.add_argument(
        "--currency",
        type=str.upper,
        default=None,
        help="money in this currency only (default: the store's main currency)",
    )
    report.add_argument("--format", choices=("json", "csv"), default="json")
    report.add_argument("--language", choices=("en", "zh"), default="en")
    report.set_defaults(func=cmd_report)

    users = sub.add_parser("users", help="team accounts: list | add | passwd | role | remove")
    users_sub = users.add_subparsers(dest="action", required=True)
    listing = users_sub.add_parser("list", help="one JSON object per account (never the password hash)")
    common(listing)
    add = users_sub.add_parser("add", help="create an account (asks for the password twice)")
    add.add_argument("name")
    add.add_argument(
        "--role",
        choices=tuple(ROLES),
        required=True,
        help="owner: everything; member: upload and view; viewer: view only",
    )
    add.add_argument("--email", help="e-mail for single sign-on (OIDC) when configured")
    add.add_argument("--sso-only", action="store_true", help="no password: the account signs in with OIDC only")
    passwd = users_sub.add_parser("passwd", help="set a new password")
    passwd.add_argument("name")
    role = users_sub.add_parser("role", help="change an account's role")
    role.add_argument("name")
    role.add_argument("role", choices=tuple(ROLES))
    remove = users_sub.add_parser("remove", help="delete an account (the last owner cannot go)")
    remove.add_argument("name")
    for p in (add, passwd):
        p.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    for p in (add, passwd, role, remove):
        common(p)
    users.set_defaults(func=cmd_users)

    serve = sub.add_parser("serve", help="serve the team on the local network (needs at least one account)")
    common(serve)
    serve.add_argument(
        "--address", default=settings.SERVE_ADDRESS.default, help="interface to listen on (default: all)"
    )
    serve.add_argument(
        "--port",
        type=settings.argument_type(settings.PORT),
        default=settings.PORT.default,
        help=f"port to listen on (default: {settings.PORT.default})",
    )
    serve.add_argument(
        "--max-upload-mb",
        type=settings.argument_type(settings.UPLOAD_MB),
        default=settings.UPLOAD_MB.default,
        help=f"largest upload in MB (default: {settings.UPLOAD_MB.default})",
    )
    serve.add_argument(
        "--allowed-hosts",
        action="append",
        metavar="NAMES",
        help="host names teammates type (comma separated; default: this machine's names and addresses)",
    )
    serve.add_argument("--tls-cert", help="PEM certificate file: serve over HTTPS (with --tls-key)")
    serve.add_argument("--tls-key", help="PEM private key file for --tls-cert")
    serve.set_defaults(func=cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ShopdataError as exc:
        print(_json({"status": "error", "error": str(exc)}), file=sys.stderr)
        return 2
