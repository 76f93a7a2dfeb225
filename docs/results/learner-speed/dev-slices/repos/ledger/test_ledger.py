from ledger import berth_fee, harbour_dues, total, waste_fee


def test_berth_fee():
    assert berth_fee(2, 15) == 48.0


def test_waste_fee():
    assert waste_fee(3) == 8.0


def test_total():
    assert total(1.005, 2) == 3.0


def test_harbour_dues():
    assert harbour_dues(10) == 35.0
