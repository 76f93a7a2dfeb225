def litres_to_cans(litres):
    """Water in five-litre cans."""
    return litres * 5
