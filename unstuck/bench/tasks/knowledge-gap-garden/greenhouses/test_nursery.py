from nursery import bench_label, greenhouses, kind_of, waterings_per_week


def test_kind_of():
    assert kind_of("F12") == "ferns"


def test_waterings():
    assert waterings_per_week("T001") == 0


def test_bench_label():
    assert bench_label("R7", "Climbing") == "R007 Climbing"


def test_greenhouses():
    assert greenhouses() == 3
