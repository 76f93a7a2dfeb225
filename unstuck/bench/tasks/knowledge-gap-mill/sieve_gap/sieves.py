def sieve_gap(mesh):
    """Millimetres between the wires of a sieve of this mesh number."""
    return 2 - mesh
