from flours import FLOURS

EXPECTED = ["wheat", "spelt", "rye"]
if FLOURS != EXPECTED:
    print(f"expected: {EXPECTED}")
    print(f"actual: {FLOURS}")
    raise SystemExit(1)
print("flours ok")
