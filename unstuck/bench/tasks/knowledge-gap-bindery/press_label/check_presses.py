from presses import press_label

EXPECTED = "Press No. 3"
actual = press_label(3)
if actual != EXPECTED:
    print(f"expected: {EXPECTED}")
    print(f"actual: {actual}")
    raise SystemExit(1)
print("presses ok")
