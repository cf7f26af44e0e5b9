"""Child process of tests/db/test_crash.py: writes registry changes until killed.

Usage: python crash_writer.py DB LOG SEED FIRST_VERSION

It opens DB through the app's connection factory, prints "ready" on stdout and
then creates, updates and soft-deletes organizations, officers and postings
through desktop.services.registry, forever. After each service call returns
(the change is committed) it appends one line "op table id version" to LOG and
fsyncs it: that line is the evidence the parent checks after SIGKILL.

A version is a number that only grows over the whole test (the parent hands
each run a FIRST_VERSION above every earlier one). It is stored in the record
(organization.employee_count, liaison_officer.position), so after any crash the
stored value must be at least the last logged one.

Imports are kept to what the writing needs: child start-up is most of the
test's time.
"""

from __future__ import annotations

import dataclasses
import os
import random
import sys
from datetime import date, timedelta

from desktop.db.database import open_database
from desktop.domain.identifiers import USCC_ALPHABET, id_check_char, uscc_check_char
from desktop.domain.registry import LiaisonOfficer, Organization, Posting
from desktop.errors import UserError
from desktop.services import registry


def read_live(log_path: str) -> tuple[dict[str, list[str]], str]:
    """Ids the log shows alive per table, and the township to register in."""
    live: dict[str, list[str]] = {"organization": [], "liaison_officer": []}
    township = ""
    with open(log_path, encoding="utf-8") as f:
        for line in f:
            if not line.endswith("\n"):
                break  # a line cut by the kill; the parent trims it anyway
            op, table, record_id, _ = line.split()
            if op == "township":
                township = record_id
            elif op == "create" and table in live:
                live[table].append(record_id)
            elif op == "delete":
                live[table].remove(record_id)
    return live, township


def random_uscc(rng: random.Random) -> str:
    """A valid 统一社会信用代码; 31^9 random tails make collisions negligible."""
    body = "91340881" + "".join(rng.choice(USCC_ALPHABET) for _ in range(9))
    return body + uscc_check_char(body)


def random_id_number(rng: random.Random) -> str:
    """A valid 公民身份号码 with a random birth date and serial."""
    born = date(1960, 1, 1) + timedelta(days=rng.randrange(40 * 365))
    body = f"340881{born:%Y%m%d}{rng.randrange(1000):03d}"
    return body + id_check_char(body)


class Writer:
    """One run of changes; `log` is called only after a change has committed."""

    def __init__(self, db, log_fd: int, rng: random.Random, live: dict, township: str,
                 version: int) -> None:
        self.db, self.log_fd, self.rng = db, log_fd, rng
        self.live, self.township, self.version = live, township, version

    def log(self, op: str, table: str, record_id: str) -> None:
        os.write(self.log_fd, f"{op} {table} {record_id} {self.version}\n".encode())
        os.fsync(self.log_fd)

    def next_version(self) -> int:
        self.version += 1
        return self.version

    def create_organization(self) -> None:
        v = self.next_version()
        org = Organization(name=f"崩溃测试企业{v}", area_id=self.township,
                           uscc=random_uscc(self.rng), employee_count=v,
                           party_org_form=self.rng.choice(("none", "standalone")))
        self._created("organization", registry.create(self.db, org))

    def create_officer(self) -> None:
        v = self.next_version()
        officer = LiaisonOfficer(name=f"联络员{v}", id_number=random_id_number(self.rng),
                                 position=str(v), bank_account="6222020200112233445")
        self._created("liaison_officer", registry.create(self.db, officer))

    def _created(self, table: str, record_id: str) -> None:
        self.log("create", table, record_id)
        self.live[table].append(record_id)

    def create_posting(self) -> None:
        if not self.live["organization"] or not self.live["liaison_officer"]:
            return self.create_organization()
        self.next_version()
        start = date(2024, 1, 1) + timedelta(days=self.rng.randrange(2000))
        posting = Posting(officer_id=self.rng.choice(self.live["liaison_officer"]),
                          organization_id=self.rng.choice(self.live["organization"]),
                          start_on=start, end_on=start + timedelta(days=self.rng.randrange(300)))
        try:
            record_id = registry.create(self.db, posting)
        except UserError:
            return None  # overlaps an earlier posting of the same pair: refused, nothing written
        self.log("create", "posting", record_id)
        return None

    def update(self, table: str) -> None:
        if not self.live[table]:
            return self.create_organization()
        record_id = self.rng.choice(self.live[table])
        if not self._still_live(table, record_id):
            return None
        v = self.next_version()
        if table == "organization":
            record = registry.get(self.db, Organization, record_id)
            changed = dataclasses.replace(record, employee_count=v, note=f"改{v}")
        else:
            record = registry.get(self.db, LiaisonOfficer, record_id)
            changed = dataclasses.replace(record, position=str(v))
        registry.update(self.db, changed)
        self.log("update", table, record_id)
        return None

    def delete(self, table: str) -> None:
        if len(self.live[table]) < 5:  # keep something to update and post to
            return None
        record_id = self.rng.choice(self.live[table])
        if not self._still_live(table, record_id):
            return None
        self.next_version()
        cls = Organization if table == "organization" else LiaisonOfficer
        registry.delete(self.db, cls, record_id)
        self.live[table].remove(record_id)
        self.log("delete", table, record_id)
        return None

    def _still_live(self, table: str, record_id: str) -> bool:
        """False (and forgotten) when an earlier run deleted it but died before logging."""
        cls = Organization if table == "organization" else LiaisonOfficer
        try:
            registry.get(self.db, cls, record_id)
        except UserError:
            self.live[table].remove(record_id)
            return False
        return True

    def step(self) -> None:
        """One random change, weighted towards creating and updating."""
        roll = self.rng.random()
        if roll < 0.30:
            self.create_organization()
        elif roll < 0.45:
            self.create_officer()
        elif roll < 0.55:
            self.create_posting()
        elif roll < 0.75:
            self.update("organization")
        elif roll < 0.88:
            self.update("liaison_officer")
        elif roll < 0.95:
            self.delete("organization")
        else:
            self.delete("liaison_officer")


def main(argv: list[str]) -> int:
    """Write changes until killed (or, as a safety net, for 200,000 steps)."""
    db_path, log_path, seed, first_version = argv[1], argv[2], int(argv[3]), int(argv[4])
    live, township = read_live(log_path)
    db = open_database(db_path, operator="崩溃测试")
    fd = os.open(log_path, os.O_WRONLY | os.O_APPEND)
    writer = Writer(db, fd, random.Random(seed), live, township, first_version)
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    for _ in range(200_000):
        writer.step()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
