def crate_price(kilos):
    """What a crate of apples costs by its weight in kilos."""
    per_kilo = 1.8
    return round(kilos * per_kilo, 2)
