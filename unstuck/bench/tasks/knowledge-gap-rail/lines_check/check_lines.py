from lines import LINES

EXPECTED = ["north", "south", "coast"]
if LINES != EXPECTED:
    print(f"expected: {EXPECTED}")
    print(f"actual: {LINES}")
    raise SystemExit(1)
print("lines ok")
