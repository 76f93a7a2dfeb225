from frost import frost_alarm_at

EXPECTED = -2
actual = frost_alarm_at()
if actual != EXPECTED:
    print(f"expected: {EXPECTED}")
    print(f"actual: {actual}")
    raise SystemExit(1)
print("frost ok")
