from calls import boarding_call


def test_the_call():
    assert boarding_call("Calais") == "Passengers for Calais: please board now."
