from looms import loom_count

assert loom_count() == 12, f"expected 12 looms, found {loom_count()}"
print("looms ok")
