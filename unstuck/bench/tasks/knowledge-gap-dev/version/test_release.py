from release import version


def test_version():
    assert version() == "2.7.1"
