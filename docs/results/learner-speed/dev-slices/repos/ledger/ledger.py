"""The harbour office's ledger: fees, dues and the small sums a port lives on."""

BERTH_RATE = 12.0
PILOT_RATE = 45.0
CRANE_RATE = 30.0


def berth_fee(nights, length_m):
    """Berth fee: a nightly rate per started 10 m of hull."""
    blocks = -(-length_m // 10)
    return nights * blocks * BERTH_RATE


def pilot_fee(hours):
    """Pilotage: the first hour is charged in full, then per quarter hour."""
    if hours <= 1:
        return PILOT_RATE
    quarters = -(-(hours - 1) * 4 // 1)
    return PILOT_RATE + quarters * PILOT_RATE / 4


def crane_fee(lifts):
    """Crane lifts, five or more at a reduced rate."""
    rate = CRANE_RATE * 0.8 if lifts >= 5 else CRANE_RATE
    return lifts * rate


def water_fee(litres):
    """Fresh water by the cubic metre, at least one."""
    cubic = max(1, -(-litres // 1000))
    return cubic * 2.5


def electricity_fee(kwh):
    """Shore power per kilowatt hour."""
    return round(kwh * 0.32, 2)


def harbour_dues(tonnage):
    """Harbour dues per gross ton."""
    return tonnage * HARBOUR_DUES_RATE


def waste_fee(bags):
    """Waste collection: the first bag is free."""
    return max(0, bags - 1) * 4.0


def total(*amounts):
    """The sum of several fees, rounded to cents."""
    return round(sum(amounts), 2)


def invoice_line(label, amount):
    """One line of an invoice."""
    return f"{label:<20}{amount:>10.2f}"


def invoice(lines):
    """A whole invoice: its lines and the total."""
    body = [invoice_line(label, amount) for label, amount in lines]
    body.append(invoice_line("TOTAL", total(*(amount for _, amount in lines))))
    return "\n".join(body)


def discount(amount, member):
    """Club members get ten percent off."""
    return round(amount * 0.9, 2) if member else amount


def late_payment(amount, days):
    """Interest on a late payment, per started week."""
    weeks = -(-days // 7)
    return round(amount * 0.01 * weeks, 2)


HARBOUR_DUES_RATE = 2.0
