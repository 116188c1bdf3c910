"""A pretend bank for the demo and the tests: answers a 口座振替依頼 file with a 振替結果 file.

Written with the record specs directly (not with the system's writer), setting each record's
振替結果コード and the trailer's 振替済/振替不能 counts and amounts as a bank does. (The national
benchmark keeps a faster one that splices the code byte into each record.)
"""

from collections.abc import Mapping
from pathlib import Path

from kyosai.billing.files import outgoing_dir
from kyosai.billing.models import BankFile, BillingRun
from kyosai.formats.zengin import DEBIT_DATA, DEBIT_TRAILER, decode, encode


def answer(request: bytes, codes: Mapping[str, str]) -> bytes:
    """The result file for `request`: code `codes[contract number]`, else 0 (振替済)."""
    lines = [line for line in request.split(b"\r\n") if line and line != b"\x1a"]
    out = []
    paid = [0, 0]
    failed = [0, 0]
    for line in lines:
        if line[:1] == b"2":
            fields = decode(DEBIT_DATA, line)
            code = codes.get(fields["customer_number"].lstrip("0")[:9], "0")
            fields["result_code"] = code
            amount = int(fields["amount"])
            bucket = paid if code == "0" else failed
            bucket[0] += 1
            bucket[1] += amount
            out.append(encode(DEBIT_DATA, fields))
        elif line[:1] == b"8":
            fields = decode(DEBIT_TRAILER, line)
            fields.update(
                total_count=str(paid[0] + failed[0]), total_amount=str(paid[1] + failed[1]),
                paid_count=str(paid[0]), paid_amount=str(paid[1]),
                failed_count=str(failed[0]), failed_amount=str(failed[1]),
            )  # fmt: skip
            out.append(encode(DEBIT_TRAILER, fields))
        else:
            out.append(line)
    return b"".join(record + b"\r\n" for record in out)


def request_of(bank_file: BankFile) -> bytes:
    return Path(outgoing_dir() / bank_file.name).read_bytes()


def answers(run: BillingRun, codes: Mapping[str, str]) -> list[tuple[str, bytes]]:
    """Every bank's result file for the run: (file name, bytes)."""
    return [
        (f"result-{f.name}", answer(request_of(f), codes)) for f in run.files.order_by("bank_code")
    ]
