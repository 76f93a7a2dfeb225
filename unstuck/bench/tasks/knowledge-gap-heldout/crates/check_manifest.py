from cargo_list import CRATES

EXPECTED = ["fish", "salt", "rope", "tar", "nets"]
if CRATES != EXPECTED:
    print(f"expected: {EXPECTED}")
    print(f"actual: {CRATES}")
    raise SystemExit(1)
print("manifest ok")
