from stock import FLOURS

EXPECTED = ["white", "rye", "spelt"]
if FLOURS != EXPECTED:
    print(f"expected: {EXPECTED}")
    print(f"actual: {FLOURS}")
    raise SystemExit(1)
print("stock ok")
