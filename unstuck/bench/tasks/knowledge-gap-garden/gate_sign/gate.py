def gate_sign():
    """The words on the sign at the gate."""
    return "Green Lane Nursery, since 1978"
