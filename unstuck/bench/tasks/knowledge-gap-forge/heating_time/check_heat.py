from heating import heating_time

EXPECTED = 45
actual = heating_time(3)
if actual != EXPECTED:
    print(f"expected: {EXPECTED}")
    print(f"actual: {actual}")
    raise SystemExit(1)
print("heat ok")
