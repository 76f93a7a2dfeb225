from blasting import charges

EXPECTED = 48
actual = charges(12)
if actual != EXPECTED:
    print(f"expected: {EXPECTED}")
    print(f"actual: {actual}")
    raise SystemExit(1)
print("blast ok")
