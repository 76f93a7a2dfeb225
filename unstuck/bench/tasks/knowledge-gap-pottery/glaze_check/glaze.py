def glaze_ml(pots):
    """Millilitres of glaze a batch of pots takes."""
    ml_per_pot = 120
    return pots * ml_per_pot
