from pints import pints

EXPECTED = 17.6
actual = pints(10)
if actual != EXPECTED:
    print(f"expected: {EXPECTED}")
    print(f"actual: {actual}")
    raise SystemExit(1)
print("pints ok")
