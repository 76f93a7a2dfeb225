from crew import min_crew


def test_a_driver_and_a_guard():
    assert min_crew() >= 2
