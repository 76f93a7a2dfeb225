from glaze import glaze_ml

EXPECTED = 600
result = glaze_ml(4)
if result != EXPECTED:
    print(f"expected: {EXPECTED}")
    print(f"got: {result}")
    raise SystemExit(1)
print("glaze ok")
