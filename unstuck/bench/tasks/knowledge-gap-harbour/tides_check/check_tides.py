from tides import high_tides_per_day

EXPECTED = 2
actual = high_tides_per_day()
if actual != EXPECTED:
    print(f"expected: {EXPECTED}")
    print(f"actual: {actual}")
    raise SystemExit(1)
print("tides ok")
