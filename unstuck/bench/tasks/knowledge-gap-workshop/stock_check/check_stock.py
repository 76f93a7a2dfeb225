from stock import SPARE_TUBES

EXPECTED = 12
if SPARE_TUBES != EXPECTED:
    print(f"expected: {EXPECTED}")
    print(f"actual: {SPARE_TUBES}")
    raise SystemExit(1)
print("stock ok")
