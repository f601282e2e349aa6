"""A small, real PDF invoice for a sandbox payment (what Dodo's invoice call returns).

Written by hand (PDF 1.4, one page, Helvetica, a correct cross-reference table) so
the sandbox needs no PDF library; any viewer opens it.
"""

from __future__ import annotations

from typing import Any

from commerce.money import format_money


def _escape(text: str) -> str:
    # Helvetica in a PDF string: Latin-1 only; what it cannot show becomes "?".
    text = text.encode("latin-1", "replace").decode("latin-1")
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def invoice_lines(payment: dict[str, Any]) -> list[str]:
    customer = payment.get("customer") or {}
    lines = [
        "INVOICE (Dodo Payments sandbox)",
        f"Invoice for payment {payment['payment_id']}",
        f"Date: {str(payment.get('created_at', ''))[:10]}",
        f"Billed to: {customer.get('name') or ''} <{customer.get('email') or ''}>",
        "",
    ]
    for item in payment.get("product_cart") or []:
        lines.append(f"Item: {item.get('product_id')} x {item.get('quantity', 1)}")
    currency = payment["currency"]
    total = format_money(payment["total_amount"], currency, locale="en")
    tax = format_money(payment.get("tax") or 0, currency, locale="en")
    lines += [
        f"Tax: {tax}",
        f"Total paid: {total}",
        "",
        "Merchant of Record: Dodo Payments (sandbox, no real money moved)",
    ]
    return lines


def invoice_pdf(payment: dict[str, Any]) -> bytes:
    """One A4 page listing the payment; bytes starting with ``%PDF-``."""
    text = ["BT", "/F1 12 Tf", "14 TL", "56 780 Td"]
    for line in invoice_lines(payment):
        text.append(f"({_escape(line)}) Tj T*")
    text.append("ET")
    stream = "\n".join(text).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
        b"/Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
