"""python -m shopdata ingest | batches | delete | set-currency | report | users | serve | backup | restore | notes |
activities | targets | digest"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from shopdata import settings
from shopdata.accounts import ROLES
from shopdata.errors import AccountError, ReportError, ShopdataError
from shopdata.ingest.clean import DATE_ORDERS
from shopdata.ingest.guard import DEFAULT_LIMITS, MB
from shopdata.ingest.layouts import KINDS
from shopdata.journal import ACTIVITY_KINDS, CAUSES, DIMENSIONS, TARGET_METRICS
from shopdata.reports import REPORTS, Report

if TYPE_CHECKING:
    from shopdata.accounts import User
    from shopdata.ingest.read import Sheet
    from shopdata.store import Warehouse

DEFAULT_STORE = settings.STORE.default


class CommandError(ShopdataError):
    """A command that cannot do what it was asked (no such database, store or upload): said in one line."""

    def __init__(self, command: str, message: str, hint: str = "") -> None:
        super().__init__(message, hint)
        self.step = command


class _Parser(argparse.ArgumentParser):
    """Usage errors in one line (the usage itself is one --help away), exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None


def parse_period(text: str) -> tuple[date, date]:
    """FROM..TO (ISO dates), e.g. 2024-01-01..2024-01-31."""
    try:
        start, end = (date.fromisoformat(part.strip()) for part in text.split(".."))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected FROM..TO as YYYY-MM-DD..YYYY-MM-DD, got {text!r}") from exc
    if end < start:
        raise argparse.ArgumentTypeError(f"the period ends before it starts: {text!r}")
    return start, end


def _positive(kind: Callable[[str], float | int]) -> Callable[[str], float | int]:
    def parse(text: str) -> float | int:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"expected a number above 0, got {text!r}")
        return value

    return parse


def _breakdown_of(report: Report) -> Callable[[str], str]:
    """--by for this report: one of the values the registry allows it."""

    def parse(text: str) -> str:
        try:
            report.check(text)
        except ReportError as exc:
            raise argparse.ArgumentTypeError(f"{exc.message} ({exc.hint})") from None
        return text

    return parse


def parse_currency(text: str) -> str:
    """--currency: an ISO code in any case (cny → CNY), or `unknown` for the money that states none."""
    from shopdata.metrics.query import UNKNOWN_CURRENCY

    code = text.strip()
    return UNKNOWN_CURRENCY if code.lower() == UNKNOWN_CURRENCY else code.upper()


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


@contextlib.contextmanager
def _open(args: argparse.Namespace, create: bool = False) -> Iterator[Warehouse]:
    """The warehouse named by --db ($SHOPDATA_DB, data/shop.duckdb). Only commands that put something in
    (ingest, users add) create a database file; the others say there is none."""
    from shopdata.engine import database_url
    from shopdata.store import open_warehouse

    url = database_url(args.db)
    if not create and "://" not in url and not Path(url).is_file():
        raise CommandError(
            args.command,
            f"no database at {url}",
            "give --db the file `python -m shopdata ingest` loaded into (or set SHOPDATA_DB)",
        )
    warehouse = open_warehouse(url)
    with warehouse.engine:
        yield warehouse


def _store_names(warehouse: Warehouse) -> list[str]:
    return [s["name"] for s in warehouse.stores()]


def _check_store(command: str, warehouse: Warehouse, name: str | None) -> None:
    names = _store_names(warehouse)
    if name is not None and name not in names:
        raise CommandError(command, f"no store named {name!r}", f"stores: {', '.join(names) or 'none yet'}")


def _login_name() -> str | None:
    """Who runs the command, for the batch's uploader when --user is not given."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None


def _reader(args: argparse.Namespace) -> Callable[[str, bytes | Path | str], list[Sheet]]:
    """The Data page's guard (checks, then a limited worker process) unless the files are --trusted."""
    if args.trusted:
        from shopdata.ingest.read import read_file

        return read_file
    from shopdata.ingest.guard import read_untrusted

    limits = replace(
        DEFAULT_LIMITS,
        max_upload_bytes=int(args.max_file_mb * MB),
        read_timeout_s=float(args.read_timeout),
        read_memory_mb=int(args.read_memory_mb),
    )

    def read_guarded(file_name: str, data: bytes | Path | str) -> list[Sheet]:
        return read_untrusted(file_name, data, limits)

    return read_guarded


def _field_column(text: str) -> tuple[str, str]:
    """--map FIELD=COLUMN: a canonical field and a header of the file."""
    field_name, sep, column = text.partition("=")
    if not sep or not field_name.strip() or not column.strip():
        raise argparse.ArgumentTypeError(f"expected FIELD=COLUMN, got {text!r}")
    return field_name.strip(), column.strip()


def cmd_ingest(args: argparse.Namespace) -> int:
    from shopdata.ingest.pipeline import FileResult, Options, ingest_file

    with _open(args, create=True) as warehouse:
        reader = _reader(args)
        options = Options(
            store=args.store,
            kind=args.kind,
            platform=args.platform,
            period=args.period,
            uploaded_by=args.user or _login_name(),
            currency=args.currency,
            settle=dict(args.map) if args.map else None,
            date_order=args.date_order,
        )
        exit_code = 0
        for name in args.files:
            path = Path(name)
            if not path.is_file():
                results = [FileResult(name, "rejected", error=f"read: no such file: {name}")]
            else:
                results = ingest_file(str(path), path, warehouse, options, reader=reader)
            for result in results:
                print(_json(result.to_json(args.language)), flush=True)
                if result.status != "loaded":
                    exit_code = 2
        return exit_code


def cmd_batches(args: argparse.Namespace) -> int:
    with _open(args) as warehouse:
        _check_store(args.command, warehouse, args.store)
        for batch in warehouse.batches(args.store):
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
    with _open(args) as warehouse:
        try:
            removed = warehouse.delete_batch(args.batch_id)
        except KeyError:
            raise CommandError(
                args.command, f"no upload with batch id {args.batch_id}", "python -m shopdata batches lists them"
            ) from None
        print(_json({"batch_id": args.batch_id, "status": "deleted", "rows_removed": removed}))
        return 0


def cmd_set_currency(args: argparse.Namespace) -> int:
    """Give an upload's rows that state no currency one (what the Data page's currency choice does)."""
    with _open(args) as warehouse:
        try:
            changed = warehouse.set_batch_currency(args.batch_id, args.code.strip().upper(), args.by)
        except KeyError:
            raise CommandError(
                args.command, f"no upload with batch id {args.batch_id}", "python -m shopdata batches lists them"
            ) from None
        except ValueError as exc:
            raise CommandError(args.command, str(exc)) from None
        print(
            _json(
                {
                    "batch_id": args.batch_id,
                    "status": "currency set",
                    "currency": args.code.strip().upper(),
                    "rows_changed": changed,
                }
            )
        )
        return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from shopdata.backup import DOWNLOAD_PREFIX, backup_file_name, write_backup, write_backup_to_dir

    with _open(args) as warehouse:
        if args.out is None:
            info = write_backup_to_dir(warehouse.engine, DOWNLOAD_PREFIX)
        else:
            out = Path(args.out)
            if out.is_dir():
                out = out / backup_file_name(DOWNLOAD_PREFIX)
            elif not out.parent.is_dir():
                raise CommandError(args.command, f"no folder {out.parent} to write the backup into")
            info = write_backup(warehouse.engine, out)
        print(
            _json(
                {
                    "file": str(info.path),
                    "schema_version": info.schema_version,
                    "rows": info.total_rows,
                    "size_bytes": info.size_bytes,
                }
            )
        )
        return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from shopdata.backup import restore_backup

    if not args.yes:
        raise CommandError(
            args.command,
            "a restore replaces every store's data with the backup's",
            "add --yes to go ahead (the current state is saved as a before-restore backup first)",
        )
    if not Path(args.file).is_file():
        raise CommandError(args.command, f"no file {args.file}")
    with _open(args) as warehouse:
        info = restore_backup(warehouse, args.file)
        print(
            _json(
                {
                    "file": args.file,
                    "status": "restored",
                    "schema_version": info.schema_version,
                    "rows": info.total_rows,
                    "before_restore": str(info.safety_backup.path),
                }
            )
        )
        return 0


def cmd_report(args: argparse.Namespace) -> int:
    """The table a page shows, as JSON records or CSV."""
    import csv

    from shopdata.metrics.cache import uncached_source
    from shopdata.metrics.periods import Period, comparison_period
    from shopdata.metrics.query import Scope, currencies, data_range, for_currency

    report = REPORTS[args.report]
    fields = report.record_fields(args.by)
    if args.date_from and args.date_to and args.date_from > args.date_to:
        raise ReportError(f"--from {args.date_from} is after --to {args.date_to}", "give the first day first")
    with _open(args) as warehouse:
        names = _store_names(warehouse)
        if not names:
            raise ReportError(
                "the database holds no store yet", "load exports first: python -m shopdata ingest FILE..."
            )
        name = args.store or names[0]
        _check_store(args.command, warehouse, name)
        # A Source (not the bare Ibis backend): reports that read the store's journal reach it through its engine.
        backend = uncached_source(warehouse.engine)
        earliest, latest = data_range(backend, name)
        if earliest is None or latest is None:
            raise ReportError(
                f"the store {name!r} has no data yet", "load exports first: python -m shopdata ingest FILE..."
            )
        start, end = args.date_from or earliest, args.date_to or latest
        if start > end:
            raise ReportError(
                f"the period {start}..{end} is empty (the data covers {earliest}..{latest})",
                "choose --from before --to",
            )
        currency = args.currency or next(iter(currencies(backend, name)), None)
        scope = for_currency(backend, Scope(name, start, end, currency))
        comparison = comparison_period(Period(start, end), args.compare)
        compare_scope = scope.shifted(comparison.start, comparison.end) if comparison else None
        records = report.run(backend, scope, compare_scope, by=args.by, language=args.language)
        if args.format == "csv":
            writer = csv.DictWriter(sys.stdout, fieldnames=list(fields), lineterminator="\n")
            writer.writeheader()
            writer.writerows(records)
        else:
            print(json.dumps(records, ensure_ascii=False, default=str, indent=1))
        return 0


def _cli_user(args: argparse.Namespace) -> User:
    """Who writes from the command line: --author (default: the login name). The command line runs with the
    database file's owner's rights, as `users` does; the role checks guard the pages' accounts."""
    from shopdata.accounts import User

    return User(args.author or _login_name() or "cli", "owner")


def _journal_store(args: argparse.Namespace, warehouse: Warehouse) -> str:
    names = _store_names(warehouse)
    if not names:
        raise CommandError(args.command, "the database holds no store yet", "load exports first")
    name = args.store or names[0]
    _check_store(args.command, warehouse, name)
    return name


def cmd_notes(args: argparse.Namespace) -> int:
    """notes add | list: the team's 复盘 notes."""
    from shopdata.journal import Journal

    with _open(args) as warehouse:
        journal = Journal(warehouse)
        if args.action == "add":
            _check_store(args.command, warehouse, args.store)
            note_id = journal.add_note(
                _cli_user(args),
                args.store,
                args.date,
                args.text,
                date_to=args.date_to,
                cause=args.cause,
                metric=args.metric,
                dimension=args.dimension,
                segment=args.segment,
                action=args.note_action or "",
                follow_up=args.follow_up,
            )
            print(_json({"status": "added", "note_id": note_id}))
        else:
            if args.store is not None:
                _check_store(args.command, warehouse, args.store)
            for note in journal.notes(args.store, args.date_from, args.date_to, search=args.search):
                print(_json(note))
    return 0


def cmd_activities(args: argparse.Namespace) -> int:
    """activities add | list: promotions and the festival calendar."""
    from shopdata.journal import Journal

    with _open(args) as warehouse:
        journal = Journal(warehouse)
        if args.action == "add":
            _check_store(args.command, warehouse, args.store)
            activity_id = journal.add_activity(
                _cli_user(args), args.store, args.name, args.date_from, args.date_to, kind=args.kind
            )
            print(_json({"status": "added", "activity_id": activity_id}))
        else:
            store = _journal_store(args, warehouse)
            today = date.today()
            start = args.date_from or today.replace(month=1, day=1)
            end = args.date_to or today.replace(month=12, day=31)
            if end < start:
                raise CommandError(args.command, f"--from {start} is after --to {end}", "give the first day first")
            for activity in journal.activities(store, start, end, language=args.language):
                print(_json(activity))
    return 0


def cmd_targets(args: argparse.Namespace) -> int:
    """targets set | list: monthly targets."""
    from shopdata.journal import TARGET_METRICS, Journal
    from shopdata.metrics.query import currencies

    with _open(args) as warehouse:
        journal = Journal(warehouse)
        store = _journal_store(args, warehouse)
        if args.action == "set":
            currency = args.currency
            if currency is None and TARGET_METRICS[args.metric].money:
                currency = next(iter(currencies(warehouse.engine.ibis(), store)), None)
                if currency is None:
                    raise CommandError(
                        args.command, f"the store {store!r} has no money in any currency yet", "give --currency"
                    )
            journal.set_target(_cli_user(args), store, args.month, args.metric, args.value, currency)
            print(_json({"status": "set", "store": store, "month": args.month, "metric": args.metric}))
        else:
            for target in journal.targets(store, args.month):
                print(_json(target))
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

    with _open(args, create=args.action == "add") as warehouse:
        accounts = Accounts(warehouse)
        if args.action == "list":
            for user in accounts.list():
                print(
                    _json({k: user[k] for k in ("name", "role", "email", "has_password", "created_at", "created_by")})
                )
            return 0
        if args.action == "add":
            password = None if args.sso_only else _read_password(args)
            added = accounts.add(args.name, args.role, password, email=args.email, created_by="cli")
            print(_json({"status": "added", "name": added.name, "role": added.role, "email": added.email}))
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

    # A new database gets the refusal that says to add the owner. DuckDB lets one process hold the file:
    # it is closed before the server opens it again.
    with _open(args, create=True) as warehouse:
        check_ready_to_serve(warehouse)
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


# ---- digest (issue 12: the daily / weekly report, written to a file or pushed to a group-chat robot) ----


def cmd_digest(args: argparse.Namespace) -> int:
    """Build the report of a day or week; write it (stdout or --out) and/or send it: to --webhook, or else to
    every robot of the --send kind (`all`: of every kind) configured for the store. Exit 0 when written and
    every robot took it, 2 with the robot's error (its URL and secret redacted) otherwise."""
    from shopdata import digest, notify
    from shopdata.i18n import Message
    from shopdata.journal import Journal, Webhook
    from shopdata.metrics.cache import uncached_source
    from shopdata.metrics.query import data_range

    if args.webhook and not args.send:
        raise CommandError(args.command, "--webhook needs --send dingtalk|wecom|feishu|slack")
    if args.webhook and args.send == SEND_ALL:
        raise CommandError(args.command, f"--send {SEND_ALL} sends to the configured robots", "leave out --webhook")
    with _open(args) as warehouse:
        names = _store_names(warehouse)
        if not names:
            raise digest.DigestError(Message("digest.error.no_store"), Message("digest.error.load_first"))
        name = args.store or names[0]
        _check_store(args.command, warehouse, name)
        # A Source: the alerts, targets, activities and follow-ups are read from the store's journal through it.
        backend = uncached_source(warehouse.engine)
        latest = data_range(backend, name)[1]
        if latest is None:
            raise digest.DigestError(Message("digest.error.no_data", store=name), Message("digest.error.load_first"))
        day = args.date or latest
        sections = digest.journal_sections(backend, name, day, args.period, args.language)
        report = digest.build_digest(backend, name, day, args.period, args.language, warehouse=warehouse, **sections)
        robots: list[Webhook] = []
        if args.send and not args.webhook:
            kind = None if args.send == SEND_ALL else args.send
            robots = Journal(warehouse).webhooks_for_sending(name, kind)
            if not robots:
                raise CommandError(
                    args.command,
                    f"no {'' if kind is None else kind + ' '}group robot is configured for {name!r}",
                    "add one on the Team page, or give --webhook URL",
                )
    if args.out or not args.send:
        if args.format == "png":
            data = digest.to_png(report)
        else:
            data = (digest.to_html(report) if args.format == "html" else digest.to_markdown(report)).encode()
        if args.out:
            Path(args.out).write_bytes(data)
        elif args.format == "png":
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data.decode())
            sys.stdout.write("\n")
    if not args.send:
        return 0
    targets = (
        [(args.send, args.webhook, args.secret or None)]
        if args.webhook
        else [(r.kind, r.url, r.secret or None) for r in robots]
    )
    delivered = True
    for kind, url, secret in targets:
        delivery = notify.send(kind, url, digest.to_message(report), secret, language=args.language)
        print(delivery.text(args.language), file=sys.stdout if delivery.delivered else sys.stderr)
        delivered = delivered and delivery.delivered
    return 0 if delivered else 2


SEND_ALL = "all"  # --send all: every robot configured for the store


def add_digest_command(sub, common: Callable[[argparse.ArgumentParser], None]) -> None:
    from shopdata.notify import KINDS

    one = sub.add_parser(
        "digest",
        help="the daily or weekly report (Markdown, HTML or PNG); --send pushes it to a group-chat robot",
    )
    one.add_argument("--store", default=None, help="store (default: the first one)")
    one.add_argument(
        "--date", type=parse_date, default=None, help="the report's (last) day (default: the latest with data)"
    )
    one.add_argument("--period", choices=("day", "week"), default="day", help="one day, or the 7 days ending on --date")
    one.add_argument("--format", choices=("md", "html", "png"), default="md", help="what --out (or stdout) gets")
    one.add_argument("--language", choices=("en", "zh"), default="en")
    one.add_argument("--out", metavar="FILE", help="write the report to this file (default: stdout unless --send)")
    one.add_argument(
        "--send",
        choices=(*KINDS, SEND_ALL),
        help="push the report to the robots of this kind configured for the store (all: every one), "
        "or with --webhook to that robot",
    )
    one.add_argument(
        "--webhook",
        metavar="URL",
        help="a robot's webhook address instead of the configured ones (kept out of every log)",
    )
    one.add_argument("--secret", metavar="S", help="the robot's signing secret (DingTalk 加签, Feishu 签名校验)")
    common(one)
    one.set_defaults(func=cmd_digest)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
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
    ingest.add_argument(
        "--map",
        type=_field_column,
        action="append",
        metavar="FIELD=COLUMN",
        help="the column that holds FIELD, when recognition asks (repeatable; e.g. --map spend=总费用)",
    )
    ingest.add_argument(
        "--date-order",
        choices=DATE_ORDERS,
        default=None,
        help="how the file writes dates like 01/11/2026, when nothing in it tells: dmy (day first) or mdy (month "
        "first)",
    )
    ingest.add_argument("--user", default=None, help="who uploads, recorded on the batch (default: your login name)")
    ingest.add_argument("--language", choices=("en", "zh"), default="en", help="language of warnings and errors")
    ingest.add_argument(
        "--trusted",
        action="store_true",
        help="read the files in this process, without the checks and limits the Data page applies to uploads "
        "(only for files you know, e.g. bigger than --max-file-mb)",
    )
    ingest.add_argument(
        "--max-file-mb",
        type=_positive(float),
        default=DEFAULT_LIMITS.max_upload_bytes / MB,
        metavar="MB",
        help="refuse a file bigger than this, as the Data page does (default: %(default)g)",
    )
    ingest.add_argument(
        "--read-timeout",
        type=_positive(float),
        default=DEFAULT_LIMITS.read_timeout_s,
        metavar="SECONDS",
        help="stop reading a file after this long (default: %(default)g)",
    )
    ingest.add_argument(
        "--read-memory-mb",
        type=_positive(int),
        default=DEFAULT_LIMITS.read_memory_mb,
        metavar="MB",
        help="memory the process reading a file may use (default: %(default)d)",
    )
    ingest.set_defaults(func=cmd_ingest)

    batches = sub.add_parser("batches", help="list uploads (one JSON object per line)")
    common(batches)
    batches.add_argument("--store", default=None)
    batches.set_defaults(func=cmd_batches)

    delete = sub.add_parser("delete", help="remove one upload and exactly its rows")
    delete.add_argument("batch_id", type=int)
    common(delete)
    delete.set_defaults(func=cmd_delete)

    currency = sub.add_parser(
        "set-currency", help="give an upload's rows that state no currency one (an ISO code such as CNY)"
    )
    currency.add_argument("batch_id", type=int)
    currency.add_argument("code", metavar="CODE", help="ISO currency code, e.g. CNY, USD")
    currency.add_argument("--by", default=_login_name(), help="who made the change (default: your login name)")
    common(currency)
    currency.set_defaults(func=cmd_set_currency)

    backup = sub.add_parser("backup", help="write the whole database to one .duckdb backup file")
    backup.add_argument("--out", metavar="FILE", help="the file or folder to write (default: the backups folder)")
    common(backup)
    backup.set_defaults(func=cmd_backup)

    restore = sub.add_parser("restore", help="replace the data with a backup's (team accounts are kept)")
    restore.add_argument("file", metavar="FILE")
    restore.add_argument("--yes", action="store_true", help="confirm that the backup replaces all data")
    common(restore)
    restore.set_defaults(func=cmd_restore)

    report = sub.add_parser("report", help="print the table a page shows (JSON list of records, or CSV)")
    reports = report.add_subparsers(dest="report", required=True, metavar="|".join(REPORTS))
    for spec in REPORTS.values():
        one = reports.add_parser(spec.name, help=spec.help, description=f"{spec.name}: {spec.help}")
        common(one)
        one.add_argument("--store", default=None, help="store (default: the first one)")
        one.add_argument("--from", dest="date_from", type=parse_date, help="first day (default: all data)")
        one.add_argument("--to", dest="date_to", type=parse_date, help="last day (default: all data)")
        one.add_argument("--compare", choices=("previous", "yoy", "none"), default="previous")
        one.add_argument(
            "--by",
            type=_breakdown_of(spec),
            default=None,
            metavar="|".join(spec.by) or "BREAKDOWN",
            help="one record per value of this breakdown" if spec.by else "none: this report has no breakdown",
        )
        one.add_argument(
            "--currency",
            type=parse_currency,
            default=None,
            help="money in this currency only, or `unknown` for money that states none "
            "(default: the store's main currency)",
        )
        one.add_argument("--format", choices=("json", "csv"), default="json")
        one.add_argument("--language", choices=("en", "zh"), default="en")
        one.set_defaults(func=cmd_report)

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

    notes = sub.add_parser("notes", help="复盘 notes: add | list (one JSON object per line)")
    notes_sub = notes.add_subparsers(dest="action", required=True)
    note_add = notes_sub.add_parser("add", help="record what was found on a day (or days), why, and what was done")
    note_add.add_argument("--store", required=True)
    note_add.add_argument("--date", type=parse_date, required=True, help="the day, or the first day")
    note_add.add_argument("--to", dest="date_to", type=parse_date, help="the last day (default: --date)")
    note_add.add_argument("--text", required=True, help="what was found")
    note_add.add_argument("--cause", choices=CAUSES, default="other")
    note_add.add_argument("--metric", help="the KPI it is about (e.g. revenue, visitors)")
    note_add.add_argument("--dimension", choices=DIMENSIONS, help="with --segment: the segment's kind")
    note_add.add_argument("--segment", help="the source, product, campaign or platform it is about")
    note_add.add_argument("--action", dest="note_action", help="what was done")
    note_add.add_argument("--follow-up", dest="follow_up", type=parse_date, help="the day to look again")
    note_add.add_argument("--author", help="who writes it (default: your login name)")
    note_list = notes_sub.add_parser("list", help="notes overlapping the period, newest first")
    note_list.add_argument("--store", default=None, help="one store (default: every store)")
    note_list.add_argument("--from", dest="date_from", type=parse_date)
    note_list.add_argument("--to", dest="date_to", type=parse_date)
    note_list.add_argument("--search", help="text in what was found or done")
    for p in (note_add, note_list):
        common(p)
    notes.set_defaults(func=cmd_notes)

    activities = sub.add_parser("activities", help="活动: add | list (one JSON object per line)")
    activities_sub = activities.add_subparsers(dest="action", required=True)
    activity_add = activities_sub.add_parser("add", help="record a promotion (or a festival the calendar lacks)")
    activity_add.add_argument("--store", required=True)
    activity_add.add_argument("--name", required=True)
    activity_add.add_argument("--from", dest="date_from", type=parse_date, required=True)
    activity_add.add_argument("--to", dest="date_to", type=parse_date, required=True)
    activity_add.add_argument("--kind", choices=ACTIVITY_KINDS, default="own")
    activity_add.add_argument("--author", help="who records it (default: your login name)")
    activity_list = activities_sub.add_parser("list", help="the store's activities and the festival calendar")
    activity_list.add_argument("--store", default=None, help="store (default: the first one)")
    activity_list.add_argument("--from", dest="date_from", type=parse_date, help="(default: 1 January this year)")
    activity_list.add_argument("--to", dest="date_to", type=parse_date, help="(default: 31 December this year)")
    activity_list.add_argument("--language", choices=("en", "zh"), default="en", help="festival names")
    for p in (activity_add, activity_list):
        common(p)
    activities.set_defaults(func=cmd_activities)

    targets = sub.add_parser("targets", help="monthly targets: set | list (progress: report targets)")
    targets_sub = targets.add_subparsers(dest="action", required=True)
    target_set = targets_sub.add_parser("set", help="the month's target for one metric (replaces an earlier one)")
    target_set.add_argument("--store", default=None, help="store (default: the first one)")
    target_set.add_argument("--month", required=True, metavar="YYYY-MM")
    target_set.add_argument("--metric", choices=tuple(TARGET_METRICS), required=True)
    target_set.add_argument("--value", type=_positive(float), required=True)
    target_set.add_argument(
        "--currency", type=str.upper, help="ISO currency of a money target (default: the store's main currency)"
    )
    target_set.add_argument("--author", help="who sets it (default: your login name)")
    target_list = targets_sub.add_parser("list", help="the store's targets (one JSON object per line)")
    target_list.add_argument("--store", default=None, help="store (default: the first one)")
    target_list.add_argument("--month", default=None, metavar="YYYY-MM")
    for p in (target_set, target_list):
        common(p)
    targets.set_defaults(func=cmd_targets)

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

    add_digest_command(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """What `python -m shopdata` runs: the exit status. A user's mistake (a bad argument, a missing file or
    store, a refused request) is one line on stderr and status 2, never a traceback."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help (0), or a usage error already said in one line (2)
        return exc.code if isinstance(exc.code, int) else 0
    try:
        return args.func(args)
    except ShopdataError as exc:
        print(" ".join(str(exc).split("\n")), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
