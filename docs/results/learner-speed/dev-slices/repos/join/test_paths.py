from paths import join_path


def test_join_path():
    assert join_path(["dock", "pier"]) == "dock::pier"
