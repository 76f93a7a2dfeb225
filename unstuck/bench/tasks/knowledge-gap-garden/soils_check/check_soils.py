from soils import SOILS

EXPECTED = ["loam", "clay", "peat-free"]
if SOILS != EXPECTED:
    print(f"expected: {EXPECTED}")
    print(f"actual: {SOILS}")
    raise SystemExit(1)
print("soils ok")
