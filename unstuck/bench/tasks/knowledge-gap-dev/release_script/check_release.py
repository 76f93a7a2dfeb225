from release import VERSION

EXPECTED = "3.1.4"
if VERSION != EXPECTED:
    print(f"expected: {EXPECTED}")
    print(f"actual: {VERSION}")
    raise SystemExit(1)
print("release ok")
